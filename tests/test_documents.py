"""The session as a desktop document: the title's name and modified mark, the
Save / Discard / Cancel question, recent files, New, autosave and crash recovery,
Save asking before overwriting a file another program changed, and Reset undone
by Ctrl+Z. Every dialog is replaced by a stand-in that answers (gui.document_dialogs'
``ask_*``/``choose_*``/``show_problem`` functions), so nothing waits for a click."""
import json
import os
import stat
import time

import pytest
from PySide6.QtCore import QSettings, Qt

import gui.document_dialogs as documents
from core.session import load_session
from gui.autosave import AutosaveSlot, orphans
from gui.document_dialogs import Choice, window_title
from gui.main_window import MainWindow
from gui.recent_files import menu_labels


class Dialogs:
    """Stand-ins for the document's dialogs: each records its call and answers."""

    def __init__(self, monkeypatch):
        self.asked: list[tuple] = []
        self.problems: list[tuple[str, str]] = []
        self.answer = Choice.CANCEL
        self.overwrite_answer = Choice.CANCEL
        self.recover_answer = Choice.SAVE
        self.save_path = ""
        self.open_path = ""
        monkeypatch.setattr(documents, "ask_unsaved_changes", self._unsaved)
        monkeypatch.setattr(documents, "ask_overwrite_changed_file", self._overwrite)
        monkeypatch.setattr(documents, "ask_recover", self._recover)
        monkeypatch.setattr(documents, "show_problem", self._problem)
        monkeypatch.setattr(documents, "choose_save_path", lambda _p, _s: self.save_path)
        monkeypatch.setattr(documents, "choose_open_path", lambda _p, _f: self.open_path)

    def _unsaved(self, _parent, name, verb, answer):
        self.asked.append(("unsaved", name, verb))
        answer(self.answer)

    def _overwrite(self, _parent, name, answer):
        self.asked.append(("overwrite", name))
        answer(self.overwrite_answer)

    def _recover(self, _parent, description, answer):
        self.asked.append(("recover", description))
        answer(self.recover_answer)

    def _problem(self, _parent, title, text, detail=""):
        self.problems.append((title, text))


@pytest.fixture
def dialogs(monkeypatch):
    return Dialogs(monkeypatch)


@pytest.fixture
def window(qtbot, tmp_path, dialogs):
    QSettings().clear()
    win = MainWindow(restore=False)
    win.document.autosave = AutosaveSlot(tmp_path / "autosave")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.document.set_modified(False)     # teardown closes the window without a question
    QSettings().clear()


def _settle(qtbot):
    qtbot.wait(10)   # the comparison runs from a zero-delay timer


# ---- title and modified mark --------------------------------------------------------------
def test_a_fresh_window_is_an_unmodified_untitled_session(window):
    assert window.windowTitle() == "Untitled[*] — Stepwise"
    assert not window.isWindowModified()


def test_title_names_the_file_and_doubles_a_literal_placeholder():
    assert window_title("/tmp/lecture.stepwise.json") == "lecture.stepwise.json[*] — Stepwise"
    assert window_title("/tmp/odd[*].json") == "odd[*][*].json[*] — Stepwise"
    assert len(window_title("/tmp/" + "n" * 1000 + ".json")) < 110


