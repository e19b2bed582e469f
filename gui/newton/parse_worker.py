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
calls no SymPy while a job runs (it only ever touches warmed Functions). Queueing
and dropping stale answers (the person kept typing) is ``gui.worker.LatestJobRunner``'s.
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QThreadPool

from gui.worker import LatestJobRunner

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


class ParseWorker(LatestJobRunner):
    """Runs ``prepare`` on the SymPy thread; ``finished`` carries the latest
    request's answer (a Function or a ParseFailure) on the GUI thread."""

    def __init__(self, parent=None):
        super().__init__(_sympy_pool(), parent)
        self._parse = None
        self._error_type: type[Exception] = ValueError

    def set_parser(self, parse, error_type) -> None:
        self._parse, self._error_type = parse, error_type

    def has_parser(self) -> bool:
        return self._parse is not None

    def request(self, text: str) -> int:
        """Parse ``text`` on the worker (now, or after the running job); returns
        the request number ``finished`` will carry."""
        parse, error_type = self._parse, self._error_type

        def call():
            try:
                return prepare(parse, error_type, text)
            except Exception as exc:
                return ParseFailure(text, f"Cannot work with this function ({exc})", 0)

        return super().request(call)
