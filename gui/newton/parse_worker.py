"""Parsing typed functions off the GUI thread, one SymPy job at a time.

Reading a function (``core.newton.parse_function``) and everything the tab later
asks of it — f′ and f″ (SymPy's ``diff``), their LaTeX and the NumPy functions
``lambdify`` compiles — is SymPy work. For lecture functions it takes a few ms, but
the core accepts functions whose f″ takes a few hundred ms, which would freeze the
window while someone types. So ``prepare`` does all of it on a worker thread and
hands the GUI a ``Function`` whose caches are warm: from then on the GUI, the Newton
iteration and the gradient-descent race only call the compiled NumPy functions.

SymPy is not guaranteed thread-safe, so every job of every tab runs on one private
pool with a single thread: two SymPy computations never overlap, and the GUI thread
calls no SymPy while a job runs (it only ever touches warmed Functions). A request
made while a job runs waits as the only queued one (a newer request replaces it);
each request has a number, and an answer whose number is no longer the latest
(the person kept typing) is dropped.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal

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


@dataclass(frozen=True)
class ParseFailure:
    """Why a text is not a function: a message and the 0-based column (or None)."""
    text: str
    message: str
    column: int | None


def prepare(parse, error_type, text: str):
    """Parse ``text`` and warm every lazy cache of the result (runs on the worker).

    Returns the Function, or a ParseFailure for a text the core refuses.
    """
    try:
        function = parse(text)
    except error_type as exc:
        return ParseFailure(text, getattr(exc, "message", None) or str(exc),
                            getattr(exc, "column", None))
    try:
        first = function.derivative()
        second = first.derivative()
        for f in (function, first, second):
            f.latex()
            f.evaluate(0.0)     # compiles (lambdify) once; later calls are NumPy only
    except (ArithmeticError, ValueError, TypeError, AttributeError, RecursionError,
            NotImplementedError):
        # A SymPy failure the core did not foresee: refuse, as the core does.
        return ParseFailure(text, "Cannot work with this function", 0)
    return function


class ParseWorker(QObject):
    """Runs ``prepare`` on the SymPy thread; ``finished`` carries the latest
    request's answer (a Function or a ParseFailure) on the GUI thread."""

    finished = Signal(int, object)      # request number, Function | ParseFailure
    _relay = Signal()                   # worker → GUI thread (queued)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._request = 0
        self._queued: tuple[int, str] | None = None
        self._busy = False
        self._started = 0.0             # perf_counter when the running job was handed over
        self._lock = threading.Lock()
        self._answer: tuple[int, object] | None = None     # written by the worker
        self._done = threading.Event()
        self._done.set()
        self._parse = None
        self._error_type: type[Exception] = ValueError
        self._relay.connect(self._collect)

    def set_parser(self, parse, error_type) -> None:
        self._parse, self._error_type = parse, error_type

    def has_parser(self) -> bool:
        return self._parse is not None

    def request(self, text: str) -> int:
        """Parse ``text`` on the worker (now, or after the running job); returns
        the request number ``finished`` will carry."""
        self._request += 1
        job = (self._request, text)
        if self._busy:
            self._queued = job          # replaces an older queued text
        else:
            self._start(job)
        return self._request

    def cancel(self) -> None:
        """Forget the queued text; an answer still in flight will be dropped."""
        self._request += 1
        self._queued = None

    def busy(self) -> bool:
        """True while a job runs or waits (an answer may still come)."""
        return self._busy or self._queued is not None

    def running_for(self) -> float:
        """Seconds the current job has been running (0 when idle)."""
        return time.perf_counter() - self._started if self._busy else 0.0

    def wait(self, timeout: float | None = 30.0) -> bool:
        """Block until the queued work is done and its answer delivered (sessions,
        tests, closing). Returns False if ``timeout`` seconds were not enough."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self._busy:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not self._done.wait(left):
                return False
            self._collect()             # delivers, and starts the queued job if any
        return True

    def _start(self, job) -> None:
        number, text = job
        parse, error_type = self._parse, self._error_type
        self._busy = True
        self._started = time.perf_counter()
        self._done.clear()

        def work():
            try:
                result = prepare(parse, error_type, text)
            except Exception as exc:    # noqa: BLE001 - shown as an error, never a crash
                result = ParseFailure(text, f"Cannot work with this function ({exc})", 0)
            with self._lock:
                self._answer = (number, result)
            self._done.set()
            try:
                self._relay.emit()
            except RuntimeError:        # the function box was deleted meanwhile
                pass

        _sympy_pool().start(work)

    def _collect(self) -> None:
        """Take the worker's answer (once: ``wait`` or the queued signal, whichever
        comes first), start the queued job, and pass the answer on if it is current."""
        with self._lock:
            answer, self._answer = self._answer, None
        if answer is None:
            return
        self._busy = False
        if self._queued is not None:
            job, self._queued = self._queued, None
            self._start(job)
        number, result = answer
        if number == self._request:
            self.finished.emit(number, result)