@pytest.mark.parametrize("edit", [
    "step", "table", "learning_rate", "seed", "newton_step", "newton_x0", "newton_function",
])
def test_any_change_of_either_tab_sets_the_mark_and_saving_clears_it(window, qtbot, tmp_path,
                                                                     edit):
    newton = window.newton_tab
    window.after_show()
    qtbot.waitUntil(newton.is_ready, timeout=20000)
    _settle(qtbot)
    assert not window.isWindowModified()
    classifier = window.classifier_tab
    if edit == "step":
        classifier.step()
    elif edit == "table":
        classifier.model.setData(classifier.model.index(0, 0), "Aack beep beep!",
                                 Qt.ItemDataRole.EditRole)
    elif edit == "learning_rate":
        classifier.controls.learning_rate_spin.setValue(0.9)
    elif edit == "seed":
        classifier.controls.seed_spin.setValue(7)
    elif edit == "newton_step":
        newton.step()
    elif edit == "newton_x0":
        newton.x0_spin.setValue(newton.x0_spin.value() + 1)
    else:
        newton.set_function_text("x^3 - 2")
        assert newton.wait_parsed()
    _settle(qtbot)
    assert window.isWindowModified() and window.document.modified
    path = tmp_path / "lecture.stepwise.json"
    window.save_session(str(path))
    assert not window.isWindowModified()
    assert window.windowTitle() == "lecture.stepwise.json[*] — Stepwise"
    assert load_session(path).to_json()["classifier"] == json.loads(json.dumps(
        classifier.state(), default=lambda v: v.tolist()))


def test_switching_tabs_or_zooming_is_not_an_edit(window, qtbot):
    window.tabs.setCurrentIndex(1)
    window.zoom_in_action.trigger()
    window.tabs.setCurrentIndex(0)
    _settle(qtbot)
    assert not window.isWindowModified()
    window.theme.set_scale(1.0)


def test_opening_a_file_shows_its_name_unmodified(window, qtbot, tmp_path):
    window.classifier_tab.step_example()
    path = tmp_path / "week 3.stepwise.json"
    window.save_session(str(path))
    window.classifier_tab.step_epoch()
    _settle(qtbot)
    assert window.isWindowModified()
    window.open_session(str(path))
    _settle(qtbot)
    assert window.windowTitle() == "week 3.stepwise.json[*] — Stepwise"
    assert not window.isWindowModified()
    window.document._compare()        # what the tabs show is exactly what the file holds
    assert not window.document.modified


# ---- Save / Discard / Cancel ------------------------------------------------------------------
def _modify(window, qtbot):
    window.classifier_tab.step()
    _settle(qtbot)
    assert window.document.modified


def test_close_with_unsaved_changes_cancelled_keeps_the_window(window, qtbot, dialogs):
    _modify(window, qtbot)
    dialogs.answer = Choice.CANCEL
    assert not window.close()
    assert window.isVisible() and window.document.modified
    assert dialogs.asked == [("unsaved", "Untitled", "closing")]


def test_close_with_unsaved_changes_discarded_closes(window, qtbot, dialogs):
    _modify(window, qtbot)
    dialogs.answer = Choice.DISCARD
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=2000)
    assert dialogs.asked == [("unsaved", "Untitled", "closing")]


def test_quit_with_unsaved_changes_saved_writes_the_file_then_closes(window, qtbot, dialogs,
                                                                     tmp_path):
    _modify(window, qtbot)
    dialogs.answer = Choice.SAVE
    dialogs.save_path = str(tmp_path / "kept.stepwise.json")
    window.quit_action.trigger()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=2000)
    assert load_session(dialogs.save_path).classifier.index == 0


def test_save_cancelled_in_the_file_dialog_keeps_the_window(window, qtbot, dialogs):
    _modify(window, qtbot)
    dialogs.answer = Choice.SAVE
    dialogs.save_path = ""                   # the user closed the file dialog
    assert not window.close()
    qtbot.wait(20)
    assert window.isVisible() and window.document.modified


def test_closing_an_unmodified_window_asks_nothing(window, qtbot, dialogs):
    window.close()
    assert not window.isVisible() and dialogs.asked == []


def test_open_and_new_ask_first(window, qtbot, dialogs, tmp_path):
    path = tmp_path / "other.stepwise.json"
    window.save_session(str(path))
    _modify(window, qtbot)
    stepped = window.classifier_tab.state()
    dialogs.open_path = str(path)
    dialogs.answer = Choice.CANCEL
    window.open_action.trigger()
    window.new_action.trigger()
    assert [a[2] for a in dialogs.asked] == ["opening another session", "starting a new session"]
    assert window.classifier_tab.state() == stepped      # cancelled twice: nothing changed
    dialogs.answer = Choice.DISCARD
    window.new_action.trigger()
    _settle(qtbot)
    assert window.windowTitle() == "Untitled[*] — Stepwise" and not window.isWindowModified()
    assert window.classifier_tab.stepper.index == -1    # back at the very start


