"""Newton's method: the lecture's numbers, every named outcome, and the tangent rule."""
import dataclasses
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.newton import (
    OUTCOME_MESSAGES,
    OUTCOME_TEXT,
    NewtonMode,
    NewtonOutcome,
    NewtonRun,
    NewtonStep,
    gradient_descent,
    newton_minimize,
    newton_root,
    parse_function,
    tangent_at,
)

Outcome = NewtonOutcome
LECTURE = "exp(x) - ln(x)"


# -- the lecture's worked example -------------------------------------------

def test_lecture_example_iterates_match_the_slides():
    run = newton_minimize(LECTURE, 0.05)
    assert [round(s.x_next, 4) for s in run.steps[:6]] == [
        0.0972, 0.1832, 0.3205, 0.4773, 0.5578, 0.5671]
    assert run.outcome is Outcome.CONVERGED
    assert round(run.x_final, 6) == 0.567143
    assert run.mode == "minimise" and run.mode is NewtonMode.MINIMISE
    assert run.objective is not None and run.objective.text == LECTURE
    assert run.function.text == "exp(x) - 1/x"           # g'
    assert run.derivative.text == "exp(x) + x^(-2)"      # g''
    assert "Converged to a minimum at x = 0.567143" in run.message


def test_lecture_first_step_is_the_slide_formula():
    step = newton_minimize(LECTURE, 0.05).steps[0]
    expected = 0.05 - (math.exp(0.05) - 1 / 0.05) / (math.exp(0.05) + 1 / 0.05 ** 2)
    assert step.x_next == pytest.approx(expected, rel=1e-14)
    assert step.value == pytest.approx(math.exp(0.05) - 20)
    assert step.slope == pytest.approx(math.exp(0.05) + 400)
    assert step.objective == pytest.approx(math.exp(0.05) - math.log(0.05))


def test_lecture_example_from_1_6_converges_within_7_steps():
    run = newton_minimize(LECTURE, 1.6)
    assert run.outcome is Outcome.CONVERGED
    assert len(run.steps) <= 7
    assert run.x_final == pytest.approx(0.5671432904097838, abs=1e-12)


# -- every outcome, named -----------------------------------------------------

def _x_exp_minus_x():
    return newton_root("x*exp(-x)", 2)


CASES = {
    "cycle": (lambda: newton_root("x^3 - 2x + 2", 0), Outcome.CYCLE),
    "atan": (lambda: newton_root("atan(x)", 1.5), Outcome.DIVERGED),
    "cbrt": (lambda: newton_root("cbrt(x)", 1), Outcome.DIVERGED),
    "x exp(-x)": (_x_exp_minus_x, Outcome.ASYMPTOTE),
    "overflow": (lambda: newton_root("exp(x) - 1", 1000), Outcome.OVERFLOW),
    "flat": (lambda: newton_root("x^2 - 2", 0), Outcome.ZERO_DERIVATIVE),
    "ln": (lambda: newton_root("ln(x)", 3), Outcome.LEFT_DOMAIN),
    "double root": (lambda: newton_root("(x-1)^2", 2), Outcome.CONVERGED_LINEARLY),
    "maximum": (lambda: newton_minimize("x^3 - 3x", -0.5), Outcome.CONVERGED_TO_MAXIMUM),
    "cap": (lambda: newton_root("(x-1)^2", 2, max_iter=3), Outcome.MAX_ITERATIONS),
    "sqrt 2": (lambda: newton_root("x^2 - 2", 1), Outcome.CONVERGED),
}


@pytest.mark.parametrize("name", CASES)
def test_classic_cases_end_with_their_named_outcome(name):
    make, outcome = CASES[name]
    run = make()
    assert run.outcome is outcome, run.message
    assert run.message.endswith(run.hint)
    assert "\n" not in run.message


def test_every_outcome_is_reached_by_a_case():
    assert {outcome for _, outcome in CASES.values()} == set(NewtonOutcome)


