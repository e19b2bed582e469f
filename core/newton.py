"""Newton's method, one recorded step at a time, and every way it can end.

Root mode iterates x_{k+1} = x_k − f(x_k)/f'(x_k).  Minimise mode finds a zero
of g' the same way: x_{k+1} = x_k − g'(x_k)/g''(x_k).  ``gradient_descent``
iterates x_{k+1} = x_k − α·g'(x_k) for comparison.  Each run is a ``NewtonRun``:
the immutable ``NewtonStep`` records a view plays back, a named
``NewtonOutcome`` and a one-line message for people.

Typed functions are read by ``core.parser`` (re-exported here).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

import numpy as np

from core.notation import NumberRole, format_number, subscript
from core.parser import CONSTANT_NAMES, FUNCTION_NAMES, Function, FunctionSyntaxError, parse_function
from core.precise import format_tiny, precise_value

__all__ = [
    "Function", "FunctionSyntaxError", "parse_function", "FUNCTION_NAMES", "CONSTANT_NAMES",
    "NewtonOutcome", "OutcomeText", "OUTCOME_TEXT", "OUTCOME_MESSAGES", "NewtonStep",
    "NewtonRun", "NewtonMode", "newton_root", "newton_minimize", "gradient_descent", "tangent_at",
    "MAX_ITER",
]

_EPS = np.finfo(float).eps
_CYCLE_MEMORY = 64        # longest cycle period looked for
_GROWTH = 1.5             # a step this many times longer than the last one is "growing"
_FAR = 1e6                # |x| beyond this × max(1, |x0|) is far away
_ABSURD = 1e15            # a step this many times max(1, |x|) cannot be meant…
_PROGRESS = 1e-6          # …unless it lands where |F| shrank by this factor (x − 1e16 from 0)
_TINY = 1e-250            # |F| below this may be an underflow: checked in extended precision
_SMALLEST_NORMAL = float(np.finfo(float).tiny)
_ROUNDED_STEP = 1e-3      # a precise step this long (× max(1, |x|)) from a float 0 is no root
MAX_ITER = 10_000         # the largest iteration cap the API accepts: a run stays under a second


class NewtonMode(str, Enum):
    """What a run iterates: Newton for a root of f (x ← x − f/f′), Newton for a minimum
    of g (x ← x − g′/g″), or gradient descent on g (x ← x − α g′). A ``str`` enum, so
    "root" == NewtonMode.ROOT; the one spelling is British, "minimise"."""
    ROOT = "root"
    MINIMISE = "minimise"
    GRADIENT_DESCENT = "gradient_descent"


class NewtonOutcome(Enum):
    """How a run ended.  The value is a stable name for session files."""
    CONVERGED = "converged"
    CONVERGED_LINEARLY = "converged_linearly"
    CONVERGED_TO_MAXIMUM = "converged_to_maximum"
    ZERO_DERIVATIVE = "zero_derivative"
    CYCLE = "cycle"
    DIVERGED = "diverged"
    LEFT_DOMAIN = "left_domain"
    ASYMPTOTE = "asymptote"
    OVERFLOW = "overflow"
    MAX_ITERATIONS = "max_iterations"

    @property
    def title(self) -> str:
        """A short name for a badge, e.g. "Cycle"."""
        return OUTCOME_TEXT[self].title

    @property
    def converged(self) -> bool:
        """x settled (at a root of f, or a critical point of g)."""
        return self in (NewtonOutcome.CONVERGED, NewtonOutcome.CONVERGED_LINEARLY,
                        NewtonOutcome.CONVERGED_TO_MAXIMUM)


@dataclass(frozen=True)
class OutcomeText:
    """The words for one outcome, kept in one table so views can list them all."""
    title: str     # a short badge: "Cycle"
    message: str   # a plain sentence about any run that ends this way, with what to try
    hint: str      # what to try, alone


OUTCOME_TEXT: dict[NewtonOutcome, OutcomeText] = {
    NewtonOutcome.CONVERGED: OutcomeText(
        "Converged",
        "Converged: the step and the residual are both tiny, and each step roughly "
        "squared the error — try another x0 to look for other solutions.",
        "try another x0 to look for other solutions"),
    NewtonOutcome.CONVERGED_LINEARLY: OutcomeText(
        "Converged only linearly",
        "Converged, but slowly: each step shrank the error by about the same factor "
        "instead of squaring it, because the derivative is 0 at the root too (a "
        "multiple root) — expect many steps here.",
        "expect many steps here"),
    NewtonOutcome.CONVERGED_TO_MAXIMUM: OutcomeText(
        "Converged to a maximum",
        "Converged to a point where g' = 0 but g'' < 0: a maximum, not a minimum. "
        "Newton's method only looks for g' = 0 — start on the other side of the hump.",
        "start on the other side of the hump"),
    NewtonOutcome.ZERO_DERIVATIVE: OutcomeText(
        "Zero derivative",
        "The derivative is 0 here: the tangent is horizontal and never meets the "
        "x-axis, so there is no next step — try another x0.",
        "try another x0"),
    NewtonOutcome.CYCLE: OutcomeText(
        "Cycle",
        "Cycle: x keeps returning to the same values and will never settle — try another x0.",
        "try another x0"),
    NewtonOutcome.DIVERGED: OutcomeText(
        "Diverged",
        "Diverged: x runs away and the steps do not shrink (when f(x) gets small but x "
        "is still moving, that is not convergence) — start closer to a root.",
        "start closer to a root"),
    NewtonOutcome.LEFT_DOMAIN: OutcomeText(
        "Left the domain",
        "Left the domain: a step landed where the function is not defined (NaN) — "
        "start closer to the root so that no step overshoots.",
        "start closer to the root so that no step overshoots"),
    NewtonOutcome.ASYMPTOTE: OutcomeText(
        "Asymptote",
        "No root here: f(x) gets small only because x runs off towards an asymptote "
        "(f(x) → 0 as x grows), not because x nears a root — start near a real root.",
        "start near a real root"),
    NewtonOutcome.OVERFLOW: OutcomeText(
        "Overflow",
        "Overflow: the numbers here are beyond the largest double (about 1.8×10³⁰⁸), so "
        "no tangent can be computed — start nearer a root.",
        "start nearer a root"),
    NewtonOutcome.MAX_ITERATIONS: OutcomeText(
        "Iteration cap",
        "Stopped at the iteration cap before converging — raise the iteration cap or try "
        "another x0.",
        "raise the iteration cap or try another x0"),
}
OUTCOME_MESSAGES: dict[NewtonOutcome, str] = {o: t.message for o, t in OUTCOME_TEXT.items()}


@dataclass(frozen=True)
class NewtonStep:
    """One iteration, from x_k to x_{k+1}.

    Root mode: value = f(x_k), slope = f'(x_k), x_next = x_k − value/slope.
    Minimise mode: value = g'(x_k), slope = g''(x_k), objective = g(x_k).
    Gradient descent: value = g'(x_k), slope = g''(x_k) (the true slope of g',
    for drawing), objective = g(x_k), and x_next = x_k − α·value.
    ``error_ratio`` = |e_{k+1}|/|e_k|² with e = x − (final x), known only when
    the run converged, else NaN; it settles to a constant under quadratic
    convergence.
    """
    k: int
    x: float
    value: float
    slope: float
    x_next: float
    error_ratio: float = math.nan
    objective: float | None = None

    @property
    def step(self) -> float:
        """x_{k+1} − x_k."""
        return self.x_next - self.x

    @property
    def abs_dx(self) -> float:
        """|x_{k+1} − x_k|."""
        return abs(self.x_next - self.x)

    def tangent(self, t):
        """The tangent line at x_k: value + slope·(t − x_k) (floats or arrays)."""
        with np.errstate(all="ignore"):
            return self.value + self.slope * (np.asarray(t, dtype=float) - self.x)

    def quadratic_model(self, t):
        """Minimise mode: g(x_k) + g'(x_k)(t − x_k) + ½g''(x_k)(t − x_k)²,
        whose vertex is x_{k+1}."""
        if self.objective is None:
            raise ValueError("quadratic_model needs a step of a minimise run")
        with np.errstate(all="ignore"):
            d = np.asarray(t, dtype=float) - self.x
            return self.objective + self.value * d + 0.5 * self.slope * d * d


@dataclass(frozen=True)
class NewtonRun:
    """A whole run: the steps, how it ended, and the functions it used.

    ``function``/``derivative`` are what was iterated on: f and f' in root mode,
    g' and g'' in minimise and gradient-descent modes (where ``objective`` is g).
    ``x_final`` is the last iterate reached (for LEFT_DOMAIN the point outside
    the domain); ``final_value``/``final_slope`` are function/derivative there.
    ``false_convergence`` marks a run whose f(x) got small while x kept moving
    (its outcome is ASYMPTOTE).  Runs are deterministic: a session can store (text, x0, tol,
    max_iter, mode) and recompute them.
    """
    mode: NewtonMode
    function: Function
    derivative: Function
    objective: Function | None
    x0: float
    tol: float
    max_iter: int
    steps: tuple[NewtonStep, ...]
    outcome: NewtonOutcome
    x_final: float
    message: str
    hint: str
    final_value: float
    final_slope: float
    learning_rate: float | None = None
    false_convergence: bool = False

    @property
    def iterates(self) -> tuple[float, ...]:
        """x_0, x_1, …, x_final."""
        return (self.x0,) + tuple(s.x_next for s in self.steps)

    @property
    def title(self) -> str:
        """The outcome's short name."""
        return self.outcome.title

    @property
    def converged(self) -> bool:
        """x settled: CONVERGED, CONVERGED_LINEARLY or CONVERGED_TO_MAXIMUM."""
        return self.outcome.converged


