"""Both tabs are what the main window needs (gui/demo_tab.py's DemoTab), and every
command they list keeps the keys README.md promises the lecturer."""
import json
import re
from pathlib import Path

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QWidget

from gui.demo_tab import DemoTab

README = Path(__file__).resolve().parent.parent / "README.md"

# README row → the commands it names, in the order its " / " lists them
README_COMMANDS = {
    "Step forward (one micro-step / one Newton step)": [("stepButton", "newtonStepAction")],
    "Step back (restores the earlier state exactly)": [("stepBackButton", "newtonBackAction")],
    "Classifier: step one example / one epoch": [("stepExampleButton",), ("stepEpochButton",)],
    "Classifier: back to the start of the example": [("stepBackExampleButton",)],
    "Newton: run to the end / fit the view": [("newtonRunAction",), ("newtonFitAction",)],
    "Play / pause": [("playButton", "newtonPlayAction")],
    "Reset": [("resetButton", "newtonResetAction")],
    "Undo / redo a table edit": [("undoAction",), ("redoAction",)],
}
_GLYPHS = {"→": "Right", "←": "Left", "Page Down": "PgDown", "Page Up": "PgUp"}


def readme_shortcuts() -> dict[str, set[str]]:
    """objectName → the keys README.md's shortcut table lists for it."""
    text = README.read_text(encoding="utf-8")
    table = text[text.index("## Keyboard shortcuts"):]
    rows = dict(re.findall(r"^\| (.+?) \| (.+?) \|$", table, flags=re.MULTILINE))
    keys: dict[str, set[str]] = {}
    for what, commands in README_COMMANDS.items():
        cells = rows[what].split(" / ")
        assert len(cells) == len(commands), what
        for cell, names in zip(cells, commands):
            for key in cell.split(", "):
                for glyph, name in _GLYPHS.items():
                    key = key.replace(glyph, name)
                portable = QKeySequence(key).toString()
                assert portable, key
                for name in names:
                    keys.setdefault(name, set()).add(portable)
    return keys


@pytest.fixture
def classifier(qtbot, theme):
    from gui.classifier.tab import ClassifierTab
    tab = ClassifierTab(theme)
    qtbot.addWidget(tab)
    yield tab
    tab.stop()


@pytest.fixture
def newton(qtbot, theme):
    from gui.newton.tab import NewtonTab
    tab = NewtonTab(theme)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitUntil(tab.is_ready, timeout=10_000)   # the core loads after show
    yield tab
    tab.stop()


@pytest.mark.parametrize("which, key", [("classifier", "classifier"), ("newton", "newton")])
def test_each_tab_is_a_demo_tab(request, which, key):
    tab = request.getfixturevalue(which)
    assert isinstance(tab, DemoTab)
    assert tab.session_key == key
    assert isinstance(tab.export_widget(), QWidget)
    tab.after_show()
    assert tab.is_ready()
    state = json.loads(json.dumps(tab.state(), allow_nan=False))
    tab.restore_state(state)
    assert tab.state() == state
    with pytest.raises((ValueError, KeyError, TypeError)):
        tab.restore_state({"sentences": 3})


def test_every_command_is_named_explained_and_keeps_the_readme_keys(classifier, newton):
    promised = readme_shortcuts()
    listed = {}
    for tab in (classifier, newton):
        commands = tab.commands()
        assert commands and len(set(commands)) == len(commands)
        for action in commands:
            name = action.objectName()
            assert name and name not in listed, name
            assert action.toolTip(), name
            assert action in tab.actions(), f"{name}'s keys would not reach the tab"
            listed[name] = {k.toString() for k in action.shortcuts()}
    for name, keys in promised.items():
        assert name in listed, f"README names {name}, which no tab lists"
        assert keys <= listed[name], (name, keys - listed[name])


def test_commands_come_in_menu_order(classifier, newton):
    assert [a.objectName() for a in classifier.commands()] == [
        "stepButton", "stepExampleButton", "stepEpochButton", "stepBackButton",
        "stepBackExampleButton", "playButton", "resetButton", "settingsButton", "undoAction",
        "redoAction"]
    assert [a.objectName() for a in newton.commands()] == [
        "newtonStepAction", "newtonBackAction", "newtonRunAction", "newtonResetAction",
        "newtonPlayAction", "newtonFitAction"]
