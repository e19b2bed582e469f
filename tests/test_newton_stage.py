"""The Newton tab on a lecture-hall screen (issue #8): the stage layout, graphics that
follow the presentation scale, a view that follows the work, a table that fits a
small projector, formulas that stay typeset, and x₀ within its range (issue #11)."""
import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtWidgets import QApplication, QWidget

from core.limits import X0_RANGE
from gui.newton.iteration_table import (
    FIELDS,
    MIN_FONT_FRACTION,
    STAGE_HIDDEN,
    STAGE_MIN_FONT_FRACTION,
    STAGE_ROWS,
)
from gui.newton.presets import PRESETS
from gui.newton.tab import STAGE_PLOT_SHARE, NewtonTab

SECONDARY = ("tolSpin", "maxIterSpin", "gdLearningRateSpin", "presetCombo", "modeCombo",
             "newtonSpeedSpin")
ON_STAGE = ("x0Spin", "raceCheck", "newtonStepButton", "newtonBackButton",
            "newtonFitButton", "newtonSettingsDrawerButton", "functionInput")


def make_tab(qtbot, theme, width=1200, height=760):
    tab = NewtonTab(theme)
    qtbot.addWidget(tab)
    tab.resize(width, height)
    tab.show()
    qtbot.waitExposed(tab)
    qtbot.waitUntil(tab.is_ready, timeout=10_000)
    return tab


@pytest.fixture
def tab(qtbot, theme):
    widget = make_tab(qtbot, theme)
    yield widget
    widget.stop()


def settle():
    for _ in range(3):
        QApplication.processEvents()


def child(tab, name):
    widget = tab.findChild(QWidget, name)
    assert widget is not None, name
    return widget


def race_on(tab, qtbot, rate=0.1):
    child(tab, "gdLearningRateSpin").setValue(rate)
    child(tab, "raceCheck").setChecked(True)
    qtbot.waitUntil(lambda: tab.race is not None and tab.race.learning_rate == rate,
                    timeout=10_000)


def preset_index(title_start: str) -> int:
    return next(i for i, p in enumerate(PRESETS) if p.title.startswith(title_start))


# ---------------------------------------------------------------- the stage layout
def test_stage_gives_the_plots_the_width_and_folds_the_settings(qtbot, theme):
    theme.set_scale(2.0)
    tab = make_tab(qtbot, theme, 1920, 1000)
    race_on(tab, qtbot)
    for _ in range(3):
        tab.step()
    settle()
    plots_before, g_prime_before = tab.plots.width(), tab.plots.second.height()
    assert plots_before < 0.5 * tab.width()         # the normal split: the table's half

    tab.set_stage(True)
    settle()
    assert tab.plots.width() >= 0.6 * tab.splitter.width()
    assert tab.plots.width() == pytest.approx(STAGE_PLOT_SHARE * tab.splitter.width(), abs=8)
    assert tab.plots.second.height() > g_prime_before + 40    # rows folded: taller too
    for name in SECONDARY:
        assert not child(tab, name).isVisible(), name
    for name in ON_STAGE:
        assert child(tab, name).isVisible(), name
    # x₀ and the race share one line with the step buttons
    step_y = child(tab, "newtonStepButton").mapTo(tab, child(tab, "newtonStepButton")
                                                  .rect().center()).y()
    x0_y = child(tab, "x0Spin").mapTo(tab, child(tab, "x0Spin").rect().center()).y()
    assert abs(step_y - x0_y) < 10

    drawer = child(tab, "newtonSettingsDrawerButton")
    drawer.click()                                  # the drawer opens every setting again
    settle()
    for name in SECONDARY:
        assert child(tab, name).isVisible(), name
    drawer.click()
    settle()
    assert not child(tab, "tolSpin").isVisible()

    tab.set_stage(False)                            # and everything comes back
    settle()
    for name in SECONDARY:
        assert child(tab, name).isVisible(), name
    assert not child(tab, "newtonSettingsDrawerButton").isVisible()
    assert tab.plots.width() == pytest.approx(plots_before, abs=8)
    assert not any(tab.table.isColumnHidden(c) for c in range(len(FIELDS)))
    tab.stop()


