"""Lessons in the window: the dock and its keys, every shipped caption's state applied
and checked, Previous giving what Next gave, outlines, and lecturers' own files."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDockWidget

from core.data import DATASETS, DEFAULT_VOCABULARY, Dataset
from core.lessons import DATASET_KEYS, lesson_files, load_lesson
from core.network import Network, train
from core.newton import newton_minimize, newton_root
from core.records import BackwardStep, ForwardStep, LossStep, UpdateStep
from gui.lesson_panel import LESSON_FOLDER
from gui.lesson_player import record_matches
from gui.main_window import MainWindow

SHIPPED = lesson_files(LESSON_FOLDER)
PAGE_DOWN, PAGE_UP = QKeySequence(Qt.Key.Key_PageDown), QKeySequence(Qt.Key.Key_PageUp)


@pytest.fixture
def window(qtbot):
    QSettings().clear()
    win = MainWindow(restore=False)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    for tab in win.demo_tabs(build=False):
        tab.stop()


def wait_applied(qtbot, window, timeout=60_000):
    qtbot.waitUntil(lambda: not window.lessons.is_applying(), timeout=timeout)


def open_lesson(qtbot, window, index):
    lessons = window.lessons
    lessons.panel_action.trigger()
    assert lessons.is_open()
    lessons.panel.combo.setCurrentIndex(index)
    wait_applied(qtbot, window)
    return lessons


def classifier_state(tab) -> tuple:
    s = tab.stepper
    return (tuple(w.tobytes() for w in s.network.weights),
            tuple(b.tobytes() for b in s.network.biases), s.example, s.index, s.epoch,
            tuple(s.epoch_losses), s.learning_rate, s.mode, tuple(tab.model.sentences()),
            type(s.current).__name__, s.network.layer_sizes,
            tab.diagram.highlighted_items() if hasattr(tab.diagram, "highlighted_items") else 0)


def newton_state(tab) -> tuple:
    run = tab.run
    return (tab.function.text if tab.function else None, tab.player.mode, tab.x0,
            tab.position, tuple(s.x_next for s in run.steps) if run else ())


def check_classifier(window, setup):
    """The tab shows exactly ``setup``: data, network, epochs, example, micro-step."""
    tab = window.classifier_tab
    stepper = tab.stepper
    assert window.tabs.currentIndex() == 0
    rows = DATASETS[DATASET_KEYS[setup.dataset]]
    assert list(zip(tab.model.sentences(), tab.model.moods())) == [tuple(r) for r in rows]
    assert tab.controls.seed_spin.value() == setup.seed
    assert tab.controls.hidden_units_spin.value() == setup.hidden[0]
    assert tab.controls.hidden_layers_spin.value() == len(setup.hidden)
    assert tab.controls.learning_rate_spin.value() == pytest.approx(setup.learning_rate)
    assert tab.controls.mode() == setup.mode
    assert stepper.network.layer_sizes == setup.layer_sizes
    assert stepper.learning_rate == setup.learning_rate and stepper.mode == setup.mode
    assert stepper.epoch == setup.epochs
    assert stepper.example == setup.example - 1
    # the same network trained directly by the core, whole epochs from the seed
    data = Dataset([r[0] for r in rows], [r[1] for r in rows], DEFAULT_VOCABULARY)
    reference = Network(setup.layer_sizes, setup.seed)
    if setup.epochs:
        train(reference, data.features, data.labels, setup.learning_rate, setup.epochs,
              setup.mode)
    at, current = setup.at, stepper.current
    if at.stage == "start":
        assert current is None
    else:
        assert record_matches(current, at, setup.layer_sizes), (at, current)
    if at.stage == "backward":
        assert isinstance(current, BackwardStep) and current.parameter.name == at.name
    elif at.stage == "forward":
        assert isinstance(current, ForwardStep)
    elif at.stage == "loss":
        assert isinstance(current, LossStep)
    elif at.stage == "update":
        assert isinstance(current, UpdateStep)
        reference.train_step(data.features[setup.example - 1:setup.example],
                             data.labels[setup.example - 1:setup.example], setup.learning_rate)
    for mine, theirs in zip(stepper.network.weights + stepper.network.biases,
                            reference.weights + reference.biases):
        np.testing.assert_array_equal(mine, theirs)


def check_newton(window, setup):
    tab = window.newton_tab
    assert window.tabs.currentIndex() == 1
    assert tab.function.text == setup.function
    assert tab.player.mode == setup.mode and tab.x0 == setup.x0
    assert tab.position == setup.step
    solve = newton_minimize if setup.mode == "minimise" else newton_root
    run = solve(setup.function, setup.x0, tol=10.0 ** -setup.tolerance_exponent,
                max_iter=setup.max_iter)
    assert [s.x_next for s in tab.run.steps] == [s.x_next for s in run.steps]


def check_caption(window, caption):
    if caption.tab == "classifier":
        check_classifier(window, caption.classifier)
    else:
        check_newton(window, caption.newton)


@pytest.mark.parametrize("index", range(len(SHIPPED)), ids=[p.stem for p in SHIPPED])
def test_each_shipped_lesson_plays_to_its_end_and_back(qtbot, window, index):
    lessons = open_lesson(qtbot, window, index)
    lesson = lessons.panel.lesson
    assert lesson is not None and lesson.title == load_lesson(SHIPPED[index]).title
    states = []
    for number, caption in enumerate(lesson.captions):
        if number:
            lessons.next_action.trigger()
            wait_applied(qtbot, window)
        assert lessons.panel.caption is caption
        check_caption(window, caption)
        tab = window.current_tab()
        states.append(classifier_state(tab) if caption.tab == "classifier" else newton_state(tab))
    assert not lessons.next_action.isEnabled()
    # Previous, all the way back: each caption exactly as it was reached forward
    for number in range(len(lesson.captions) - 2, -1, -1):
        lessons.prev_action.trigger()
        wait_applied(qtbot, window)
        caption = lesson.captions[number]
        check_caption(window, caption)
        tab = window.current_tab()
        again = classifier_state(tab) if caption.tab == "classifier" else newton_state(tab)
        assert again == states[number], (number, caption.line)


def test_the_lecture_ends_on_the_worked_example_and_stops_at_the_stated_micro_steps(qtbot, window):
    lessons = open_lesson(qtbot, window, 0)
    lesson = lessons.panel.lesson
    backward = next(i for i, c in enumerate(lesson.captions)
                    if c.tab == "classifier" and c.classifier.at.name == "w11")
    lessons.panel.go_to(backward)
    wait_applied(qtbot, window)
    current = window.classifier_tab.stepper.current
    assert isinstance(current, BackwardStep) and current.parameter.name == "w11"
    assert current.example == 0 if hasattr(current, "example") else True
    assert window.classifier_tab.stepper.example == 0 and window.classifier_tab.stepper.epoch == 0
    steps_seen = []
    for index in range(len(lesson.captions) - 5, len(lesson.captions)):
        lessons.panel.go_to(index)
        wait_applied(qtbot, window)
        tab = window.newton_tab
        assert tab.function.text == "exp(x) - ln(x)" and tab.x0 == 0.05
        assert tab.player.mode == "minimise"
        steps_seen.append(tab.position)
        assert tab.table.rowCount() == tab.position       # the rows taken so far
    assert steps_seen == [1, 3, 5, 6, 9]
    assert round(window.newton_tab.run.steps[5].x_next, 4) == 0.5671
    assert len(window.newton_tab.run.steps) == 9


def test_the_dock_opens_from_the_view_menu_and_ctrl_l(qtbot, window):
    lessons = window.lessons
    dock = window.findChild(QDockWidget, "lessonPanel")
    assert dock is lessons.dock and dock.widget() is lessons.panel
    assert not dock.isVisible() and not lessons.is_open()
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert lessons.panel_action in view.actions()
    assert lessons.panel_action.objectName() == "lessonPanelAction"
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    assert lessons.open_action in file_menu.actions()
    assert lessons.panel.combo.objectName() == "lessonCombo"
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert dock.isVisible() and lessons.is_open()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not dock.isVisible() and not lessons.is_open()
    rows = dict(window.shortcut_sections())["Lessons and help"]
    assert ("Lesson panel: a guided walk, one caption at a time", "Ctrl+L") in rows
    assert ("Next caption of the lesson", "Page Down") in rows
    assert ("Previous caption of the lesson", "Page Up") in rows


def page_keys_of(window) -> set[tuple[str, str]]:
    return {(a.objectName(), k.toString()) for tab in window.demo_tabs(build=False)
            for a in tab.commands() for k in a.shortcuts() if k in (PAGE_DOWN, PAGE_UP)}


def test_the_clicker_keys_drive_the_lesson_while_it_is_open_and_return_after(qtbot, window):
    window.newton_tab  # noqa: B018 - both tabs built: both lend their keys
    before = page_keys_of(window)
    assert ("stepButton", "PgDown") in before and ("newtonStepAction", "PgDown") in before
    lessons = open_lesson(qtbot, window, 0)
    assert page_keys_of(window) == set()
    other_keys = [k.toString() for k in window.classifier_tab.classifier_actions.step.shortcuts()]
    assert other_keys == ["Space", "Right"]             # Space and → still step the tab
    qtbot.keyClick(window, Qt.Key.Key_PageDown)
    wait_applied(qtbot, window)
    assert lessons.panel.index == 1
    qtbot.keyClick(window.classifier_tab.diagram, Qt.Key.Key_PageDown)  # focus anywhere
    wait_applied(qtbot, window)
    assert lessons.panel.index == 2
    qtbot.keyClick(window, Qt.Key.Key_PageUp)
    wait_applied(qtbot, window)
    assert lessons.panel.index == 1
    position = window.classifier_tab.stepper.index
    lessons.panel_action.trigger()                      # closed: the tabs get them back
    assert page_keys_of(window) == before
    assert lessons.outline() is None
    qtbot.keyClick(window, Qt.Key.Key_PageDown)
    assert window.classifier_tab.stepper.index == position + 1 and lessons.panel.index == 1


def test_a_newton_tab_built_while_the_lesson_is_open_lends_its_keys_too(qtbot, window):
    lessons = open_lesson(qtbot, window, 2)             # "When Newton fails": Newton only
    assert lessons.panel.caption.tab == "newton"
    assert page_keys_of(window) == set()
    qtbot.keyClick(window, Qt.Key.Key_PageDown)
    wait_applied(qtbot, window)
    assert lessons.panel.index == 1 and window.newton_tab.x0 == 0.0


def outline_of(window):
    return window.lessons.outline()


@pytest.mark.parametrize("look_at, where", [
    ("unit:a1", lambda w: w.classifier_tab.diagram.item_rect("node:1:0")),
    ("unit:L", lambda w: w.classifier_tab.diagram.item_rect("loss")),
    ("edge:w11", lambda w: w.classifier_tab.diagram.item_rect("edge:0:0:0")),
    ("edge:b", lambda w: w.classifier_tab.diagram.item_rect("bias:1:0")),
    ("plot:loss", lambda w: w.classifier_tab.loss_plot.rect()),
    ("panel:chain", lambda w: w.classifier_tab.chain_panel.rect()),
])
def test_a_caption_outlines_what_it_points_at(qtbot, window, tmp_path, look_at, where):
    path = tmp_path / "look.toml"
    path.write_text(f'title = "Look"\n[[caption]]\ntext = "Here."\nlook_at = "{look_at}"\n'
                    '[caption.classifier]\nat = "backward w11"\n'
                    '[[caption]]\ntext = "Nothing."\n', encoding="utf-8")
    lessons = window.lessons
    assert lessons.open_lesson(path)
    wait_applied(qtbot, window)
    qtbot.waitUntil(lambda: outline_of(window) is not None)
    outline = outline_of(window)
    widget = {"unit": window.classifier_tab.diagram, "edge": window.classifier_tab.diagram,
              "plot": window.classifier_tab.loss_plot,
              "panel": window.classifier_tab.chain_panel}[look_at.split(":")[0]]
    target = where(window)
    assert target is not None and target.width() > 0
    top_left = widget.mapTo(window.tabs, target.topLeft())
    visible = widget.rect()
    inner = target.intersected(visible).translated(top_left - target.topLeft())
    assert outline.contains(inner)                       # drawn around it …
    width = lessons.overlay.pen_width()
    assert outline.width() <= inner.width() + 4 * width  # … and close to it
    assert lessons.overlay.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    lessons.next_action.trigger()                        # the next caption: gone
    wait_applied(qtbot, window)
    assert outline_of(window) is None


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # the panel floats
def test_the_outline_follows_a_resize_and_the_scale(qtbot, window):
    lessons = open_lesson(qtbot, window, 0)
    lessons.panel.go_to(2)                               # unit:a1
    wait_applied(qtbot, window)
    qtbot.waitUntil(lambda: outline_of(window) is not None)
    first, width = outline_of(window), lessons.overlay.pen_width()
    window.resize(1000, 700)
    window.theme.set_scale(1.5)
    diagram = window.classifier_tab.diagram

    def moved():
        now = outline_of(window)
        rect = diagram.item_rect("node:1:0")
        return now is not None and now != first and now.contains(
            rect.translated(diagram.mapTo(window.tabs, rect.topLeft()) - rect.topLeft()))
    qtbot.waitUntil(moved, timeout=5000)
    assert lessons.overlay.pen_width() == pytest.approx(1.5 * width)


def test_newton_columns_plots_and_panels_are_outlined_and_missing_ones_are_not(qtbot, window,
                                                                                tmp_path):
    path = tmp_path / "newton.toml"
    path.write_text('title = "Columns"\n'
                    '[[caption]]\ntext = "x"\nlook_at = "column:x"\n'
                    '[caption.newton]\nfunction = "x^2 - 2"\nmode = "root"\nx0 = 1.0\nstep = 4\n'
                    '[[caption]]\ntext = "ratio"\nlook_at = "column:ratio"\n'
                    '[[caption]]\ntext = "f"\nlook_at = "plot:function"\n'
                    '[[caption]]\ntext = "arith"\nlook_at = "panel:arithmetic"\n'
                    '[[caption]]\ntext = "err"\nlook_at = "plot:error"\n', encoding="utf-8")
    lessons = window.lessons
    assert lessons.open_lesson(path)
    wait_applied(qtbot, window)
    table = window.newton_tab.table
    qtbot.waitUntil(lambda: outline_of(window) is not None)
    header = table.horizontalHeader()
    column = next(c for c in range(table.columnCount())
                  if table.horizontalHeaderItem(c).text() == "xₖ")
    left = table.mapTo(window.tabs, table.viewport().pos()).x() + \
        header.sectionViewportPosition(column)
    outline = outline_of(window)
    assert outline.left() <= left and outline.right() >= left + header.sectionSize(column) - 1
    assert outline.width() < 2 * header.sectionSize(column) + 4 * lessons.overlay.pen_width()
    lessons.next_action.trigger()
    wait_applied(qtbot, window)
    qtbot.waitUntil(lambda: outline_of(window) is not None and outline_of(window) != outline)
    lessons.next_action.trigger()
    wait_applied(qtbot, window)
    plot = window.newton_tab.plots.main
    qtbot.waitUntil(lambda: outline_of(window) is not None and outline_of(window).contains(
        plot.rect().translated(plot.mapTo(window.tabs, plot.rect().topLeft()))))
    lessons.next_action.trigger()
    wait_applied(qtbot, window)
    label = window.newton_tab.arithmetic_label
    qtbot.waitUntil(lambda: outline_of(window) is not None and outline_of(window).contains(
        label.mapTo(window.tabs, label.rect().center())))
    lessons.next_action.trigger()
    wait_applied(qtbot, window)
    has_error_plot = window.newton_tab.findChild(type(plot), "errorPlot") is not None
    qtbot.wait(100)
    assert (outline_of(window) is not None) == has_error_plot


def test_a_broken_file_shows_its_message_and_nothing_crashes(qtbot, window, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "Bad"\n[[caption]]\ntext = "x"\n[caption.classifier]\n'
                   'at = "backward w13"\n', encoding="utf-8")
    lessons = window.lessons
    state = classifier_state(window.classifier_tab)
    assert not lessons.open_lesson(bad)
    assert lessons.is_open()
    assert "bad.toml, caption 1 (line 2): classifier.at: no parameter \"w13\"" in \
        lessons.panel.message()
    assert lessons.panel.combo.currentText() == "Bad"
    assert classifier_state(window.classifier_tab) == state      # nothing was applied
    assert outline_of(window) is None
    missing = tmp_path / "gone.toml"
    assert not lessons.open_lesson(missing)
    assert "gone.toml is not a lesson file" in lessons.panel.message()


def test_a_lecturers_own_lesson_opens_and_plays(qtbot, window, tmp_path):
    own = tmp_path / "mine.toml"
    own.write_text('title = "Mine"\n[[caption]]\ntext = "Batch, α = 0.125."\n'
                   '[caption.classifier]\nmode = "batch"\nlearning_rate = 0.125\nseed = 7\n'
                   'epochs = 3\nexample = 2\nat = "loss"\n'
                   '[[caption]]\ntext = "Newton."\n[caption.newton]\nfunction = "x^3 - 2"\n'
                   'mode = "root"\nx0 = 2.0\nstep = 2\n', encoding="utf-8")
    lessons = window.lessons
    assert lessons.open_lesson(own)
    wait_applied(qtbot, window)
    caption = lessons.panel.caption
    check_classifier(window, caption.classifier)
    lessons.next_action.trigger()
    wait_applied(qtbot, window)
    check_newton(window, lessons.panel.lesson.captions[1].newton)


def test_a_bad_function_is_refused_when_the_lesson_opens(qtbot, window, tmp_path):
    window.newton_tab.wait_parsed()                     # SymPy loaded: functions are checked
    own = tmp_path / "typo.toml"
    own.write_text('title = "Typo"\n[[caption]]\ntext = "x"\n[caption.newton]\n'
                   'function = "x^^2"\n', encoding="utf-8")
    assert not window.lessons.open_lesson(own)
    assert "newton.function: \"x^^2\"" in window.lessons.panel.message()


def test_long_training_is_sliced_and_a_network_trained_once_is_kept(qtbot, window):
    lessons = open_lesson(qtbot, window, 1)             # "Why a hidden layer?"
    lesson = lessons.panel.lesson
    trained = next(i for i, c in enumerate(lesson.captions) if c.classifier.epochs == 1000)
    lessons.panel.go_to(trained)
    assert lessons.is_applying()                        # the event loop goes on meanwhile
    wait_applied(qtbot, window)
    check_classifier(window, lesson.captions[trained].classifier)
    lessons.panel.go_to(trained + 1)
    wait_applied(qtbot, window)
    lessons.panel.go_to(trained)                        # back: the kept network, at once
    assert not lessons.is_applying()
    check_classifier(window, lesson.captions[trained].classifier)


def test_closing_the_panel_mid_way_stops_the_caption_being_applied(qtbot, window):
    lessons = open_lesson(qtbot, window, 1)
    lesson = lessons.panel.lesson
    trained = next(i for i, c in enumerate(lesson.captions) if c.classifier.epochs == 1000)
    lessons.panel.go_to(trained)
    assert lessons.is_applying()
    lessons.panel_action.trigger()
    assert not lessons.is_applying() and not lessons.is_open()
    epoch = window.classifier_tab.stepper.epoch
    qtbot.wait(200)
    assert window.classifier_tab.stepper.epoch == epoch < 1000


@pytest.mark.qt_log_ignore("This plugin does not support raise")
@pytest.mark.parametrize("size, scale", [((1920, 1080), 2.0), ((1366, 768), 1.5),
                                         ((1280, 800), 1.0)])
def test_the_panel_never_pushes_the_window_past_the_screen(qtbot, window, size, scale):
    window.theme.set_scale(scale)
    window.focus_action.setChecked(scale == 2.0)
    window.resize(*size)
    qtbot.wait(50)
    lessons = open_lesson(qtbot, window, 0)
    qtbot.wait(50)
    assert window.width() <= size[0]
    dock = lessons.dock
    if not dock.isFloating():                            # beside the tabs, readable
        assert dock.width() >= dock.minimumSizeHint().width()
        assert window.width() == size[0]
    else:                                                # no room: over the window
        inside = window.geometry()
        assert inside.contains(dock.geometry().center())
    lessons.panel.go_to(8)                               # edge:w11: the panel keeps clear
    wait_applied(qtbot, window)
    outline = lessons.outline()
    assert outline is not None
    if dock.isFloating():
        glob = outline.translated(window.tabs.mapToGlobal(outline.topLeft()) - outline.topLeft())
        assert not dock.geometry().intersects(glob)
    window.theme.set_scale(1.0)


def test_a_deeper_network_is_reached_unit_by_unit_and_outlined(qtbot, window, tmp_path):
    own = tmp_path / "deep.toml"
    own.write_text('title = "Deep"\n[[caption]]\ntext = "Second layer."\nlook_at = "unit:a[2]_1"\n'
                   '[caption.classifier]\nhidden = [3, 3]\nseed = 3\nexample = 3\n'
                   'at = "forward a[2]_1"\n'
                   '[[caption]]\ntext = "Its weight."\nlook_at = "edge:w[2]_12"\n'
                   '[caption.classifier]\nat = "backward w[2]_12"\n', encoding="utf-8")
    lessons = window.lessons
    assert lessons.open_lesson(own)
    wait_applied(qtbot, window)
    current = window.classifier_tab.stepper.current
    assert isinstance(current, ForwardStep) and (current.layer, current.unit) == (1, 0)
    check_classifier(window, lessons.panel.caption.classifier)
    diagram = window.classifier_tab.diagram
    qtbot.waitUntil(lambda: outline_of(window) is not None)
    unit = diagram.item_rect("node:2:0")
    assert outline_of(window).contains(unit.translated(
        diagram.mapTo(window.tabs, unit.topLeft()) - unit.topLeft()))
    lessons.next_action.trigger()
    wait_applied(qtbot, window)
    current = window.classifier_tab.stepper.current
    assert isinstance(current, BackwardStep) and current.parameter.name == "w[2]_12"
    ref = current.parameter
    edge = diagram.item_rect(f"edge:{ref.layer}:{ref.row}:{ref.col}")
    qtbot.waitUntil(lambda: outline_of(window) is not None and outline_of(window).contains(
        edge.translated(diagram.mapTo(window.tabs, edge.topLeft()) - edge.topLeft())))
    lessons.prev_action.trigger()                       # back inside the same pass
    wait_applied(qtbot, window)
    current = window.classifier_tab.stepper.current
    assert isinstance(current, ForwardStep) and (current.layer, current.unit) == (1, 0)
    check_classifier(window, lessons.panel.caption.classifier)


def test_diagram_item_rects_lie_on_the_diagram_and_unknown_names_give_none(qtbot, window):
    diagram = window.classifier_tab.diagram
    names = ["loss", *(f"node:{k}:{j}" for k, n in enumerate((2, 2, 1)) for j in range(n)),
             *(f"edge:0:{i}:{j}" for i in range(2) for j in range(2)), "edge:1:0:0",
             "edge:1:1:0", "bias:0:0", "bias:0:1", "bias:1:0"]
    rects = {name: diagram.item_rect(name) for name in names}
    for name, rect in rects.items():
        assert rect is not None and rect.width() > 4 and rect.height() > 4, name
        assert diagram.rect().contains(rect.center()), name
    assert rects["node:0:0"].center().x() < rects["node:1:0"].center().x() < \
        rects["node:2:0"].center().x() < rects["loss"].center().x()
    assert diagram.item_rect("node:5:0") is None and diagram.item_rect("edge:0:9:9") is None
