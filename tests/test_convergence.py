"""Convergence views' numbers: errors from the best estimate of the root, correct
digits doubling, the ratio beside its theoretical constant."""
from __future__ import annotations

import math

import pytest

from core.convergence import convergence_of, correct_digits
from core.newton import newton_minimize, newton_root

OMEGA = 0.5671432904097838      # e^(−x) = x: the minimum of eˣ − ln x


def test_lecture_errors_are_measured_from_the_best_estimate():
    run = newton_minimize("exp(x) - ln(x)", 0.05)
    data = convergence_of(run)
    assert data.root == pytest.approx(OMEGA, abs=1e-15)
    assert data.errors == tuple(abs(x - data.root) for x in run.iterates)
    assert data.errors[0] == pytest.approx(0.5171432904, abs=1e-9)
    # the errors shrink every step until they reach rounding noise
    assert all(b < a for a, b in zip(data.errors[:6], data.errors[1:7]))


def test_correct_digits_double_near_the_end():
    data = convergence_of(newton_minimize("exp(x) - ln(x)", 0.05))
    digits = data.digits
    assert digits[0] == 0 and digits[-1] == 16
    assert digits[5] >= 2 and digits[6] >= 2 * digits[5] - 1 and digits[7] >= 2 * digits[6] - 1


def test_quadratic_ratio_settles_near_the_theoretical_constant():
    data = convergence_of(newton_minimize("exp(x) - ln(x)", 0.05))
    # C = |g‴(x*)/(2g″(x*))| with g″ = eˣ + 1/x², g‴ = eˣ − 2/x³
    e = math.exp(OMEGA)
    expected = abs((e - 2 / OMEGA ** 3) / (2 * (e + 1 / OMEGA ** 2)))
    assert data.order == 2 and data.ratio_title == "|eₖ₊₁|/|eₖ|²"
    assert data.constant == pytest.approx(expected, rel=1e-6)
    settled = [r for r in data.ratios[4:] if math.isfinite(r)]
    assert settled and all(r == pytest.approx(expected, rel=0.1) for r in settled[-2:])


def test_root_mode_constant_for_sqrt_two():
    data = convergence_of(newton_root("x^2 - 2", 1.0))
    # f″/(2f′) = 2/(4√2) = 1/(2√2)
    assert data.constant == pytest.approx(1 / (2 * math.sqrt(2)), rel=1e-6)
    assert data.root == pytest.approx(math.sqrt(2), abs=1e-15)


def test_a_double_root_shows_the_linear_ratio_one_half():
    run = newton_root("(x-1)^2", 2.0)
    data = convergence_of(run)
    assert data.order == 1 and data.ratio_title == "|eₖ₊₁|/|eₖ|" and math.isnan(data.constant)
    early = [r for r in data.ratios[:10] if math.isfinite(r)]
    assert early and all(r == pytest.approx(0.5, abs=0.02) for r in early)


def test_runs_that_did_not_settle_have_no_convergence_data():
    assert convergence_of(newton_root("atan(x)", 1.5)) is None        # diverges
    assert convergence_of(newton_root("x^2 - 2", 0.0)) is None         # no step taken


@pytest.mark.parametrize("x, root, digits", [
    (0.5671, OMEGA, 4), (0.5, OMEGA, 1), (OMEGA, OMEGA, 16), (3.0, OMEGA, 0),
    (1414.2136, 1414.21356, 7), (math.nan, 1.0, 0),
])
def test_correct_digits(x, root, digits):
    assert correct_digits(x, root) == digits
