"""A second opinion in extended precision, for values that floats cannot hold.

A double reads e^(−800) as 0 and e^1000 as inf.  Newton's method must not take
the first for a root or the second for a point outside the domain, so at those
moments ``precise_value`` evaluates the expression again with mpmath (30 digits,
more when that gives exactly 0; an exponent range without practical limit):
e^(−800) is 3.7×10⁻³⁴⁸ there, and 1/x at 0 is still undefined.

mpmath is SymPy's own arithmetic (no further dependency).  Arguments so extreme
that mpmath itself would take unbounded time (e^(e^(e^800)), sin(10^(10^20)))
are refused: the answer is then None, "cannot tell".
"""
from __future__ import annotations

import functools
import math

__all__ = ["precise_value", "format_tiny"]

# Digits tried in turn while the answer is exactly 0: a 0 at 30 digits may be a
# cancellation (1/(1 + e^(−800)) − 1 is −3.7×10⁻³⁴⁸, and 0 to 30 digits).  A 0 at
# 2,000 digits is taken as a true 0 (tanh(x) − 1 beyond x ≈ 2,300 is not told apart).
_DIGITS = (30, 120, 500, 2000)
_MAX_EXPONENT_ARGUMENT = 1e12     # |v| for e^v, sinh, cosh: a result with ~4e11 bits of exponent
_MAX_TRIG_ARGUMENT = 1e300        # |v| for sin, cos, tan: argument reduction needs log2|v| bits of π


class _TooExtreme(ArithmeticError):
    """An intermediate value mpmath could not handle in bounded time."""


@functools.cache
def _namespace():
    import mpmath

    def bounded(v, limit):
        if mpmath.isinf(v) or mpmath.isnan(v):
            raise _TooExtreme
        if isinstance(v, mpmath.mpc):
            if abs(v.imag) > 0:
                raise _TooExtreme
            v = v.real
        if abs(v) > limit:
            raise _TooExtreme
        return v

    def exp(v):
        return mpmath.exp(bounded(v, _MAX_EXPONENT_ARGUMENT))

    def sinh(v):
        return mpmath.sinh(bounded(v, _MAX_EXPONENT_ARGUMENT))

    def cosh(v):
        return mpmath.cosh(bounded(v, _MAX_EXPONENT_ARGUMENT))

    def trig(name):
        fn = getattr(mpmath, name)
        return lambda v: fn(bounded(v, _MAX_TRIG_ARGUMENT))

    def power(b, p):
        b, p = bounded(b, math.inf), bounded(p, math.inf)
        if b == 0:
            return mpmath.mpf(0) if p > 0 else mpmath.inf
        if abs(p * mpmath.log(abs(b))) > _MAX_EXPONENT_ARGUMENT:
            raise _TooExtreme
        if b < 0 and p != mpmath.floor(p):
            raise _TooExtreme     # not real
        return b ** p

    def cbrt(v):
        return mpmath.sign(v) * mpmath.cbrt(abs(v))

    def sigmoid(v):
        return 1 / (1 + exp(-v))

    def dirac_delta(v, *order):
        if v == 0:
            raise _TooExtreme
        return mpmath.mpf(0)

    def sign(v):
        return mpmath.sign(bounded(v, math.inf))

    def log(v, base=None):
        v = bounded(v, math.inf)
        if v <= 0:
            raise _TooExtreme
        return mpmath.log(v) if base is None else mpmath.log(v, base)

    def sqrt(v):
        v = bounded(v, math.inf)
        if v < 0:
            raise _TooExtreme
        return mpmath.sqrt(v)

    names = {"exp": exp, "sinh": sinh, "cosh": cosh, "sin": trig("sin"), "cos": trig("cos"),
             "tan": trig("tan"), "precise_power": power, "cbrt": cbrt, "sigmoid": sigmoid,
             "DiracDelta": dirac_delta, "sign": sign, "log": log, "sqrt": sqrt}
    return mpmath, names


def _compiled(function):
    """The expression compiled for mpmath, cached on the Function."""
    compiled = getattr(function, "_precise", None)
    if compiled is None:
        import sympy as sp

        from core.parser import _room_to_recurse, _sympy
        _, x, _ = _sympy()
        precise_power = sp.Function("precise_power")
        expr = function.expr.replace(
            lambda e: e.is_Pow and not (e.exp.is_Integer and abs(e.exp) <= 1000),
            lambda e: precise_power(e.base, e.exp))
        _, names = _namespace()
        with _room_to_recurse():
            compiled = sp.lambdify(x, expr, modules=[names, "mpmath"])
        function._precise = compiled
    return compiled


def precise_value(function, x: float):
    """function(x) in 30-digit arithmetic (more digits while it reads 0) with an
    unlimited exponent (an mpmath number), or None where it is not a finite real
    number or cannot be computed in bounded time.  The function's domain guards
    (see core.parser.Function) are checked in floats first."""
    mpmath, _ = _namespace()
    if hasattr(function, "_outside_guards") and function._outside_guards(x):
        return None
    value = None
    try:
        for digits in _DIGITS:
            with mpmath.workdps(digits):
                value = _compiled(function)(mpmath.mpf(x))
                if isinstance(value, mpmath.mpc):
                    if value.imag != 0:
                        return None
                    value = value.real
                value = mpmath.mpf(value)
                if mpmath.isinf(value) or mpmath.isnan(value):
                    return None
            if value != 0:
                break
        return value
    except (ArithmeticError, ValueError, TypeError, ZeroDivisionError, RecursionError,
            OverflowError, MemoryError):
        return None


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def format_tiny(value) -> str:
    """An mpmath number beyond the float range as 3.7×10⁻³⁴⁸ (two significant digits)."""
    mpmath, _ = _namespace()
    if value == 0:
        return "0"
    exponent = int(mpmath.floor(mpmath.log10(abs(value))))
    mantissa = float(value / mpmath.mpf(10) ** exponent)
    if abs(mantissa) >= 9.95:
        mantissa, exponent = mantissa / 10, exponent + 1
    sign = "−" if mantissa < 0 else ""
    return f"{sign}{abs(mantissa):.2g}×10{str(exponent).translate(_SUPERSCRIPT)}"
