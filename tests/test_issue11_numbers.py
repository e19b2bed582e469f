"""Issue 11, "Parser and Newton: no silent wrong answers", one test per bullet, with the
exact inputs of the issue (and issue 10 item 5), through the public core API only."""
import math
import time

import numpy as np
import pytest

from core.newton import (
    MAX_ITER,
    FunctionSyntaxError,
    NewtonOutcome,
    gradient_descent,
    newton_minimize,
    newton_root,
    parse_function,
)

Outcome = NewtonOutcome
parse_function("sin(x) + 1")(np.zeros(2))     # pay SymPy's import here, not in a timed test


def _central_difference(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


# -- the parser ------------------------------------------------------------------------------

def test_bullet1_sixteen_and_seventeen_significant_digits_are_read_exactly():
    run = newton_root("x - 3.141592653589793", 3)
    assert run.converged and run.x_final == 3.141592653589793      # not 3.14159265358979
    assert parse_function("x - 3.141592653589793")(0.0) == -3.141592653589793
    assert parse_function("x - 0.1000000000000001")(0.0) == -0.1000000000000001
    assert parse_function("2.718281828459045")(0.0) == 2.718281828459045
    # integers: 17 digits exactly, longer ones rounded once to the nearest double
    assert parse_function("x - 12345678901234567")(0.0) == -float(12345678901234567)
    assert parse_function("x - 1152921504606847105")(0.0) == -float(1152921504606847105)


def test_bullet2_multi_digit_superscripts_are_one_exponent():
    assert parse_function("x²²")(2.0) == 2.0 ** 22                 # never x^4
    assert parse_function("x²³")(2.0) == 2.0 ** 23                 # not x^8
    assert parse_function("x²²").expr == parse_function("x^22").expr


def test_bullet3_constants_below_the_float_range_are_refused():
    for text in ("1e-400", "1e-400*x",
                 # the same number made by arithmetic SymPy does around x
                 "x*1e-200*1e-200", "x/1e200/1e200", "1e-200*(1e-200*x + 1)"):
        with pytest.raises(FunctionSyntaxError, match="Number too small"):
            parse_function(text)
    for text in ("1e400*x", "1e200*(1e200*x + 1)"):     # as large ones are
        with pytest.raises(FunctionSyntaxError, match="Number too large"):
            parse_function(text)
    assert parse_function("1e-300*x")(2.0) == 2e-300    # the smallest accepted size


# -- SymPy's rewriting keeps value and domain ----------------------------------------------

def test_bullet4a_a_scaled_power_keeps_its_value_and_its_root():
    f = parse_function("(x/100)^200")
    assert f(150.0) == pytest.approx(1.5 ** 200, rel=1e-12)       # ≈ 1.65e35, not NaN
    g = parse_function("(x/100)^200 - 1")
    assert math.isfinite(g(150.0)) and math.isfinite(g.derivative()(150.0))
    run = newton_root(g, 150, max_iter=200)
    assert run.converged and run.x_final == pytest.approx(100.0, rel=1e-12)
    assert newton_root(g, 101).x_final == pytest.approx(100.0, rel=1e-12)


@pytest.mark.parametrize("text, outside", [("exp(ln(x))", -1.0), ("exp(ln(x))", 0.0),
                                           ("sqrt(x)^2", -1.0), ("x/x", 0.0)])
def test_bullet4b_rewritten_functions_stay_undefined_where_the_typed_one_is(text, outside):
    f = parse_function(text)
    assert math.isnan(f(outside)) and math.isnan(f.derivative()(outside))
    assert f(2.0) == pytest.approx(2.0 if text != "x/x" else 1.0)
    for x0 in (-1, 0.5):                              # exp(ln(x)) + 1 has no root at −1
        run = newton_root("exp(ln(x)) + 1", x0)
        assert not run.converged and run.outcome is Outcome.LEFT_DOMAIN, run.message


def test_bullet4c_derivatives_written_as_0_inf_or_0_over_0_are_not_nan():
    for text, x, slope in [
            ("0^x", 2.0, 0.0),            # SymPy: 0^x·log(0) = 0·∞
            ("(x-x)^x", 2.0, 0.0),        # the same once SymPy has reduced the base to 0
            ("cbrt(x^3)", 0.0, 1.0),      # SymPy: x²/cbrt(x³)², 0/0 at 0
            ("x*cbrt(x)", 0.0, 0.0)]:     # cbrt(x) + x/(3 cbrt(x)²): 0/0, approached slowly
        f = parse_function(text)
        assert f.derivative()(x) == pytest.approx(slope, abs=1e-12), text
        assert f.derivative()(np.array([x, 1.5]))[0] == pytest.approx(slope, abs=1e-12), text
    # f'' of |x|³ is 6|x|, written with δ(x) terms that are 0·NaN at 0
    assert parse_function("abs(x)^3").derivative().derivative()(0.0) == pytest.approx(
        0, abs=1e-12)
    # where the true derivative does not exist it stays undefined
    assert math.isnan(parse_function("abs(x)").derivative().derivative()(0.0))
    assert math.isnan(parse_function("x*abs(x)").derivative().derivative()(0.0))
    assert math.isnan(parse_function("x*cbrt(x)").derivative().derivative()(0.0))


def test_bullet4d_abs_ln_plus_x_squared_minimises_normally():
    run = newton_minimize("abs(ln(x)) + x^2", 2)
    assert run.steps, run.message                     # x₀ = 2 is inside the domain
    first = run.steps[0]
    assert first.value == pytest.approx(0.5 + 4) and first.slope == pytest.approx(-0.25 + 2)
    assert first.objective == pytest.approx(math.log(2) + 4)
    near = newton_minimize("abs(ln(x)) + x^2", 0.9)
    assert near.outcome is Outcome.CONVERGED
    assert near.x_final == pytest.approx(1 / math.sqrt(2), rel=1e-12)


# -- Newton -----------------------------------------------------------------------------------

def test_bullet5_newton_names_far_roots_overflow_and_underflow():
    far = newton_root("x - 1e16", 0)                  # the one step, not "f′ = 1 is almost 0"
    assert far.converged and far.steps[0].x_next == 1e16 and far.x_final == 1e16
    over = newton_root("exp(x)-1", 1000)
    assert over.outcome is Outcome.OVERFLOW and "Overflow" in over.message
    assert "not defined" not in over.message
    for run in (newton_root("exp(-x)", 800), newton_root("x^x", -200),
                newton_root("sigmoid(-x)", 800), newton_minimize("-exp(-x^2)", 30)):
        # f underflows to 0 far from any root: not "converged"
        assert run.outcome is Outcome.ASYMPTOTE and not run.converged, run.message
        assert "too small for a double" in run.message and "not convergence" in run.message
    # the same tails written so that floats cancel to exactly 0 (1 − 1 from x ≈ 19 on)
    for run in (newton_root("tanh(x) - 1", 3), newton_root("tanh(x) - 1", 30),
                newton_root("sigmoid(x) - 1", 800), newton_root("1 - sigmoid(x)", 800),
                newton_minimize("sigmoid(x)", 800), newton_minimize("-sigmoid(x)", 40)):
        assert run.outcome is Outcome.ASYMPTOTE and not run.converged, run.message
        assert "not convergence" in run.message
    assert "−6.3×10⁻¹⁷ is lost to rounding" in newton_root("tanh(x) - 1", 3).message
    # gradient descent, which the app races against Newton, stops on the same tails
    for run in (gradient_descent("-exp(-x^2)", 30, 0.1), gradient_descent("-exp(-x^2)", 5, 0.1),
                gradient_descent("exp(-x)", 800, 0.1), gradient_descent("sigmoid(x)", 800, 0.1)):
        assert run.outcome is Outcome.ASYMPTOTE and not run.converged, run.message
    lecture = gradient_descent("exp(x) - ln(x)", 0.05, 0.1)
    assert lecture.outcome is Outcome.CONVERGED
    assert lecture.x_final == pytest.approx(0.5671432904097838, abs=1e-8)
    # genuine zeros still converge: exact, multiple, a whole interval of roots
    assert newton_root("x^3", 0).converged and newton_root("abs(x) - x", 5).converged
    assert newton_root("x^2 - 2x + 1", 2).converged


# -- issue 10 item 5 --------------------------------------------------------------------------

def test_issue10_inverse_square_from_far_is_an_asymptote():
    run = newton_root("1/(1+x^2)", 1e5)
    assert run.outcome is Outcome.ASYMPTOTE and not run.converged


def test_issue10_atan_from_1e308_is_not_a_minimum():
    run = newton_minimize("atan(x)", 1e308)
    assert not run.converged and run.outcome is Outcome.ASYMPTOTE


@pytest.mark.parametrize("text, points", [("abs(cbrt(x))", [-2.0, -0.5, 0.5, 3.7]),
                                          ("abs(x^x)", [0.3, 0.5, 2.0, 3.7])])
def test_issue10_derivatives_of_abs_are_real_and_match_finite_differences(text, points):
    import sympy as sp
    f = parse_function(text)
    df, d2f = f.derivative(), f.derivative().derivative()
    for derivative in (df, d2f):                   # written for a real x: no re(…), im(…)
        assert not derivative.expr.has(sp.re, sp.im, sp.arg), derivative.text
    for x in points:
        for above, derivative in ((f, df), (df, d2f)):
            slope = derivative(x)
            assert isinstance(slope, float) and math.isfinite(slope), (derivative.text, x)
            assert slope == pytest.approx(_central_difference(above, x), rel=1e-5)


@pytest.mark.parametrize("kwargs, words", [({"x0": 1, "max_iter": float("inf")},
                                            "max_iter must be a whole number"),
                                           ({"x0": 10 ** 400}, "x0 is too large")])
def test_issue10_absurd_arguments_raise_value_error_with_a_message(kwargs, words):
    for run in (newton_root, newton_minimize):
        with pytest.raises(ValueError, match=words):
            run("x^2 - 2", **kwargs)
    with pytest.raises(ValueError, match=words):
        gradient_descent("x^2 - 2", learning_rate=0.1, **kwargs)


def test_issue10_gradient_descent_with_a_million_steps_finishes_within_a_second():
    g = parse_function("x^2")
    gradient_descent(g, 1.0, 1e-9, max_iter=10)       # compile outside the timing
    start = time.perf_counter()
    with pytest.raises(ValueError, match=f"max_iter must be between 1 and {MAX_ITER:,}"):
        gradient_descent(g, 1.0, 1e-9, max_iter=10 ** 6)
    run = gradient_descent(g, 1.0, 1e-9, max_iter=MAX_ITER)     # the largest accepted
    assert time.perf_counter() - start < 1.0
    assert len(run.steps) == MAX_ITER
