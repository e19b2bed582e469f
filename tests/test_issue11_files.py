"""Issue 11, "own files always reopen, others' never surprise", with the issue's inputs:

- x₀ clicked or dragged beyond the spin box's range (5e6) is clamped, saved, reopened;
- a session another program changed since it was opened or saved: Save asks first;
- 300 saves killed with SIGKILL between writing and renaming leave nothing behind once
  the next save to that folder ran, however soon it runs;
- values beyond the widgets' ranges (learning rate 1e300, seed 10**20, weights ±1e308,
  ``epoch_losses`` with 1e999, version 0 or −1, ``sentences`` as a string) are refused
  with one message naming the field;
- messages stay short: an unknown 1,000-character name is quoted shortened, and
  exporting to ``view.txt`` is refused naming that file.

Every dialog is a stand-in that records what it was asked and answers at once.
"""
from __future__ import annotations

import json
import os
import signal
import time

import numpy as np
import pytest
from PySide6.QtCore import QSettings

import core.session as session_module
import gui.document_dialogs as document_dialogs
from core.limits import X0_RANGE
from core.session import load_session, save_session
from gui.autosave import AutosaveSlot
from gui.document_dialogs import Choice
from gui.main_window import MainWindow


class Dialogs:
    """The document's questions answered by the test; problems recorded."""

    def __init__(self, monkeypatch):
        self.asked: list[tuple] = []
        self.problems: list[tuple[str, str, str]] = []
        self.overwrite_answer = Choice.CANCEL
        self.open_path = ""
        monkeypatch.setattr(document_dialogs, "ask_overwrite_changed_file", self._overwrite)
        monkeypatch.setattr(document_dialogs, "ask_unsaved_changes",
                            lambda _p, name, verb, answer: answer(Choice.DISCARD))
        monkeypatch.setattr(document_dialogs, "ask_recover",
                            lambda _p, _d, answer: answer(Choice.CANCEL))
        monkeypatch.setattr(document_dialogs, "show_problem", self._problem)
        monkeypatch.setattr(document_dialogs, "choose_open_path", lambda _p, _f: self.open_path)
        monkeypatch.setattr(document_dialogs, "choose_save_path", lambda _p, _s: "")

    def _overwrite(self, _parent, name, answer):
        self.asked.append(("overwrite", name))
        answer(self.overwrite_answer)

    def _problem(self, _parent, title, text, detail=""):
        self.problems.append((title, text, detail))


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
    win.document.set_modified(False)
    QSettings().clear()


def _modify(window, qtbot):
    window.classifier_tab.step()
    qtbot.wait(10)                      # the comparison runs from a zero-delay timer
    assert window.document.modified


# ---- x₀ beyond the spin box -------------------------------------------------------------
@pytest.mark.parametrize("clicked, clamped", [(5e6, X0_RANGE[1]), (-5e6, X0_RANGE[0])])
def test_x0_clicked_at_5e6_is_clamped_saved_and_reopened(window, qtbot, dialogs, tmp_path,
                                                         clicked, clamped):
    newton = window.newton_tab
    window.after_show()
    qtbot.waitUntil(newton.is_ready, timeout=20000)
    newton.plots.x0Dragged.emit(clicked)
    assert newton.x0 == clamped == newton.x0_spin.value()
    path = tmp_path / "far.stepwise.json"
    window.save_session(str(path))
    assert load_session(path).newton.x0 == clamped
    window.document.new()
    assert window.document.open_interactive(str(path))
    assert dialogs.problems == [] and newton.x0 == clamped


# ---- a file changed on disk ---------------------------------------------------------------
@pytest.mark.parametrize("since", ["opened", "saved"])
def test_save_asks_before_overwriting_a_file_changed_since_it_was_opened_or_saved(
        window, qtbot, dialogs, tmp_path, since):
    path = tmp_path / "lecture.stepwise.json"
    if since == "opened":
        save_session(path, window.session_state())
        assert window.document.open_interactive(str(path))
    else:
        window.save_session(str(path))
    _modify(window, qtbot)
    time.sleep(0.01)
    theirs = path.read_text().replace('"seed": 0', '"seed": 5')
    path.write_text(theirs)                        # another program rewrites it in place
    window.save_action.trigger()
    assert dialogs.asked == [("overwrite", "lecture.stepwise.json")]
    assert path.read_text() == theirs and window.document.modified   # Cancel: kept
    dialogs.overwrite_answer = Choice.SAVE
    window.save_action.trigger()
    assert load_session(path).classifier.seed == 0 and not window.document.modified


# ---- temporaries of interrupted saves -----------------------------------------------------
def _killed_save(path, document) -> int:
    """A child process that saves and is killed by SIGKILL between writing the
    temporary and renaming it; returns its pid."""
    pid = os.fork()
    if pid == 0:                                   # the child: never returns
        try:
            session_module.os.replace = lambda *_a: os.kill(os.getpid(), signal.SIGKILL)
            save_session(path, document)
        finally:
            os._exit(3)                            # only if SIGKILL did not come
    return pid


def test_300_saves_killed_mid_write_leave_nothing_after_the_next_save(tmp_path):
    path = tmp_path / "lecture.stepwise.json"
    document = json.loads(json.dumps(_session_document()))
    for _ in range(300):
        pid = _killed_save(path, document)
        deadline = time.monotonic() + 20
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                pytest.fail("a killed save's child hung")
            time.sleep(0.001)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    # each killed save already cleared the litter of the one before it (without the
    # lock they were all too young to tell from saves in progress: 300 stayed)
    left = [p.name for p in tmp_path.iterdir()]
    assert len(left) == 1 and left[0].endswith(".tmp") and not path.exists()
    save_session(path, document)                    # at once: no waiting for it to age
    assert [p.name for p in tmp_path.iterdir()] == ["lecture.stepwise.json"]