def test_stage_table_shows_the_rows_that_matter_and_follows_the_current_one(qtbot, theme):
    theme.set_scale(2.0)
    tab = make_tab(qtbot, theme, 1920, 1000)
    tab.set_stage(True)
    tab.run_to_end()
    settle()
    table = tab.table
    assert table.rowCount() == 9
    for field in STAGE_HIDDEN:                      # xₖ₊₁ − xₖ, twice: left out
        assert table.isColumnHidden(FIELDS.index(field))
    row_h = table.rowHeight(0)
    visible = table.viewport().height() / row_h
    assert visible == pytest.approx(STAGE_ROWS, abs=0.05)     # whole rows, no sliver
    last = table.rowCount() - 1                     # the current row, in full view
    top = table.rowViewportPosition(last)
    assert 0 <= top and top + row_h <= table.viewport().height()
    assert table.horizontalScrollBar().maximum() == 0
    # the panel's spare height is not given to empty table rows
    assert table.height() < 0.5 * tab.run_panel.height()
    tab.step_back()
    tab.step_back()
    current = table.rowCount() - 1
    assert 0 <= table.rowViewportPosition(current) <= table.viewport().height() - row_h
    tab.set_stage(False)
    settle()
    assert table.height() > 0.5 * tab.run_panel.height()
    tab.stop()


# ---------------------------------------------------------------- graphics follow the scale
def _graphics(tab):
    plots = tab.plots
    axis = plots.main.getPlotItem().getAxis("bottom")
    return {
        "curve": plots.model_layer.curve.opts["pen"].widthF(),
        "g′ tangent": plots.tangent_second.tangent.opts["pen"].widthF(),
        "root tangent": plots.tangent_main.tangent.opts["pen"].widthF(),
        "faded tangents": plots.tangent_second.faded.opts["pen"].widthF(),
        "race path": plots.race_main.path.opts["pen"].widthF(),
        "iterate markers": plots.model_layer.iterates.opts["size"],
        "vertex marker": plots.model_layer.vertex.opts["size"],
        "race markers": plots.race_main.points.opts["size"],
        "marker outline": plots.model_layer.iterates.opts["pen"].widthF(),
        "iterate labels": plots.main.getPlotItem()._newton_overlay._font.pointSizeF(),
        "tick labels": axis.style["tickFont"].pointSizeF(),
        "tick length": abs(axis.style["tickLength"]),
        "axis pen": axis.pen().widthF(),
        "axis title": float(axis.labelStyle["font-size"].rstrip("pt")),
        "x₀ line": plots.x0_lines[0].pen.widthF(),
        "x₀ label": plots.x0_lines[0].label.textItem.font().pointSizeF(),
    }


def test_every_graphic_grows_with_the_presentation_scale(tab, theme):
    small = _graphics(tab)
    theme.set_scale(2.0)
    big = _graphics(tab)
    for name, value in small.items():
        assert value > 0, name
        assert big[name] == pytest.approx(2 * value, rel=0.08), name
    theme.set_scale(1.0)
    assert _graphics(tab) == pytest.approx(small)


# ---------------------------------------------------------------- the view follows the work
def _in_view(box, x, y=None):
    (x_lo, x_hi), (y_lo, y_hi) = box.viewRange()
    inside = x_lo < x < x_hi
    return inside and (y is None or y_lo < y < y_hi)


def test_the_race_and_the_next_iterate_stay_in_view(tab, qtbot):
    race_on(tab, qtbot, 0.1)          # x₁ of gradient descent = 1.945, far right of Newton's
    main, second = tab.plots.main.getViewBox(), tab.plots.second.getViewBox()
    g, dg = tab.race.objective, tab.race.function
    frames = {tuple(main.viewRange()[0])}
    for p in range(1, tab.total_steps() + 1):
        tab.step()
        frames.add(tuple(main.viewRange()[0]))
        x_gd = tab.race.iterates[min(p, len(tab.race.steps))]
        assert _in_view(main, x_gd, float(g(x_gd))), p
        assert _in_view(second, x_gd, float(dg(x_gd))), p
        assert _in_view(main, tab.run.steps[p - 1].x), p             # current
        assert _in_view(main, tab.run.steps[p - 1].x_next), p        # next
    # the first frame already holds the race's path: the view settles once at most
    # (zooming in when gradient descent comes back), it does not jump every step
    assert len(frames) <= 2
    # once the user zooms, the view is theirs until Fit view
    tab.reset()
    main.setRange(xRange=(0.0, 0.2), padding=0)
    main.sigRangeChangedManually.emit([True, True])
    tab.step()
    tab.step()
    assert main.viewRange()[0] == pytest.approx([0.0, 0.2])
    tab.fit_action.trigger()
    assert _in_view(main, tab.race.iterates[2]) and _in_view(main, tab.run.steps[1].x_next)