def test_new_restores_the_lecture_defaults(window, qtbot):
    fresh = window.classifier_tab.state()
    newton = window.newton_tab
    window.after_show()
    qtbot.waitUntil(newton.is_ready, timeout=20000)
    lecture = newton.function_input.text()
    window.classifier_tab.controls.learning_rate_spin.setValue(2.0)
    window.classifier_tab.step_epoch()
    newton.set_function_text("x^3 - 2")
    assert newton.wait_parsed()
    newton.step()
    window.document.new()
    assert newton.wait_parsed()
    assert window.classifier_tab.state() == fresh
    assert window.classifier_tab.controls.learning_rate_spin.value() == fresh["learning_rate"]
    assert newton.function_input.text() == lecture and newton.position == 0
    _settle(qtbot)
    assert not window.document.modified


# ---- file problems: one clear message -------------------------------------------------------
@pytest.mark.parametrize("change, field", [
    (("classifier", "learning_rate", 1e300), "classifier.learning_rate"),
    (("classifier", "seed", 10**20), "classifier.seed"),
    (("classifier", "sentences", "Aack aack aack!"), "classifier.sentences"),
    (("version", None, 0), "version"),
])
def test_a_bad_file_gives_one_message_naming_the_field(window, qtbot, dialogs, tmp_path,
                                                       change, field):
    path = tmp_path / "good.stepwise.json"
    window.save_session(str(path))
    document = json.loads(path.read_text())
    part, key, value = change
    if key is None:
        document[part] = value
    else:
        document[part][key] = value
    bad = tmp_path / "bad.stepwise.json"
    bad.write_text(json.dumps(document))
    before = window.session_state()
    dialogs.open_path = str(bad)
    window.open_action.trigger()
    assert len(dialogs.problems) == 1
    title, text = dialogs.problems[0]
    assert field in text and text.strip() and "\n" not in text
    assert window.session_state() == before
    assert window.windowTitle() == "good.stepwise.json[*] — Stepwise"


def test_the_message_box_shows_file_text_as_plain_text(qtbot):
    from PySide6.QtWidgets import QMessageBox, QWidget
    parent = QWidget()
    qtbot.addWidget(parent)
    box = documents._box(parent, QMessageBox.Icon.Warning, "t", '<h1>big</h1><img src="x">', "")
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert box.text() == '<h1>big</h1><img src="x">'
    box.close()


# ---- saving: permissions and files changed on disk ----------------------------------------
def test_saving_keeps_a_0644_file_0644(window, tmp_path):
    path = tmp_path / "shared.stepwise.json"
    path.write_text("{}")
    os.chmod(path, 0o644)
    window.save_session(str(path))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o644


def test_save_asks_before_overwriting_a_file_another_program_changed(window, qtbot, dialogs,
                                                                     tmp_path):
    path = tmp_path / "lecture.stepwise.json"
    window.save_session(str(path))
    _modify(window, qtbot)
    time.sleep(0.01)
    other = path.read_text().replace('"seed": 0', '"seed": 5')
    path.write_text(other)                     # another program rewrites it
    dialogs.overwrite_answer = Choice.CANCEL
    window.save_action.trigger()
    assert dialogs.asked == [("overwrite", "lecture.stepwise.json")]
    assert path.read_text() == other and window.document.modified
    dialogs.overwrite_answer = Choice.SAVE
    window.save_action.trigger()
    assert load_session(path).classifier.index == 0 and not window.document.modified
    dialogs.asked.clear()
    window.classifier_tab.step()
    window.save_action.trigger()               # our own save changed it: no question
    assert dialogs.asked == []


