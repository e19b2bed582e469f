"""The symbolic work for a typed function, in a child process with a deadline.

Reading a function and preparing it (``prepare``: the parse, f′ and f″ with SymPy's
``diff``, their LaTeX and the NumPy functions ``lambdify`` compiles) takes a few
hundred ms for the functions anyone types, and the parser refuses the ones it can
tell would take longer. But that bound is an estimate, and a thread cannot be
stopped: a function it let through by mistake would hold its thread, and every
function typed after it, for as long as SymPy cares to take.

So ``ParseService.run`` hands the text to a child process and waits at most
``DEADLINE`` seconds: a child still working then is killed (and another started),
and the answer is a ``ParseFailure`` saying the function is too complicated.
``abort`` (from any thread) kills a running job at once, so a newer text never waits
behind an older one. The child answers with the prepared ``Function`` (pickled with
its derivatives and LaTeX, see ``Function.__getstate__``); the compiled NumPy code
does not pickle, so ``run`` compiles it again in the caller — a few tens of ms,
and refused too if the child's compile says it would not fit in ``BUDGET``.

Children are started with the "forkserver" context where there is one (forked from
a clean server that has imported SymPy once: ~10 ms a child) and "spawn" elsewhere;
never "fork", since the caller has threads (Qt's). Everything here blocks: call
``run`` from a worker thread, never from a GUI thread.
"""
from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import pickle
import signal
import threading
import time
from dataclasses import dataclass

__all__ = ["ParseFailure", "prepare", "ParseService", "TOO_COMPLICATED", "DEADLINE",
           "BUDGET"]

BUDGET = 2.0          # seconds from request to a usable function (or a refusal)
DEADLINE = 1.6        # seconds the child may take; the rest is for the caller's compile
BOOT_TIMEOUT = 30.0   # seconds a new child may take to import SymPy (a loaded machine)
TOO_COMPLICATED = ("This function is too complicated to work with: use fewer or less "
                   "deeply nested functions")
_PRELOAD = ["core.parser", "core.parse_service", "sympy"]
STACK_BYTES = 64 * 1024 * 1024   # SymPy recurses deeply (the core allows 6000 frames)
_RETRY = object()


@dataclass(frozen=True)
class ParseFailure:
    """Why a text is not a function: a message and the 0-based column (or None)."""
    text: str
    message: str
    column: int | None


# A SymPy failure the core did not foresee: the text is refused, as the core does.
SYMPY_FAILURES = (ArithmeticError, ValueError, TypeError, AttributeError, RecursionError,
                  NotImplementedError)


def cannot_work(text: str, why: object = None) -> ParseFailure:
    """The refusal for a text whose symbolic work failed (``why``: the cause, if any)."""
    return ParseFailure(text, "Cannot work with this function"
                        + (f" ({why})" if why is not None else ""), 0)


def prepare(parse, error_type, text: str):
    """Parse ``text`` and warm every lazy cache of the result: f′, f″, their LaTeX
    and compiled NumPy code, so later calls are NumPy only.

    Returns the Function, or a ParseFailure for a text the core refuses.
    """
    return _prepare_timed(parse, error_type, text)[0]


def _compile(function) -> None:
    """Only the compiled code (all that a pickled, prepared Function lacks)."""
    first = function.derivative()
    for f in (function, first, first.derivative()):
        f.evaluate(0.0)


def _serve(conn) -> None:
    """The child: its work runs on a thread with a main-thread-sized stack or more
    (SymPy recurses deeply on nested functions; a thread's stack is set here)."""
    threading.stack_size(STACK_BYTES)
    worker = threading.Thread(target=_work, args=(conn,), name="stepwise-sympy")
    worker.start()
    worker.join()


def _work(conn) -> None:
    """Import SymPy, say so, then prepare each text that comes."""
    from core.parser import FunctionSyntaxError, parse_function
    prepare(parse_function, FunctionSyntaxError, "exp(x) - ln(x)")   # warm SymPy's caches
    conn.send(("ready",))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        parse, error_type, text = message
        try:
            result, compile_seconds = _prepare_timed(parse, error_type, text)
        except Exception as exc:      # never let the child die on one text
            result, compile_seconds = cannot_work(text, exc), 0.0
        try:
            conn.send(("done", result, compile_seconds))
        except (pickle.PicklingError, AttributeError, TypeError, RecursionError) as exc:
            conn.send(("done", cannot_work(text, exc), 0.0))


def _prepare_timed(parse, error_type, text: str):
    """``prepare``, and how long compiling took (a parent that receives the pickled
    Function must compile again)."""
    try:
        function = parse(text)
    except error_type as exc:
        return ParseFailure(text, getattr(exc, "message", None) or str(exc),
                            getattr(exc, "column", None)), 0.0
    try:
        first = function.derivative()
        for f in (function, first, first.derivative()):
            f.latex()
        start = time.perf_counter()
        _compile(function)
        return function, time.perf_counter() - start
    except SYMPY_FAILURES:
        return cannot_work(text), 0.0


def _context():
    """forkserver where it exists (its server imports SymPy once), else spawn."""
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


