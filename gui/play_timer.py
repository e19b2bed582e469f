"""Play / pause: a checkable action drives a timer that calls ``tick`` at a speed.

Tab-agnostic: the owner passes its checkable Play action and a ``tick`` callback
that takes one step and says whether another can follow; the timer pauses (and
unchecks the action, which relabels it) at the end. Checking the action starts
the timer, unchecking stops it, so a shortcut, a button and code all agree.
``before_play`` may refuse to start by unchecking the action (nothing to play).
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction

MIN_INTERVAL_MS = 15         # ~60 ticks/s: faster than a repaint is pointless


class PlayTimer(QObject):
    """``tick() -> bool`` steps once and returns False when nothing follows;
    ``before_play()`` (optional) runs when play starts, e.g. to rewind a
    finished run; ``after_pause()`` (optional) when it stops, e.g. to redraw
    what a fast play drew only now and then."""

    def __init__(self, action: QAction, tick: Callable[[], bool],
                 before_play: Callable[[], None] | None = None,
                 steps_per_second: float = 1.5, texts: tuple[str, str] = ("Play ▷", "Pause ❚❚"),
                 parent: QObject | None = None,
                 after_pause: Callable[[], None] | None = None):
        super().__init__(parent)
        self.action = action
        self._tick = tick
        self._before_play = before_play
        self._after_pause = after_pause
        self._texts = texts
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._on_timeout)
        self.set_speed(steps_per_second)
        action.toggled.connect(self._on_toggled)

    def is_playing(self) -> bool:
        return self.timer.isActive()

    def play(self) -> None:
        self.action.setChecked(True)

    def pause(self) -> None:
        self.action.setChecked(False)

    def toggle(self) -> None:
        self.action.setChecked(not self.action.isChecked())

    def set_speed(self, steps_per_second: float) -> None:
        self.timer.setInterval(max(MIN_INTERVAL_MS,
                                   round(1000.0 / max(steps_per_second, 0.01))))

    def set_interval(self, milliseconds: int) -> None:
        """Tick every ``milliseconds`` (0: whenever the event loop is idle), for a
        tick that bounds its own work, e.g. training for a fixed time budget."""
        self.timer.setInterval(max(0, int(milliseconds)))

    def _on_toggled(self, playing: bool) -> None:
        if playing:
            if self._before_play is not None:
                self._before_play()
            if not self.action.isChecked():
                return          # refused (and already relabelled) by before_play
            self.timer.start()
        else:
            self.timer.stop()
        self.action.setText(self._texts[1] if playing else self._texts[0])
        if not playing and self._after_pause is not None:
            self._after_pause()

    def _on_timeout(self) -> None:
        if not self._tick():
            self.pause()
