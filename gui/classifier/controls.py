"""The classifier's commands (QActions with shortcuts) and the control bar that shows them.

Every command is a ``QAction`` with an objectName, a shortcut and a tooltip naming it.
The actions are added to the tab with ``WindowShortcut`` context: Qt only fires the
shortcuts of actions whose widget is visible, so the Newton tab can use the same keys.
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core import limits
from gui.actions import keyboard_button, make_action
from gui.classifier.status import StatusLine


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
    action = make_action(parent, name, text, keys, tip, checkable)
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

        self.settings = _action(self, "settingsButton", "Settings", "Ctrl+,",
                                "Settings: show or hide the drawer of data-set and network "
                                "settings (stage layout)", checkable=True)
        self.settings.setEnabled(False)     # only the stage layout has a drawer

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
    keyboard_button(button)     # Tab reaches it, Space/Enter press it; a click keeps no focus
    return button


def _row_width(widgets: list[QWidget], captions: dict, spacing: int) -> int:
    """The least width a row of ``widgets`` (with their captions) can take."""
    items = [w for widget in widgets for w in ((captions[widget],) if widget in captions
                                                 else ()) + (widget,)]
    return sum(w.minimumSizeHint().expandedTo(w.minimumSize()).width() for w in items) \
        + spacing * max(0, len(items) - 1)


class ControlBar(QWidget):
    """Buttons for the actions, speed, seed, α, mode, hidden width/depth, status line.

    Arrangements: "wide" (two rows, on a laptop when the column is wide enough),
    "narrow" (three rows: presentation scale, or a column too narrow for two — so a
    1024-pixel screen fits at scale 1), "stage" (one row of the stepping controls and
    a "Settings ▾" button that opens a drawer with the rest; ``add_to_drawer`` puts
    more widgets there, e.g. the table's data-set tools) and "stage-narrow" (the
    same in two rows, for presentation scale on a small projector).
    """

    def __init__(self, actions: ClassifierActions, theme, parent=None):
        super().__init__(parent)
        self.setObjectName("classifierControls")
        self.theme = theme
        # as tall as its rows, whatever a step does to the panes below
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.buttons = {a.objectName(): _button(a) for a in actions.all()}
        self.settings_action = actions.settings
        self.settings_button = _button(actions.settings)
        self.settings_button.setVisible(False)

        self.speed_slider = QSlider(Qt.Orientation.Horizontal)
        self.speed_slider.setObjectName("speedSlider")
        self.speed_slider.setRange(*limits.CLASSIFIER_SPEED_RANGE)
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
        self.seed_spin.setRange(*limits.SEED_RANGE)
        self.seed_spin.setToolTip("Seed of the initial weights: the same seed gives the same demo")
        self.learning_rate_spin = QDoubleSpinBox()
        self.learning_rate_spin.setObjectName("learningRateSpin")
        self.learning_rate_spin.setDecimals(3)
        self.learning_rate_spin.setRange(*limits.LEARNING_RATE_RANGE)
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
        self.hidden_units_spin.setRange(*limits.HIDDEN_UNITS_RANGE)
        self.hidden_units_spin.setToolTip("Units per hidden layer (re-creates the network)")
        self.hidden_layers_spin = QSpinBox()
        self.hidden_layers_spin.setObjectName("hiddenLayersSpin")
        self.hidden_layers_spin.setRange(*limits.HIDDEN_LAYERS_RANGE)
        self.hidden_layers_spin.setToolTip("Number of hidden layers (re-creates the network)")
        self.heatmap_check = QCheckBox("unit heat-maps")
        self.heatmap_check.setObjectName("heatmapCheck")
        self.heatmap_check.setToolTip("Show each first-layer hidden unit's activation "
                                      "over the (word 1, word 2) plane")
        self.status = StatusLine(theme)

        self._captions = {}
        for caption, widget in (("seed", self.seed_spin), ("α", self.learning_rate_spin),
                                ("hidden units", self.hidden_units_spin),
                                ("layers", self.hidden_layers_spin)):
            label = QLabel(caption)
            label.setBuddy(widget)
            self._captions[widget] = label
        self._rows = [QHBoxLayout() for _ in range(3)]
        self.drawer = QFrame()
        self.drawer.setObjectName("settingsDrawer")
        self.drawer.setFrameShape(QFrame.Shape.StyledPanel)
        self.drawer.setVisible(False)
        self._drawer_layout = QVBoxLayout(self.drawer)
        self._drawer_row = QHBoxLayout()
        self._drawer_layout.addLayout(self._drawer_row)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        for row in self._rows:
            self._layout.addLayout(row)
        self._layout.addWidget(self.drawer)
        self._layout.addWidget(self.status)
        self._stage = False
        self._arrangement: str | None = None
        self._widths: dict[str, int] = {}   # the least width of each arrangement
        self._guests: list[QWidget] = []    # widgets lent to the drawer (styled by their owner)
        self.settings_action.toggled.connect(self._show_drawer)
        theme.changed.connect(self._restyle)
        self._restyle()

    def rows(self) -> list[list[QWidget]]:
        """The widgets of each row of controls, left to right (for tests and checks)."""
        return [[row.itemAt(i).widget() for i in range(row.count())
                 if row.itemAt(i).widget() is not None] for row in self._rows]

    def drawer_widgets(self) -> list[QWidget]:
        """The settings in the drawer's row (empty unless in the stage layout)."""
        row = self._drawer_row
        return [row.itemAt(i).widget() for i in range(row.count())
                if row.itemAt(i).widget() is not None]

    def arrangement(self) -> str:
        """"wide", "narrow", "stage" or "stage-narrow"."""
        return self._arrangement or ""

    def add_to_drawer(self, widget: QWidget) -> None:
        """Show ``widget`` in the drawer, under its settings (until taken back by the
        layout it came from)."""
        self._guests.append(widget)
        self._drawer_layout.addWidget(widget)

    def set_stage(self, on: bool) -> None:
        """The stage arrangement: the stepping controls on one row, the rest in the
        drawer that "Settings ▾" opens; off: the full rows again."""
        self._stage = bool(on)
        self._layout.setSpacing(2 if self._stage else -1)
        self.settings_action.setEnabled(self._stage)
        self.settings_button.setVisible(self._stage)
        self._arrange()
        self._show_drawer(self.settings_action.isChecked())

    def _show_drawer(self, shown: bool) -> None:
        self.drawer.setVisible(self._stage and shown)
        self.settings_action.setText("Settings ▴" if shown else "Settings ▾")

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        narrowest = self._widths.get("stage-narrow" if self._stage else "narrow", 0)
        if narrowest:
            # narrower than the rows need: the bar re-arranges itself in more rows
            hint.setWidth(min(hint.width(), narrowest))
        return hint

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._arrange()

    def _plan(self, name: str) -> list[list[QWidget]]:
        """The rows of an arrangement, then the drawer's row."""
        b = self.buttons
        transport = [b[n] for n in ("stepBackExampleButton", "stepBackButton", "stepButton",
                                    "stepExampleButton", "stepEpochButton", "playButton")]
        speed = [self.speed_slider, self.speed_label]
        network = [b["resetButton"], self.seed_spin, self.learning_rate_spin,
                   self.mode_combo, self.hidden_units_spin, self.hidden_layers_spin,
                   self.heatmap_check]
        if name == "wide":
            return [transport + speed, network, [], []]
        if name == "narrow":
            return [transport, network[:3] + speed, network[3:], []]
        if name == "stage":
            return [transport + [b["resetButton"]] + speed + [self.settings_button], [], [],
                    network[1:]]
        # stage-narrow: presentation scale on a small projector
        return [transport, [b["resetButton"], *speed, self.settings_button], [], network[1:]]

    def _choose(self) -> str:
        # before the first layout the width means nothing: the roomiest arrangement
        laid_out = self.testAttribute(Qt.WidgetAttribute.WA_WState_Created) and self.width() > 1
        if self._stage:
            tight = laid_out and self.width() < self._widths.get("stage", 0)
            return "stage-narrow" if tight else "stage"
        if self.theme.scale >= 1.25:
            # two rows of 20-point buttons would make the window wider than a 1080p projector
            return "narrow"
        return "narrow" if laid_out and self.width() < self._widths.get("wide", 0) else "wide"

    def _measure(self) -> None:
        spacing = self._rows[0].spacing()
        self._widths = {name: max(_row_width(r, self._captions, spacing)
                                  for r in self._plan(name)[:3])
                        for name in ("wide", "narrow", "stage", "stage-narrow")}

    def _arrange(self, force: bool = False) -> None:
        name = self._choose()
        if name == self._arrangement and not force:
            return
        self._arrangement = name
        rows = [*self._rows, self._drawer_row]
        for row in rows:
            while row.count():
                row.takeAt(0)   # the widgets stay children of the bar
        for row, widgets in zip(rows, self._plan(name)):
            for widget in widgets:
                if widget in self._captions:
                    row.addWidget(self._captions[widget])
                row.addWidget(widget, 1 if widget is self.speed_slider else 0)
            if widgets and self.speed_slider not in widgets:
                row.addStretch(1)
        self.updateGeometry()

    def speed(self) -> Speed:
        return SPEEDS[self.speed_slider.value()]

    def mode(self) -> str:
        return self.mode_combo.currentData()

    def set_mode(self, mode: str) -> None:
        self.mode_combo.setCurrentIndex(max(0, self.mode_combo.findData(mode)))

    def _restyle(self) -> None:
        self._arrange(force=True)   # first: it makes every control a child of the bar
        font = self.font()
        font.setPointSizeF(self.theme.font_size(10))
        self.setFont(font)
        for child in self.findChildren(QWidget):
            # a lent widget keeps its owner's fonts: an explicit font would stay with
            # it, at this scale, when it goes back
            if not any(g is child or g.isAncestorOf(child) for g in self._guests):
                child.setFont(font)
        bold = self.buttons["stepButton"].font()
        bold.setBold(True)
        self.buttons["stepButton"].setFont(bold)
        spacing = round(6 * self.theme.scale)
        for row in [*self._rows, self._drawer_row]:
            row.setSpacing(spacing)
        self.status.setStyleSheet(f"color: {self.theme.palette.foreground};")
        self.status.restyle()
        self.speed_slider.setMinimumWidth(int(80 * self.theme.scale))
        # wide enough for every speed's name, so moving the slider never shifts the row
        metrics = self.speed_label.fontMetrics()
        self.speed_label.setMinimumWidth(
            max(metrics.horizontalAdvance(s.label) for s in SPEEDS) + 4)
        self._measure()
        self._arrange()