def test_save_as_from_the_changed_file_question(window, qtbot, dialogs, tmp_path):
    path = tmp_path / "a.stepwise.json"
    window.save_session(str(path))
    other = path.read_text() + "\n"
    path.write_text(other)
    _modify(window, qtbot)
    dialogs.overwrite_answer = Choice.DISCARD      # "Save As…"
    dialogs.save_path = str(tmp_path / "b.stepwise.json")
    window.save_action.trigger()
    assert window.document.path == dialogs.save_path
    assert path.read_text() == other             # the other program's version is kept
    assert load_session(dialogs.save_path).classifier.index == 0


def test_a_failed_save_gives_one_message_and_stays_modified(window, qtbot, dialogs, tmp_path):
    _modify(window, qtbot)
    os.mkfifo(tmp_path / "pipe.stepwise.json")
    dialogs.save_path = str(tmp_path / "pipe.stepwise.json")
    window.save_as_action.trigger()
    assert len(dialogs.problems) == 1 and "not a regular file" in dialogs.problems[0][1]
    assert window.document.modified


# ---- recent files -----------------------------------------------------------------------------
def test_open_recent_lists_saved_and_opened_files_newest_first(window, qtbot, dialogs, tmp_path):
    first, second = tmp_path / "one.stepwise.json", tmp_path / "two & more.stepwise.json"
    window.save_session(str(first))
    window.save_session(str(second))
    window.open_session(str(first))
    window.document.fill_recent_menu(window.recent_menu)
    texts = [a.text() for a in window.recent_menu.actions() if not a.isSeparator()]
    assert texts == ["&1 one.stepwise.json", "&2 two && more.stepwise.json", "&Clear list"]
    window.recent_menu.actions()[1].trigger()
    assert window.document.path == str(second)
    second.unlink()
    window.document.open_recent(str(second))
    assert len(dialogs.problems) == 1
    assert str(second) not in window.document.recent.paths()


def test_same_names_in_two_folders_are_told_apart():
    assert menu_labels(["/a/x.json", "/b/x.json", "/c/y.json"]) == [
        "&1 x.json — a", "&2 x.json — b", "&3 y.json"]


# ---- autosave and recovery -------------------------------------------------------------------
def test_changes_are_autosaved_atomically_and_removed_on_save(window, qtbot, tmp_path):
    window.document._autosave_timer.setInterval(50)
    slot = window.document.autosave
    _modify(window, qtbot)
    qtbot.waitUntil(lambda: slot.session_path.exists() and not slot.busy(), timeout=5000)
    assert load_session(slot.session_path).classifier.index == 0
    assert not [p for p in slot.folder.iterdir() if p.name.endswith(".tmp")]
    assert orphans(slot.folder) == []           # its window is alive: not a crash
    window.save_session(str(tmp_path / "saved.stepwise.json"))
    assert not slot.session_path.exists()


def test_autosave_waits_for_the_debounce(window, qtbot):
    slot = window.document.autosave
    _modify(window, qtbot)
    qtbot.wait(300)
    assert not slot.session_path.exists()       # 2 s after the change, not at once
    assert window.document._autosave_timer.isActive()


def _crash_leftover(window, qtbot, folder, original=None):
    """What a window killed mid-lecture leaves: an autosave and no lock (no clean exit)."""
    window.classifier_tab.step_example()
    window.classifier_tab.step()
    state = window.session_state()
    crashed = AutosaveSlot(folder)
    assert crashed.write(state, original, None)
    crashed.wait()
    (folder / f"{crashed.slot}.lock").unlink(missing_ok=True)
    crashed._lock = None
    return state


