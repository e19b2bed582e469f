"""Parsing typed functions off the GUI thread, in a child process with a deadline.

Reading a function and everything the tab later asks of it — f′ and f″ (SymPy's
``diff``), their LaTeX and the NumPy functions ``lambdify`` compiles — is SymPy work:
a few hundred ms for lecture functions, unbounded for some others. So each box's
``ParseWorker`` hands the text to its own ``core.parse_service.ParseService``: a child
process that does the symbolic work and is killed if it takes longer than its
deadline (the answer is then "too complicated", within 2 s whatever the text) or
when a newer text arrives (so the newest text never waits behind an older one).
The GUI gets a ``Function`` whose caches are warm: from then on the GUI, the Newton
iteration and the gradient-descent race only call compiled NumPy functions.

The waiting (and the short compile of the child's answer) happens on one private
pool thread shared by every box: SymPy is not guaranteed thread-safe, so two SymPy
computations never overlap in this process, and the GUI thread never waits on any
of it. Queueing and dropping stale answers is ``gui.worker.LatestJobRunner``'s.

A parser that cannot be sent to a child (a test's closure) runs on the pool thread
itself, as before: bounded only by what it does.
"""
from __future__ import annotations

import pickle

from PySide6.QtCore import QCoreApplication, QThreadPool

from core.parse_service import ParseFailure, ParseService, cannot_work, prepare
from gui.worker import LatestJobRunner

__all__ = ["ParseFailure", "ParseWorker", "prepare"]

# SymPy recurses deeply on nested functions (the core raises the recursion limit to
# 6000 frames while it works): give the worker a main-thread-sized stack, not the
# 512 KB–1 MB that secondary threads get by default on macOS and Windows.
STACK_BYTES = 64 * 1024 * 1024

_pool: QThreadPool | None = None


def _sympy_pool() -> QThreadPool:
    """The one thread that runs SymPy for every function box in the process."""
    global _pool
    if _pool is None:
        _pool = QThreadPool(QCoreApplication.instance())
        _pool.setMaxThreadCount(1)
        _pool.setStackSize(STACK_BYTES)
    return _pool


def _sendable(parse) -> bool:
    """Can ``parse`` be sent to a child process (a module-level function)?"""
    try:
        pickle.dumps(parse)
    except (pickle.PicklingError, AttributeError, TypeError):
        return False
    return True


class ParseWorker(LatestJobRunner):
    """Prepares each requested text (see the module docstring); ``finished``
    carries the latest request's answer (a Function or a ParseFailure) on the GUI
    thread."""

    def __init__(self, parent=None):
        super().__init__(_sympy_pool(), parent)
        self._parse = None
        self._error_type: type[Exception] = ValueError
        self._in_child = False
        self.service = ParseService()
        self._closed = False
        # a box deleted without being closed (a test's tab) still ends its child
        self.destroyed.connect(self.service.close)

    def set_parser(self, parse, error_type) -> None:
        """``parse`` (a module-level function, to run in the child) and the
        exception it raises for a refused text."""
        self._parse, self._error_type = parse, error_type
        self._in_child = _sendable(parse) and _sendable(error_type)
        if self._in_child and not self._closed:
            # the child imports SymPy while nothing waits for it
            self._pool.start(self.service.start)

    def has_parser(self) -> bool:
        return self._parse is not None and not self._closed

    def request(self, text: str) -> int:     # type: ignore[override]
        """Prepare ``text`` (now, aborting the running job, or after it); returns
        the request number ``finished`` will carry."""
        parse, error_type, service = self._parse, self._error_type, self.service
        if self._in_child:
            def call():
                result = service.run(parse, error_type, text)
                return ParseFailure(text, "Superseded", None) if result is None else result
            return super().request(call, abort=service.abort)

        def in_thread():
            try:
                return prepare(parse, error_type, text)
            except Exception as exc:
                return cannot_work(text, exc)
        return super().request(in_thread)

    def child_pids(self) -> list[int]:
        """The child process's id while one runs (tests)."""
        return self.service.pids()

    def close(self) -> None:
        """Drop the queued work, kill the child and reap it (closing): no job runs
        or waits afterwards."""
        self._closed = True
        self.cancel()
        self.service.close()
