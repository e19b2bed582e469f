"""Run the latest job on a worker thread, answer on the GUI thread.

Typing a function and dragging x0 both ask for work faster than it can be done,
and only the newest request matters. So a ``LatestJobRunner`` keeps one job in
flight; a request made meanwhile waits as the only queued one (a newer request
replaces it) and starts when the running job ends, so work never piles up. Each
request has a number; the answer comes back to the GUI thread through a queued
signal and is dropped if its number is no longer the latest. A job may come with an
``abort`` callable (any thread): a newer request, or ``cancel``, calls it so the
running job ends early instead of holding the worker (a child process killed).
"""
from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject, QThreadPool, Signal


class LatestJobRunner(QObject):
    """Runs ``call()`` jobs on ``pool``; ``finished`` carries the latest request's
    answer on the GUI thread (the exception object if the job raised one)."""

    finished = Signal(int, object)      # request number, result | Exception
    _relay = Signal()                   # worker → GUI thread (queued)

    def __init__(self, pool: QThreadPool, parent=None):
        super().__init__(parent)
        self._pool = pool
        self._request = 0
        self._queued = None             # (request, call, abort) waiting for the worker
        self._abort = None              # the running job's abort, if it has one
        self._busy = False
        self._lock = threading.Lock()
        self._answer: tuple[int, object] | None = None     # written by the worker
        # one Event per job: a finishing job can never mark its successor done
        self._done = threading.Event()
        self._done.set()
        self._relay.connect(self._collect)

    def request(self, call, abort=None) -> int:
        """Run ``call()`` on the worker (now, or after the running job, which is
        aborted if it can be); returns the request number ``finished`` will carry."""
        self._request += 1
        job = (self._request, call, abort)
        if self._busy:
            self._queued = job          # replaces an older queued job
            self._abort_running()
        else:
            self._start(job)
        return self._request

    def cancel(self) -> None:
        """Forget the queued job; an answer still in flight will be dropped."""
        self._request += 1
        self._queued = None
        self._abort_running()

    def _abort_running(self) -> None:
        abort, self._abort = self._abort, None
        if abort is not None:
            abort()

    def busy(self) -> bool:
        """True while a job runs or waits (an answer may still come)."""
        return self._busy or self._queued is not None

    def wait(self, timeout: float | None = 30.0) -> bool:
        """Block until the queued work is done and its answer delivered (sessions,
        tests, closing). Returns False if ``timeout`` seconds were not enough."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self._busy:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return False
            if not self._done.wait(left):
                return False
            self._collect()             # delivers, and starts the queued job if any
        return True

    def _start(self, job) -> None:
        number, call, self._abort = job
        self._busy = True
        done = self._done = threading.Event()

        def work():
            try:
                result = call()
            except Exception as exc:
                result = exc
            with self._lock:
                self._answer = (number, result)
            done.set()
            try:
                self._relay.emit()
            except RuntimeError:        # the owner was deleted meanwhile
                pass

        self._pool.start(work)

    def _collect(self) -> None:
        """Take the worker's answer (once: ``wait`` or the queued signal, whichever
        comes first), start the queued job, and pass the answer on if it is current."""
        with self._lock:
            answer, self._answer = self._answer, None
        if answer is None:
            return
        self._busy = False
        self._abort = None
        if self._queued is not None:
            job, self._queued = self._queued, None
            self._start(job)
        number, result = answer
        if number == self._request:
            self.finished.emit(number, result)