def test_after_a_crash_the_next_start_offers_the_work_and_recovers_it(window, qtbot, dialogs,
                                                                       tmp_path):
    folder = tmp_path / "autosave"
    original = str(tmp_path / "lecture.stepwise.json")
    crashed = _crash_leftover(window, qtbot, folder, original)
    window.document.new()
    assert window.session_state()["classifier"] != crashed["classifier"]
    dialogs.recover_answer = Choice.SAVE
    window.document.offer_recovery()
    assert dialogs.asked[0][0] == "recover" and "lecture.stepwise.json" in dialogs.asked[0][1]
    assert json.loads(json.dumps(window.session_state()["classifier"],
                                 default=lambda v: v.tolist())) == json.loads(
        json.dumps(crashed["classifier"], default=lambda v: v.tolist()))
    assert window.document.modified and window.isWindowModified()
    assert window.windowTitle() == "lecture.stepwise.json[*] — Stepwise"
    assert orphans(folder) == []                # recovered: not offered again


def test_recovery_discarded_or_postponed(window, qtbot, dialogs, tmp_path):
    folder = tmp_path / "autosave"
    _crash_leftover(window, qtbot, folder)
    window.document.new()
    dialogs.recover_answer = Choice.CANCEL        # "Not now": asked again next time
    window.document.offer_recovery()
    assert len(orphans(folder)) == 1 and not window.document.modified
    dialogs.recover_answer = Choice.DISCARD
    window.document.offer_recovery()
    assert orphans(folder) == [] and not window.document.modified


def test_a_clean_exit_leaves_nothing_to_recover(window, qtbot, dialogs, tmp_path):
    window.document._autosave_timer.setInterval(20)
    _modify(window, qtbot)
    slot = window.document.autosave
    qtbot.waitUntil(slot.session_path.exists, timeout=5000)
    dialogs.answer = Choice.DISCARD
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=2000)
    assert list(slot.folder.iterdir()) == []


# ---- Reset undone by Ctrl+Z ----------------------------------------------------------------
def test_classifier_reset_is_undone_by_ctrl_z(window, qtbot):
    tab = window.classifier_tab
    tab.step_epoch()
    tab.step_example()
    tab.step()
    before = tab.stepper.state()
    tab.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_R)
    assert tab.stepper.state() != before and tab.stepper.epoch == 0
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert tab.stepper.state() == before
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier |
                   Qt.KeyboardModifier.ShiftModifier)
    assert tab.stepper.epoch == 0                  # redone


def test_classifier_reset_button_is_undoable_too(window, qtbot):
    from gui.reset_undo import buttons_of
    tab = window.classifier_tab
    tab.step_epoch()
    before = tab.stepper.state()
    qtbot.mouseClick(buttons_of(tab.classifier_actions.reset, tab)[0], Qt.MouseButton.LeftButton)
    assert tab.stepper.epoch == 0
    tab.undo_stack.undo()
    assert tab.stepper.state() == before


def test_newton_reset_is_undone_by_ctrl_z(window, qtbot):
    window.tabs.setCurrentIndex(1)
    newton = window.newton_tab
    window.after_show()
    qtbot.waitUntil(newton.is_ready, timeout=20000)
    for _ in range(3):
        newton.step()
    newton.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_R)
    assert newton.position == 0
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert newton.position == 3
    window.tabs.setCurrentIndex(0)


def test_start_up_opens_the_command_lines_file_then_offers_recovery(window, qtbot, dialogs,
                                                                     tmp_path):
    from gui.app import _open_start_files
    path = tmp_path / "from the file manager.stepwise.json"
    window.classifier_tab.step_example()
    window.save_session(str(path))
    window.document.new()
    _crash_leftover(window, qtbot, tmp_path / "autosave")
    window.document.new()
    dialogs.recover_answer = Choice.CANCEL
    _open_start_files(window, str(path), "newton")
    assert window.document.path == str(path) and window.tabs.currentIndex() == 1
    assert [a[0] for a in dialogs.asked] == ["recover"]
    window.tabs.setCurrentIndex(0)


def test_a_missing_file_on_the_command_line_is_one_message(window, dialogs, tmp_path):
    from gui.app import _open_start_files
    _open_start_files(window, str(tmp_path / "gone.stepwise.json"), None)
    assert len(dialogs.problems) == 1 and "could not be read" in dialogs.problems[0][1]
    assert window.windowTitle() == "Untitled[*] — Stepwise"


