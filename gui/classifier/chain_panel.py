"""The chain-rule panel: the current micro-step's maths, typeset and with numbers.

Forward and loss steps show their equation; a backward step shows the lecture's
chain rule for its parameter, the factors with the walk's numbers, the simplified
form, the gradient beside its finite-difference check, the δ recursion of deeper
networks, the batch mean in full-batch mode, and the update p ← p − α·∂L/∂p.  The
number formatting here is shared with the network diagram.
"""
from __future__ import annotations

import math
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QFontMetricsF
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QScrollArea, QSizePolicy,
                               QVBoxLayout, QWidget)

from gui import mathtext
from gui.mathtext import MathLabel

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def subscript(n: int | str) -> str:
    return str(n).translate(_SUBSCRIPT)


def superscript(n: int | str) -> str:
    return str(n).translate(_SUPERSCRIPT)


def format_number(value: float, digits: int = 3, decimals: int | None = None) -> str:
    """``value`` for display: Unicode minus, whole numbers without decimals,
    ``digits`` significant digits (or a fixed number of ``decimals``), and
    m×10⁻ⁿ for tiny values so a small gradient never reads as 0."""
    v = float(value)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    if v == 0.0:
        return "0"
    if decimals is not None:
        text = f"{v:.{decimals}f}"
    elif v.is_integer() and abs(v) < 1e6:
        text = str(int(v))
    else:
        a = abs(v)
        if a < 1e-3 or a >= 1e6:
            exponent = math.floor(math.log10(a))
            mantissa = v / 10.0 ** exponent
            text = f"{mantissa:.{max(digits - 1, 0)}f}".rstrip("0").rstrip(".")
            text = f"{text}×10{superscript(exponent)}"
        else:
            places = max(0, digits - 1 - math.floor(math.log10(a)))
            text = f"{v:.{places}f}"
            if "." in text:       # 0.5 rather than 0.5000: fewer digits to read
                text = text.rstrip("0").rstrip(".")
    return text.replace("-", "−")


# --------------------------------------------------------------------------- panel
PANEL_DIGITS = 4        # significant digits of the numbers the panel shows
MAX_DELTA_ROWS = 12     # δ terms shown (a 3×8 network has up to 1 + 8 + 8 + 1)
SWAP_NOTE = ("Note: the notes' update slide swaps w₁₂ and w₂₁. Here w<sub>ij</sub> joins "
             "input i to hidden unit j, as in the definition "
             "z₁ = x₁w₁₁ + x₂w₂₁ + b₁, z₂ = x₁w₁₂ + x₂w₂₂ + b₂.")


def num(value: float) -> str:
    return format_number(value, PANEL_DIGITS)


def _nowrap(html: str) -> str:
    # Unicode allows a line break after "⁾" in w⁽²⁾₁₁; a table cell must not take it.
    return f"<span style='white-space:pre'>{html}</span>"


def short(value: float) -> str:
    return format_number(value, 3)


def paren(value: float) -> str:
    """A number in parentheses when negative, for products like 3 · (−0.5)."""
    text = num(value)
    return f"({text})" if text.startswith("−") else text


def _finite(value) -> bool:
    return value is not None and math.isfinite(float(value))


