"""How fast a Newton run converges, shown rather than only tabulated.

For a run that settled, the errors eₖ = xₖ − x* are measured from the *best estimate*
x* of the root (the final iterate polished by a few more Newton steps, in float
arithmetic), not from the last iterate — else the last error is 0 by definition and
the ratio column ends in nonsense. Quadratic convergence shows as a roughly constant
|eₖ₊₁|/|eₖ|², near the theoretical constant C = |F″(x*) / (2F′(x*))| where F is the
function whose root is sought (f in root mode, g′ in minimise mode, so
C = |g‴(x*)/(2g″(x*))| there); and as the number of correct digits doubling each
step. A run that converges only linearly (a multiple root) shows |eₖ₊₁|/|eₖ| instead.

F″(x*) is a central difference of F′ (already compiled for the run), so nothing here
needs SymPy or Qt.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Convergence", "ErrorCurves", "convergence_of", "correct_digits", "error_curves"]

_POLISH_STEPS = 8
_MAX_DIGITS = 16


@dataclass(frozen=True)
class Convergence:
    """Per-iterate error data of a run: ``errors[k]`` = |xₖ − x*| for k = 0 … n
    (n = len(run.steps)); ``ratios[k]`` = |eₖ₊₁|/|eₖ|^order (nan where undefined);
    ``order`` is 2 (quadratic) or 1 (linear); ``constant`` the theoretical limit of
    the quadratic ratio (nan if unknown)."""
    root: float
    errors: tuple[float, ...]
    digits: tuple[int, ...]
    ratios: tuple[float, ...]
    order: int
    constant: float

    @property
    def ratio_title(self) -> str:
        return "|eₖ₊₁|/|eₖ|²" if self.order == 2 else "|eₖ₊₁|/|eₖ|"


def correct_digits(x: float, root: float) -> int:
    """Significant digits of ``x`` that agree with ``root``: ⌊−log₁₀(|x − root| /
    max(|root|, 1))⌋, from 0 up to 16 (all a double holds)."""
    error = abs(x - root)
    if not math.isfinite(error):
        return 0
    if error == 0:
        return _MAX_DIGITS
    scale = max(abs(root), 1.0)
    return int(min(_MAX_DIGITS, max(0, math.floor(-math.log10(error / scale)))))


def convergence_of(run) -> Convergence | None:
    """The convergence data of a ``core.newton.NewtonRun`` that settled (converged,
    linearly or to a maximum); None for a run that did not, or has no steps."""
    if not run.steps or not run.converged:
        return None
    root = _polished(run)
    iterates = run.iterates
    errors = tuple(abs(x - root) for x in iterates)
    linear = run.outcome.name == "CONVERGED_LINEARLY"
    order = 1 if linear else 2
    ratios = []
    for k in range(len(errors) - 1):
        now, after = errors[k], errors[k + 1]
        # a ratio is meaningful only while both errors are above rounding noise
        noise = 4 * math.ulp(max(abs(root), 1e-300))
        ratios.append(after / now ** order if now > noise and after > noise else math.nan)
    constant = math.nan if linear else _quadratic_constant(run, root)
    return Convergence(root, errors, tuple(correct_digits(x, root) for x in iterates),
                       tuple(ratios), order, constant)


def _polished(run) -> float:
    """The final iterate, improved by Newton steps while they keep shrinking."""
    x = run.x_final
    if run.outcome.name == "CONVERGED_LINEARLY":
        return x      # plain Newton only halves the error here: no better estimate
    last_step = math.inf
    for _ in range(_POLISH_STEPS):
        value, slope = run.function(x), run.derivative(x)
        if not (math.isfinite(value) and math.isfinite(slope)) or slope == 0:
            break
        step = value / slope
        if not abs(step) < last_step:
            break
        x, last_step = x - step, abs(step)
        if step == 0:
            break
    return x


def _quadratic_constant(run, root: float) -> float:
    """|F″(x*)/(2F′(x*))|, F″ by a central difference of F′."""
    slope = run.derivative(root)
    h = 1e-5 * max(1.0, abs(root))
    curvature = (run.derivative(root + h) - run.derivative(root - h)) / (2 * h)
    if not (math.isfinite(slope) and math.isfinite(curvature)) or slope == 0:
        return math.nan
    return abs(curvature / (2 * slope))


@dataclass(frozen=True)
class ErrorCurves:
    """What the error plot draws up to Newton's position p, on a log scale: Newton's
    |xₖ − x*| and |F(xₖ)| (F = f, or g′ when minimising) and the race's |xₖ − x*|,
    each as (k, value) pairs with value > 0 (an exact 0 has no place on a log axis).
    ``root`` is x* (Newton's best estimate, else the race's; None if neither settled,
    and then only |F(xₖ)| can be drawn)."""
    root: float | None
    newton: tuple[tuple[int, float], ...]
    residuals: tuple[tuple[int, float], ...]
    race: tuple[tuple[int, float], ...]

    def upto(self, position: int) -> ErrorCurves:
        """The curves as far as iterate ``position`` (a whole run's, cut per step)."""
        def cut(pairs):
            return tuple(pair for pair in pairs if pair[0] <= position)
        return ErrorCurves(self.root, cut(self.newton), cut(self.residuals), cut(self.race))


def _positive(pairs) -> tuple[tuple[int, float], ...]:
    return tuple((k, v) for k, v in pairs if math.isfinite(v) and v > 0)


def error_curves(run, race=None, position: int | None = None) -> ErrorCurves:
    """The error plot's data for ``run`` (a NewtonRun) and an optional gradient-descent
    ``race`` on the same function, up to iterate ``position`` (all when None): the
    race is shown to the same k as Newton, as its banner counts it."""
    p = len(run.steps) if position is None else max(0, min(position, len(run.steps)))
    settled = convergence_of(run)
    root = settled.root if settled is not None else None
    if root is None and race is not None:
        race_settled = convergence_of(race)
        root = race_settled.root if race_settled is not None else None
    iterates = run.iterates[:p + 1]
    newton = () if root is None else _positive((k, abs(x - root)) for k, x in enumerate(iterates))
    values = [s.value for s in run.steps] + [run.final_value]
    residuals = _positive((k, abs(values[k])) for k in range(min(p + 1, len(values))))
    race_errors: tuple[tuple[int, float], ...] = ()
    if race is not None and root is not None:
        race_iterates = race.iterates[:p + 1]
        race_errors = _positive((k, abs(x - root)) for k, x in enumerate(race_iterates))
    return ErrorCurves(root, newton, residuals, race_errors)
