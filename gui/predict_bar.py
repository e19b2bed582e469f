"""The prediction bar of predict mode (View ▸ Predict, then reveal; Ctrl+Shift+P).

One compact row under the tabs while predict mode is on: the question ("a₁ = ?")
with the formula it comes from, the box the answer is typed in (``predictInput``),
the verdict of the last answer and the running score.  Enter checks the typed
answer (an empty one reveals); Space reveals without an answer — the lecturer's
version, where the hall guesses aloud.  The bar only shows what
``gui.predict_controller`` tells it: no maths, no checking here (``core.predict``).
"""
from __future__ import annotations

import re
from html import escape, unescape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontMetricsF, QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QSizePolicy

RIGHT, WRONG, SHOWN = "right", "wrong", "shown"      # the kinds of verdict
_SYMBOL = {RIGHT: "✔", WRONG: "✖", SHOWN: "▸"}       # never colour alone


class PredictInput(QLineEdit):
    """``predictInput``: a number; Space reveals (a number has no spaces) and
    Enter checks, so the step keys of a clicker keep working while it has focus."""

    reveal_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("predictInput")
        self.setPlaceholderText("a number")
        self.setClearButtonEnabled(False)
        self.setToolTip("Type your prediction and press Enter; Space reveals it without one")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not (
                event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier):
            self.reveal_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class PredictBar(QFrame):
    """``predictBar``: question, answer box, verdict, score.

    ``answered(text)`` when Enter is pressed in the box, ``revealed()`` for Space."""

    answered = Signal(str)
    revealed = Signal()

    def __init__(self, theme, parent=None):
        super().__init__(parent)
        self.setObjectName("predictBar")
        self._theme = theme
        self.question_label = QLabel()
        self.question_label.setObjectName("predictQuestion")
        self.question_label.setTextFormat(Qt.TextFormat.RichText)
        self.input = PredictInput()
        self.verdict_label = QLabel()
        self.verdict_label.setObjectName("predictVerdict")
        self.verdict_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.verdict_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.score_label = QLabel()
        self.score_label.setObjectName("predictScore")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 3, 8, 3)
        layout.addWidget(self.question_label)
        layout.addWidget(self.input)
        layout.addWidget(self.verdict_label, 1)
        layout.addWidget(self.score_label)
        self._kind, self._verdict = "", ""
        self.verdict_label.setTextFormat(Qt.TextFormat.RichText)
        self.input.returnPressed.connect(lambda: self.answered.emit(self.input.text()))
        self.input.reveal_requested.connect(self.revealed)
        theme.changed.connect(self.restyle)
        self.restyle()
        self.ask(None, "")
        self.show_verdict("", "")
        self.show_score("Score 0/0", "no answers yet")

    # ------------------------------------------------------------------ shown
    def ask(self, label: str | None, hint: str, note: str = "") -> None:
        """Ask for ``label`` ("a₁"), with the formula it comes from; None: nothing
        asked (``note`` says what Step does next)."""
        muted = self._theme.palette.muted
        if label is None:
            self.question_label.setText(f"<span style='color:{muted}'>"
                                        f"{escape(note or 'Predict, then reveal')}</span>")
            self.input.setEnabled(False)
            self.input.clear()
            return
        hint_html = f" <span style='color:{muted}'>({escape(hint)})</span>" if hint else ""
        self.question_label.setText(f"<b>{escape(label)} = ?</b>{hint_html}")
        self.input.setEnabled(True)
        self.input.clear()

    def show_verdict(self, kind: str, text: str) -> None:
        """``kind``: RIGHT, WRONG, SHOWN (revealed without an answer) or "" (none)."""
        self._kind, self._verdict = kind, text
        self.verdict_label.setToolTip(text)
        self._colour_verdict()

    def show_score(self, text: str, tip: str = "") -> None:
        self.score_label.setText(text)
        self.score_label.setToolTip(tip)

    def question_text(self) -> str:
        """The question as plain text ("a₁ = ? (σ(z₁))")."""
        return unescape(re.sub(r"<[^>]+>", "", self.question_label.text()))

    def verdict_text(self) -> str:
        """The verdict as plain text ("✔ Right: a₁ = 0.5663")."""
        return f"{_SYMBOL[self._kind]} {self._verdict}" if self._kind else self._verdict

    def score_text(self) -> str:
        return self.score_label.text()

    # ------------------------------------------------------------------ style
    def restyle(self) -> None:
        theme = self._theme
        pal = theme.palette
        font = QFont(self.font())
        font.setPointSizeF(theme.font_size(11.0))
        for widget in (self.question_label, self.input, self.verdict_label, self.score_label):
            widget.setFont(font)
        self.input.setFixedWidth(round(QFontMetricsF(font).horizontalAdvance("0") * 12))
        self.setStyleSheet(f"QFrame#predictBar {{ border-top: 2px solid {pal.highlight}; }}")
        self._colour_verdict()

    def _colour_verdict(self) -> None:
        """The symbol in the verdict's colour, the words in the text colour (legible)."""
        pal = self._theme.palette
        colour = {RIGHT: pal.forward, WRONG: pal.negative}.get(self._kind, pal.muted)
        symbol = (f"<span style='color:{colour}'>{_SYMBOL[self._kind]}</span> "
                  if self._kind else "")
        self.verdict_label.setText(f"<b>{symbol}{escape(self._verdict)}</b>")
