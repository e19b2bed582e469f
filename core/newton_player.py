"""Newton's method as a player: settings in, a recorded run out, a position to step.

The Newton counterpart of ``core.stepper.TrainingStepper``, with no Qt. A
``NewtonPlayer`` holds what the lecturer chose — the function (an already parsed
``core.parser.Function``), the mode, x₀, the tolerance, the iteration cap and the
gradient-descent race — and the run ``core.newton`` computed from them. Position p
means "p steps taken": x₀ … x_p are known, and p = ``total_steps`` is the outcome.

Views subscribe to three signals (``core.signals``), emitted synchronously in the calling
thread (the player is used from one thread only, the GUI's):

- ``changed(what)``: settings, function or run replaced (``what`` is the frozenset of
  setting names that changed); the position may have moved too (it is clamped).
- ``position_changed(p)``: a step, step back, run to the end or reset in the same run.
- ``race_changed()``: a race run (or its error) arrived; a race cleared because
  the settings changed is announced by ``changed``.

The race (gradient descent, often thousands of steps) is not computed here unless
asked: ``race_requested(request)`` hands a ``RaceRequest`` to whoever runs it off
the GUI thread, who answers with ``set_race_run(run, error, request)``; a notebook
can call ``compute_race()`` instead.

    >>> p = NewtonPlayer.lecture_example(); p.step(); p.position
    1
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from core import limits
from core.newton import (
    Function,
    NewtonMode,
    NewtonRun,
    gradient_descent,
    newton_minimize,
    newton_root,
    parse_function,
)
from core.signals import Signal

__all__ = ["NewtonMode", "NewtonPlayer", "RaceRequest", "tolerance_from_exponent",
           "SETTING_NAMES", "LECTURE_FUNCTION", "LECTURE_X0"]

LECTURE_FUNCTION = "exp(x) - ln(x)"     # the lecture's worked example: minimise eˣ − ln x
LECTURE_X0 = 0.05
DEFAULT_TOL = 1e-10
DEFAULT_MAX_ITER = 50
DEFAULT_LEARNING_RATE = 0.1
SETTING_NAMES = ("function", "mode", "x0", "tol", "max_iter", "race", "learning_rate")
_RESTARTING = frozenset({"function", "mode", "tol", "max_iter"})   # back to step 0
_NEWTON = frozenset({"function", "mode", "x0", "tol", "max_iter"})  # Newton re-runs


def tolerance_from_exponent(exponent: int) -> float:
    """The tolerance 10⁻ᵏ for k = ``exponent``, written as the literal "1e-k" so it
    survives a JSON round trip unchanged."""
    return float(f"1e-{int(exponent)}")


_TOL_RANGE = limits.TOLERANCE_RANGE      # 1e−15 … 1e−1, the spin box's exponents


@dataclass(frozen=True)
class RaceRequest:
    """What one gradient-descent race needs: x_{k+1} = x_k − α·g′(x_k) from x₀."""
    function: Function
    x0: float
    learning_rate: float
    tol: float
    max_iter: int = limits.RACE_MAX_ITER

    def compute(self) -> NewtonRun:
        """Run gradient descent (slow: up to ``RACE_MAX_ITER`` steps; any thread)."""
        return gradient_descent(self.function, self.x0, self.learning_rate, tol=self.tol,
                                max_iter=self.max_iter)


class NewtonPlayer:
    """Plays a Newton run step by step; see the module docstring."""

    changed = Signal(object)            # frozenset of the setting names that changed
    position_changed = Signal(int)
    race_changed = Signal()
    race_requested = Signal(object)     # a RaceRequest to compute off the GUI thread

    def __init__(self, function: Function | None = None, mode: NewtonMode | str =
                 NewtonMode.MINIMISE, x0: float = LECTURE_X0, tol: float = DEFAULT_TOL,
                 max_iter: int = DEFAULT_MAX_ITER, race: bool = False,
                 learning_rate: float = DEFAULT_LEARNING_RATE):
        s = _checked_settings({"function": function, "mode": mode, "x0": x0, "tol": tol,
                               "max_iter": max_iter, "race": race,
                               "learning_rate": learning_rate})
        self._function: Function | None = s["function"]
        self._mode: NewtonMode = s["mode"]
        self._x0: float = s["x0"]
        self._tol: float = s["tol"]
        self._max_iter: int = s["max_iter"]
        self._race_enabled: bool = s["race"]
        self._learning_rate: float = s["learning_rate"]
        self._position = 0
        self._run: NewtonRun | None = None
        self._race: NewtonRun | None = None
        self._race_error = ""
        self._race_request: RaceRequest | None = None
        self._race_answered: RaceRequest | None = None     # the request ``race`` answers
        self._rerun()

    # ------------------------------------------------------------------ construction
    @classmethod
    def lecture_example(cls) -> NewtonPlayer:
        """Minimise g(x) = eˣ − ln x from x₀ = 0.05 (the lecture's worked example)."""
        return cls(parse_function(LECTURE_FUNCTION), NewtonMode.MINIMISE, LECTURE_X0)

    @classmethod
    def from_text(cls, text: str, mode: NewtonMode | str = NewtonMode.ROOT,
                  x0: float = 1.0, **settings: Any) -> NewtonPlayer:
        """Parse ``text`` (``core.parser``; raises FunctionSyntaxError, a ValueError)
        and play it — for notebooks; the GUI parses on a worker thread instead."""
        return cls(_parsed_text(text), mode, x0, **settings)

    @classmethod
    def from_state(cls, state: Any) -> NewtonPlayer:
        """A player from ``state()``'s output (parses its function text); raises
        ValueError with a clear message if anything is malformed or out of range."""
        s = checked_state(state)
        player = cls(_parsed_text(s["function"]), s["mode"], s["x0"], s["tol"],
                     s["max_iter"], s["race"], s["learning_rate"])
        player.seek(min(s["step"], player.total_steps))
        return player

    # ------------------------------------------------------------------ reading
    @property
    def function(self) -> Function | None:
        return self._function

    @property
    def mode(self) -> NewtonMode:
        return self._mode

    @property
    def minimise(self) -> bool:
        return self._mode is NewtonMode.MINIMISE

    @property
    def x0(self) -> float:
        return self._x0

    @property
    def tol(self) -> float:
        return self._tol

    @property
    def tolerance_exponent(self) -> int:
        """k for the tolerance 10⁻ᵏ (rounded: what a "1e−k" spin box shows)."""
        return round(-math.log10(self._tol))

    @property
    def max_iter(self) -> int:
        return self._max_iter

    @property
    def race_enabled(self) -> bool:
        """The race is asked for (it only runs in minimise mode: see ``race_active``)."""
        return self._race_enabled

    @property
    def race_active(self) -> bool:
        return self._race_enabled and self.minimise

    @property
    def learning_rate(self) -> float:
        return self._learning_rate

    @property
    def position(self) -> int:
        """Steps taken: 0 … total_steps."""
        return self._position

    @property
    def run(self) -> NewtonRun | None:
        """The Newton run for the current settings (None before a function is set)."""
        return self._run

    @property
    def race(self) -> NewtonRun | None:
        """The last gradient-descent race received (None when the race is off; while
        ``race_pending`` it may still be the race of the previous settings)."""
        return self._race

    @property
    def race_error(self) -> str:
        return self._race_error

    @property
    def race_request(self) -> RaceRequest | None:
        """The race the current settings need (None when the race is off)."""
        return self._race_request

    @property
    def race_pending(self) -> bool:
        """A race is asked for and its answer has not arrived yet."""
        return self._race_request is not None and self._race_request != self._race_answered

    @property
    def total_steps(self) -> int:
        return len(self._run.steps) if self._run is not None else 0

    @property
    def at_end(self) -> bool:
        return self._position >= self.total_steps

    # ------------------------------------------------------------------ stepping
    def step(self) -> bool:
        """Take one step (p ← p + 1); False, changing nothing, at the end."""
        if self._position >= self.total_steps:
            return False
        return self.seek(self._position + 1)

    def step_back(self) -> bool:
        """Undo one step (p ← p − 1); False, changing nothing, at x₀."""
        if self._position <= 0:
            return False
        return self.seek(self._position - 1)

    def run_to_end(self) -> bool:
        """Take every remaining step; False if there were none."""
        return self.seek(self.total_steps)

    def reset(self) -> bool:
        """Back to x₀ (p = 0); False if already there."""
        return self.seek(0)

    def seek(self, position: int) -> bool:
        """Go to ``position`` steps taken; emits ``position_changed`` if it moved."""
        if isinstance(position, bool) or not isinstance(position, int) or not (
                0 <= position <= self.total_steps):
            raise ValueError(f"position must be a whole number from 0 to "
                             f"{self.total_steps}, not {position!r}")
        if position == self._position:
            return False
        self._position = position
        self.position_changed.emit(position)
        return True

    # ------------------------------------------------------------------ settings
    def set_function(self, function: Function) -> None:
        """Use an already parsed function; back to step 0."""
        self.update(function=function)

    def set_function_text(self, text: str) -> None:
        """Parse ``text`` here (notebooks; the GUI parses on a worker) and use it."""
        self.update(function=_parsed_text(text))

    def set_mode(self, mode: NewtonMode | str) -> None:
        self.update(mode=mode)

    def set_x0(self, x0: float) -> None:
        """Re-run from a new x₀, keeping the position (clamped to the new run)."""
        self.update(x0=x0)

    def set_tolerance(self, tol: float) -> None:
        self.update(tol=tol)

    def set_max_iter(self, max_iter: int) -> None:
        self.update(max_iter=max_iter)

    def set_race(self, enabled: bool, learning_rate: float | None = None) -> None:
        """Race gradient descent (minimise mode only), optionally with a new α."""
        if learning_rate is None:
            self.update(race=enabled)
        else:
            self.update(race=enabled, learning_rate=learning_rate)

    def set_learning_rate(self, learning_rate: float) -> None:
        self.update(learning_rate=learning_rate)

    def update(self, position: int | None = None, **settings: Any) -> frozenset:
        """Change several settings at once, re-run once and emit ``changed`` once.

        Keys are ``SETTING_NAMES``. A new function, mode, tolerance or cap starts
        again from step 0; a new x₀ keeps the position (clamped); race settings
        keep the Newton run. ``position`` (clamped) is where to stand afterwards.
        Everything is checked first: a ValueError changes nothing. Returns the
        names that changed."""
        unknown = set(settings) - set(SETTING_NAMES)
        if unknown:
            raise ValueError(f"unknown Newton setting {sorted(unknown)[0]!r}")
        if position is not None and (isinstance(position, bool) or not isinstance(
                position, int) or position < 0):
            raise ValueError(f"position must be a whole number ≥ 0, not {position!r}")
        current = self._settings()
        s = _checked_settings({**current, **settings})
        # a function is new if it is another object: each parse makes a new one
        what = frozenset(k for k in SETTING_NAMES if (
            s[k] is not current[k] if k == "function" else s[k] != current[k]))
        if not what and (position is None or position == self._position):
            return what
        self._function, self._mode, self._x0 = s["function"], s["mode"], s["x0"]
        self._tol, self._max_iter = s["tol"], s["max_iter"]
        self._race_enabled, self._learning_rate = s["race"], s["learning_rate"]
        if what & _RESTARTING:
            self._position = 0
        self._rerun(newton=bool(what & _NEWTON) or self._run is None)
        if position is not None:
            self._position = position
        self._position = min(self._position, self.total_steps)
        self.changed.emit(what)
        return what

    def _settings(self) -> dict:
        return {"function": self._function, "mode": self._mode, "x0": self._x0,
                "tol": self._tol, "max_iter": self._max_iter, "race": self._race_enabled,
                "learning_rate": self._learning_rate}

    # ------------------------------------------------------------------ running
    def _rerun(self, newton: bool = True) -> None:
        if self._function is None:
            return
        if newton:
            iterate = newton_minimize if self.minimise else newton_root
            self._run = iterate(self._function, self._x0, tol=self._tol,
                                max_iter=self._max_iter)
        request = (RaceRequest(self._function, self._x0, self._learning_rate, self._tol)
                   if self.race_active else None)
        if request is None:     # cleared without race_changed: ``changed`` says it
            self._race_request, self._race, self._race_error = None, None, ""
            self._race_answered = None
        elif request != self._race_request:
            # the last race stays drawn until the new one arrives (no flicker while
            # x₀ is dragged)
            self._race_request = request
            self.race_requested.emit(request)

    def set_race_run(self, run: NewtonRun | None, error: str = "",
                     request: RaceRequest | None = None) -> bool:
        """Accept a finished race (or the error it raised). An answer to an older
        ``request`` than the current one, or one arriving with the race off, is
        dropped (returns False)."""
        if self._race_request is None or (request is not None
                                          and request != self._race_request):
            return False
        self._race, self._race_error = (None, str(error)) if run is None else (run, "")
        self._race_answered = self._race_request
        self.race_changed.emit()
        return True

    def compute_race(self) -> NewtonRun | None:
        """Compute the pending race here and now (notebooks, tests; slow)."""
        request = self._race_request
        if request is None:
            return None
        try:
            self.set_race_run(request.compute(), request=request)
        except (ValueError, ArithmeticError) as exc:
            self.set_race_run(None, str(exc), request=request)
        return self._race

    # ------------------------------------------------------------------ sessions
    def state(self) -> dict:
        """The settings and position as JSON-serialisable data (session files):
        function, mode, x0, tol, max_iter, step, race{enabled, learning_rate}."""
        return {
            "function": self._function.text if self._function is not None else "",
            "mode": self._mode.value,
            "x0": float(self._x0),
            "tol": float(self._tol),
            "max_iter": int(self._max_iter),
            "step": int(self._position),
            "race": {"enabled": bool(self._race_enabled),
                     "learning_rate": float(self._learning_rate)},
        }


# ---------------------------------------------------------------------- checking
def _parsed_text(text: Any) -> Function:
    if not isinstance(text, str) or len(text) > limits.MAX_FUNCTION_LENGTH:
        raise ValueError("the function is not a short text")
    return parse_function(text)


def _number(name: str, value: Any, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number, not {value!r}")
    value = float(value)
    if not (math.isfinite(value) and low <= value <= high):
        raise ValueError(f"{name} must lie between {low:g} and {high:g}, not {value!r}")
    return value


def _whole(name: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, "
                         f"not {value!r}")
    return value


def _checked_settings(s: dict) -> dict:
    """Every setting checked against ``core.limits``; raises ValueError."""
    function = s["function"]
    if function is not None and not isinstance(function, Function):
        raise ValueError("the function must be a parsed core.parser.Function "
                         "(use set_function_text for text)")
    try:
        mode = NewtonMode(s["mode"])
    except ValueError:
        raise ValueError(f"unknown Newton mode {s['mode']!r} "
                         "(use 'root' or 'minimise')") from None
    if mode is NewtonMode.GRADIENT_DESCENT:
        raise ValueError("the player runs Newton's method: mode 'root' or 'minimise'")
    if not isinstance(s["race"], bool):
        raise ValueError(f"race must be True or False, not {s['race']!r}")
    return {
        "function": function, "mode": mode,
        "x0": _number("x0", s["x0"], *limits.X0_RANGE),
        "tol": _number("the tolerance", s["tol"], *_TOL_RANGE),
        "max_iter": _whole("max_iter", s["max_iter"], *limits.MAX_ITER_RANGE),
        "race": s["race"],
        "learning_rate": _number("the learning rate", s["learning_rate"],
                                 *limits.RACE_LEARNING_RATE_RANGE),
    }


def checked_state(state: Any) -> dict:
    """A session's Newton part checked before anything is changed: the settings of
    ``state()`` (function still text) plus step; raises ValueError (a SessionError
    naming the bad field). The session schema is the one place that declares the
    fields and their ranges."""
    from core.session_schema import NewtonPart
    part = NewtonPart.from_json(state, "newton")
    s = _checked_settings({"function": None, "mode": part.mode, "x0": part.x0,
                           "tol": part.tol, "max_iter": part.max_iter,
                           "race": part.race.enabled,
                           "learning_rate": part.race.learning_rate})
    s["function"] = part.function
    s["step"] = min(part.step, limits.MAX_ITER_RANGE[1])
    return s