def tangent_at(function: Function, derivative: Function, x: float) -> tuple[float, float]:
    """The tangent of f at x as (slope, intercept): y = f'(x)·t + (f(x) − f'(x)·x)."""
    slope = derivative(x)
    return slope, function(x) - slope * x


def newton_root(f: Function | str, x0: float, tol: float = 1e-10,
                max_iter: int = 50) -> NewtonRun:
    """Find a root of f by x_{k+1} = x_k − f(x_k)/f'(x_k), from x0."""
    _check_arguments(x0, tol, max_iter, None)
    f = _as_function(f)
    return _iterate(NewtonMode.ROOT, f, f.derivative(), None, x0, tol, max_iter)


def newton_minimize(g: Function | str, x0: float, tol: float = 1e-10,
                    max_iter: int = 50) -> NewtonRun:
    """Minimise g by finding a root of g': x_{k+1} = x_k − g'(x_k)/g''(x_k)."""
    _check_arguments(x0, tol, max_iter, None)
    g = _as_function(g)
    gp = g.derivative()
    return _iterate(NewtonMode.MINIMISE, gp, gp.derivative(), g, x0, tol, max_iter)


def gradient_descent(g: Function | str, x0: float, learning_rate: float, tol: float = 1e-10,
                     max_iter: int = 10_000) -> NewtonRun:
    """Minimise g by x_{k+1} = x_k − α·g'(x_k) with learning rate α, from x0."""
    _check_arguments(x0, tol, max_iter, learning_rate)
    g = _as_function(g)
    gp = g.derivative()
    return _iterate(NewtonMode.GRADIENT_DESCENT, gp, gp.derivative(), g, x0, tol, max_iter,
                    learning_rate=learning_rate)