def test_cycle_names_the_values_it_returns_to():
    run = newton_root("x^3 - 2x + 2", 0)
    assert run.iterates == (0.0, 1.0, 0.0)
    assert run.message == "Cycle: x keeps returning to 0 and 1 — try another x0"


def test_divergence_is_named_before_the_derivative_underflows():
    atan = newton_root("atan(x)", 1.5)
    xs = [abs(v) for v in atan.iterates]
    assert xs == sorted(xs) and xs[-1] > 1000        # |x| grows every step
    assert len(atan.steps) < 10                      # long before 1/(1+x²) underflows
    cbrt = newton_root("cbrt(x)", 1)
    assert cbrt.iterates == pytest.approx((1, -2, 4, -8, 16))   # x_{k+1} = −2 x_k


def test_small_f_with_x_still_moving_is_an_asymptote_not_convergence():
    run = _x_exp_minus_x()
    assert run.outcome is Outcome.ASYMPTOTE and not run.converged
    assert run.false_convergence
    assert run.message.startswith("f(x) → 0 as x grows — no root here")
    assert "small only because x ran off" in run.message and "not convergence" in run.message
    assert abs(run.final_value) < 1e-15 and run.x_final > 20
    assert all(s.step > 0.9 for s in run.steps)      # x keeps moving by about 1


def test_zero_derivative_stops_before_any_step():
    run = newton_root("x^2 - 2", 0)
    assert run.steps == () and run.x_final == 0.0
    assert run.final_slope == 0.0
    assert "f'(x₀) = 0" in run.message and "horizontal" in run.message


def test_an_almost_flat_tangent_is_a_zero_derivative_not_a_jump_to_1e300():
    run = newton_root("x^2 - 2", 1e-300)
    assert run.outcome is Outcome.ZERO_DERIVATIVE and run.steps == ()
    assert "almost 0" in run.message and "×10³⁰⁰" in run.message
    # found by the property test: g'' = −sin(x) ≈ −1.7e-149 sent x to 1.2e149, where
    # x + 1 == x and the rounding-noise allowance let a stalled x pass as converged
    run = newton_minimize("sin(x) + x + 1", 1.707217239883729e-149)
    assert run.outcome is Outcome.ZERO_DERIVATIVE


def test_multiple_roots_limited_by_rounding_or_the_cap_are_named_linear():
    expanded = newton_root("x^2 - 2x + 1", 2)       # f has rounding noise near x = 1
    assert expanded.outcome is Outcome.CONVERGED_LINEARLY
    assert expanded.x_final == pytest.approx(1.0, abs=1e-7)
    triple = newton_root("x^3", 1)                  # ratio 2/3: 50 steps are not enough
    assert triple.outcome is Outcome.CONVERGED_LINEARLY
    assert "cap stopped it" in triple.message


def test_a_badly_scaled_function_still_converges():
    run = newton_root("1e20*(x^2 - 2)", 1)
    assert run.outcome is Outcome.CONVERGED
    assert run.x_final == pytest.approx(math.sqrt(2), rel=1e-15)


def test_leaving_the_domain_names_the_point():
    run = newton_root("ln(x)", 3)
    assert len(run.steps) == 1
    assert run.x_final == pytest.approx(3 - 3 * math.log(3))
    assert run.x_final < 0 and math.isnan(run.final_value)
    assert "x₁ = −0.295837" in run.message


def test_double_root_converges_with_a_constant_ratio():
    run = newton_root("(x-1)^2", 2)
    assert run.x_final == pytest.approx(1.0, abs=1e-9)
    ratios = [b.abs_dx / a.abs_dx for a, b in zip(run.steps, run.steps[1:])]
    assert ratios[-5:] == pytest.approx([0.5] * 5)
    assert "by about 0.5 " in run.message


def test_maximum_found_in_minimise_mode():
    run = newton_minimize("x^3 - 3x", -0.5)
    assert run.x_final == pytest.approx(-1.0)
    assert run.final_slope == pytest.approx(-6.0)         # g''(-1) < 0
    assert "maximum" in run.message


