"""Predict, then reveal (issue 9 item 2): predict mode hides exactly the next value,
and a right, a wrong or an empty answer reveals it, with the verdict and the score."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from core.notation import NumberRole, format_number
from core.records import BackwardStep, ForwardStep, LossStep, UpdateStep

VALUE = NumberRole.VALUE


@pytest.fixture
def window(main_window):
    yield main_window
    main_window.predict_action.setChecked(False)
    for tab in main_window.demo_tabs(build=False):
        tab.stop()


def step(window):
    window.classifier_tab.classifier_actions.step.trigger()


def on(window):
    window.predict_action.setChecked(True)
    return window.predict, window.classifier_tab


def test_the_action_is_checkable_in_the_view_menu_and_the_shortcut_list(window):
    action = window.predict_action
    assert action.objectName() == "predictAction" and action.isCheckable()
    assert action.shortcut().toString() == "Ctrl+Shift+P"
    view = next(m for m in window.menuBar().findChildren(type(window.recent_menu))
                if m.title() == "&View")
    assert action in view.actions()
    rows = [row for _, rows in window.shortcut_sections() for row in rows]
    assert any(keys == "Ctrl+Shift+P" for _, keys in rows)
    others = [a for a in window.findChildren(type(action)) if a is not action]
    assert all("Ctrl+Shift+P" not in {k.toString() for k in a.shortcuts()} for a in others)


def test_predict_mode_hides_exactly_the_next_value(window):
    predict, tab = on(window)
    assert predict.bar.isVisible()
    step(window)                                     # z₁ and a₁ of the first hidden unit
    record = tab.stepper.current
    assert isinstance(record, ForwardStep)
    assert tab.diagram.node_text(1, 0) == ("a₁", "?")
    assert tab.diagram.callout_text() == "z₁ = ?   a₁ = ?"
    numbers = tab.chain_panel.shown_texts()["chainNumbersLabel"]
    assert "<b>?</b>" in numbers and format_number(record.z, VALUE) not in numbers
    assert tab.chain_panel.value_text() == "a₁ = ?"
    # what is already known is real: the inputs, the weights in the products
    assert tab.diagram.node_text(0, 0) == ("x₁", "3")
    assert "3·0.0889" in numbers
    assert predict.bar.question_text().startswith("z₁ = ?")
    # z answered: z shows, a is still asked
    verdict = predict.answer(format_number(record.z, VALUE))
    assert verdict.correct
    numbers = tab.chain_panel.shown_texts()["chainNumbersLabel"]
    assert f"<b>{format_number(record.z, VALUE)}</b>" in numbers
    assert f"σ({format_number(record.z, VALUE)}) = <b>?</b>" in numbers
    assert tab.diagram.node_text(1, 0) == ("a₁", "?")
    assert predict.bar.question_text().startswith("a₁ = ?")
    # Step while a value is asked reveals it instead of stepping
    step(window)
    assert tab.stepper.current is record
    assert tab.diagram.node_text(1, 0) == ("a₁", format_number(record.a, VALUE))
    assert tab.chain_panel.value_text() == f"a₁ = {format_number(record.a, VALUE)}"
    step(window)                                     # all settled: the walk moves on
    assert tab.stepper.current is not record


def test_right_wrong_and_empty_answers_reveal_with_verdict_and_score(window, qtbot):
    predict, tab = on(window)
    bar = predict.bar
    step(window)
    record = tab.stepper.current
    # right (three significant digits), typed and Enter
    bar.input.setText(f"{record.z:.3g}")
    qtbot.keyClick(bar.input, Qt.Key.Key_Return)
    assert bar.verdict_text().startswith("✔ Right: z₁ = ")
    assert bar.score_text() == "Score 1/1"
    # wrong
    bar.input.setText("-7")
    qtbot.keyClick(bar.input, Qt.Key.Key_Return)
    assert bar.verdict_text().startswith("✖ Not quite: you said −7")
    assert bar.verdict_text().endswith(f"a₁ = σ(z₁) = {format_number(record.a, VALUE)}")
    assert bar.score_text() == "Score 1/2"
    assert tab.diagram.node_text(1, 0)[1] == format_number(record.a, VALUE)
    # empty: Space in the box reveals without counting
    step(window)
    second = tab.stepper.current
    assert second is not record and tab.chain_panel.value_text() == "a₂ = ?"
    qtbot.keyClick(bar.input, Qt.Key.Key_Space)
    assert bar.verdict_text().startswith("▸ z₂ = ")
    assert bar.score_text() == "Score 1/2"
    qtbot.keyClick(bar.input, Qt.Key.Key_Return)     # empty Enter reveals too
    assert tab.chain_panel.value_text() == f"a₂ = {format_number(second.a, VALUE)}"
    assert tab.diagram.node_text(1, 1)[1] == format_number(second.a, VALUE)
    # not a number: the question stays open
    step(window)
    bar.input.setText("abc")
    qtbot.keyClick(bar.input, Qt.Key.Key_Return)
    assert "not a number" in bar.verdict_text()
    assert tab.diagram.callout_text().startswith("z = ?")


def test_values_before_the_forward_pass_are_not_shown(window):
    tab = window.classifier_tab
    assert tab.diagram.node_text(1, 0)[1] != ""          # today: shown at rest
    on(window)
    assert tab.diagram.node_text(1, 0)[1] == ""
    assert tab.diagram.node_text(1, 1)[1] == ""
    assert tab.diagram.node_text(2, 0)[1] == ""
    assert tab.diagram.node_text(0, 0)[1] == "3"         # the inputs are given
    view, model = tab.table.view, tab.model                # the table's ŷ would tell
    assert view.isColumnHidden(model.prediction_column) and view.isColumnHidden(model.correct_column)
    window.focus_action.setChecked(True)                   # the stage lays the table out anew
    assert view.isColumnHidden(model.prediction_column)
    window.focus_action.setChecked(False)
    step(window)
    window.predict.reveal()
    window.predict.reveal()
    assert tab.diagram.node_text(1, 0)[1] != ""          # computed now
    assert tab.diagram.node_text(2, 0)[1] == ""          # ŷ still to come


def test_loss_and_backward_values_are_asked(window):
    predict, tab = on(window)
    while True:
        step(window)
        if isinstance(tab.stepper.current, LossStep):
            break
        while not predict.quiz().done:
            predict.reveal()
    assert isinstance(tab.stepper.current, LossStep)
    assert tab.diagram.loss_text() == "?" and tab.chain_panel.value_text() == "L = ?"
    predict.answer(str(tab.stepper.current.loss))
    assert tab.diagram.loss_text() == format_number(tab.stepper.current.loss, VALUE)
    step(window)
    backward = tab.stepper.current
    assert isinstance(backward, BackwardStep)
    assert tab.diagram.callout_text() == f"∂L/∂{backward.parameter.label} = ?"
    texts = tab.chain_panel.shown_texts()
    assert "?" in texts["chainFactorsLabel"] and "numericCheckLabel" not in texts
    assert format_number(backward.gradient, NumberRole.DERIVATIVE) not in tab.chain_panel.html()
    while not predict.quiz().done:
        predict.reveal()
    texts = tab.chain_panel.shown_texts()
    assert "?" not in texts["chainFactorsLabel"] and "?" not in texts["updateLabel"]
    assert texts["numericCheckLabel"].startswith("finite difference")
    while not isinstance(tab.stepper.current, UpdateStep):   # the update: L after it
        step(window)
    assert tab.chain_panel.value_text().endswith("→ ?")
    assert "mean loss ?" in tab.controls.status.text()
    predict.reveal()
    assert "?" not in tab.chain_panel.value_text() and "?" not in tab.controls.status.text()


def test_turning_predict_mode_off_shows_everything(window):
    predict, tab = on(window)
    assert tab.diagram.node_text(2, 0)[1] == ""             # at rest, ŷ is to come
    window.predict_action.setChecked(False)
    assert tab.diagram.node_text(2, 0)[1] != ""             # at rest values are back
    assert not tab.table.view.isColumnHidden(tab.model.prediction_column)
    window.predict_action.setChecked(True)
    step(window)
    assert tab.diagram.node_text(1, 0)[1] == "?"
    window.predict_action.setChecked(False)
    assert not predict.bar.isVisible()
    record = tab.stepper.current
    assert tab.diagram.node_text(1, 0)[1] == format_number(record.a, VALUE)
    assert tab.chain_panel.value_text() == f"a₁ = {format_number(record.a, VALUE)}"
    step(window)
    assert tab.stepper.current is not record              # Step steps again


def test_newton_next_row_shows_question_marks_until_revealed(window, qtbot):
    window.show_newton_action.trigger()
    newton = window.newton_tab
    qtbot.waitUntil(newton.is_ready, timeout=20_000)
    predict = window.predict
    window.predict_action.setChecked(True)
    newton.step_action.trigger()
    run_step = newton.run.steps[0]
    table = newton.run_panel.table
    column = table.column_of
    assert table.shown() == 1
    assert table.cell_text(0, column("x")) != "?"
    for field in ("value", "slope", "x_next"):
        assert table.cell_text(0, column(field)) == "?", field
    assert "<b>?</b>" in newton.run_panel.arithmetic_label.text()
    assert predict.bar.question_text().startswith("g′(x₀) = ?")    # the lecture minimises g
    predict.answer(str(run_step.value))
    assert table.cell_text(0, column("value")) != "?"
    assert table.cell_text(0, column("slope")) == "?"
    newton.step_action.trigger()                     # Step reveals the slope
    assert table.cell_text(0, column("slope")) != "?"
    assert table.cell_text(0, column("x_next")) == "?"
    assert newton.position == 1
    newton.step_action.trigger()                     # and then x₁
    assert table.cell_text(0, column("x_next")) != "?"
    assert "?" not in newton.run_panel.arithmetic_label.text()
    newton.step_action.trigger()
    assert newton.position == 2
    assert table.cell_text(1, column("x_next")) == "?"
    window.predict_action.setChecked(False)
    assert table.cell_text(1, column("x_next")) != "?"


def test_play_stops_at_each_question(window, qtbot):
    predict, tab = on(window)
    tab.classifier_actions.play.setChecked(True)
    qtbot.waitUntil(lambda: not predict.quiz().done, timeout=5_000)
    assert not tab.is_playing()                       # the hall predicts first
    assert tab.diagram.node_text(1, 0)[1] == "?"


def test_predict_mode_works_while_a_lesson_is_open(window, qtbot):
    window.lessons.set_open(True)
    qtbot.waitUntil(lambda: not window.lessons.is_applying(), timeout=20_000)
    predict, tab = on(window)
    step(window)
    assert window.lessons.is_open() and not predict.quiz().done
    assert "?" in tab.chain_panel.value_text()
    while not predict.quiz().done:
        predict.reveal()
    assert "?" not in tab.chain_panel.value_text()
    assert predict.bar.verdict_text().startswith("▸ ")
