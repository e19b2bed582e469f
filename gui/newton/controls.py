"""The stepping commands of the Newton tab: QActions with shortcuts, and their buttons.

The actions are added to the tab itself with a window-wide context: Qt fires a
shortcut only for actions whose widget is visible, so the hidden tab of the main
window (which uses the same keys) never steps. A QLineEdit or spin box with focus
still gets Space, Backspace and the arrows: it claims them via ShortcutOverride.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

from core.limits import NEWTON_SPEED_RANGE
from gui.actions import keyboard_button, make_action


def _action(owner: QWidget, name: str, text: str, keys: list[str], tip: str,
            checkable: bool = False) -> QAction:
    action = make_action(owner, name, text, keys, tip, checkable)
    owner.addAction(action)
    return action


class PlaybackControls(QWidget):
    """Step · Step back · Run · Reset · Play (with speed) · Fit view."""

    def __init__(self, owner: QWidget, parent=None):
        super().__init__(parent)
        self.setObjectName("newtonControls")
        a = _action
        self.step_action = a(owner, "newtonStepAction", "Step ▶", ["Space", "Right", "PgDown"],
                             "Step: take one Newton step")
        self.back_action = a(owner, "newtonBackAction", "◀ Back",
                             ["Left", "PgUp", "Backspace"], "Step back: undo one step")
        self.run_action = a(owner, "newtonRunAction", "Run ⇥", ["End"],
                            "Run to convergence: take every remaining step")
        self.reset_action = a(owner, "newtonResetAction", "Reset ⟲", ["R"],
                              "Reset to x₀")
        self.play_action = a(owner, "newtonPlayAction", "Play ▷", ["P"],
                             "Play / pause: step automatically", checkable=True)
        self.fit_action = a(owner, "newtonFitAction", "Fit view", ["F"],
                            "Fit view: frame the current step again after zooming")
        # The tooltips must name the keys the way the issue writes them.
        self.step_action.setToolTip("Step (Space, →, PgDn)")
        self.back_action.setToolTip("Step back (←, PgUp, Backspace)")
        self.run_action.setToolTip("Run to convergence (End)")
        self.reset_action.setToolTip("Reset to x₀ (R)")
        self.play_action.setToolTip("Play / pause (P)")
        self.fit_action.setToolTip("Fit view to the current step (F); zoom with the mouse wheel")

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.buttons = {}
        for name, action in (("newtonBackButton", self.back_action),
                             ("newtonStepButton", self.step_action),
                             ("newtonRunButton", self.run_action),
                             ("newtonResetButton", self.reset_action),
                             ("newtonPlayButton", self.play_action),
                             ("newtonFitButton", self.fit_action)):
            button = QToolButton(self)
            button.setObjectName(name)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            keyboard_button(button)     # Tab reaches it; a click leaves the keys to the actions
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            layout.addWidget(button)
            self.buttons[name] = button
            if name == "newtonPlayButton":
                self.speed_label = QLabel("speed")
                self.speed_spin = QDoubleSpinBox()
                self.speed_spin.setObjectName("newtonSpeedSpin")
                self.speed_spin.setRange(*NEWTON_SPEED_RANGE)
                self.speed_spin.setSingleStep(0.5)
                self.speed_spin.setValue(1.5)
                self.speed_spin.setSuffix(" steps/s")
                self.speed_spin.setToolTip("Play speed: steps per second")
                layout.addWidget(self.speed_label)
                layout.addWidget(self.speed_spin)
        layout.addStretch(1)

    def set_speed_visible(self, visible: bool) -> None:
        """The play speed (folded into the stage layout's drawer)."""
        self.speed_label.setVisible(visible)
        self.speed_spin.setVisible(visible)

    def actions_list(self) -> list[QAction]:
        """The commands in the order of the buttons (the tab's ``commands()``)."""
        return [self.step_action, self.back_action, self.run_action, self.reset_action,
                self.play_action, self.fit_action]
