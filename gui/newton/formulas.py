"""The derivatives in use, typeset: f′ in root mode; g′ and g″ in minimise mode.

The LaTeX comes from the core (``Function.latex()``, symbolic via SymPy, already
computed on the parse worker); the typesetting from ``gui.mathtext`` (cached).
Formulas change only when the function or the mode changes, never per step, so a
step costs no typesetting.

mathtext runs on the GUI thread at ~0.1 ms per LaTeX character, and the core
accepts functions whose f″ runs to thousands of characters (half a second to
typeset, an image ten thousand pixels wide that no screen shows). A formula longer
than MAX_TYPESET_CHARS is shown as plain text, cut short with "…", in full in its
tooltip.
"""
from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QWidget

from gui.mathtext import MathLabel

MAX_TYPESET_CHARS = 400      # ≈ 40 ms of mathtext, ≈ 1100 px at 12 pt
MAX_PLAIN_CHARS = 48         # what is left of a long formula: g′ and g″ fit side by side
MAX_TOOLTIP_CHARS = 2000


def _show(label: MathLabel, name: str, plain_name: str, function) -> None:
    """``name(x) = LaTeX`` typeset, or the plain text cut short if it is too long."""
    latex, text = function.latex(), function.text
    if len(latex) <= MAX_TYPESET_CHARS:
        label.set_latex(f"{name}(x) = {latex}", f"{plain_name}(x) = {text}")
        label.setToolTip("")
        return
    short = text if len(text) <= MAX_PLAIN_CHARS else text[:MAX_PLAIN_CHARS].rstrip() + " …"
    label.set_latex("", f"{plain_name}(x) = {short}")
    whole = text if len(text) <= MAX_TOOLTIP_CHARS else text[:MAX_TOOLTIP_CHARS] + " …"
    label.setToolTip(f"{plain_name}(x) = {whole}\n({len(text):,} characters: too long "
                     "to typeset)")


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
        """f′ (root) or g′, g″ (minimise) of ``function`` as typeset formulas
        (its derivatives are cached: the parse worker computed them)."""
        self._function, self._minimise = function, minimise
        if function is None:
            self.first.set_latex("", "")
            self.second.set_latex("", "")
            return
        first = function.derivative()
        if minimise:
            _show(self.first, "g'", "g′", first)
            _show(self.second, "g''", "g″", first.derivative())
            self.second.show()
        else:
            _show(self.first, "f'", "f′", first)
            self.second.set_latex("", "")
            self.second.hide()

    def restyle(self, palette, point_size: float) -> None:
        for label in (self.first, self.second):
            label.set_color(palette.foreground)
            label.set_point_size(point_size)