def _session_document() -> dict:
    from core.session import session_document
    classifier = {
        "layer_sizes": [2, 2, 1], "seed": 0,
        "weights": [[[0.1, 0.2], [0.3, 0.4]], [[0.5], [0.6]]], "biases": [[0.0, 0.0], [0.0]],
        "learning_rate": 0.5, "mode": "example", "example": 0, "index": -1, "epoch": 0,
        "epoch_losses": [0.7], "pass": None,
        "sentences": ["Aack aack aack!"] * 5000, "moods": ["Happy"] * 5000,
        "vocabulary": ["aack", "beep"], "speed": 3, "heatmaps": False}
    newton = {"function": "x^2 - 2", "mode": "root", "x0": 1.0}
    return session_document(classifier, newton)


# ---- values beyond the widgets' ranges ----------------------------------------------------
def _set(document, where, value):
    *parents, last = where
    for key in parents:
        document = document[key]
    document[last] = value


@pytest.mark.parametrize("where, value, field", [
    (("classifier", "learning_rate"), 1e300, "classifier.learning_rate"),
    (("classifier", "seed"), 10**20, "classifier.seed"),
    (("classifier", "weights", 0, 0, 0), 1e308, "classifier.weights[0][0][0]"),
    (("classifier", "weights", 1, 1, 0), -1e308, "classifier.weights[1][1][0]"),
    (("classifier", "epoch_losses"), "EPOCH_LOSSES", "classifier.epoch_losses[1]"),
    (("version",), 0, "version"),
    (("version",), -1, "version"),
    (("classifier", "sentences"), "Aack aack aack!", "classifier.sentences"),
])
def test_a_value_beyond_the_widgets_is_refused_with_one_message_naming_it(
        window, dialogs, tmp_path, where, value, field):
    good = tmp_path / "good.stepwise.json"
    window.save_session(str(good))
    document = json.loads(good.read_text())
    _set(document, where, value)
    text = json.dumps(document).replace('"EPOCH_LOSSES"', "[0.69, 1e999]")
    bad = tmp_path / "bad.stepwise.json"
    bad.write_text(text)
    before = window.session_state()
    dialogs.open_path = str(bad)
    window.open_action.trigger()
    assert len(dialogs.problems) == 1, dialogs.problems
    title, message, _detail = dialogs.problems[0]
    assert message.startswith(f"{field}:") or message.startswith(f"{field} ")
    reason = message[len(field) + 1:].strip()
    assert reason and "\n" not in message and len(message) < 120
    assert window.session_state() == before
    assert window.document.path == str(good)


# ---- short messages -----------------------------------------------------------------------
def test_an_unknown_1000_character_field_name_is_quoted_shortened(window, dialogs, tmp_path):
    path = tmp_path / "s.stepwise.json"
    window.save_session(str(path))
    document = json.loads(path.read_text())
    document["newton"]["n" * 1000] = 1
    path.write_text(json.dumps(document))
    assert not window.document.open_interactive(str(path))
    (_title, message, _detail), = dialogs.problems
    assert message.startswith('newton: unknown field "nnn') and message.endswith('…"')
    assert len(message) < 80


def test_a_1000_character_file_name_is_shortened_in_the_message(window, dialogs, tmp_path):
    name = "s" * 1000 + ".stepwise.json"          # longer than any file system allows
    assert not window.document.open_interactive(str(tmp_path / name))
    (_title, message, _detail), = dialogs.problems
    assert "sss" in message and "…" in message and len(message) < 100


def test_exporting_to_view_txt_is_refused_naming_that_file(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from gui import export_dialogs
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "view.txt"), "PNG image (*.png)"))
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a[2]))
    assert export_dialogs.export_view(window) is None
    assert len(warnings) == 1 and "view.txt" in warnings[0] and len(warnings[0]) < 150
    assert list(tmp_path.iterdir()) == [tmp_path / "autosave"] or list(tmp_path.iterdir()) == []


def test_a_session_after_a_million_epochs_of_fastest_play_reopens(tmp_path):
    """Minutes of fastest play train over a million epochs (bench/long_play.py: 1.7
    million in 5 minutes); their losses one per line made a 30 MB file that the 20 MB
    limit refused, so the app could not reopen what it had saved."""
    document = _session_document()
    losses = np.linspace(0.7, 0.01, 1_000_001).tolist()
    document["classifier"].update(epoch=1_000_000, epoch_losses=losses)
    path = tmp_path / "long.stepwise.json"
    save_session(path, document)
    assert os.path.getsize(path) < session_module.MAX_BYTES
    assert load_session(path).classifier.epoch_losses == tuple(losses)


def test_an_export_message_shows_a_marked_up_file_name_as_typed(window, tmp_path, monkeypatch):
    from PySide6.QtGui import QTextDocument
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from gui import export_dialogs
    name = "<b>bold & <img src=x>.txt"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / name), "PNG image (*.png)"))
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a[2]))
    assert export_dialogs.export_view(window) is None
    shown = QTextDocument()
    shown.setHtml(warnings[0])                     # as the box renders its rich text
    assert name in shown.toPlainText()


@pytest.mark.parametrize("bad", [float("inf"), -1.0, 1e999])
def test_a_long_loss_list_checked_at_speed_still_names_its_bad_item(bad):
    from core.session import SessionError, validate_document
    document = _session_document()
    losses = [0.5] * 2000
    losses[1500] = bad
    document["classifier"].update(epoch=1999, epoch_losses=losses)
    with pytest.raises(SessionError, match=r"^classifier\.epoch_losses\[1500\]: "):
        validate_document(document)
