"""The classifier's status line: epoch, which example, which micro-step, mean loss.

"Epoch 2 · example 3 “Aack beep beep beep!” · step 5/14 backward: ∂L/∂w₁ · mean loss 0.4512"

The kind of step (forward, loss, backward, update) is written in the theme's colour
for it (``Palette.stage_colour``), as the diagram's highlight and the chain panel's
heading.  The line is never cut: when the full text does not fit its width, the
sentence loses whole words from its end ("“Aack beep…”"), then goes, then the
words shorten ("8/14", "mean L"); a column too narrow even for that gets a second
line.  The line's height follows its width and font only — never the step — so a
step never re-lays out the tab.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

import numpy as np
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel, QSizePolicy

from core.notation import format_number
from core.records import BackwardStep, ForwardStep, LossStep, UpdateStep
from core.stepper import TrainingStepper


@dataclass(frozen=True)
class StatusParts:
    """What the status line says, in pieces it can shorten."""
    message: str = ""          # instead of the rest: e.g. there is nothing to train on
    epoch: int = 0
    example: str = ""          # "example 3", or "full batch"
    sentence: str = ""         # the walked row's sentence ("" in full-batch mode)
    step: int = 0              # 1-based position in the walk, 0 before the first step
    steps: int = 0
    stage: str = ""            # "forward", "loss", "backward", "update" or ""
    what: str = ""             # "compute a₁", "∂L/∂w₁₁", …
    loss: str = ""             # the mean loss, formatted ("" when not finite)

    def variants(self) -> list[tuple[str, str]]:
        """(plain text, rich text) from the fullest to the shortest."""
        if self.message:
            return [(self.message, escape(self.message))]
        words = self.sentence.split()
        sentences = [" ".join(words[:k]) + ("" if k == len(words) else "…")
                     for k in range(len(words), 0, -1)]
        out = [self._text(f" “{s}”", long=True) for s in sentences]
        out.append(self._text("", long=True))
        out.append(self._text("", long=False))
        return out

    def _text(self, sentence: str, long: bool) -> tuple[str, str]:
        where = f"{self.example}{sentence}"
        position = (f"step {self.step}/{self.steps}" if long else f"{self.step}/{self.steps}") \
            if self.steps else ""
        loss = (f" · mean loss {self.loss}" if long else f" · mean L {self.loss}") \
            if self.loss else ""
        stage = {"": "ready", "loss": "loss L"}.get(self.stage, self.stage)
        what = f": {self.what}" if self.what else ""
        head = f"Epoch {self.epoch} · {where} · {position} ".replace("·  ", "· ")
        plain = f"{head}{stage}{what}{loss}"
        rich = f"{escape(head)}<b>\x00{escape(stage)}\x01</b>{escape(what + loss)}"
        return plain, rich


#: the longest status a walk of the default-sized networks writes, in its shortest
#: form: when a line this long does not fit, the status line gets two
_WIDEST = StatusParts(epoch=10000, example="example 99", step=99, steps=99,
                      stage="backward", what="∂L/∂w⁽²⁾₁₁", loss="0.0000")


def status_parts(stepper: TrainingStepper, sentences: list[str]) -> StatusParts:
    """Where ``stepper`` is; ``sentences`` are the table's rows."""
    if not stepper.can_step:
        return StatusParts(message="Add sentences to train the network.")
    row = stepper.example
    batch = stepper.mode == "batch"
    sentence = "" if batch else (sentences[row] if row < len(sentences) else "")
    current = stepper.current
    stage, what = describe_parts(current) if current is not None else ("", "")
    loss = stepper.loss()
    return StatusParts(
        epoch=stepper.epoch, example="full batch" if batch else f"example {row + 1}",
        sentence=sentence, step=stepper.index + 1 if stepper.steps else 0,
        steps=len(stepper.steps), stage=stage, what=what,
        loss="" if loss is None or not np.isfinite(loss) else format_number(loss))


def status_text(stepper: TrainingStepper, sentences: list[str]) -> str:
    """Where ``stepper`` is, in words, in full (the status line may shorten it)."""
    return status_parts(stepper, sentences).variants()[0][0]


def describe_parts(step) -> tuple[str, str]:
    """(kind of step, what it computes) for a walk record."""
    match step:
        case ForwardStep():
            return "forward", f"compute {step.unit_label}"
        case LossStep():
            return "loss", ""
        case BackwardStep():
            return "backward", f"∂L/∂{step.parameter.label}"
        case UpdateStep():
            return "update", "every parameter"
    return "", ""


class StatusLine(QLabel):
    """The status line: the longest form of ``StatusParts`` that fits."""

    def __init__(self, theme, parent=None):
        super().__init__(parent)
        self.setObjectName("statusLabel")
        self._theme = theme
        self.setTextFormat(Qt.TextFormat.RichText)
        # the text changes on every step; a fixed height keeps that from re-laying out
        # the tab, and an ignored width lets the column decide
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._parts = StatusParts()
        self._lines = 1
        self._plain = ""

    def set_parts(self, parts: StatusParts) -> None:
        """Show ``parts``, the kind of step in its colour."""
        self._parts = parts
        self._refresh()

    def plain_text(self) -> str:
        """The text shown, without markup."""
        return self._plain

    def lines(self) -> int:
        return self._lines

    def restyle(self) -> None:
        """After a theme change: the height of one or two lines and the colours again."""
        self._fit_height()
        self._refresh()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_height()          # sets the height only when it changes: no loop
        self._refresh()

    def _room(self) -> int:
        # bold and rounding: a few per cent of slack, so a line never wraps by a pixel
        return max(1, int(self.contentsRect().width() * 0.97) - 4)

    def _fit_height(self) -> None:
        metrics = QFontMetrics(self.font())
        shortest = _WIDEST.variants()[-1][0]
        lines = 1 if metrics.horizontalAdvance(shortest) <= self._room() else 2
        self._lines = lines
        self.setWordWrap(lines > 1)
        height = lines * metrics.lineSpacing() + 2 + self.contentsMargins().top() \
            + self.contentsMargins().bottom()
        if self.height() != height or self.minimumHeight() != height:
            self.setFixedHeight(height)

    def _refresh(self) -> None:
        metrics = QFontMetrics(self.font())
        room, lines = self._room(), self._lines
        variants = self._parts.variants()
        chosen = variants[-1]
        for plain, rich in variants:
            if lines == 1:
                fits = metrics.horizontalAdvance(plain) <= room
            else:
                box = metrics.boundingRect(QRect(0, 0, room, 100_000),
                                           int(Qt.TextFlag.TextWordWrap), plain)
                # a wrapped box is a little taller than its lines' spacing
                fits = box.height() <= (lines + 0.5) * metrics.lineSpacing()
            if fits:
                chosen = (plain, rich)
                break
        plain, rich = chosen
        stage = self._parts.stage
        colour = self._theme.palette.stage_colour(stage) if stage else ""
        rich = rich.replace("\x00", f"<span style='color:{colour}'>" if colour else "<span>")
        rich = rich.replace("\x01", "</span>")
        self._plain = plain
        if rich != self.text():
            self.setText(rich)
