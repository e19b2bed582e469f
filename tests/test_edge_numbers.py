"""Honest numbers at the edges (issues 10 §5 and 11): the exact inputs from the reports."""
import math
import time

import numpy as np
import pytest

from core.newton import (
    MAX_ITER,
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


# -- asymptotes and underflow: small |f| far from any root is not convergence ----------

@pytest.mark.parametrize("make, words", [
    (lambda: newton_root("1/(1+x^2)", 1e5), "f(x) → 0 as x grows — no root here"),
    (lambda: newton_minimize("atan(x)", 1e308), "g'(x) → 0 as x grows — no minimum here"),
    (lambda: newton_root("exp(-x)", 800), "f(x) → 0 as x grows — no root here"),
    (lambda: newton_root("x^x", -200), "f(x) → 0 as x → −∞ — no root here"),
    (lambda: newton_root("sigmoid(-x)", 800), "f(x) → 0 as x grows — no root here"),
    (lambda: newton_minimize("-exp(-x^2)", 30), "g'(x) → 0 as x grows — no minimum here"),
])
def test_small_values_far_out_are_an_asymptote_not_convergence(make, words):
    run = make()
    assert run.outcome is Outcome.ASYMPTOTE, run.message
    assert not run.converged
    assert run.message.startswith(words)
    assert run.message.endswith(run.hint) and "\n" not in run.message
    assert run.outcome.title == "Asymptote"


def test_an_underflow_names_the_true_tiny_value():
    run = newton_root("exp(-x)", 800)
    assert run.steps == ()                         # no step is taken from a fake root
    assert "f(800) = 3.7×10⁻³⁴⁸" in run.message and "too small for a double" in run.message


def test_genuine_zeros_and_rounded_roots_still_converge():
    assert newton_root("x^3", 0).outcome is Outcome.CONVERGED       # f = f' = 0 at a real root
    assert newton_root("abs(x) - x", 5).converged                   # f is exactly 0 here
    assert newton_root("x^2 - 2x + 1", 2).outcome is Outcome.CONVERGED_LINEARLY
    assert newton_root("exp(-x) - 1e-300", 690).converged           # a root near the float limit


# -- overflow is named as such ------------------------------------------------------------

def test_overflow_at_x0_is_named_overflow_not_undefined():
    run = newton_root("exp(x)-1", 1000)
    assert run.outcome is Outcome.OVERFLOW
    assert run.message.startswith("Overflow: f(x₀) at x₀ = 1000 is defined but beyond the "
                                  "largest double")
    # a pole is still outside the domain
    assert newton_root("1/x", 0).outcome is Outcome.LEFT_DOMAIN


# -- a long step that lands on the root is taken -------------------------------------------

def test_linear_function_with_a_far_root_takes_its_one_step():
    run = newton_root("x - 1e16", 0)
    assert run.converged and run.x_final == 1e16
    assert run.steps[0].x_next == 1e16
    # a flat tangent that would jump to nonsense is still refused
    assert newton_root("x^2 - 2", 1e-300).outcome is Outcome.ZERO_DERIVATIVE


# -- bad arguments: ValueError with a message, never OverflowError ------------------------

@pytest.mark.parametrize("kwargs, words", [
    ({"x0": 10 ** 400}, "x0 is too large"),
    ({"x0": math.inf}, "x0 must be a finite number"),
    ({"x0": math.nan}, "x0 must be a finite number"),
    ({"x0": "1"}, "x0 must be a number"),
    ({"x0": 1, "max_iter": math.inf}, "max_iter must be a whole number"),
    ({"x0": 1, "max_iter": math.nan}, "max_iter must be a whole number"),
    ({"x0": 1, "max_iter": 2.5}, "max_iter must be a whole number"),
    ({"x0": 1, "max_iter": 10 ** 6}, f"max_iter must be between 1 and {MAX_ITER:,}"),
    ({"x0": 1, "max_iter": 0}, "max_iter must be between"),
    ({"x0": 1, "tol": math.nan}, "tol must be a finite number"),
    ({"x0": 1, "tol": 10 ** 400}, "tol is too large"),
    ({"x0": 1, "tol": -1}, "tol must be a positive number"),
])
def test_bad_arguments_raise_value_error_with_a_message(kwargs, words):
    for run in (newton_root, newton_minimize):
        with pytest.raises(ValueError, match=words):
            run("x^2 - 2", **kwargs)
    with pytest.raises(ValueError, match=words):
        gradient_descent("x^2 - 2", learning_rate=0.1, **kwargs)


@pytest.mark.parametrize("rate", [math.inf, math.nan, 10 ** 400, 0, -1])
def test_bad_learning_rates_raise_value_error(rate):
    with pytest.raises(ValueError, match="learning_rate"):
        gradient_descent("x^2", 1, rate)


def test_every_run_the_api_accepts_finishes_within_a_second():
    # 10**6 steps took 18 s: the cap is MAX_ITER, and the loop is cheap enough for it.
    g = parse_function("exp(x) - ln(x)")
    gradient_descent(g, 1.0, 1e-9, max_iter=10)            # compile outside the timing
    start = time.perf_counter()
    run = gradient_descent(g, 1.0, 1e-9, max_iter=MAX_ITER)
    assert time.perf_counter() - start < 1.0
    assert run.outcome is Outcome.MAX_ITERATIONS and len(run.steps) == MAX_ITER
    # the recorded g'' and g are the true ones, though computed after the loop
    step = run.steps[-1]
    assert step.slope == pytest.approx(g.derivative().derivative()(step.x))
    assert step.objective == pytest.approx(g(step.x))
    f = parse_function("sin(x) + 2")                        # no root: Newton wanders
    newton_root(f, 0.3, max_iter=10)
    start = time.perf_counter()
    newton_root(f, 0.3, max_iter=MAX_ITER)
    assert time.perf_counter() - start < 1.0


# -- parsing: exact numbers, superscripts ------------------------------------------------

def test_seventeen_significant_digits_are_read_exactly():
    run = newton_root("x - 3.141592653589793", 0)
    assert run.x_final == 3.141592653589793
    assert parse_function("x - 0.30000000000000004")(0.30000000000000004) == 0.0
    assert parse_function("1.0000000000000002")(0.0) == 1.0000000000000002


@pytest.mark.parametrize("text, same", [("x²²", "x^22"), ("x²³", "x^23"), ("x⁻¹", "x^-1"),
                                        ("2x³ + x¹⁰", "2x^3 + x^10"), ("x²", "x^2")])
def test_runs_of_superscript_digits_are_one_exponent(text, same):
    assert parse_function(text).expr == parse_function(same).expr


# -- SymPy's rewriting keeps value and domain --------------------------------------------

def test_a_power_of_a_scaled_x_keeps_its_value():
    f = parse_function("(x/100)^200 - 1")
    assert f(150.0) == pytest.approx(1.5 ** 200 - 1, rel=1e-12)   # ≈ 1.65e35, not NaN
    assert f.derivative()(150.0) == pytest.approx(2 * 1.5 ** 199, rel=1e-12)
    run = newton_root(f, 150, max_iter=200)
    assert run.converged and run.x_final == pytest.approx(100.0, rel=1e-12)


@pytest.mark.parametrize("text, outside, inside", [
    ("exp(ln(x)) + 1", -1.0, 2.0), ("sqrt(x)^2", -1.0, 2.0), ("x/x", 0.0, 2.0),
    ("0^x", 0.0, 2.0), ("0^x", -1.0, 0.5), ("x^2/x", 0.0, 3.0), ("1/(1/x)", 0.0, 2.0)])
def test_rewriting_never_widens_the_domain(text, outside, inside):
    f = parse_function(text)
    assert math.isnan(f(outside)) and math.isnan(f.derivative()(outside))
    assert math.isfinite(f(inside)) and math.isfinite(f.derivative()(inside))
    values = f(np.array([outside, inside]))
    assert math.isnan(values[0]) and math.isfinite(values[1])


def test_exp_ln_has_no_root_at_minus_one():
    run = newton_root("exp(ln(x)) + 1", 0.5)
    assert not run.converged and run.outcome is Outcome.LEFT_DOMAIN
    assert run.x_final == -1.0


def test_derivatives_written_as_0_over_0_take_their_limit():
    assert parse_function("0^x").derivative()(2.0) == 0.0
    f = parse_function("cbrt(x^3)")                      # SymPy: f' = x²/cbrt(x³)², 0/0 at 0
    assert f.derivative()(0.0) == pytest.approx(1.0)
    assert f.derivative()(np.array([0.0, 2.0])) == pytest.approx([1.0, 1.0])
    # a genuine kink keeps its undefined second derivative
    assert math.isnan(parse_function("abs(x)").derivative().derivative()(0.0))


def test_abs_ln_plus_x_squared_minimises_normally():
    run = newton_minimize("abs(ln(x)) + x^2", 2)
    first = run.steps[0]                                  # x₀ = 2 is inside the domain
    assert first.value == pytest.approx(4.5) and first.slope == pytest.approx(1.75)
    near = newton_minimize("abs(ln(x)) + x^2", 0.9)
    assert near.outcome is Outcome.CONVERGED
    assert near.x_final == pytest.approx(1 / math.sqrt(2), rel=1e-12)


# -- x is real: derivatives of abs, powers and cube roots stay real and finite ------------

@pytest.mark.parametrize("text, points", [
    ("abs(cbrt(x))", [-2.0, -0.7, 0.5, 2.0]),
    ("abs(x^x)", [0.3, 0.5, 2.0]),
    ("abs(ln(x)) + x^2", [0.5, 2.0]),
    ("abs(sin(x))", [-2.0, 0.5, 2.0]),
    ("cbrt(x)^2", [-3.0, 1.5]),
    ("abs(x^3 - 1)", [-1.0, 0.5, 2.0]),
])
def test_real_symbol_derivatives_match_finite_differences(text, points):
    f = parse_function(text)
    df, d2f = f.derivative(), f.derivative().derivative()
    for expr in (df.expr, d2f.expr):
        assert not expr.has(*_complex_parts()), expr
    for x in points:
        assert math.isfinite(df(x)) and math.isfinite(d2f(x))
        assert df(x) == pytest.approx(_central_difference(f, x), rel=1e-6, abs=1e-7)
        assert d2f(x) == pytest.approx(_central_difference(df, x), rel=1e-5, abs=1e-6)


def _complex_parts():
    import sympy as sp
    return sp.re, sp.im, sp.arg, sp.Derivative


# -- the symbolic work of a nested function stays bounded ---------------------------------

@pytest.mark.parametrize("levels", [8, 10])
def test_nested_tanh_of_x_to_the_x_is_differentiated_quickly(levels):
    # 3.5 s at 8 levels and over 10 s at 10 before: SymPy's tanh asked whether it
    # was real through real/imaginary parts and polynomial gcds at every level.
    text = "tanh(" * levels + "x^x" + ")" * levels
    start = time.perf_counter()
    f = parse_function(text)
    second = f.derivative().derivative()
    second.latex()
    values = second(np.linspace(0.2, 1, 5))
    assert time.perf_counter() - start < 2.0
    assert np.isfinite(values).all()


@pytest.mark.parametrize("name", ["tanh", "sinh", "cosh", "sigmoid", "sin", "atan", "exp"])
def test_nested_functions_of_x_to_the_x_are_accepted_or_refused_quickly(name):
    for levels in (4, 8):
        text = f"{name}(" * levels + "x^x" + ")" * levels
        start = time.perf_counter()
        try:
            f = parse_function(text)
        except ValueError as error:
            assert "Too complicated" in str(error) or "too large" in str(error).lower()
            continue
        f.derivative().derivative().latex()
        assert time.perf_counter() - start < 2.0, (name, levels)


def test_the_api_cap_covers_every_cap_the_app_sets():
    from core import limits
    assert limits.MAX_ITER_RANGE[1] <= MAX_ITER and limits.RACE_MAX_ITER <= MAX_ITER


def test_exact_zeros_at_ordinary_roots_need_no_extended_precision(monkeypatch):
    import core.newton as newton
    calls = []
    monkeypatch.setattr(newton, "precise_value", lambda *a: calls.append(a))
    run = newton_root("x^2 - 4", 3)           # ends on f(2) = 0.0 exactly
    assert run.converged and run.x_final == 2.0 and calls == []
