"""The derivatives in use, typeset: f′ in root mode; g′ and g″ in minimise mode.

The LaTeX comes from the core (``Function.latex()``, symbolic via SymPy); the
typesetting from ``gui.mathtext`` (cached). Formulas change only when the function
or the mode changes, never per step, so a step costs no typesetting.
"""
from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QWidget

from gui.mathtext import MathLabel


class DerivativeFormulas(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("derivativeFormulas")
        self.first = MathLabel()
        self.first.setObjectName("firstDerivativeFormula")
        self.second = MathLabel()
        self.second.setObjectName("secondDerivativeFormula")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(24)
        layout.addWidget(self.first)
        layout.addWidget(self.second)
        layout.addStretch(1)
        self._function = None
        self._minimise = False

    def show_function(self, function, minimise: bool) -> None:
        """f′ (root) or g′, g″ (minimise) of ``function`` as typeset formulas."""
        self._function, self._minimise = function, minimise
        if function is None:
            self.first.set_latex("", "")
            self.second.set_latex("", "")
            return
        first = function.derivative()
        if minimise:
            second = first.derivative()
            self.first.set_latex(f"g'(x) = {first.latex()}", f"g′(x) = {first.text}")
            self.second.set_latex(f"g''(x) = {second.latex()}", f"g″(x) = {second.text}")
            self.second.show()
        else:
            self.first.set_latex(f"f'(x) = {first.latex()}", f"f′(x) = {first.text}")
            self.second.set_latex("", "")
            self.second.hide()

    def restyle(self, palette, point_size: float) -> None:
        for label in (self.first, self.second):
            label.set_color(palette.foreground)
            label.set_point_size(point_size)