def test_a_runaway_race_does_not_shrink_newtons_steps_to_a_dot(tab, qtbot):
    race_on(tab, qtbot, 5.0)          # α = 5: gradient descent leaves far behind
    tab.step()
    tab.step()
    x_lo, x_hi = tab.plots.main.getViewBox().viewRange()[0]
    assert x_hi - x_lo < 10 and x_lo < tab.run.steps[1].x_next < x_hi


def test_a_cycle_keeps_its_shared_labels(tab):
    tab.load_preset(preset_index("Cycle"))        # 0 → 1 → 0: the cycle is named
    assert tab.wait_parsed()
    tab.run_to_end()
    assert tab.total_steps() == 2 and tab.run.outcome.name == "CYCLE"
    labels = sorted(tab.plots.tangent_layer.labels.texts())
    assert labels == ["x₁", "x₂ = x₀"]


def test_the_race_step_is_headed_like_newtons(tab, qtbot):
    banner = child(tab, "raceStepLabel")
    assert not banner.isVisible()
    race_on(tab, qtbot)
    tab.step()
    tab.step()
    tab.step()
    settle()
    assert banner.isVisible()
    x3 = tab.race.iterates[3]
    assert banner.text() == f"■ Gradient descent: step 3 · x₃\u00a0=\u00a0{x3:.6g}"
    assert "Step 3 of 9" in tab.outcome_label.text()
    # the same look as Newton's banner: the same type, a border in the race's colour
    assert banner.font().pointSizeF() == tab.outcome_label.font().pointSizeF()
    assert tab.theme.palette.accent in banner.styleSheet()
    assert banner.geometry().top() > tab.outcome_label.geometry().bottom()
    child(tab, "raceCheck").setChecked(False)
    settle()
    assert not banner.isVisible()


# ---------------------------------------------------------------- small projectors
def _main_window(qtbot, width, height, scale, stage=False):
    from gui.main_window import MainWindow
    window = MainWindow(restore=False)
    window.presentation_scale = lambda: 2.0     # F5 as on a 1920×1080 projector
    qtbot.addWidget(window)
    window.resize(width, height)
    window.theme.set_scale(scale)
    window.show()
    qtbot.waitExposed(window)
    window.tabs.setCurrentIndex(1)
    tab = window.newton_tab
    qtbot.waitUntil(tab.is_ready, timeout=10_000)
    if stage:
        window.focus_action.setChecked(True)
    settle()
    return window, tab


@pytest.mark.parametrize("width, height, scale, stage", [
    (1366, 768, 1.5, False), (1366, 768, 1.5, True), (1024, 768, 1.0, False),
    (1024, 768, 1.0, True), (1920, 1080, 2.0, True)])
def test_the_whole_table_fits_a_projector(qtbot, width, height, scale, stage):
    window, tab = _main_window(qtbot, width, height, scale, stage)
    tab.run_to_end()
    settle()
    table = tab.table
    assert table.horizontalScrollBar().maximum() == 0
    last = max(c for c in range(len(FIELDS)) if not table.isColumnHidden(c))
    right = table.columnViewportPosition(last) + table.columnWidth(last)
    assert right <= table.viewport().width()
    header = table.horizontalHeader()      # no header text is clipped either
    for c in range(len(FIELDS)):
        if not table.isColumnHidden(c):
            needed = header.sectionSizeFromContents(c).width()
            assert needed <= table.columnWidth(c), table.horizontalHeaderItem(c).text()
    least = STAGE_MIN_FONT_FRACTION if stage else MIN_FONT_FRACTION
    assert table.fitted_font_size() >= least * table.theme_font_size()
    tab.stop()


@pytest.mark.parametrize("stage", [False, True])
def test_the_tab_lets_the_window_shrink_to_a_small_projector(tab, stage):
    tab.set_stage(stage)
    settle()
    # room the window takes around a tab: menu bar, tab bar, status bar, margins
    hint, minimum = tab.minimumSizeHint(), tab.minimumSize()
    assert max(hint.width(), minimum.width()) <= 1000 - 20
    assert max(minimum.height(), min(hint.height(), minimum.height())) <= 680 - 110
    tab.resize(980, 570)
    settle()
    for name in ("newtonStepButton", "newtonFitButton", "x0Spin", "raceCheck"):
        widget = child(tab, name)
        right = widget.mapTo(tab, widget.rect().topRight()).x()
        assert right <= tab.width(), name


