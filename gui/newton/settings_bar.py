"""The Newton settings row: x₀, tolerance, max steps, the race and its α.

In the stage layout (``set_compact``) only x₀ and the race stay on the row; the
secondary settings fold away behind the "Settings" drawer button, which opens them
again in place (``drawer_toggled`` tells the tab, which also opens its demo row).

A view of a ``core.newton_player.NewtonPlayer``: an edit calls the player's setter,
and the player's ``changed`` signal writes the values back (signals blocked, so
showing a value is never mistaken for an edit). Ranges come from ``core.limits``.
"""
from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QToolButton,
    QWidget,
)

from core import limits
from core.newton_player import NewtonPlayer, tolerance_from_exponent

RACE_TIP = "Race gradient descent (x ← x − α g′(x)) from the same x₀, drawn in green"
RACE_OFF_TIP = "The race minimises g: choose Minimise to race gradient descent"


class SettingsBar(QWidget):
    drawer_toggled = Signal(bool)

    def __init__(self, player: NewtonPlayer, parent=None):
        super().__init__(parent)
        self.player = player
        self._compact = False
        self.x0_spin = QDoubleSpinBox()
        self.x0_spin.setObjectName("x0Spin")
        self.x0_spin.setRange(*limits.X0_RANGE)
        self.x0_spin.setDecimals(6)
        self.x0_spin.setSingleStep(0.05)
        self.x0_spin.setKeyboardTracking(False)
        self.x0_spin.setToolTip("Start x₀ — or drag the dashed x₀ line on the plot, "
                                "or click the plot")
        self.tol_spin = QSpinBox()
        self.tol_spin.setObjectName("tolSpin")
        self.tol_spin.setRange(*limits.TOLERANCE_EXPONENT_RANGE)
        self.tol_spin.setPrefix("1e−")
        self.tol_spin.setToolTip("Tolerance: stop when |Δx| is below it")
        self.max_iter_spin = QSpinBox()
        self.max_iter_spin.setObjectName("maxIterSpin")
        self.max_iter_spin.setRange(*limits.MAX_ITER_RANGE)
        self.max_iter_spin.setToolTip("Iteration cap")
        self.race_check = QCheckBox("Race gradient descent")
        self.race_check.setObjectName("raceCheck")
        self.gd_rate_spin = QDoubleSpinBox()
        self.gd_rate_spin.setObjectName("gdLearningRateSpin")
        self.gd_rate_spin.setRange(*limits.RACE_LEARNING_RATE_RANGE)
        self.gd_rate_spin.setDecimals(4)
        self.gd_rate_spin.setSingleStep(0.01)
        self.gd_rate_spin.setPrefix("α = ")
        self.gd_rate_spin.setKeyboardTracking(False)
        self.gd_rate_spin.setToolTip("Gradient descent's learning rate α: x ← x − α g′(x)")

        self.drawer_button = QToolButton()
        self.drawer_button.setObjectName("newtonSettingsDrawerButton")
        self.drawer_button.setCheckable(True)
        self.drawer_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)   # keys stay with Step
        self.drawer_button.setToolTip("Show the demo, tolerance, max steps, α and speed")
        self.drawer_button.toggled.connect(self._on_drawer_toggled)
        self.drawer_button.hide()

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        #: what folds into the drawer in the stage layout
        self.secondary: list[QWidget] = []
        for label, widget in (("x₀", self.x0_spin), ("tolerance", self.tol_spin),
                              ("max steps", self.max_iter_spin)):
            caption = QLabel(label)
            layout.addWidget(caption)
            layout.addWidget(widget)
            layout.addSpacing(8)
            if widget is not self.x0_spin:
                self.secondary += [caption, widget]
        layout.addWidget(self.race_check)
        layout.addWidget(self.gd_rate_spin)
        self.secondary.append(self.gd_rate_spin)
        layout.addWidget(self.drawer_button)
        layout.addStretch(1)
        self._on_drawer_toggled(False)

        self._on_player_changed(frozenset())
        player.changed.connect(self._on_player_changed)
        self.x0_spin.valueChanged.connect(player.set_x0)
        self.tol_spin.valueChanged.connect(
            lambda k: player.set_tolerance(tolerance_from_exponent(k)))
        self.max_iter_spin.valueChanged.connect(player.set_max_iter)
        self.race_check.toggled.connect(lambda on: player.set_race(on))
        self.gd_rate_spin.valueChanged.connect(player.set_learning_rate)

    # -- the stage layout ------------------------------------------------------
    def set_compact(self, on: bool) -> None:
        """Stage layout: fold the secondary settings behind the drawer button
        (closed); ``False`` shows every setting and hides the button."""
        self._compact = on
        self.drawer_button.setVisible(on)
        with QSignalBlocker(self.drawer_button):
            self.drawer_button.setChecked(False)
        self._on_drawer_toggled(False)

    def is_compact(self) -> bool:
        return self._compact

    def drawer_open(self) -> bool:
        return not self._compact or self.drawer_button.isChecked()

    def _on_drawer_toggled(self, on: bool) -> None:
        shown = not self._compact or on
        for widget in self.secondary:
            widget.setVisible(shown)
        self.drawer_button.setText("Settings ▴" if on else "Settings ▾")
        if self._compact:
            self.drawer_toggled.emit(on)

    def _on_player_changed(self, _what) -> None:
        p = self.player
        with (QSignalBlocker(self.x0_spin), QSignalBlocker(self.tol_spin),
              QSignalBlocker(self.max_iter_spin), QSignalBlocker(self.race_check),
              QSignalBlocker(self.gd_rate_spin)):
            self.x0_spin.setValue(p.x0)
            self.tol_spin.setValue(p.tolerance_exponent)
            self.max_iter_spin.setValue(p.max_iter)
            self.race_check.setChecked(p.race_enabled)
            self.gd_rate_spin.setValue(p.learning_rate)
        self.race_check.setEnabled(p.minimise)
        self.gd_rate_spin.setEnabled(p.race_active)
        self.race_check.setToolTip(RACE_TIP if p.minimise else RACE_OFF_TIP)