# -- the iteration ----------------------------------------------------------

def _as_function(f) -> Function:
    return f if isinstance(f, Function) else parse_function(f)


def _real_number(value, name: str) -> float:
    """value as a finite float, or a ValueError that names the argument."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a number, not {type(value).__name__}")
    try:
        number = float(value)
    except OverflowError:
        raise ValueError(f"{name} is too large (beyond ±1.8e308)") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, not {number}")
    return number


def _iteration_cap(max_iter) -> int:
    if isinstance(max_iter, bool) or not isinstance(
            max_iter, (int, float, np.integer, np.floating)):
        raise ValueError(f"max_iter must be a whole number, not {type(max_iter).__name__}")
    if not (isinstance(max_iter, (int, np.integer)) or
            (math.isfinite(max_iter) and max_iter == int(max_iter))):
        raise ValueError(f"max_iter must be a whole number, not {max_iter}")
    if not 1 <= max_iter <= MAX_ITER:
        raise ValueError(f"max_iter must be between 1 and {MAX_ITER:,}, not {max_iter}")
    return int(max_iter)


def _check_arguments(x0, tol, max_iter, learning_rate):
    x0 = _real_number(x0, "x0")
    tol = _real_number(tol, "tol")
    if not tol > 0:
        raise ValueError("tol must be a positive number")
    if learning_rate is not None:
        learning_rate = _real_number(learning_rate, "learning_rate")
        if not learning_rate > 0:
            raise ValueError("learning_rate must be a positive number")
    return x0, tol, _iteration_cap(max_iter), learning_rate


def _iterate(mode, F, dF, G, x0, tol, max_iter, learning_rate=None) -> NewtonRun:
    x0, tol, max_iter, learning_rate = _check_arguments(x0, tol, max_iter, learning_rate)
    # Below a few ulps no step can be small enough: clamp so runs still finish.
    step_tol = max(tol, 4 * _EPS)
    residual_tol = math.sqrt(tol)
    newton = mode != "gradient_descent"

    raw: list[tuple[float, float, float, float, float | None]] = []
    history = np.empty(max_iter + 1)
    history[0] = x0
    x, outcome = x0, None
    detail: dict = {}
    largest_value = 0.0
    for k in range(max_iter):
        value = F.evaluate(x)
        if newton:
            slope = dF.evaluate(x)
            objective = G.evaluate(x) if G is not None else None
        else:
            # g″ and g are only recorded (for drawing): computed for all steps at once
            # below, which keeps 10,000 steps of gradient descent well under a second.
            # g′ is NaN wherever g is undefined, so the domain check still holds.
            slope, objective = math.nan, None
            if not math.isfinite(value):
                objective = G.evaluate(x)
        g_value = objective if objective is not None else 0.0
        undefined = not (math.isfinite(value) and math.isfinite(g_value))
        if undefined or (newton and value != 0 and not math.isfinite(slope)):
            overflow = math.isinf(value) or math.isinf(slope) or math.isinf(g_value)
            if overflow and k > 0 and abs(x) > 10 * max(1.0, abs(raw[-1][0])):
                outcome, detail = NewtonOutcome.DIVERGED, {"jump": True}
            elif overflow and (which := _overflowed(F, dF, G, x, value, slope, g_value)):
                outcome, detail = NewtonOutcome.OVERFLOW, {"which": which}
            else:
                outcome = NewtonOutcome.LEFT_DOMAIN
                if G is not None and not math.isfinite(g_value):
                    detail = {"which": "g"}
            break
        if (newton and abs(value) < _TINY and not _step_is_tiny(value, slope, x, step_tol)
                and (tiny := _underflow(F, dF, x, value, step_tol))):
            lost = value == 0 and abs(tiny) >= _SMALLEST_NORMAL
            outcome, detail = NewtonOutcome.ASYMPTOTE, {"rounded" if lost else "underflow": tiny}
            break
        if not newton:
            x_next = x - learning_rate * value
        elif value == 0:
            x_next = x           # already at a root, whatever the slope
        elif slope == 0:
            outcome = NewtonOutcome.ZERO_DERIVATIVE
            break
        else:
            x_next = x - value / slope
        # A step beyond 1e15 times the scale of x means a tangent so flat that the
        # next iterate is meaningless (x² − 2 from 1e-300 would jump to 1e300), unless
        # it really lands on a root (a linear f with a far root: x − 1e16 from 0).
        absurd = not math.isfinite(x_next) or (
            abs(x_next - x) > _ABSURD * max(1.0, abs(x))
            and not _lands_near_root(F, x_next, value))
        if absurd:
            outcome = (NewtonOutcome.DIVERGED if (not newton or _growing(raw, x0))
                       else NewtonOutcome.ZERO_DERIVATIVE)
            detail = {"absurd": x_next}
            break
        raw.append((x, value, slope, x_next, objective))
        history[k + 1] = x_next
        largest_value = max(largest_value, abs(value))
        small_step = abs(x_next - x) <= step_tol * max(1.0, abs(x_next))
        # A badly scaled f (1e20·(x² − 2)) cannot get below its rounding noise.
        noise = min(64 * _EPS * abs(slope) * max(1.0, abs(x)), 1e-3 * largest_value)
        if small_step and abs(value) <= max(residual_tol, noise):
            x = x_next
            if not newton and (tail := _plateau(F, dF, x, step_tol)):
                outcome, detail = NewtonOutcome.ASYMPTOTE, tail
            else:
                outcome = NewtonOutcome.CONVERGED
            break
        x = x_next
        if _growing(raw, x0):
            outcome = NewtonOutcome.DIVERGED
            break
        period = _cycle_period(history, k + 1, step_tol, raw, residual_tol)
        if period:
            outcome, detail = NewtonOutcome.CYCLE, {"period": period}
            break
    else:
        if newton and _nearly_converged(raw, residual_tol):
            # Only linear convergence is this slow; say which kind stopped it.
            outcome = NewtonOutcome.CONVERGED_LINEARLY
            detail = {"capped": True, "stalled": not _shrinks_linearly(raw, x)}
        elif _running_away(raw, x0):
            outcome = NewtonOutcome.DIVERGED
        else:
            outcome = NewtonOutcome.MAX_ITERATIONS

    if not newton and raw:
        points = np.array([r[0] for r in raw])
        slopes, objectives = dF.evaluate(points), G.evaluate(points)
        raw = [(r[0], r[1], float(d), r[3], float(g))
               for r, d, g in zip(raw, slopes, objectives)]
    final_value, final_slope = F.evaluate(x), dF.evaluate(x)
    if outcome is NewtonOutcome.CONVERGED:
        if newton and _shrinks_linearly(raw, x):
            outcome = NewtonOutcome.CONVERGED_LINEARLY
        elif G is not None and final_slope < 0:
            outcome = NewtonOutcome.CONVERGED_TO_MAXIMUM
    false_convergence = (outcome is NewtonOutcome.DIVERGED and bool(raw)
                         and abs(raw[-1][1]) <= residual_tol and not detail.get("jump"))
    if false_convergence or outcome is NewtonOutcome.ASYMPTOTE:
        outcome, false_convergence = NewtonOutcome.ASYMPTOTE, True
    steps = _records(raw, x if outcome.converged else None)
    message, hint = _describe(mode, outcome, steps, x, final_value, final_slope, detail,
                              false_convergence)
    return NewtonRun(mode=mode, function=F, derivative=dF, objective=G, x0=x0, tol=tol,
                     max_iter=max_iter, steps=steps, outcome=outcome, x_final=x,
                     message=message, hint=hint, final_value=final_value,
                     final_slope=final_slope, learning_rate=learning_rate,
                     false_convergence=false_convergence)


def _lands_near_root(F, x_next, value) -> bool:
    """The long step ends where |F| fell a millionfold: the tangent was right."""
    landed = F.evaluate(x_next)
    return math.isfinite(landed) and abs(landed) <= _PROGRESS * abs(value)


def _step_is_tiny(value, slope, x, step_tol) -> bool:
    """The float Newton step |F/F′| is trustworthy and tiny: a root, nothing to check.

    Trustworthy means the slope is steep enough that an error of one rounding unit
    in F (F = 0 from 1 − tanh(19), which is 6×10⁻¹⁷) moves the root by less than the
    step tolerance."""
    scale = max(1.0, abs(x))
    return (math.isfinite(slope) and abs(slope) >= _TINY
            and abs(slope) * step_tol * scale >= _EPS
            and abs(value / slope) <= step_tol * scale)


def _underflow(F, dF, x, value, step_tol):
    """F(x) is (nearly) 0 only because floats cannot hold it: the extended-precision
    Newton step |F/F′| is still long (e^(−x) at 800 is 3.7×10⁻³⁴⁸ and its step is 1).
    A float F of exactly 0 may also be a value rounded away: tanh(x) − 1 at 19 is
    −6×10⁻¹⁷ but computes as 0; that is not a root when its precise step is long
    (_ROUNDED_STEP: a multiple root such as x² − 2x + 1 rounds to 0 within steps
    of about 10⁻⁸, a quadruple one within 10⁻⁴, a tail like tanh's at steps ~0.5).
    Returns that precise F(x) (an mpmath number), or None for a genuine root or when
    the precise value cannot be computed."""
    precise = precise_value(F, x)
    if precise is None or precise == 0:
        return None      # a genuine 0, or no way to tell
    representable = abs(precise) >= _SMALLEST_NORMAL
    if representable and value != 0:
        return None      # the float already holds a value: the iteration goes on
    slope = precise_value(dF, x)
    limit = _ROUNDED_STEP if representable else step_tol
    if slope is not None and slope != 0 and abs(precise / slope) <= limit * max(1.0, abs(x)):
        return None
    return precise


def _plateau(F, dF, x, step_tol) -> dict | None:
    """Gradient descent stopped because g′ is tiny, not because x is near a critical
    point: the Newton step |g′/g″| from there is still long (−e^(−x²) at 5 has
    g′ = 1.4×10⁻¹⁰ but a step of 0.1; e^(−x) at 800 has g′ = 0 in doubles).  The
    detail for the ASYMPTOTE message, or None at a genuine minimum."""
    value, slope = F.evaluate(x), dF.evaluate(x)
    if abs(value) < _TINY and not _step_is_tiny(value, slope, x, step_tol):
        tiny = _underflow(F, dF, x, value, step_tol)
        if tiny is not None:
            lost = value == 0 and abs(tiny) >= _SMALLEST_NORMAL
            return {"rounded" if lost else "underflow": tiny}
        return None
    if (math.isfinite(slope) and slope != 0
            and abs(value / slope) > _ROUNDED_STEP * max(1.0, abs(x))):
        return {"tail": True}
    return None


def _overflowed(F, dF, G, x, value, slope, g_value) -> str | None:
    """Which of f, f′ or g is infinite at x only because it exceeds the float range
    (e^1000), not at a pole (1/x at 0): its name, or None."""
    names = ("f", "f'", None) if G is None else ("g'", "g''", "g")
    for function, number, name in ((F, value, names[0]), (dF, slope, names[1]),
                                   (G, g_value, names[2])):
        if function is not None and math.isinf(number) and precise_value(function, x) is not None:
            return name
    return None


def _records(raw, root) -> tuple[NewtonStep, ...]:
    """The step records, with |e_{k+1}|/|e_k|² when the limit is known."""
    steps = []
    noise = 64 * _EPS * max(1.0, abs(root)) if root is not None else math.inf
    for k, (x, value, slope, x_next, objective) in enumerate(raw):
        ratio = math.nan
        if root is not None:
            e_k, e_next = abs(x - root), abs(x_next - root)
            if e_k > noise and e_next > noise:
                ratio = e_next / (e_k * e_k)
        steps.append(NewtonStep(k=k, x=x, value=value, slope=slope, x_next=x_next,
                                error_ratio=ratio, objective=objective))
    return tuple(steps)


def _growing(raw, x0) -> bool:
    """The last 3 steps each got longer and took x further out: diverging.

    Caught before its side effects (a derivative that underflows to 0, f
    overflowing), so the run is named for what is really happening."""
    if len(raw) < 4:
        return False
    d = [abs(r[3] - r[0]) for r in raw[-4:]]
    far = abs(raw[-1][3]) > _FAR * max(1.0, abs(x0))
    for i in (1, 2, 3):
        further_out = abs(raw[-4 + i][3]) > abs(raw[-4 + i][0])
        longer = d[i] > (1.0 if far else _GROWTH) * d[i - 1]
        if not (further_out and longer):
            return False
    return True


def _cycle_period(history, n, step_tol, raw, residual_tol) -> int:
    """p when x_n is back (within tolerance) at x_{n−p}, p ≥ 2, and the values
    it loops over are genuinely different and not roots."""
    x_new = history[n]
    start = max(0, n - _CYCLE_MEMORY)
    earlier = history[start:n - 1]
    close = np.nonzero(np.abs(earlier - x_new) <= 10 * step_tol * max(1.0, abs(x_new)))[0]
    if close.size == 0:
        return 0
    j = start + int(close[-1])
    loop = history[j:n]
    spread = float(np.max(loop) - np.min(loop))
    if spread <= 100 * step_tol * max(1.0, abs(x_new)):
        return 0
    if max(abs(r[1]) for r in raw[j:n]) <= residual_tol:
        return 0
    return n - j


def _step_lengths(raw) -> list[float]:
    return [abs(r[3] - r[0]) for r in raw]


def _shrinks_linearly(raw, root) -> bool:
    """The last three ratios |Δx_{k+1}|/|Δx_k| (above rounding noise) sit at one
    constant in (0, 1): linear, not quadratic, convergence."""
    noise = 1e3 * _EPS * max(1.0, abs(root))
    d = [v for v in _step_lengths(raw) if v > noise]
    ratios = [b / a for a, b in zip(d, d[1:])][-3:]
    return (len(ratios) == 3 and all(0.1 <= r <= 0.95 for r in ratios)
            and max(ratios) - min(ratios) <= 0.1)


def _nearly_converged(raw, residual_tol) -> bool:
    """At the cap, the last 5 steps were all small and f was already ~0 there:
    either slow linear convergence (x³ from 1) or x wandering by rounding-sized
    steps, the best double precision can do at a multiple root (x² − 2x + 1)."""
    if len(raw) < 5:
        return False
    last = raw[-5:]
    return all(abs(r[3] - r[0]) <= residual_tol * max(1.0, abs(r[3]))
               and abs(r[1]) <= residual_tol for r in last)


def _running_away(raw, x0) -> bool:
    """At the cap: the last 5 steps all go the same way, hardly shrink, |x| has
    grown tenfold, and x is not heading for any limit one can extrapolate
    (Aitken's estimate x + Δx·r/(1−r) keeps moving).  x·e^(−x) from 2 does
    this while f(x) → 0."""
    if len(raw) < 6:
        return False
    last = raw[-6:]
    d = [r[3] - r[0] for r in last]
    if not (all(v > 0 for v in d) or all(v < 0 for v in d)):
        return False
    if not all(abs(b[3]) > abs(a[3]) for a, b in zip(last, last[1:])):
        return False
    if abs(last[-1][3]) < 10 * max(1.0, abs(x0)):
        return False
    ratios = [abs(b / a) for a, b in zip(d, d[1:])]
    if min(ratios) < 0.98:
        return False
    if ratios[-1] >= 1 or ratios[-2] >= 1:
        return True
    limit_now = last[-1][3] + d[-1] * ratios[-1] / (1 - ratios[-1])
    limit_before = last[-2][3] + d[-2] * ratios[-2] / (1 - ratios[-2])
    return abs(limit_now - limit_before) > 0.01 * abs(limit_now - last[-1][3])


# -- messages ---------------------------------------------------------------

# x in a message has the digits it has in the iteration table; f, f′ and steps too.
_ITERATE, _DERIVATIVE, _VALUE = NumberRole.ITERATE, NumberRole.DERIVATIVE, NumberRole.VALUE


def _describe(mode, outcome, steps, x, value, slope, detail, false_convergence):
    """A one-line message for people (what happened — what to try) and the hint."""
    hint = OUTCOME_TEXT[outcome].hint
    if mode == "gradient_descent" and outcome in (NewtonOutcome.DIVERGED, NewtonOutcome.CYCLE,
                                                  NewtonOutcome.LEFT_DOMAIN):
        hint = "use a smaller learning rate"     # the step size, not x0, is to blame
    elif mode == "gradient_descent" and outcome is NewtonOutcome.MAX_ITERATIONS:
        hint = "use a larger learning rate or raise the iteration cap"
    f, df = ("f", "f'") if mode == "root" else ("g'", "g''")
    n = len(steps)
    k = subscript(n)
    Outcome = NewtonOutcome
    x_text, slope_text = format_number(x, _ITERATE), format_number(slope, _DERIVATIVE)
    if outcome is Outcome.CONVERGED:
        what = ("a minimum" if mode != "root" else "a root")
        text = f"Converged to {what} at x = {x_text} in {n} step{'s' * (n != 1)}"
    elif outcome is Outcome.CONVERGED_LINEARLY:
        if detail.get("stalled"):
            text = (f"Converged only linearly to x ≈ {x_text}: rounding stops further "
                    f"progress at this multiple root ({df}(x) = 0 there too)")
        elif detail.get("capped"):
            text = (f"Converging only linearly: the cap stopped it at x ≈ {x_text}, still "
                    f"moving by {format_number(steps[-1].abs_dx, _DERIVATIVE)} a step — {df}(x) = 0 "
                    f"there too (a multiple root)")
        else:
            d = _step_lengths([(s.x, s.value, s.slope, s.x_next) for s in steps])
            d = [v for v in d if v > 1e3 * _EPS * max(1.0, abs(x))]
            r = d[-1] / d[-2] if len(d) >= 2 else math.nan
            text = (f"Converged only linearly to x = {x_text} in {n} steps: each step "
                    f"shrinks the error by about {format_number(r, _DERIVATIVE)} — {df}(x) = 0 there too "
                    f"(a multiple root)")
    elif outcome is Outcome.CONVERGED_TO_MAXIMUM:
        text = f"g'(x) = 0 at x = {x_text}, but g''(x) = {slope_text} < 0: that is a maximum"
    elif outcome is Outcome.ZERO_DERIVATIVE and slope != 0:
        text = (f"{df}(x{k}) = {slope_text} is almost 0 at x = {x_text}: the tangent is "
                f"nearly horizontal and would send x to {format_number(detail.get('absurd'), _ITERATE)}")
    elif outcome is Outcome.ZERO_DERIVATIVE:
        text = (f"{df}(x{k}) = 0 at x = {x_text}: the tangent is horizontal and never "
                f"meets the x-axis")
    elif outcome is Outcome.CYCLE:
        period = detail["period"]
        loop = [s.x for s in steps[n - period:]]
        names = [format_number(v, _ITERATE) for v in loop]
        listed = " and ".join([", ".join(names[:-1]), names[-1]])
        text = f"Cycle: x keeps returning to {listed}"
    elif outcome is Outcome.ASYMPTOTE:
        grows = "grows" if x > 0 else "→ −∞"
        nothing = "no root" if mode == "root" else "no minimum"
        if "rounded" in detail:
            text = (f"{f}(x) → 0 as x {grows} — {nothing} here: {f}({x_text}) = "
                    f"{format_tiny(detail['rounded'])} is lost to rounding and computes as "
                    f"exactly 0 in doubles (not convergence)")
        elif "underflow" in detail:
            text = (f"{f}(x) → 0 as x {grows} — {nothing} here: {f}({x_text}) = "
                    f"{format_tiny(detail['underflow'])} is too small for a double and reads "
                    f"as 0 (not convergence)")
        elif detail.get("tail"):
            text = (f"{f}(x) is small but x = {x_text} is not near a critical point: "
                    f"{f}({x_text}) = {format_number(value, _DERIVATIVE)}, and a Newton step "
                    f"from there would still be {format_number(abs(value / slope), _DERIVATIVE)} "
                    f"long (not convergence)")
        else:
            text = (f"{f}(x) → 0 as x {grows} — {nothing} here: {f}(x) = "
                    f"{format_number(value, _DERIVATIVE)} is small only because x ran off to "
                    f"{x_text} (not convergence)")
        hint = f"start near a real {'root' if mode == 'root' else 'minimum'}"
    elif outcome is Outcome.OVERFLOW:
        which = detail["which"]
        text = (f"Overflow: {which}(x{k}) at x{k} = {x_text} is defined but beyond the "
                f"largest double (about 1.8×10³⁰⁸)")
    elif outcome is Outcome.DIVERGED:
        if detail.get("jump"):
            text = f"Diverged: x jumped to {x_text}, where {f} overflows"
        elif "absurd" in detail:
            text = f"Diverged: the next step would send x to {format_number(detail['absurd'], _ITERATE)}"
        else:
            text = f"Diverged: |x| and the steps keep growing (x = {x_text} after {n} steps)"
    elif outcome is Outcome.LEFT_DOMAIN:
        if detail.get("which"):
            which = detail["which"]
        elif not math.isfinite(value):
            which = f
        elif mode != "root":
            which = "g"      # g' and g'' exist here, but g itself does not (e^x − ln x at x < 0)
        else:
            which = df
        text = f"Left the domain: {which} is not defined at x{k} = {x_text}"
    else:
        text = f"Stopped after {n} steps without converging (x = {x_text})"
    return f"{text} — {hint}", hint
