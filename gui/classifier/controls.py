"""The classifier's commands (QActions with shortcuts) and the control bar that shows them.

Every command is a ``QAction`` with an objectName, a shortcut and a tooltip naming it.
The actions are added to the tab with ``WindowShortcut`` context: Qt only fires the
shortcuts of actions whose widget is visible, so the Newton tab can use the same keys.
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QGridLayout,
                               QHBoxLayout, QLabel, QSizePolicy, QSlider, QSpinBox,
                               QToolButton, QWidget)


@dataclass(frozen=True)
class Speed:
    """One notch of the speed slider: micro-steps per second, or epochs per second
    (``epochs_per_second`` = 0 means as fast as the event loop allows)."""
    label: str
    steps_per_second: float = 0.0
    epochs_per_second: float = 0.0

    @property
    def is_micro(self) -> bool:
        return self.steps_per_second > 0


SPEEDS = (
    Speed("1 step/s", steps_per_second=1),
    Speed("2 steps/s", steps_per_second=2),
    Speed("5 steps/s", steps_per_second=5),
    Speed("10 steps/s", steps_per_second=10),
    Speed("20 steps/s", steps_per_second=20),
    Speed("5 epochs/s", epochs_per_second=5),
    Speed("30 epochs/s", epochs_per_second=30),
    Speed("fastest"),
)
DEFAULT_SPEED = 3


def _action(parent: QObject, name: str, text: str, keys, tip: str,
            checkable: bool = False) -> QAction:
    action = QAction(text, parent)
    action.setObjectName(name)
    sequences = [QKeySequence(k) for k in keys]
    action.setShortcuts(sequences)
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.setCheckable(checkable)
    names = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences)
    action.setToolTip(f"{tip} ({names})" if names else tip)
    action.setStatusTip(tip)
    return action


class ClassifierActions(QObject):
    """The tab's commands; ``all()`` lists them for ``widget.addActions``."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.step = _action(self, "stepButton", "Step",
                            [Qt.Key.Key_Space, Qt.Key.Key_Right, Qt.Key.Key_PageDown],
                            "Step: one micro-step of the pass")
        self.step_example = _action(self, "stepExampleButton", "Step example",
                                    ["Shift+Right", "Shift+PgDown"],
                                    "Step example: finish this example's pass and update")
        self.step_epoch = _action(self, "stepEpochButton", "Step epoch",
                                  ["Ctrl+Right", "Ctrl+PgDown"],
                                  "Step epoch: run through every example once")
        self.step_back = _action(self, "stepBackButton", "Step back",
                                 [Qt.Key.Key_Left, Qt.Key.Key_PageUp, Qt.Key.Key_Backspace],
                                 "Step back: return exactly to the previous state")
        self.play = _action(self, "playButton", "Play", [Qt.Key.Key_P],
                            "Play / Pause: keep stepping at the chosen speed", checkable=True)
        self.reset = _action(self, "resetButton", "Reset", [Qt.Key.Key_R],
                             "Reset: re-initialise the network from the seed")
        self.step_back_example = _action(self, "stepBackExampleButton", "Back example",
                                         ["Shift+Left", "Shift+PgUp"],
                                         "Step back to the start of this example's pass")

    def all(self) -> list[QAction]:
        return [self.step, self.step_example, self.step_epoch, self.step_back,
                self.step_back_example, self.play, self.reset]

    def training(self) -> list[QAction]:
        """The actions that need trainable data."""
        return [self.step, self.step_example, self.step_epoch, self.play]


def _button(action: QAction) -> QToolButton:
    button = QToolButton()
    button.setDefaultAction(action)
    button.setObjectName(action.objectName())
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go on driving the tab
    return button