# ---------------------------------------------------------------- formulas stay typeset
def test_derivatives_stay_typeset_after_scale_changes_and_presentation(qtbot):
    from gui import mathtext
    mathtext._load()
    mathtext.notifier.ready.emit()
    window, tab = _main_window(qtbot, 1280, 800, 1.0)
    first = child(tab, "firstDerivativeFormula")
    second = child(tab, "secondDerivativeFormula")

    def typeset():
        return all(not label.pixmap().isNull() and label.text() == ""
                   for label in (first, second))

    qtbot.waitUntil(typeset)
    heights = [first.pixmap().height()]
    for change in (lambda: window.theme.set_scale(2.0), lambda: window.theme.set_scale(1.0),
                   window.presentation_action.trigger, window.leave_action.trigger,
                   lambda: window.theme.set_dark(True)):
        change()
        settle()
        assert typeset()
        heights.append(first.pixmap().height())
    assert heights[1] > 1.5 * heights[0] and heights[2] == heights[0]
    assert heights[3] == heights[1]                # F5: scale 2 again
    assert "x^(-2)" not in second.text()
    tab.stop()


# ---------------------------------------------------------------- x₀ within its range (#11)
def _send_mouse(view, kind, point, buttons):
    from PySide6.QtGui import QMouseEvent
    local = QPointF(point)
    event = QMouseEvent(kind, local, QPointF(view.viewport().mapToGlobal(point)),
                        Qt.MouseButton.LeftButton, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), event)


def test_a_click_beyond_the_x0_range_is_clamped_and_saved_clamped(tab, qtbot, theme):
    plot = tab.plots.main
    box = plot.getViewBox()
    box.setRange(xRange=(4e6, 6e6), padding=0)
    box.sigRangeChangedManually.emit([True, True])
    y = sum(box.viewRange()[1]) / 2
    point = plot.mapFromScene(box.mapViewToScene(QPointF(5e6, y)))
    _send_mouse(plot, QEvent.Type.MouseButtonPress, point, Qt.MouseButton.LeftButton)
    _send_mouse(plot, QEvent.Type.MouseButtonRelease, point, Qt.MouseButton.NoButton)
    high = X0_RANGE[1]
    assert tab.x0 == high and tab.run.x0 == high
    assert child(tab, "x0Spin").value() == high
    assert [line.value() for line in tab.plots.x0_lines] == [high, high]
    state = tab.state()
    assert state["x0"] == high
    other = NewtonTab(theme)                       # the app reopens its own file
    qtbot.addWidget(other)
    other.restore_state(state)
    assert other.wait_parsed()
    assert other.x0 == high


def test_a_drag_beyond_the_x0_range_stops_at_its_end(tab):
    line = tab.plots.x0_lines[1]                   # the g′ plot's line
    line.setValue(-5e6)                            # as a drag past the end does
    low = X0_RANGE[0]
    assert line.value() == low
    assert tab.x0 == low and tab.plots.x0_lines[0].value() == low
    assert np.isfinite(tab.plots.main.getViewBox().viewRange()[0]).all()


def test_x0_is_named_by_its_line_not_twice(tab):
    tab.step()
    for layer in (tab.plots.model_layer, tab.plots.tangent_second):
        assert layer.labels.texts() == ["x₁"]           # x₀'s name is on the dashed line
    assert all(line.label.format == "x₀" for line in tab.plots.x0_lines)


def test_a_race_arriving_after_a_drag_leaves_the_view_under_the_mouse(tab, qtbot):
    race_on(tab, qtbot, 0.1)
    tab.step()
    box = tab.plots.main.getViewBox()
    before = box.viewRange()[0]
    tab.plots.x0Dragged.emit(0.02)       # gradient descent jumps to 4.9 from there
    qtbot.waitUntil(lambda: tab.race is not None and tab.race.x0 == 0.02, timeout=10_000)
    settle()
    assert box.viewRange()[0] == pytest.approx(before)
    x_gd = tab.race.iterates[1]
    assert not _in_view(box, x_gd)
    tab.step_back()                                  # the next step follows the work again
    tab.step()
    assert _in_view(box, x_gd)


def test_the_newest_label_steps_aside_for_the_models_vertex(tab):
    for _ in range(3):
        tab.step()
    layer = tab.plots.model_layer
    vx, vy = layer.vertex_xy                        # the vertex sits just above x₃ on g
    assert vx == pytest.approx(tab.run.steps[2].x_next) and vy > layer.ys[3]
    assert layer.labels.below() == ["x₃"]           # so x₃ is written under its point
    assert "x₂" in layer.labels.texts() and "x₂" not in layer.labels.below()


def test_at_convergence_the_last_label_stays_above_its_point(tab):
    tab.run_to_end()                    # the vertex sits on x₉ itself: nothing to avoid
    layer = tab.plots.model_layer
    assert "x₉" in layer.labels.texts() and layer.labels.below() == []