# ---- the real dialogs ------------------------------------------------------------------------
def _real_box(qtbot, parent):
    from PySide6.QtWidgets import QMessageBox
    qtbot.waitUntil(lambda: any(b.isVisible() for b in parent.findChildren(QMessageBox)),
                    timeout=2000)
    return next(b for b in parent.findChildren(QMessageBox) if b.isVisible())


@pytest.mark.parametrize("button, choice", [("Save", Choice.SAVE), ("Discard", Choice.DISCARD),
                                            ("Cancel", Choice.CANCEL)])
def test_the_unsaved_changes_box_answers_with_the_button_clicked(qtbot, button, choice):
    from PySide6.QtWidgets import QMessageBox, QWidget

    from gui.document_dialogs import ask_unsaved_changes
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    answers = []
    ask_unsaved_changes(parent, "week <3>.json", "closing", answers.append)
    box = _real_box(qtbot, parent)
    assert box.text() == "Save the changes to “week <3>.json” before closing?"
    assert box.windowModality() == Qt.WindowModality.WindowModal   # the window waits, not the app
    standard = getattr(QMessageBox.StandardButton, button)
    box.button(standard).click()
    assert answers == [choice]


def test_the_recover_box_offers_recover_discard_and_not_now(qtbot):
    from PySide6.QtWidgets import QWidget

    from gui.document_dialogs import ask_recover
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    answers = []
    ask_recover(parent, "“a.json” from Mon 01 Dec, 10:00", answers.append)
    box = _real_box(qtbot, parent)
    labels = sorted(b.text().replace("&", "") for b in box.buttons())
    assert labels == ["Discard", "Not now", "Recover"]
    next(b for b in box.buttons() if b.text().replace("&", "") == "Recover").click()
    assert answers == [Choice.SAVE]


def test_a_second_quit_while_asking_asks_nothing_more(window, qtbot, monkeypatch):
    asked = []
    monkeypatch.setattr(documents, "ask_unsaved_changes",
                        lambda _p, _n, _v, answer: asked.append(answer))
    _modify(window, qtbot)
    window.close()
    window.close()
    assert len(asked) == 1
    asked[0](Choice.DISCARD)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=2000)


# ---- own files always reopen ------------------------------------------------------------------
def test_x0_clicked_far_outside_the_spin_box_is_clamped_and_the_file_reopens(window, qtbot,
                                                                            tmp_path):
    from core.limits import X0_RANGE
    newton = window.newton_tab
    window.after_show()
    qtbot.waitUntil(newton.is_ready, timeout=20000)
    newton.plots.x0Dragged.emit(5e6)             # a click far off to the right
    assert newton.x0 == X0_RANGE[1] == newton.x0_spin.maximum()
    path = tmp_path / "far.stepwise.json"
    window.save_session(str(path))
    window.document.new()
    window.open_session(str(path))
    assert newton.x0 == X0_RANGE[1]


def test_an_unknown_thousand_character_field_is_named_shortly(window, dialogs, tmp_path):
    path = tmp_path / "s.stepwise.json"
    window.save_session(str(path))
    document = json.loads(path.read_text())
    document["classifier"]["q" * 1000] = 1
    path.write_text(json.dumps(document))
    window.document.open_interactive(str(path))
    (_title, text), = dialogs.problems
    assert text.startswith('classifier: unknown field "qqq') and "…" in text and len(text) < 100


def test_autosave_waits_for_a_tab_start_up_is_still_building(window, qtbot):
    window.document._autosave_timer.setInterval(30)
    slot = window.document.autosave
    assert len(window.demo_tabs(build=False)) == 1      # the Newton tab is not built yet
    _modify(window, qtbot)
    qtbot.wait(100)
    assert not slot.session_path.exists() and len(window.demo_tabs(build=False)) == 1
    assert window.newton_tab is not None               # start-up builds it (after SymPy)
    qtbot.waitUntil(lambda: slot.session_path.exists() and not slot.busy(), timeout=5000)
    assert load_session(slot.session_path).newton.function