def test_quadratic_convergence_shows_a_constant_error_ratio():
    run = newton_root("x^2 - 2", 1)
    assert run.outcome is Outcome.CONVERGED
    assert run.x_final == pytest.approx(math.sqrt(2), rel=1e-15)
    known = [s.error_ratio for s in run.steps if not math.isnan(s.error_ratio)]
    # |e_{k+1}| / |e_k|² → |f''/(2f')| = 1/(2√2) at the root
    assert all(0.3 < r < 0.6 for r in known)              # about constant: quadratic
    assert known[-2] == pytest.approx(1 / (2 * math.sqrt(2)), rel=1e-2)
    assert known[-1] == pytest.approx(1 / (2 * math.sqrt(2)), rel=1e-3)
    assert math.isnan(run.steps[-1].error_ratio)         # e_{k+1} = 0: no ratio


def test_runs_that_did_not_converge_have_no_error_ratios():
    for run in (newton_root("atan(x)", 1.5), newton_root("(x-1)^2", 2, max_iter=3)):
        assert all(math.isnan(s.error_ratio) for s in run.steps)


def test_outcome_texts_cover_every_outcome_with_what_to_try():
    assert set(OUTCOME_TEXT) == set(NewtonOutcome) == set(OUTCOME_MESSAGES)
    for outcome, text in OUTCOME_TEXT.items():
        assert text.title and outcome.title == text.title
        assert text.hint in text.message
        assert OUTCOME_MESSAGES[outcome] == text.message
    assert Outcome.CONVERGED_LINEARLY.converged and not Outcome.CYCLE.converged
    assert not hasattr(NewtonOutcome, "FALSE_CONVERGENCE")


# -- gradient descent -------------------------------------------------------

def test_gradient_descent_gets_there_but_takes_many_more_steps():
    newton = newton_minimize(LECTURE, 0.05)
    descent = gradient_descent(LECTURE, 0.05, learning_rate=0.05)
    assert descent.outcome is Outcome.CONVERGED
    assert descent.mode == "gradient_descent" and descent.learning_rate == 0.05
    assert round(descent.x_final, 6) == 0.567143
    assert len(descent.steps) > 5 * len(newton.steps)
    first = descent.steps[0]
    assert first.x_next == pytest.approx(0.05 - 0.05 * (math.exp(0.05) - 20))
    assert first.slope == pytest.approx(math.exp(0.05) + 400)     # g'', for drawing


@pytest.mark.parametrize("rate", [0.3, 1.0, 5.0])
def test_too_large_a_learning_rate_is_named(rate):
    run = gradient_descent(LECTURE, 0.05, learning_rate=rate)
    assert run.outcome in (Outcome.DIVERGED, Outcome.LEFT_DOMAIN)
    assert run.hint == "use a smaller learning rate"
    assert "g is not defined" in run.message or "Diverged" in run.message


def test_gradient_descent_outcomes_are_named_like_newtons():
    assert gradient_descent("x^2", 1, 1.5).outcome is Outcome.DIVERGED      # x ← −2x
    assert gradient_descent("x^2", 1, 1.0).outcome is Outcome.CYCLE         # x ← −x
    slow = gradient_descent("x^4", 1, 0.01, max_iter=500)
    assert slow.outcome is Outcome.MAX_ITERATIONS                            # never "linearly"
    assert gradient_descent("(x-1)^2", 3, 0.25).outcome is Outcome.CONVERGED


# -- records ------------------------------------------------------------------