class ControlBar(QWidget):
    """Buttons for the actions, speed, seed, α, mode, hidden width/depth, status line."""

    def __init__(self, actions: ClassifierActions, theme, parent=None):
        super().__init__(parent)
        self.setObjectName("classifierControls")
        self.theme = theme
        self.buttons = {a.objectName(): _button(a) for a in actions.all()}

        self.speed_slider = QSlider(Qt.Orientation.Horizontal)
        self.speed_slider.setObjectName("speedSlider")
        self.speed_slider.setRange(0, len(SPEEDS) - 1)
        self.speed_slider.setValue(DEFAULT_SPEED)
        self.speed_slider.setPageStep(1)
        self.speed_slider.setToolTip("Play speed: slow speeds animate every micro-step, "
                                     "fast ones train whole epochs")
        self.speed_label = QLabel(SPEEDS[DEFAULT_SPEED].label)
        self.speed_label.setObjectName("speedLabel")
        self.speed_slider.valueChanged.connect(
            lambda v: self.speed_label.setText(SPEEDS[v].label))

        self.seed_spin = QSpinBox()
        self.seed_spin.setObjectName("seedSpin")
        self.seed_spin.setRange(0, 99999)
        self.seed_spin.setToolTip("Seed of the initial weights: the same seed gives the same demo")
        self.learning_rate_spin = QDoubleSpinBox()
        self.learning_rate_spin.setObjectName("learningRateSpin")
        self.learning_rate_spin.setDecimals(3)
        self.learning_rate_spin.setRange(0.001, 10.0)
        self.learning_rate_spin.setSingleStep(0.05)
        self.learning_rate_spin.setToolTip("Learning rate α in p ← p − α·∂L/∂p")
        self.mode_combo = QComboBox()
        self.mode_combo.setObjectName("modeCombo")
        self.mode_combo.addItem("per example", "example")
        self.mode_combo.addItem("full batch", "batch")
        self.mode_combo.setToolTip("Update after every example (as in the notes) "
                                   "or with the mean gradient over all rows")
        self.hidden_units_spin = QSpinBox()
        self.hidden_units_spin.setObjectName("hiddenUnitsSpin")
        self.hidden_units_spin.setRange(1, 8)
        self.hidden_units_spin.setToolTip("Units per hidden layer (re-creates the network)")
        self.hidden_layers_spin = QSpinBox()
        self.hidden_layers_spin.setObjectName("hiddenLayersSpin")
        self.hidden_layers_spin.setRange(1, 3)
        self.hidden_layers_spin.setToolTip("Number of hidden layers (re-creates the network)")
        self.heatmap_check = QCheckBox("unit heat-maps")
        self.heatmap_check.setObjectName("heatmapCheck")
        self.heatmap_check.setToolTip("Show each first-layer hidden unit's activation "
                                      "over the (word 1, word 2) plane")
        self.status = QLabel()
        self.status.setObjectName("statusLabel")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        # its text changes on every step; a fixed size keeps that from re-laying out the tab
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        for name in ("stepBackExampleButton", "stepBackButton", "stepButton",
                     "stepExampleButton", "stepEpochButton", "playButton"):
            top.addWidget(self.buttons[name])
        top.addWidget(self.speed_slider, 1)
        top.addWidget(self.speed_label)
        bottom = QHBoxLayout()
        bottom.addWidget(self.buttons["resetButton"])
        for caption, widget in (("seed", self.seed_spin), ("α", self.learning_rate_spin),
                                ("", self.mode_combo), ("hidden units", self.hidden_units_spin),
                                ("layers", self.hidden_layers_spin), ("", self.heatmap_check)):
            if caption:
                label = QLabel(caption)
                label.setBuddy(widget)
                bottom.addWidget(label)
            bottom.addWidget(widget)
        bottom.addStretch(1)
        grid.addLayout(top, 0, 0)
        grid.addLayout(bottom, 1, 0)
        grid.addWidget(self.status, 2, 0)
        theme.changed.connect(self._restyle)
        self._restyle()

    def speed(self) -> Speed:
        return SPEEDS[self.speed_slider.value()]

    def mode(self) -> str:
        return self.mode_combo.currentData()

    def set_mode(self, mode: str) -> None:
        self.mode_combo.setCurrentIndex(max(0, self.mode_combo.findData(mode)))

    def _restyle(self) -> None:
        font = self.font()
        font.setPointSizeF(self.theme.font_size(10))
        self.setFont(font)
        for child in self.findChildren(QWidget):
            child.setFont(font)
        bold = self.buttons["stepButton"].font()
        bold.setBold(True)
        self.buttons["stepButton"].setFont(bold)
        self.status.setStyleSheet(f"color: {self.theme.palette.foreground};")
        self.speed_slider.setMinimumWidth(int(80 * self.theme.scale))
