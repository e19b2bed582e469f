"""The outcome banner: how a Newton run ended, in plain words, with what to try.

The words come from the core (``NewtonOutcome.title`` and the run's one-line
``message``, which ends with what to try); this file only decides how each kind
looks. The banner is colour-coded but never colour-only: each kind starts with
its own symbol and is in bold. Outcomes are matched by name, so this module does
not import the (heavy) core.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QSizePolicy

SUCCESS, WARNING, FAILURE, NEUTRAL = "success", "warning", "failure", "neutral"

KIND_OF_OUTCOME = {
    "CONVERGED": SUCCESS,
    "CONVERGED_LINEARLY": WARNING,      # right answer, wrong speed: worth a remark
    "CONVERGED_TO_MAXIMUM": FAILURE,    # converged, but not to what was asked for
    "ZERO_DERIVATIVE": FAILURE,
    "CYCLE": FAILURE,
    "DIVERGED": FAILURE,
    "LEFT_DOMAIN": FAILURE,
    "MAX_ITERATIONS": FAILURE,
    "ASYMPTOTE": FAILURE,               # |f| small only because x ran off to infinity
    "OVERFLOW": FAILURE,
}
SYMBOL = {SUCCESS: "✔", WARNING: "⚠", FAILURE: "✖", NEUTRAL: "▸"}
FALSE_CONVERGENCE = "False convergence"


def outcome_kind(name: str) -> str:
    return KIND_OF_OUTCOME.get(name, FAILURE)


def outcome_title(run) -> str:
    """The core's title, except a DIVERGED run whose f(x) got small is named for
    the trap it is: "False convergence"."""
    if getattr(run, "false_convergence", False):
        return FALSE_CONVERGENCE
    return run.outcome.title


def outcome_text(title: str, kind: str, message: str) -> str:
    """Symbol and title on the first line, the run's own message on the second
    (without the title repeated at its start)."""
    if message.lower().startswith(title.lower() + ":"):
        message = message[len(title) + 1:].lstrip()   # "x keeps …": x stays lower case
    return f"{SYMBOL[kind]} {title}\n{message}" if message else f"{SYMBOL[kind]} {title}"


class OutcomeBanner(QLabel):
    """``outcomeLabel``: "Step k of n" while stepping, the outcome at the end.
    ``neutral`` names the palette colour of its border while stepping (the race's
    banner uses the race's accent colour)."""

    def __init__(self, parent=None, name: str = "outcomeLabel", neutral: str = "muted"):
        super().__init__(parent)
        self.setObjectName(name)
        self._neutral = neutral
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self._kind = NEUTRAL
        self._palette = None
        self._font_size = 10.0

    def kind(self) -> str:
        return self._kind

    def show_progress(self, position: int, total: int) -> None:
        text = f"{SYMBOL[NEUTRAL]} Step {position} of {total}"
        if position == 0:
            text += "\nPress Step (Space) to take the first Newton step"
        self._set(NEUTRAL, text)

    def show_outcome(self, run) -> None:
        kind = outcome_kind(run.outcome.name)
        self._set(kind, outcome_text(outcome_title(run), kind, run.message))

    def show_note(self, text: str) -> None:
        self._set(NEUTRAL, text)

    def restyle(self, palette, font_size: float) -> None:
        self._palette = palette
        self._font_size = font_size
        self._apply_style()

    def _set(self, kind: str, text: str) -> None:
        if text != self.text():
            self.setText(text)
        if kind != self._kind:
            self._kind = kind
            self._apply_style()

    def _apply_style(self) -> None:
        p = self._palette
        if p is None:
            return
        colour = {SUCCESS: p.accent, WARNING: p.highlight, FAILURE: p.negative,
                  NEUTRAL: getattr(p, self._neutral)}[self._kind]
        # text and background both from the theme: the window behind the banner
        # may keep the other theme's colours (a standalone tab, a dark room)
        border = max(1, round(self._font_size / 5))
        self.setStyleSheet(
            f"QLabel#{self.objectName()} {{ border: {border}px solid {colour}; "
            f"border-left-width: {4 * border}px; padding: 4px 8px; "
            f"color: {p.foreground}; background: {p.background}; }}")
        font = QFont(self.font())
        font.setPointSizeF(self._font_size)
        font.setBold(self._kind != NEUTRAL)
        self.setFont(font)
