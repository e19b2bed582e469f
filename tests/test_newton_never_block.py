"""The symbolic work for a typed function never blocks: it runs in a child process
with a deadline, so a costly function is refused within 2 s, a newer function never
waits behind it, presets, sessions and lessons apply their function without waiting,
and the child process ends with its tab."""
import multiprocessing
import os
import time

import pytest
from costly_parse import COSTLY, parse_without_cost_guard
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget
from test_newton_parsing_async import Probe, type_text

from core.newton import FunctionSyntaxError
from core.parse_service import TOO_COMPLICATED
from gui.newton.presets import PRESETS
from gui.newton.tab import NewtonTab

#: measured in a fresh interpreter (tests/test_issue11_big_inputs_isolated.py): late in
#: the full suite the stall bounds measured what earlier tests left behind
pytestmark = pytest.mark.skipif(os.environ.get("STEPWISE_FRESH_PROCESS") != "1",
                                reason="run in a fresh process by "
                                "test_issue11_big_inputs_isolated.py")


@pytest.fixture
def tab(newton_tab):
    # the core's cost estimate off: COSTLY reaches SymPy (7 s in-process here)
    newton_tab.function_input.set_parser(parse_without_cost_guard, FunctionSyntaxError)
    return newton_tab


def wait_for_child(qtbot, tab):
    """The child is started and has taken a job: the costly one is under way."""
    qtbot.waitUntil(lambda: tab.function_input.worker.service.pids(), timeout=10_000)


def test_a_costly_function_is_refused_within_2_s_and_the_loop_never_stalls(tab, qtbot):
    edit = tab.findChild(QWidget, "functionInput")
    before = tab.function
    with Probe() as probe:
        type_text(qtbot, edit, COSTLY)
        start = time.perf_counter()
        tab.function_input.flush()                  # no typing pause: the clock is fair
        qtbot.waitUntil(lambda: tab.function_input.error_message() is not None,
                        timeout=10_000)
        took = time.perf_counter() - start
    assert took < 2.0, took
    assert tab.function_input.error_message() == TOO_COMPLICATED
    assert "too complicated" in tab.findChild(QWidget, "functionError").text()
    assert tab.function is before and not tab.function_input.has_pending()
    assert probe.largest_gap() <= 0.100, probe.largest_gap()


def test_a_simple_function_typed_after_a_costly_one_does_not_wait_for_it(tab, qtbot):
    edit = tab.findChild(QWidget, "functionInput")
    type_text(qtbot, edit, COSTLY)
    tab.function_input.flush()
    qtbot.wait(300)                                 # the costly one is being prepared
    assert tab.function_input.worker.busy()
    with Probe() as probe:
        start = time.perf_counter()
        type_text(qtbot, edit, "x^2 - 3")
        qtbot.waitUntil(lambda: tab.function.text == "x^2 - 3", timeout=10_000)
        took = time.perf_counter() - start
    assert took < 1.5, took                         # 150 ms typing pause + a fresh child
    assert tab.run.objective.text == "x^2 - 3"
    assert tab.function_input.error_message() is None
    assert probe.largest_gap() <= 0.100


def test_a_preset_chosen_during_a_costly_parse_applies_without_waiting(tab, qtbot):
    edit = tab.findChild(QWidget, "functionInput")
    type_text(qtbot, edit, COSTLY)
    tab.function_input.flush()
    qtbot.wait(200)
    index = next(i for i, p in enumerate(PRESETS) if p.title.startswith("Cycle"))
    preset = PRESETS[index]
    with Probe() as probe:
        start = time.perf_counter()
        tab.load_preset(index)
        returned = time.perf_counter() - start
        qtbot.waitUntil(tab.is_ready, timeout=5_000)
        took = time.perf_counter() - start
    assert returned < 0.1 and took < 2.0, (returned, took)
    assert probe.largest_gap() <= 0.100
    assert tab.function.text == preset.function and tab.x0 == preset.x0
    assert tab.player.mode == preset.mode and tab.run.outcome.name == "CYCLE"


def test_a_newer_apply_supersedes_an_older_one(tab, qtbot):
    tab.load_preset(next(i for i, p in enumerate(PRESETS) if p.title.startswith("Cycle")))
    done = []
    tab.apply_settings("x^2 - 2", mode=PRESETS[0].mode, x0=1.5, tol=1e-10, max_iter=50,
                       then=done.append)
    assert done == [] and tab.function_input.text() == "x^2 - 2"
    assert tab.wait_parsed()
    assert done == [True] and tab.function.text == "x^2 - 2" and tab.x0 == 1.5
    assert tab.preset_combo.currentIndex() >= 0