class _Child:
    """One child process and our end of its pipe."""

    def __init__(self, context):
        self.conn, child_end = context.Pipe()
        self.process = context.Process(target=_serve, args=(child_end,), daemon=True,
                                       name="stepwise-sympy")
        self.process.start()
        child_end.close()
        self._lock = threading.Lock()
        self._closed = False
        self.ready = False          # SymPy imported, "ready" received
        self.busy = False           # working on a text

    def wait(self, timeout: float) -> bool:
        """True when a message (or the end of the pipe) is there within ``timeout``."""
        ready = multiprocessing.connection.wait([self.conn, self.process.sentinel], timeout)
        return bool(ready)

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()

    def close(self) -> None:
        """Kill and reap: no zombie is left behind (once; later calls do nothing)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self.kill()
        self.process.join(5.0)
        try:
            self.conn.close()
        except OSError:
            pass


class ParseService:
    """Prepares typed functions in a child process with a deadline (see the module
    docstring). ``run`` is for one worker thread at a time; ``abort`` and ``close``
    may be called from any thread."""

    def __init__(self, deadline: float = DEADLINE, budget: float = BUDGET):
        self.deadline = deadline
        self.budget = budget
        self._lock = threading.Lock()
        self._child: _Child | None = None
        self._aborted = False
        self._closed = False
        self._in_run = False
        self._orphan: _Child | None = None
        self._context = None

    def start(self) -> None:
        """Start the child (importing SymPy) ahead of the first text; blocks for as
        long as the forkserver takes to start, the first time (~0.3 s). The lock is
        not held meanwhile: ``abort`` from the GUI thread never waits for a start."""
        with self._lock:
            if self._closed or self._child is not None:
                return
            if self._context is None:
                self._context = _context()
            context = self._context
        child: _Child | None = _Child(context)
        with self._lock:
            if not self._closed and self._child is None:
                self._child, child = child, None
        if child is not None:               # closed, or started twice, meanwhile
            child.close()

    def pids(self) -> list[int]:
        """The child's process id, if one is running (tests)."""
        with self._lock:
            child = self._child
        return [] if child is None or child.process.pid is None else [child.process.pid]

    def run(self, parse, error_type, text: str):
        """The prepared Function for ``text``, or a ParseFailure (too complicated, or
        the core's own refusal), or None if ``abort`` or ``close`` came first."""
        with self._lock:
            self._aborted = False
            self._in_run = True
        try:
            result = self._attempt(parse, error_type, text)
            if result is _RETRY:
                # the child was found killed (an abort that came as the job before
                # this one ended): once more, with a new child
                result = self._attempt(parse, error_type, text)
        except (OSError, ValueError):       # closed meanwhile: its pipe is gone
            result = None
        finally:
            with self._lock:
                self._in_run = False
                orphan, self._orphan = self._orphan, None
            if orphan is not None:          # closed meanwhile: reaped here, not there
                orphan.close()
        return None if result is _RETRY else result

    def _attempt(self, parse, error_type, text: str):
        begun = time.monotonic()
        self.start()
        with self._lock:
            child = self._child
        if child is None:
            return None
        if not child.ready:
            if not child.wait(BOOT_TIMEOUT) or not self._receive_ready(child):
                return self._lost(child, text)
            begun = time.monotonic()        # the deadline counts from a ready child
        with self._lock:
            if self._aborted:
                return None
            child.busy = True
        try:
            child.conn.send((parse, error_type, text))
        except (OSError, ValueError):
            return self._lost(child, text)
        answered = child.wait(self.deadline)
        child.busy = False
        if not answered:
            self._discard(child)
            return None if self._aborted else ParseFailure(text, TOO_COMPLICATED, None)
        try:
            message = child.conn.recv()
        except (EOFError, OSError, ValueError):
            return self._lost(child, text)
        except Exception as exc:            # the answer did not unpickle here
            self._discard(child)
            return cannot_work(text, exc)
        _, result, compile_seconds = message
        if isinstance(result, ParseFailure):
            return result
        elapsed = time.monotonic() - begun
        if elapsed + 1.5 * compile_seconds > self.budget:
            return ParseFailure(text, TOO_COMPLICATED, None)
        try:
            _compile(result)
        except SYMPY_FAILURES:
            return cannot_work(text)
        return result

    def abort(self) -> None:
        """Kill the job running now, if any (a newer text came): ``run`` returns None
        at once, and the next ``run`` starts a new child."""
        with self._lock:
            self._aborted = True
            child = self._child
            busy = child is not None and child.busy
        if busy and child is not None:
            child.kill()

    def close(self) -> None:
        """Kill the child and reap it (closing); ``run`` returns None from now on.
        A child whose job is running is only killed here: the thread running it
        reaps it, so its pipe is never closed under that thread."""
        with self._lock:
            self._closed = True
            self._aborted = True
            child, self._child = self._child, None
            if child is not None and self._in_run:
                self._orphan = child
                child.kill()
                child = None
        if child is not None:
            child.close()

    def _receive_ready(self, child: _Child) -> bool:
        try:
            message = child.conn.recv()
        except (EOFError, OSError, ValueError):
            return False
        child.ready = message == ("ready",)
        return child.ready

    def _discard(self, child: _Child) -> None:
        with self._lock:
            if self._child is child:
                self._child = None
        child.close()

    def _lost(self, child: _Child, text: str):
        """The child died (killed by ``abort``, or crashed): start afresh next time."""
        self._discard(child)
        if self._aborted:
            return None
        if child.process.exitcode == -getattr(signal, "SIGKILL", 9):
            return _RETRY
        return cannot_work(text)


def stop_server() -> None:
    """Stop the forkserver, if one was started (the app is quitting)."""
    from multiprocessing import forkserver
    server = getattr(forkserver, "_forkserver", None)
    stop = getattr(server, "_stop", None)
    if stop is not None:
        try:
            stop()
        except OSError:
            pass
