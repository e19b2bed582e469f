"""Presentation settings every view follows: scale, light/dark, the sign colours.

One ``Theme`` object lives on the main window; views read it when they build and
re-style themselves in a handler connected to ``changed`` (once, in ``__init__``).
Colours are the Okabe–Ito colour-blind-safe pair; negative weights are also dashed
so the sign never rests on colour alone.
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal


@dataclass(frozen=True)
class Palette:
    background: str
    foreground: str
    muted: str
    grid: str
    positive: str      # positive weights, Happy
    negative: str      # negative weights (dashed too), Sad
    highlight: str     # the current micro-step
    accent: str        # gradient descent in the race, secondary curves
    faded: str
    # one colour per kind of micro-step (diagram, chain-panel heading, status line);
    # Okabe–Ito, distinct from each other and from the sign colours above
    forward: str = "#009E73"    # bluish green: values flowing forward
    backward: str = "#CC79A7"   # reddish purple: the chain of derivatives
    update: str = "#E69F00"     # orange: old → new

    def stage_colour(self, stage: str) -> str:
        """The colour of a micro-step kind: "forward", "loss", "backward" or "update"
        (the loss is the end of the forward pass and shares its colour)."""
        return {"forward": self.forward, "loss": self.forward, "backward": self.backward,
                "update": self.update}.get(stage, self.highlight)


LIGHT = Palette(background="#ffffff", foreground="#111111", muted="#6b6b6b",
                grid="#d0d0d0", positive="#0072B2", negative="#D55E00",
                highlight="#E69F00", accent="#009E73", faded="#b8b8b8")
DARK = Palette(background="#14161a", foreground="#f2f2f2", muted="#a0a0a0",
               grid="#3a3d44", positive="#56B4E9", negative="#E69F00",
               highlight="#F0E442", accent="#009E73", faded="#555a63",
               forward="#3DDC97", backward="#E89BD0", update="#F0E442")


class Theme(QObject):
    """Current scale (1.0 = laptop, 1.5–2.5 = lecture hall) and palette."""

    changed = Signal()

    def __init__(self, scale: float = 1.0, dark: bool = False, parent=None):
        super().__init__(parent)
        self._scale = scale
        self._dark = dark

    @property
    def scale(self) -> float:
        return self._scale

    @property
    def dark(self) -> bool:
        return self._dark

    @property
    def palette(self) -> Palette:
        return DARK if self._dark else LIGHT

    def font_size(self, base: float = 10.0) -> float:
        """Point size for text whose laptop size is ``base``."""
        return base * self._scale

    def pen_width(self, base: float = 1.0) -> float:
        return base * self._scale

    def set_scale(self, scale: float) -> None:
        scale = max(0.75, min(3.0, float(scale)))
        if scale != self._scale:
            self._scale = scale
            self.changed.emit()

    def set_dark(self, dark: bool) -> None:
        if bool(dark) != self._dark:
            self._dark = bool(dark)
            self.changed.emit()
