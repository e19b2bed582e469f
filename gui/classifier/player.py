"""Play / pause for the classifier: micro-steps, epochs, or as many epochs as fit.

The shared ``gui.play_timer.PlayTimer`` drives the ticks; this module decides what
one tick does at the chosen speed (``controls.SPEEDS``):

- slow speeds animate one micro-step per tick;
- "5 epochs/s", "30 epochs/s" train one epoch per tick;
- "fastest" trains as many epochs as fit in a 12 ms budget per tick (the chunk
  adapts to this machine), so the event loop stays free for the lecturer;
- over a table of more than ``ROWS_PER_TICK`` rows in example mode (one update per
  row: an epoch of 5,000 rows takes longer than a tick may) every epoch speed trains
  as many rows as fit in that budget per tick, so a long epoch spans several ticks.

At 10 epochs a second and more the views are redrawn at most ten times a second:
the stepper's announcements are held between redraws (``TrainingStepper.hold``),
so the views hear once what a hundred epochs changed.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QElapsedTimer, QObject, Signal
from PySide6.QtGui import QAction

from core.network import TrainingOverflow
from core.stepper import TrainingStepper
from gui.classifier.controls import Speed
from gui.play_timer import PlayTimer

TICK_BUDGET_S = 0.012      # "fastest": train for at most this long per tick
REFRESH_MS = 100           # fast play: redraw the views ten times a second
MAX_CHUNK = 100_000
#: a table longer than this, in example mode, is played part of an epoch per tick
ROWS_PER_TICK = 400


class ClassifierPlayer(QObject):
    """Plays ``stepper`` while ``action`` (checkable) is checked, at ``speed()``.

    A run that blows up (the core undoes the step and raises ``TrainingOverflow``)
    stops the play and is announced by ``overflowed`` with the core's message."""

    overflowed = Signal(str)

    def __init__(self, stepper: TrainingStepper, action: QAction,
                 speed: Callable[[], Speed], parent: QObject | None = None):
        super().__init__(parent)
        self.stepper = stepper
        self._speed = speed
        self._chunk = 1
        self._rows = ROWS_PER_TICK // 4
        self._holding = False
        self._since_refresh = QElapsedTimer()
        self.timer = PlayTimer(action, self._tick, self._before_play, texts=("Play", "Pause"),
                               parent=self, after_pause=self._release)
        self.apply_speed()

    def is_playing(self) -> bool:
        return self.timer.is_playing()

    def interval(self) -> int:
        """Milliseconds between ticks at the current speed."""
        return self.timer.timer.interval()

    def pause(self) -> None:
        self.timer.pause()

    def toggle(self) -> None:
        self.timer.toggle()

    def apply_speed(self) -> None:
        """Take the speed control's value (also while playing)."""
        speed = self._speed()
        if speed.is_micro:
            self.timer.set_interval(round(1000 / speed.steps_per_second))
        elif speed.epochs_per_second > 0:
            self.timer.set_interval(round(1000 / speed.epochs_per_second))
        else:
            self.timer.set_interval(0)

    def _before_play(self) -> None:
        if not self.stepper.can_step:
            self.timer.pause()          # nothing to train on: refuse to start
            return
        self._chunk = 1
        self._rows = ROWS_PER_TICK // 4
        self._since_refresh.start()
        self.apply_speed()

    def _tick(self) -> bool:
        stepper = self.stepper
        if not stepper.can_step:
            return False
        speed = self._speed()
        throttled = not speed.is_micro and (speed.epochs_per_second >= 10
                                            or speed.epochs_per_second == 0)
        if not throttled:
            self._release()
        elif not self._holding:
            self._holding = True
            stepper.hold()
        try:
            if speed.is_micro:
                stepper.step()
            elif stepper.mode == "example" and stepper.n_examples > ROWS_PER_TICK:
                self._run_rows()        # an epoch of one update per row is too long a tick
            elif speed.epochs_per_second > 0:
                stepper.run_epochs(1)
            else:
                self._run_budget()
        except TrainingOverflow as overflow:
            self._release()
            self.overflowed.emit(str(overflow))
            return False                # stops the play
        if throttled and self._since_refresh.elapsed() >= REFRESH_MS:
            self._release()
        return True

    def _run_budget(self) -> None:
        """As many epochs as fit in the tick's budget: the chunk follows the last
        tick's time, by at most ×2 or ×½ at once."""
        clock = QElapsedTimer()
        clock.start()
        self.stepper.run_epochs(self._chunk)
        elapsed = max(clock.nsecsElapsed() * 1e-9, 1e-6)
        scale = min(2.0, max(0.5, TICK_BUDGET_S / elapsed))
        self._chunk = int(max(1, min(MAX_CHUNK, self._chunk * scale)))

    def _run_rows(self) -> None:
        """Part of an epoch: as many rows as fit in the tick's budget (the row chunk
        follows the last tick's time as the epoch chunk does)."""
        clock = QElapsedTimer()
        clock.start()
        self.stepper.run_rows(self._rows)
        elapsed = max(clock.nsecsElapsed() * 1e-9, 1e-6)
        scale = min(2.0, max(0.5, TICK_BUDGET_S / elapsed))
        self._rows = int(max(1, min(self.stepper.n_examples, self._rows * scale)))

    def _release(self) -> None:
        """Let the views hear what changed since the last redraw."""
        self._since_refresh.restart()
        if self._holding:
            self._holding = False
            self.stepper.release()
