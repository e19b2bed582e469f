"""The gradient-descent race, computed off the GUI thread.

Gradient descent with a small learning rate can need thousands of steps (about
0.5 s of Python for 10,000), so the core's ``gradient_descent`` runs on a worker
thread. Only one run is in flight; a request made meanwhile replaces any queued
one and starts when the current run ends, so dragging x0 never piles up work.
Results arrive on the GUI thread through a queued signal, tagged with the request
they answer, so a late answer to an old request is dropped.
"""
from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QThreadPool, Signal


class RaceRunner(QObject):
    finished = Signal(int, object)      # request number, NewtonRun (or an exception)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._request = 0
        self._queued = None             # (request, call) waiting for the worker
        self._busy = False
        self._lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()
        self._relay.connect(self._on_done)

    _relay = Signal(int, object)        # worker → GUI thread (queued)

    def request(self, call) -> int:
        """Run ``call()`` (a gradient-descent run) on the worker; returns the
        request number that ``finished`` will carry."""
        self._request += 1
        job = (self._request, call)
        if self._busy:
            self._queued = job
        else:
            self._start(job)
        return self._request

    def cancel(self) -> None:
        """Forget queued work; an answer still in flight will be dropped."""
        self._request += 1
        self._queued = None

    def latest(self) -> int:
        return self._request

    def busy(self) -> bool:
        return self._busy or self._queued is not None

    def wait(self, timeout: float = 10.0) -> bool:
        """Block until the worker is idle (tests, the benchmark, closing)."""
        return self._idle.wait(timeout)

    def _start(self, job) -> None:
        self._busy = True
        self._idle.clear()
        number, call = job

        def work():
            try:
                result = call()
            except Exception as exc:  # shown as a note in the race label
                result = exc
            try:
                self._relay.emit(number, result)
            except RuntimeError:      # the tab was deleted meanwhile
                pass
            finally:
                self._idle.set()

        QThreadPool.globalInstance().start(work)

    def _on_done(self, number: int, result) -> None:
        self._busy = False
        if self._queued is not None:
            job, self._queued = self._queued, None
            self._start(job)
        if number == self._request:
            self.finished.emit(number, result)
