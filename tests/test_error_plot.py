"""Issue 9 item 4: the Newton tab's error plot (errorPlot) draws |xₖ − x*| on a log
scale up to the step shown, with |F(xₖ)| and the race's errors on the same axes."""
import math

import pytest
from PySide6.QtWidgets import QWidget

from core.convergence import convergence_of, error_curves
from core.newton import newton_minimize


def points(curve) -> int:
    return 0 if curve.xData is None else len(curve.xData)


@pytest.fixture
def tab(newton_tab):
    return newton_tab


def test_error_curves_are_the_distances_to_the_best_estimate():
    run = newton_minimize("exp(x) - ln(x)", 0.05)
    root = convergence_of(run).root
    assert root == pytest.approx(0.567143290409784, abs=1e-15)
    curves = error_curves(run, position=3)
    assert [k for k, _ in curves.newton] == [0, 1, 2, 3]
    for (_k, error), x in zip(curves.newton, (0.05, 0.0972, 0.1832, 0.3205)):
        assert error == pytest.approx(abs(x - root), abs=1e-4)
    assert curves.residuals[0][1] == pytest.approx(abs(math.exp(0.05) - 1 / 0.05))
    whole = error_curves(run)
    assert all(e > 0 for _, e in whole.newton)     # an exact 0 is left off the log axis
    assert len(whole.newton) < len(run.iterates)   # x₈, x₉ are x* to the last bit
    assert whole.newton[-1][1] < 1e-7              # x₇: the digits doubled to here


def test_the_plot_shows_exactly_the_errors_up_to_the_current_step(tab):
    plot = tab.findChild(QWidget, "errorPlot")
    assert plot is not None and plot.isVisible()
    tab.load_preset(0)
    assert tab.wait_parsed(20)
    for _ in range(3):
        tab.step()
    run = tab.player.run
    root = convergence_of(run).root
    xs, ys = plot.newton.xData, plot.newton.yData
    assert list(xs) == [0, 1, 2, 3]
    assert list(ys) == [abs(x - root) for x in run.iterates[:4]]
    assert plot.getPlotItem().getAxis("left").logMode
    tab.step()
    assert len(plot.newton.xData) == 5             # one more point per step
    tab.step_back() if hasattr(tab, "step_back") else tab.back_action.trigger()
    assert len(plot.newton.xData) == 4


def test_the_race_shares_the_axes_and_leaves_with_it(tab, qtbot):
    plot = tab.findChild(QWidget, "errorPlot")
    tab.load_preset(0)
    assert tab.wait_parsed(20)
    tab.race_check.setChecked(True)
    qtbot.waitUntil(lambda: not tab.player.race_pending, timeout=10_000)
    tab.step()
    tab.step()
    root = convergence_of(tab.player.run).root
    race = tab.player.race
    assert list(plot.race.yData) == [abs(x - root) for x in race.iterates[:3]]
    assert plot.race.isVisible() and "descent" in plot.getPlotItem().titleLabel.text
    tab.race_check.setChecked(False)
    assert not plot.race.isVisible() and "descent" not in plot.getPlotItem().titleLabel.text


def test_a_run_that_settles_nowhere_says_only_the_residual_is_shown(tab):
    plot = tab.findChild(QWidget, "errorPlot")
    tab.apply_settings("x^2 + 1", mode="root", x0=0.5, tol=1e-10, max_iter=20,
                       race=False, learning_rate=0.1, position=3)
    assert tab.wait_parsed(20)
    assert not tab.player.run.converged
    assert points(plot.newton) == 0 and points(plot.residual) == 4
    assert "no root" in plot.note.toPlainText()


def test_the_table_shows_digit_doubling_and_ratios_from_the_best_estimate(tab):
    from gui.newton.iteration_table import FIELDS
    tab.load_preset(0)                     # the lecture: e^x − ln x from 0.05
    assert tab.wait_parsed(20)
    tab.run_to_end()
    table = tab.table
    x = FIELDS.index("x")
    x7, x8 = table.cell_text(7, x), table.cell_text(8, x)
    assert x7 != x8 and x7.startswith("0.5671432") and x8.startswith("0.5671432904")
    conv = convergence_of(tab.player.run)
    digits = FIELDS.index("digits")
    assert [table.cell_text(k, digits) for k in range(9)] == [str(d) for d in conv.digits[1:]]
    ratio = FIELDS.index("error_ratio")
    assert table.horizontalHeaderItem(ratio).text() == "|eₖ₊₁|/|eₖ|²"
    for k in range(9):
        value = table.cell_value(k, ratio)
        assert (math.isnan(value) and math.isnan(conv.ratios[k])) or value == conv.ratios[k]
    # the lecture's quadratic constant |g‴(x*)/(2g″(x*))| is what the ratios approach
    assert conv.constant == pytest.approx(table.cell_value(6, ratio), rel=0.1)


def test_the_theoretical_constant_is_named_at_the_end_of_a_quadratic_run(tab):
    label = tab.findChild(QWidget, "convergenceLabel")
    tab.load_preset(0)
    assert tab.wait_parsed(20)
    tab.step()
    assert not label.isVisible()            # only once the run has ended
    tab.run_to_end()
    conv = convergence_of(tab.player.run)
    assert label.isVisible()
    assert "|g‴(x*)/(2g″(x*))|" in label.text() and "|eₖ₊₁|/|eₖ|²" in label.text()
    from core.notation import NumberRole, format_number
    assert format_number(conv.constant, NumberRole.DERIVATIVE) in label.text()