def test_steps_are_immutable_and_carry_their_tangent():
    run = newton_root("x^2 - 2", 1)
    step = run.steps[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        step.x = 3.0
    assert step.step == step.x_next - step.x and step.abs_dx == abs(step.step)
    t = np.array([0.0, 1.0, 1.5])
    np.testing.assert_allclose(step.tangent(t), -1 + 2 * (t - 1))
    assert step.tangent(step.x_next) == pytest.approx(0.0)
    assert tangent_at(run.function, run.derivative, 1.0) == (2.0, -3.0)
    with pytest.raises(ValueError):
        step.quadratic_model(0.0)        # root mode has no objective


def test_quadratic_model_touches_g_and_has_its_vertex_at_the_next_iterate():
    run = newton_minimize(LECTURE, 0.3)
    step = run.steps[0]
    g = run.objective
    assert step.quadratic_model(step.x) == pytest.approx(g(step.x))
    h = 1e-6
    slope_at_vertex = (step.quadratic_model(step.x_next + h)
                       - step.quadratic_model(step.x_next - h)) / (2 * h)
    assert slope_at_vertex == pytest.approx(0.0, abs=1e-6)
    assert step.quadratic_model(np.array([0.2, 0.4])).shape == (2,)


def test_bad_arguments_raise_value_errors():
    with pytest.raises(ValueError):
        newton_root("x", math.nan)
    with pytest.raises(ValueError):
        newton_root("x", 1.0, tol=0)
    with pytest.raises(ValueError):
        newton_root("x", 1.0, max_iter=0)
    with pytest.raises(ValueError):
        gradient_descent("x^2", 1.0, learning_rate=-1)
    with pytest.raises(ValueError, match="Unknown name 'y'"):
        newton_root("y^2", 1.0)


def test_a_function_object_can_be_passed_instead_of_text():
    f = parse_function("x^2 - 2")
    run = newton_root(f, 1)
    assert isinstance(run, NewtonRun) and run.function is f
    assert run.derivative is f.derivative()


# -- property: Newton's step solves the tangent equation ---------------------

_SMOOTH = ["{a}x^3 + {b}x^2 + {c}x + {d}", "sin({a}x) + {b}x + {c}",
           "exp({a}x/4) - {b} - {c}x^2", "atan({a}x + {b}) + {c}x",
           "sigmoid({a}x) - 0.5 + {b}x^3", "({a}x + {b})/(1 + x^2) + {c}"]
_coefficient = st.floats(0.5, 3.0).map(lambda v: round(v, 2)) | st.floats(-3.0, -0.5).map(
    lambda v: round(v, 2))


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(_SMOOTH), _coefficient, _coefficient, _coefficient, _coefficient,
       st.floats(-4.0, 4.0), st.sampled_from(["root", "minimise"]))
def test_every_step_satisfies_the_tangent_equation(template, a, b, c, d, x0, mode):
    text = template.format(a=a, b=b, c=c, d=d).replace("+ -", "- ")
    run = newton_root(text, x0) if mode == "root" else newton_minimize(text, x0)
    assert isinstance(run.outcome, NewtonOutcome)
    assert run.message and run.message.endswith(run.hint)
    for k, step in enumerate(run.steps):
        assert isinstance(step, NewtonStep) and step.k == k
        # value + slope·(x_{k+1} − x_k) = 0: x_{k+1} is where the tangent meets 0.
        residual = step.value + step.slope * (step.x_next - step.x)
        scale = abs(step.value) + abs(step.slope) * max(1.0, abs(step.x), abs(step.x_next))
        assert abs(residual) <= 1e-12 * scale
        assert step.value == pytest.approx(run.function(step.x), rel=1e-12, abs=1e-300)
    assert run.iterates[0] == x0 and run.iterates[-1] == run.x_final
    if run.outcome.converged:
        assert abs(run.final_value) <= 1e-5


# -- core stays free of the GUI -------------------------------------------------

def test_importing_core_newton_does_not_import_qt_gui_or_sympy():
    code = ("import sys, core.newton\n"
            "heavy = [m for m in sys.modules if m.split('.')[0] in "
            "('PySide6', 'pyqtgraph', 'gui', 'sympy')]\n"
            "print(heavy)\n"
            "core.newton.newton_root('x^2 - 2', 1)\n"
            "print('sympy' in sys.modules)\n")
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["[]", "True"]
