"""The gradient-descent race, computed off the GUI thread.

Gradient descent with a small learning rate can need thousands of steps (about
0.5 s of Python for 10,000), so the core's ``gradient_descent`` runs on a worker
thread of Qt's global pool. Only one run is in flight and a request made meanwhile
replaces any queued one, so dragging x0 never piles up work; a late answer to an
old request is dropped (``gui.worker.LatestJobRunner``).
"""
from __future__ import annotations

from PySide6.QtCore import QThreadPool

from gui.worker import LatestJobRunner


class RaceRunner(LatestJobRunner):
    """``request(call)`` runs a gradient-descent run; ``finished`` carries the
    NewtonRun, or the exception it raised (shown as a note in the race label)."""

    def __init__(self, parent=None):
        super().__init__(QThreadPool.globalInstance(), parent)

    def wait(self, timeout: float | None = 10.0) -> bool:
        """Block until the run and any queued one are done and delivered (tests,
        the benchmark, closing); False on timeout."""
        return super().wait(timeout)