def test_restoring_a_session_during_a_costly_parse_lands_on_the_session(tab, qtbot, theme):
    other = NewtonTab(theme)
    qtbot.addWidget(other)
    other.show()
    qtbot.waitUntil(other.is_ready, timeout=20_000)
    other.set_function_text("x^3 - 2*x + 2")
    assert other.wait_parsed()
    other.player.update(x0=0.5, position=3)
    saved = other.state()
    other.stop()
    edit = tab.findChild(QWidget, "functionInput")
    type_text(qtbot, edit, COSTLY)
    tab.function_input.flush()
    qtbot.wait(200)
    with Probe() as probe:
        start = time.perf_counter()
        tab.restore_state(saved)
        returned = time.perf_counter() - start
        qtbot.waitUntil(tab.is_ready, timeout=5_000)
    assert returned < 0.1, returned
    assert probe.largest_gap() <= 0.100
    assert tab.state() == saved


def test_the_child_process_ends_with_its_tab(qtbot, theme):
    widget = NewtonTab(theme)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(widget.is_ready, timeout=20_000)
    pids = widget.function_input.worker.child_pids()
    assert len(pids) == 1
    os.kill(pids[0], 0)                             # running
    widget.stop()
    assert widget.function_input.worker.child_pids() == []
    with pytest.raises(ProcessLookupError):         # gone and reaped: no zombie
        os.kill(pids[0], 0)
    assert not [p for p in multiprocessing.active_children() if p.pid == pids[0]]


def test_a_lesson_step_during_a_costly_parse_applies_without_waiting(qtbot, tmp_path):
    from gui.main_window import MainWindow
    QSettings().clear()
    window = MainWindow(restore=False)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    tab = window.newton_tab
    window.after_show()
    qtbot.waitUntil(tab.is_ready, timeout=20_000)
    tab.function_input.set_parser(parse_without_cost_guard, FunctionSyntaxError)
    own = tmp_path / "mine.toml"
    own.write_text('title = "Mine"\n[[caption]]\ntext = "One."\n[caption.newton]\n'
                   'function = "x^2 - 2"\nmode = "root"\nx0 = 1.0\n'
                   '[[caption]]\ntext = "Two."\n[caption.newton]\n'
                   'function = "x^3 - 2"\nmode = "root"\nx0 = 2.0\nstep = 2\n',
                   encoding="utf-8")
    lessons = window.lessons
    try:
        assert lessons.open_lesson(own)
        qtbot.waitUntil(lambda: not lessons.is_applying(), timeout=5_000)
        assert tab.function.text == "x^2 - 2"
        type_text(qtbot, tab.findChild(QWidget, "functionInput"), COSTLY)
        tab.function_input.flush()
        qtbot.wait(200)
        with Probe() as probe:
            start = time.perf_counter()
            lessons.next_action.trigger()
            returned = time.perf_counter() - start
            assert lessons.is_applying()            # the caption waits for its function
            qtbot.waitUntil(lambda: not lessons.is_applying(), timeout=5_000)
        assert returned < 0.1, returned
        assert probe.largest_gap() <= 0.100
        assert tab.function.text == "x^3 - 2" and tab.x0 == 2.0 and tab.position == 2
        pids = tab.function_input.worker.child_pids()
    finally:
        window.document.set_modified(False)         # closes without a question
        assert window.close()
    assert tab.function_input.worker.child_pids() == []
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_a_child_that_cannot_start_is_an_error_in_the_box_not_a_traceback(tab, qtbot,
                                                                           monkeypatch):
    """A child process that cannot start (seen with a script lacking the __main__
    guard under forkserver) used to hand the exception to the player as if it were
    the function: a ValueError traceback from every parse."""
    from core import parse_service

    def refuse(*_args, **_kwargs):
        raise RuntimeError("no child process here")

    tab.function_input.worker.service.close()
    monkeypatch.setattr(parse_service, "_Child", refuse)
    monkeypatch.setattr(tab.function_input.worker, "service", parse_service.ParseService())
    before = tab.function
    edit = tab.findChild(QWidget, "functionInput")
    type_text(qtbot, edit, "x^2 - 3")
    tab.function_input.flush()
    qtbot.waitUntil(lambda: tab.function_input.error_message() is not None, timeout=10_000)
    assert "no child process here" in tab.function_input.error_message()
    assert tab.function is before