class _DeltaRow(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.math = MathLabel()
        self.value = QLabel()
        self.value.setTextFormat(Qt.TextFormat.RichText)
        row.addWidget(self.math)
        row.addWidget(self.value)
        row.addStretch(1)


class ChainRulePanel(QWidget):
    """The current micro-step's equation, typeset, then with the walk's numbers.

    Symbolic formulas are typeset with mathtext (cached per LaTeX string, so a
    formula seen once costs a lookup); every number that changes from step to
    step is plain Qt rich text, which keeps a step within a few milliseconds.
    """

    def __init__(self, theme, parent=None):
        super().__init__(parent)
        self.setObjectName("chainRulePanel")
        self._theme = theme
        self._step = None
        self._learning_rate = float("nan")
        mathtext.warm_up()

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        content = QWidget()
        content.setObjectName("chainRuleContent")
        scroll.setWidget(content)
        self._content = content
        layout = QVBoxLayout(content)
        layout.setSpacing(6)

        def label(name, rich=True):
            widget = QLabel()
            widget.setObjectName(name)
            widget.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
            widget.setWordWrap(True)
            widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
            return widget

        self._title = label("chainTitleLabel")
        self._symbolic = MathLabel()
        self._symbolic.setObjectName("chainSymbolicMath")
        self._numbers = label("chainNumbersLabel")
        self._factors = label("chainFactorsLabel")
        self._simplified = MathLabel()
        self._simplified.setObjectName("chainSimplifiedMath")
        self._simplified_numbers = label("chainSimplifiedNumbersLabel")
        self._value = label("chainValueLabel")
        self._value.setWordWrap(False)
        self._check = label("numericCheckLabel")
        self._batch = label("chainBatchLabel")
        self._delta_title = label("chainDeltaTitle")
        self._delta_rows = [_DeltaRow() for _ in range(MAX_DELTA_ROWS)]
        self._update = label("updateLabel")
        self._note = label("chainNoteLabel")

        value_row = QHBoxLayout()
        value_row.addWidget(self._value, 3)
        value_row.addWidget(self._check, 4)
        for widget in (self._title, self._symbolic, self._numbers, self._factors,
                       self._simplified, self._simplified_numbers):
            layout.addWidget(widget)
        layout.addLayout(value_row)
        layout.addWidget(self._batch)
        layout.addWidget(self._delta_title)
        for row in self._delta_rows:
            layout.addWidget(row)
        layout.addWidget(self._update)
        layout.addWidget(self._note)
        layout.addStretch(1)
        self._optional = [self._symbolic, self._numbers, self._factors, self._simplified,
                          self._simplified_numbers, self._value, self._check, self._batch,
                          self._delta_title, *self._delta_rows, self._update, self._note]
        theme.changed.connect(self._restyle)
        self._restyle()

    # ----------------------------------------------------------------- public API
    def show_step(self, step, learning_rate: float = float("nan")) -> None:
        """Show ``step`` (a walk record, or None for "nothing to explain yet")."""
        self._step = step
        self._learning_rate = float(learning_rate)
        shown: set = set()
        kind = getattr(step, "kind", None)
        if kind == "forward":
            self._show_forward(step, shown)
        elif kind == "loss":
            self._show_loss(step, shown)
        elif kind == "backward":
            self._show_backward(step, shown)
        elif kind == "update":
            self._show_update(step, shown)
        else:
            self._title.setText("<b>Press Step</b> to walk through one example: "
                                "forward, loss, back-propagation, update.")
        for widget in self._optional:
            widget.setVisible(widget in shown)

    def value_text(self) -> str:
        """The value this step computes, as shown (plain text)."""
        if self._value.isHidden():
            return ""
        return self._value.text().replace("<b>", "").replace("</b>", "")

    def shown_texts(self) -> dict[str, str]:
        """Every visible rich-text label by objectName (for tests and export)."""
        labels = (self._title, self._numbers, self._factors, self._simplified_numbers,
                  self._value, self._check, self._batch, self._update, self._note)
        texts = {w.objectName(): w.text() for w in labels if not w.isHidden()}
        texts["deltas"] = "\n".join(f"{row.math.latex()} {row.value.text()}"
                                    for row in self._delta_rows if not row.isHidden())
        return texts

    def latex_shown(self) -> list[str]:
        return [w.latex() for w in (self._symbolic, self._simplified) if not w.isHidden()]

    # ------------------------------------------------------------------- kinds
    def _show_forward(self, step, shown) -> None:
        where = "the output" if step.is_output else "hidden unit"
        self._title.setText(f"<b>Forward pass</b> — {where} {escape(step.unit_label)}")
        activation = getattr(step, "activation_latex", "") or \
            rf"{step.unit_latex} = \sigma({step.z_latex})"
        fallback = (f"{step.z_label} = "
                    + " + ".join(f"{i}{w.label}" for i, w in zip(step.input_labels,
                                                                step.weight_refs))
                    + f" + {step.bias_ref.label},   {step.unit_label} = σ({step.z_label})")
        self._symbolic.set_latex(rf"{step.equation_latex},\quad {activation}", fallback)
        products = " + ".join(f"{num(x)}·{paren(w)}" for x, w in zip(step.inputs, step.weights))
        self._numbers.setText(
            f"{step.z_label} = {products} + {paren(step.bias)} = <b>{num(step.z)}</b><br>"
            f"{step.unit_label} = σ({step.z_label}) = σ({num(step.z)}) = <b>{num(step.a)}</b>")
        self._value.setText(f"<b>{escape(step.unit_label)} = {num(step.a)}</b>")
        shown.update({self._symbolic, self._numbers, self._value})
        if len(step.a_rows) > 1:
            rows = ", ".join(num(a) for a in step.a_rows)
            self._batch.setText(f"Every row of the batch: {step.unit_label} = {rows}")
            shown.add(self._batch)

    def _show_loss(self, step, shown) -> None:
        self._title.setText("<b>Loss</b> — how wrong is ŷ?")
        self._symbolic.set_latex(step.equation_latex,
                                 "L(y, ŷ) = −y log(ŷ) − (1−y) log(1−ŷ)")
        y, y_hat = step.y, step.y_hat
        self._numbers.setText(
            f"L = −{num(y)}·log({num(y_hat)}) − (1−{num(y)})·log(1−{num(y_hat)})"
            f" = <b>{num(step.loss)}</b>")
        self._value.setText(f"<b>L = {num(step.loss)}</b>")
        shown.update({self._symbolic, self._numbers, self._value})
        if len(step.loss_rows) > 1:
            rows = ", ".join(num(v) for v in step.loss_rows)
            self._batch.setText(f"Mean over the {len(step.loss_rows)} rows = "
                                f"<b>{num(step.mean_loss)}</b> (rows: {rows})")
            shown.add(self._batch)

    def _show_backward(self, step, shown) -> None:
        ref = step.parameter
        self._title.setText(f"<b>Back-propagation</b> — ∂L/∂{escape(ref.label)} by the chain rule")
        self._symbolic.set_latex(step.chain_latex, f"∂L/∂{ref.label} = "
                                 + " · ".join(f.label for f in step.factors))
        product = " · ".join(paren(f.value) for f in step.factors)
        batch = len(step.row_gradients) > 1
        example = " (this example)" if batch else ""
        self._numbers.setText(f"∂L/∂{ref.label} = {product} = <b>{num(step.gradient_example)}</b>"
                              f"{example}")
        rows = "".join(
            f"<tr><td>{_nowrap(escape(f.label))}</td>"
            f"<td>{_nowrap(' = ' + escape(f.expression))}</td>"
            f"<td>{_nowrap(' = ' + num(f.value))}</td></tr>" for f in step.factors)
        self._factors.setText(f"<table cellspacing='2'>{rows}</table>")
        self._simplified.set_latex(step.simplified_latex, "")
        terms = ", ".join(f"{escape(label)} = {num(value)}"
                          for label, value in step.simplified_terms)
        self._simplified_numbers.setText(f"with {terms}:&nbsp; ∂L/∂{escape(ref.label)} = "
                                         f"<b>{num(step.gradient_example)}</b>")
        name = f"mean ∂L/∂{escape(ref.label)}" if batch else f"∂L/∂{escape(ref.label)}"
        self._value.setText(f"<b>{name} = {num(step.gradient)}</b>")
        difference = abs(step.numerical_gradient - step.gradient)
        self._check.setText(f"finite difference: {num(step.numerical_gradient)} "
                            f"(differs by {format_number(difference, 2)})")
        shown.update({self._symbolic, self._numbers, self._factors, self._simplified,
                      self._simplified_numbers, self._value, self._check, self._update})
        if batch:
            terms = " + ".join(paren(g) for g in step.row_gradients)
            self._batch.setText(f"Full batch: the mean of every row's term = "
                                f"({terms}) / {len(step.row_gradients)} = <b>{num(step.gradient)}</b>")
            shown.add(self._batch)
        self._show_deltas(step.delta_terms, shown)
        rate = step.learning_rate if _finite(getattr(step, "learning_rate", None)) \
            else self._learning_rate
        new = getattr(step, "new_value", float("nan"))
        result = f" = <b>{num(new)}</b>" if _finite(new) else ""
        self._update.setText(
            f"Update: {escape(ref.label)} ← {escape(ref.label)} − α·∂L/∂{escape(ref.label)} = "
            f"{num(step.value)} − {num(rate)}·{paren(step.gradient)}{result}")
        if ref.name in ("w12", "w21"):
            self._note.setText(SWAP_NOTE)
            shown.add(self._note)

    def _show_deltas(self, terms, shown) -> None:
        if not terms:
            return
        self._delta_title.setText("<b>δ recursion</b> (δ = ∂L/∂z, from the output back):")
        shown.add(self._delta_title)
        for row, (label, latex, value) in zip(self._delta_rows, terms):
            row.math.set_latex(latex, label)
            row.value.setText(f"= <b>{num(value)}</b>")
            shown.add(row)

    def _show_update(self, step, shown) -> None:
        self._title.setText(f"<b>Update</b> — every parameter at once: p ← p − α·∂L/∂p, "
                            f"α = {num(step.learning_rate)}")
        changes = step.changes
        # A monospaced block, so the columns line up and never wrap; long tables
        # flow into side-by-side column groups, as many as fit the width.
        rows = [(ref.label, short(old), short(gradient), short(new))
                for ref, old, gradient, new in changes]
        widths = [max(len(r[c]) for r in rows + [("p", "old", "∂L/∂p", "new")])
                  for c in range(4)]

        def cells(r):
            return (f"{r[0]:<{widths[0]}}  {r[1]:>{widths[1]}}  {r[2]:>{widths[2]}}"
                    f"  → {r[3]:>{widths[3]}}")

        group_chars = len(cells(rows[0])) + 4 if rows else 1
        char = max(1.0, QFontMetricsF(self._mono).horizontalAdvance("0"))
        fit = max(1, int((self.width() - 40) / (group_chars * char)))
        groups = max(1, min(fit, math.ceil(len(rows) / 8)))
        per = math.ceil(len(rows) / groups) if rows else 0
        header = "    ".join([cells(("p", "old", "∂L/∂p", "new")).replace("→", " ")] * groups)
        lines = [header]
        for r in range(per):
            parts = [cells(rows[g * per + r]) for g in range(groups) if g * per + r < len(rows)]
            lines.append("    ".join(parts))
        family = escape(self._mono.family())
        self._factors.setText(f"<pre style='font-family:\"{family}\"'>"
                              f"{escape(chr(10).join(lines))}</pre>")
        self._value.setText(f"<b>L: {num(step.loss_before)} → {num(step.loss_after)}</b>")
        shown.update({self._factors, self._value})

    # ----------------------------------------------------------------- styling
    def _restyle(self) -> None:
        pal = self._theme.palette
        size = self._theme.font_size(12.0)
        font = QFont()
        font.setPointSizeF(size)
        self._content.setFont(font)
        self._mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self._mono.setPointSizeF(size)
        self._content.setStyleSheet(
            f"QWidget#chainRuleContent {{ background: {pal.background}; }}"
            f"QLabel {{ color: {pal.foreground}; }}"
            f"QLabel#chainTitleLabel {{ font-size: {self._theme.font_size(13.5):.1f}pt;"
            f" border-left: {self._theme.pen_width(4):.0f}px solid {pal.highlight};"
            f" padding-left: 6px; }}"
            f"QLabel#chainValueLabel {{ font-size: {self._theme.font_size(14):.1f}pt; }}"
            f"QLabel#numericCheckLabel, QLabel#chainNoteLabel {{ color: {pal.muted}; }}")
        math_size = self._theme.font_size(17.0)   # fractions need more than body text
        for math_label in (self._symbolic, self._simplified,
                           *(row.math for row in self._delta_rows)):
            math_label.set_color(pal.foreground)
            math_label.set_point_size(math_size if math_label in (self._symbolic,
                                                                  self._simplified)
                                      else 0.85 * math_size)
