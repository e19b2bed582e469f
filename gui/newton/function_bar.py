"""The Newton tab's top rows: the demo presets, the mode, the function and its derivatives.

A view of a ``core.newton_player.NewtonPlayer`` for the mode (combo box, "f(x) =" or
"g(x) =") and the typeset derivatives; the presets and the mode are commands the
tab carries out (``preset_chosen``, ``mode_chosen``), and the function box parses
on its own worker (``gui.newton.function_input``).
"""
from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QWidget

from core.newton import NewtonMode
from core.newton_player import NewtonPlayer
from gui.newton.formulas import DerivativeFormulas
from gui.newton.function_input import FunctionInput
from gui.newton.presets import PRESETS

MODES = (NewtonMode.ROOT, NewtonMode.MINIMISE)
MODE_NAMES = ("Find a root", "Minimise")


class FunctionBar(QWidget):
    preset_chosen = Signal(int)
    mode_chosen = Signal(object)        # a NewtonMode

    def __init__(self, player: NewtonPlayer, parent=None):
        super().__init__(parent)
        self.player = player
        self.preset_combo = QComboBox()
        self.preset_combo.setObjectName("presetCombo")
        for i, preset in enumerate(PRESETS):
            self.preset_combo.addItem(preset.title)
            self.preset_combo.setItemData(i, preset.note, Qt.ItemDataRole.ToolTipRole)
        self.preset_combo.setToolTip("Ready-made demos: the lecture's example and the "
                                     "classic ways Newton's method fails")
        self.mode_combo = QComboBox()
        self.mode_combo.setObjectName("modeCombo")
        self.mode_combo.addItems(MODE_NAMES)
        self.mode_combo.setToolTip("Find a root of f (x ← x − f/f′) or minimise g "
                                   "(x ← x − g′/g″)")
        self.function_label = QLabel("f(x) =")
        self.function_input = FunctionInput()
        self.formulas = DerivativeFormulas()

        top = QGridLayout(self)
        top.setContentsMargins(0, 0, 0, 0)
        self.demo_label = QLabel("Demo")
        top.addWidget(self.demo_label, 0, 0)
        top.addWidget(self.preset_combo, 0, 1, 1, 3)
        top.addWidget(self.mode_combo, 0, 4)
        top.addWidget(self.function_label, 1, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.function_input, 1, 1, 1, 4)
        top.addWidget(self.formulas, 2, 1, 1, 4)
        top.setColumnStretch(3, 1)
        self._grid = top
        self._compact = False

        self._show_mode()
        player.changed.connect(self._on_player_changed)
        self.preset_combo.currentIndexChanged.connect(self.preset_chosen)
        self.mode_combo.currentIndexChanged.connect(lambda i: self.mode_chosen.emit(MODES[i]))

    def set_demo_row_visible(self, visible: bool) -> None:
        """The demo chooser and the mode (folded into the stage layout's drawer)."""
        for widget in (self.demo_label, self.preset_combo, self.mode_combo):
            widget.setVisible(visible)

    def set_compact(self, on: bool) -> None:
        """Stage layout: the derivatives beside the function box, not under it."""
        if on == self._compact:
            return
        self._compact = on
        self._grid.removeWidget(self.formulas)
        if on:
            self._grid.addWidget(self.formulas, 1, 5, Qt.AlignmentFlag.AlignTop)
        else:
            self._grid.addWidget(self.formulas, 2, 1, 1, 4)

    def show_preset(self, index: int) -> None:
        """Select a preset's title without choosing it (a session names it)."""
        with QSignalBlocker(self.preset_combo):
            self.preset_combo.setCurrentIndex(index)

    def show_mode(self, mode: NewtonMode) -> None:
        """Select a mode without choosing it (before a preset's settings arrive)."""
        with QSignalBlocker(self.mode_combo):
            self.mode_combo.setCurrentIndex(MODES.index(mode))

    def _on_player_changed(self, what) -> None:
        if "mode" in what:
            self._show_mode()
        if what & {"function", "mode"} and self.player.function is not None:
            self.formulas.show_function(self.player.function, self.player.minimise)

    def _show_mode(self) -> None:
        self.show_mode(self.player.mode)
        self.function_label.setText("g(x) =" if self.player.minimise else "f(x) =")

    def restyle(self, theme, big_font) -> None:
        palette = theme.palette
        self.formulas.restyle(palette, theme.font_size(12.0))
        self.function_input.set_error_colour(palette.negative, palette.muted)
        self.function_input.edit.setFont(big_font)
