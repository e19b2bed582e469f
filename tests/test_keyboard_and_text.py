"""Issue 10 item 3 and 6: Tab leaves the sentence table, the step buttons take the
focus from the keyboard, and user text in the warning banner is text, not markup."""
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QTableView, QToolButton

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")


def test_tab_leaves_the_sentence_table_and_arrows_move_inside_it(classifier_tab, qtbot):
    view = classifier_tab.findChild(QTableView, "sentenceTable")
    view.setFocus(Qt.FocusReason.TabFocusReason)
    view.setCurrentIndex(view.model().index(0, 0))
    qtbot.waitUntil(view.hasFocus)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.hasFocus() and view.currentIndex().row() == 1
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert not view.hasFocus()
    assert QApplication.focusWidget() is not None


def test_the_step_buttons_take_the_focus_from_tab_and_space_presses_them(classifier_tab, qtbot):
    button = classifier_tab.findChild(QToolButton, "stepAction") \
        or next(b for b in classifier_tab.findChildren(QToolButton)
                if b.defaultAction() is classifier_tab.classifier_actions.step)
    assert button.focusPolicy() & Qt.FocusPolicy.TabFocus
    seen = []
    for _ in range(80):             # Tab walks the controls and reaches the button
        focus = QApplication.focusWidget()
        seen.append(focus)
        if focus is button:
            break
        qtbot.keyClick(focus or classifier_tab, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is button, "Tab never reached the Step button"
    before = classifier_tab.stepper.index
    qtbot.keyClick(button, Qt.Key.Key_Space)
    assert classifier_tab.stepper.index == before + 1      # one press, one step


def test_newton_buttons_take_the_focus_from_tab(qtbot, theme):
    from gui.newton.tab import NewtonTab
    tab = NewtonTab(theme)
    qtbot.addWidget(tab)
    for name in ("newtonStepButton", "newtonBackButton", "newtonPlayButton",
                 "newtonResetButton", "newtonRunButton", "newtonFitButton"):
        button = tab.findChild(QToolButton, name)
        assert button.focusPolicy() & Qt.FocusPolicy.TabFocus, name
        assert not button.focusPolicy() & Qt.FocusPolicy.ClickFocus, name
    tab.stop()


def test_markup_typed_as_a_vocabulary_is_shown_as_text(classifier_tab):
    edit = classifier_tab.findChild(QLineEdit, "vocabularyEdit")
    edit.setText("<h1>aack</h1>, <img src=x>")
    edit.editingFinished.emit()
    banner = classifier_tab.table.banner.text()
    assert "Vocabulary" in banner
    assert "<h1>" not in banner and "<img" not in banner
    assert "&lt;h1&gt;" in banner or "&lt;img" in banner
    assert any("<h1>" in p or "<img" in p for p in classifier_tab.problems())
