"""The questions a document asks, as window-modal boxes that answer through a callback.

Each ``ask_*`` function opens its box with ``open()`` (the window waits, the event
loop does not) and calls ``answer`` with a ``Choice`` once a button is clicked.
File names and messages are shown as plain text: they come from users and files.
These functions are the only places the document shows a dialog, so tests replace
them (``monkeypatch.setattr(document_dialogs, "ask_recover", …)``).
"""
from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QWidget

SESSION_FILTER = "Stepwise session (*.stepwise.json *.json)"
UNTITLED = "Untitled"


class Choice(Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def ask_unsaved_changes(parent: QWidget, name: str, verb: str,
                        answer: Callable[[Choice], None]) -> None:
    """Save / Discard / Cancel for unsaved changes to ``name`` before ``verb``
    ("closing", "opening another session"); calls ``answer`` with the choice."""
    box = _box(parent, QMessageBox.Icon.Warning, "Unsaved changes",
               f"Save the changes to “{name}” before {verb}?",
               "Your changes will be lost if you don't save them.")
    buttons = QMessageBox.StandardButton
    box.setStandardButtons(buttons.Save | buttons.Discard | buttons.Cancel)
    box.setDefaultButton(buttons.Save)
    box.setEscapeButton(buttons.Cancel)
    choices = {buttons.Save: Choice.SAVE, buttons.Discard: Choice.DISCARD}
    box.finished.connect(lambda _r: answer(choices.get(box.standardButton(box.clickedButton()),
                                                        Choice.CANCEL)))
    box.open()


def ask_overwrite_changed_file(parent: QWidget, name: str,
                               answer: Callable[[Choice], None]) -> None:
    """Another program changed ``name`` since it was opened or saved: overwrite it
    (SAVE), save elsewhere (DISCARD: "Save As…") or cancel."""
    box = _box(parent, QMessageBox.Icon.Warning, "File changed on disk",
               f"“{name}” was changed by another program since you opened or saved it.",
               "Overwrite it with this session, or save this session under another name?")
    overwrite = box.addButton("Overwrite", QMessageBox.ButtonRole.DestructiveRole)
    save_as = box.addButton("Save As…", QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(save_as)
    box.setEscapeButton(cancel)
    box.finished.connect(lambda _r: answer(
        Choice.SAVE if box.clickedButton() is overwrite else
        Choice.DISCARD if box.clickedButton() is save_as else Choice.CANCEL))
    box.open()


def ask_recover(parent: QWidget, description: str, answer: Callable[[Choice], None]) -> None:
    """Recover (SAVE) / Discard / Not now (CANCEL: asked again next start)."""
    box = _box(parent, QMessageBox.Icon.Question, "Recover unsaved work",
               "Stepwise did not close properly last time.",
               f"Recover the unsaved work on {description}?")
    recover = box.addButton("Recover", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(QMessageBox.StandardButton.Discard)
    later = box.addButton("Not now", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(recover)
    box.setEscapeButton(later)
    box.finished.connect(lambda _r: answer(
        Choice.SAVE if box.clickedButton() is recover else
        Choice.DISCARD if box.clickedButton() is discard else Choice.CANCEL))
    box.open()


def show_problem(parent: QWidget, title: str, text: str, detail: str = "") -> None:
    """One warning, in plain text (file names and messages may hold markup)."""
    box = _box(parent, QMessageBox.Icon.Warning, title, text, detail)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.open()


def choose_save_path(parent: QWidget, suggestion: str) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, "Save session", suggestion, SESSION_FILTER)
    if path and not Path(path).suffix:
        path += ".stepwise.json"
    return path


def choose_open_path(parent: QWidget, folder: str) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, "Open session", folder,
                                          f"{SESSION_FILTER};;All files (*)")
    return path


def _box(parent, icon, title: str, text: str, detail: str) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("documentQuestion")
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setTextFormat(_PLAIN)
    box.setText(text)
    box.setInformativeText(detail)
    box.setAttribute(_DELETE_ON_CLOSE)
    # wide enough for a file name and a date on one line (the default wraps at ~25
    # characters, which at presentation scale stacks the question into a column)
    label = box.findChild(QLabel, "qt_msgbox_label")
    if label is not None:
        label.setMinimumWidth(box.fontMetrics().horizontalAdvance("x" * 48))
    return box


_PLAIN = Qt.TextFormat.PlainText
_DELETE_ON_CLOSE = Qt.WidgetAttribute.WA_DeleteOnClose


def display_name(path: str | None) -> str:
    """The file's name as titles and questions show it (shortened if absurdly long)."""
    if not path:
        return UNTITLED
    name = Path(path).name or path
    return name if len(name) <= 80 else name[:60] + "…" + name[-15:]


def window_title(path: str | None) -> str:
    """``name.json[*] — Stepwise``; a literal "[*]" in a name is doubled, as Qt wants."""
    return display_name(path).replace("[*]", "[*][*]") + "[*] — Stepwise"
