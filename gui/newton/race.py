"""The gradient-descent race, computed off the GUI thread.

Gradient descent with a small learning rate can need thousands of steps (about
0.5 s of Python for 10,000), so the core's ``gradient_descent`` runs on a worker
thread of Qt's global pool. Only one run is in flight and a request made meanwhile
replaces any queued one, so dragging x0 never piles up work; a late answer to an
old request is dropped (``gui.worker.LatestJobRunner``).
"""
from __future__ import annotations

from PySide6.QtCore import QThreadPool

from core.newton_player import NewtonPlayer, RaceRequest
from gui.worker import LatestJobRunner


class RaceRunner(LatestJobRunner):
    """``request(call)`` runs a gradient-descent run; ``finished`` carries the
    NewtonRun, or the exception it raised (shown as a note in the race label).
    ``serve(player)`` computes the races a ``NewtonPlayer`` asks for."""

    def __init__(self, parent=None):
        super().__init__(QThreadPool.globalInstance(), parent)
        self._player: NewtonPlayer | None = None
        self._asked: RaceRequest | None = None     # the race being computed

    def serve(self, player: NewtonPlayer) -> None:
        """Answer ``player.race_requested`` with ``player.set_race_run`` (on the GUI
        thread); a race switched off is forgotten."""
        self._player = player
        player.race_requested.connect(self._on_race_requested)
        player.changed.connect(self._on_player_changed)
        self.finished.connect(self._on_finished)

    def wait(self, timeout: float | None = 10.0) -> bool:
        """Block until the run and any queued one are done and delivered (tests,
        the benchmark, closing); False on timeout."""
        return super().wait(timeout)

    def _on_race_requested(self, request: RaceRequest) -> None:
        self._asked = request
        self.request(request.compute)

    def _on_player_changed(self, _what) -> None:
        if self._player is not None and self._player.race_request is None:
            self.cancel()

    def _on_finished(self, _number: int, result) -> None:
        if self._player is None:
            return
        if isinstance(result, Exception):
            self._player.set_race_run(None, str(result), self._asked)
        else:
            self._player.set_race_run(result, request=self._asked)
