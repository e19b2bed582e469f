"""The chain-rule panel: the current micro-step's maths, typeset and with numbers.

Forward and loss steps show their equation; a backward step shows the lecture's
chain rule for its parameter, the factors with the walk's numbers, the simplified
form, the gradient beside its finite-difference check, the δ recursion of deeper
networks, the batch mean in full-batch mode, and the update p ← p − α·∂L/∂p (applied
later, at the update step).  In batch mode the loss step names the shown row's L and
the mean apart; the update step names the example's and the mean loss change.

Reuse (the record's ``shared`` factors and ``cancellation``, computed in the core):
the factors a δ = ∂L/∂z from an earlier step stands for carry a "reused" tag in
the factor table; beneath it each reused δ is named with the step it came from,
the δ this step computes for later ones with who reuses it, and the gradient as
(the parameter's own factor) · δ; the first backward step shows the cancellation
∂ŷ/∂z · ∂L/∂ŷ = ŷ − y typeset and with its numbers.  A deeper network keeps only
the table's tag: its δ recursion already lists every δ.

Numbers: every one comes from ``core.notation.format_number`` with the role of its
quantity, so the panel, the diagram and the sentence table write it alike: the
network's values (x, z, a, ŷ, L, w, b, α) as ``VALUE``, the chain-rule factors,
gradients, δ and the finite-difference check as ``DERIVATIVE`` (the same digits
from 0.01 up, m×10ⁿ below so a small gradient never reads as 0).

Speed: a step is ONE rich-text document in one read-only ``QTextEdit`` (its typeset
formulas are images the document asks for by URL), not a stack of word-wrapped
labels shown and hidden per step, whose height-for-width re-layouts cost most of a
micro-step.  Replacing the document re-lays out a single text at a fixed widget
size: no size hints change and nothing outside the panel is laid out again.

Fit: a step's whole explanation is meant to be read at once, on a projector too, so
the panel never makes the lecturer scroll when layout can avoid it.  It tries the
step in one column; if that is taller than the panel, in two (a backward step: the
chain rule, its numbers and the factor table left; the simplified form, the value,
the update and the notes right; the update step: as many column groups as fit);
then smaller, down to ``FIT_LEVELS``' last size.  The level chosen is kept per kind
of step and panel size, so the steps of one kind keep one size and a step costs one
layout (the first of its kind a few).
"""
from __future__ import annotations

import math
from html import escape

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetricsF, QImage, QPalette, QTextDocument
from PySide6.QtWidgets import QFrame, QTextEdit

from core.notation import NumberRole, format_factor, format_number, subscript
from core.records import BackwardStep, ForwardStep, LossStep, UpdateStep
from gui import mathtext

VALUE, DERIVATIVE = NumberRole.VALUE, NumberRole.DERIVATIVE


# --------------------------------------------------------------------------- panel
MAX_DELTA_ROWS = 12     # δ terms shown (a 3×8 network has up to 1 + 8 + 8 + 1)
MAX_FORMULA_IMAGES = 600  # typeset formulas kept (a 3×8 network has a few hundred)
SWAP_NOTE = ("Note: the notes' update slide swaps w₁₂ and w₂₁. Here w<sub>ij</sub> joins "
             "input i to hidden unit j.")
_TITLE, _NUMBERS, _FACTORS = "chainTitleLabel", "chainNumbersLabel", "chainFactorsLabel"
_SIMPLIFIED, _VALUE, _CHECK = "chainSimplifiedNumbersLabel", "chainValueLabel", "numericCheckLabel"
_BATCH, _DELTA_TITLE, _UPDATE, _NOTE = ("chainBatchLabel", "chainDeltaTitle", "updateLabel",
                                        "chainNoteLabel")
_REUSE, _CANCEL, _OTHER_LOSS = "chainReuseLabel", "chainCancellationLabel", "chainOtherLossLabel"
_REUSE_RESULT, _COMPUTED = "chainReuseResultLabel", "chainComputedLabel"
REUSED_TAG, COMPUTED_TAG = "reused", "computed here"   # the words on the reuse tags


#: (columns, size factor) from the roomiest to the most compact
FIT_LEVELS = ((1, 1.0), (2, 1.0), (2, 0.9), (2, 0.8), (2, 0.72))
TWO_COLUMNS_MIN_EM = 40   # narrower than this many em, a second column would not help
_SPLIT = "\x00split"      # in a step's blocks: where the right-hand column starts

# A cell that never wraps (Unicode allows a break after "⁾" in w⁽²⁾₁₁); Qt honours
# white-space on the cell, not on a span inside it.
_NOWRAP_CELL = "<td style='white-space:pre'>"


def _finite(value) -> bool:
    return value is not None and math.isfinite(float(value))


def _users(shared) -> str:
    """Who reads a δ after the step that computes it, in words."""
    later = [u for u in shared.users if u != shared.computed_at]
    if len(later) > 3:
        return f"reused by the {len(later)} parameters after this one"
    if later:
        return "reused by " + ", ".join(f"∂L/∂{escape(u.label)}" for u in later)
    return "used here only"


class _StepDocument(QTextDocument):
    """The panel's document: ``math:<n>`` image URLs are the panel's typeset formulas."""

    def __init__(self, images: dict[int, QImage], parent=None):
        super().__init__(parent)
        self._images = images

    def loadResource(self, kind, url: QUrl):
        if url.scheme() == "math":
            image = self._images.get(int(url.path() or -1))
            if image is not None:
                return image
        return super().loadResource(kind, url)


class ChainRulePanel(QTextEdit):
    """The current micro-step's equation, typeset, then with the walk's numbers.

    ``show_step`` writes the step as sections (title, numbers, factors, value, …)
    into one HTML document; formulas are mathtext images cached per LaTeX string,
    size and colour, so a formula seen once costs a dictionary lookup.
    """

    def __init__(self, theme, parent=None):
        super().__init__(parent)
        self.setObjectName("chainRulePanel")
        self._theme = theme
        self._step = None
        self._learning_rate = float("nan")
        self._sections: dict[str, str] = {}
        # predict mode: core.predict question keys whose numbers show as "?"
        self._hidden: frozenset[str] = frozenset()
        self._latex: list[str] = []
        self._html = None
        self._images: dict[int, QImage] = {}      # id → typeset formula
        self._image_ids: dict[tuple, int] = {}    # (latex, size, colour, dpr) → id
        self._next_id = 0
        self._levels: dict[tuple, int] = {}       # (kind of step, panel size) → fit level
        self._level = 0
        self._columns = 1
        self._factor = 0.0                        # the size factor the fonts are set for
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self._render)
        self._document = _StepDocument(self._images, self)
        self._document.setUndoRedoEnabled(False)
        self.setDocument(self._document)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        # Selectable with the mouse like the labels it replaces, never editable: Space
        # and the arrow keys stay the Step actions' keys while the panel has focus.
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # A scroll bar that came and went with the step's length would re-wrap the
        # text twice per step and shift it sideways.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        mathtext.notifier.ready.connect(self._render)
        theme.changed.connect(self._restyle)
        self._restyle()

    # ----------------------------------------------------------------- public API
    def show_step(self, step, learning_rate: float = float("nan")) -> None:
        """Show ``step`` (a walk record, or None for "nothing to explain yet")."""
        self._step = step
        self._learning_rate = float(learning_rate)
        self._render()

    def set_hidden(self, keys) -> None:
        """Predict mode: write "?" for the numbers named by ``keys`` (the question
        keys of ``core.predict``: "z:1:0", "a:1:0", "loss", "factor:2", "gradient",
        "new_value", "loss_after") until they are answered or revealed."""
        keys = frozenset(keys)
        if keys != self._hidden:
            self._hidden = keys
            self._render()

    def hidden_keys(self) -> frozenset[str]:
        return self._hidden

    def _ask(self, key: str, text: str) -> str:
        """``text``, or "?" while the value ``key`` is still to be predicted."""
        return "?" if key in self._hidden else text

    def value_text(self) -> str:
        """The value this step computes, as shown (plain text)."""
        return self._sections.get(_VALUE, "").replace("<b>", "").replace("</b>", "")

    def shown_texts(self) -> dict[str, str]:
        """Every shown section's rich text by name (for tests and export); "deltas"
        holds one "latex = value" line per δ term."""
        texts = {k: v for k, v in self._sections.items() if k not in ("deltas", _DELTA_TITLE)}
        texts["deltas"] = self._sections.get("deltas", "")
        return texts

    def latex_shown(self) -> list[str]:
        """The step's main formulas (the equation or chain rule, the simplified form)."""
        return list(self._latex)

    def formula_image(self, latex: str) -> QImage | None:
        """The typeset image shown for ``latex`` at the main formula size, or None
        when it is shown as plain text (typesetter not ready, or mathtext failed)."""
        key = (latex, self._math_size, self._theme.palette.foreground, self._dpr())
        ident = self._image_ids.get(key)
        return None if ident is None else self._images.get(ident)

    def html(self) -> str:
        """The document as last set (for export and tests)."""
        return self._html or ""

    # ----------------------------------------------------------------- rendering
    def fit_level(self) -> tuple[int, float]:
        """(columns, size factor) the current step is shown with."""
        return self._columns, FIT_LEVELS[self._level][1]

    def content_fits(self) -> bool:
        """True when the whole step shows without scrolling, either way (a cell that
        never wraps may make a column wider than its half)."""
        size, viewport = self._document.size(), self.viewport()
        return size.height() <= viewport.height() + 0.5 and size.width() <= viewport.width() + 0.5

    def _render(self) -> None:
        key = self._fit_key()
        level = self._levels.get(key, 0) if key is not None else 0
        while True:
            self._render_at(level)
            if key is None or level + 1 >= len(FIT_LEVELS) or self.content_fits():
                break
            level += 1
        if key is not None:
            self._levels[key] = level

    def _fit_key(self) -> tuple | None:
        """The kind of step and the panel's size; None while hidden (nothing to fit)."""
        step = self._step
        if not self.isVisible() or step is None:
            return None
        viewport = self.viewport()
        match step:
            case BackwardStep():
                shape: tuple = (len(step.factors), len(step.row_gradients) > 1,
                                len(step.delta_terms), step.parameter.name in ("w12", "w21"))
            case UpdateStep():
                shape = (len(step.changes),)
            case ForwardStep():
                shape = (len(step.inputs), len(step.a_rows) > 1)
            case LossStep():
                shape = (len(step.loss_rows) > 1,)
            case _:
                shape = ()
        return type(step).__name__, shape, viewport.width(), viewport.height()

    def _two_columns_help(self, factor: float) -> bool:
        font = QFont(self.font())
        font.setPointSizeF(self._theme.font_size(12.0) * factor)
        em = QFontMetricsF(font).horizontalAdvance("M")
        return self.viewport().width() >= TWO_COLUMNS_MIN_EM * em

    def _render_at(self, level: int) -> None:
        self._level = level
        columns, factor = FIT_LEVELS[level]
        if columns == 2 and not self._two_columns_help(factor):
            columns = 1               # too narrow for two columns at this size
        self._columns = columns
        self._apply_fonts(factor)
        step = self._step
        self._sections = {}
        self._latex = []
        blocks: list[str] = []
        match step:
            case ForwardStep():
                self._forward(step, blocks)
            case LossStep():
                self._loss(step, blocks)
            case BackwardStep():
                self._backward(step, blocks)
            case UpdateStep():
                self._update(step, blocks)
            case _:
                self._title(blocks, "<b>Press Step</b> to walk through one example: "
                                    "forward, loss, back-propagation, update.")
        html = self._arrange(blocks, columns)
        if html != self._html:        # the same step again costs nothing
            self._html = html
            bar = self.verticalScrollBar()
            keep = bar.value()
            self._document.setHtml(html)
            bar.setValue(keep)

    def _arrange(self, blocks: list[str], columns: int) -> str:
        """The blocks in one column, or — for two — the title across, then the blocks
        before ``_SPLIT`` left and the rest right."""
        if columns == 1 or _SPLIT not in blocks:
            return "".join(b for b in blocks if b != _SPLIT)
        split = blocks.index(_SPLIT)
        title, left, right = blocks[:1], blocks[1:split], blocks[split + 1:]
        gap = round(18 * self._theme.scale)
        return ("".join(title)
                + "<table width='100%' cellspacing='0' cellpadding='0'><tr>"
                + f"<td width='50%' valign='top' style='padding-right:{gap}px'>"
                + "".join(left) + "</td><td width='50%' valign='top'>"
                + "".join(right) + "</td></tr></table>")

    def _title(self, blocks, html: str) -> None:
        self._sections[_TITLE] = html
        # a two-cell table draws the bar at the left of the title, in the colour of
        # the step's kind (forward, backward, update), as the diagram's highlight
        stage = {ForwardStep: "forward", LossStep: "loss", BackwardStep: "backward",
                 UpdateStep: "update"}.get(type(self._step), "")
        colour = self._theme.palette.stage_colour(stage)
        blocks.append(f"<table class='title' cellspacing='0' cellpadding='0'><tr>"
                      f"<td width='{self._bar}' bgcolor='{colour}'></td>"
                      f"<td class='titletext'>{html}</td></tr></table>")

    def _text(self, blocks, name: str, html: str, css: str = "") -> None:
        self._sections[name] = html
        blocks.append(f"<p class='{css}'>{html}</p>" if css else f"<p>{html}</p>")

    def _formula(self, blocks, latex: str, fallback: str) -> None:
        self._latex.append(latex)
        blocks.append(f"<p class='math'>{self._math(latex, fallback, self._math_size)}</p>")

    def _value_row(self, blocks, value: str, check: str | None = None) -> None:
        self._sections[_VALUE] = value
        # The value never breaks; the check follows on the same line when it fits
        # and flows onto the next one in a narrow panel.
        line = f"<span class='value'>{value.replace(' ', '&nbsp;')}</span>"
        if check is not None:
            self._sections[_CHECK] = check
            line += f"&nbsp;&nbsp;&nbsp;&nbsp; <span class='muted'>{check}</span>"
        blocks.append(f"<p>{line}</p>")

    def _math(self, latex: str, fallback: str, size: float) -> str:
        """An <img> of the typeset formula, or its plain-text fallback."""
        if latex and mathtext.is_ready():
            dpr = self._dpr()
            key = (latex, size, self._theme.palette.foreground, dpr)
            ident = self._image_ids.get(key)
            if ident is None:
                if len(self._images) >= MAX_FORMULA_IMAGES:
                    self._images.clear()       # ids are never reused: no stale image
                    self._image_ids.clear()
                ident = self._next_id
                self._next_id += 1
                image = mathtext.render(latex, size, self._theme.palette.foreground, dpr)
                self._image_ids[key] = ident
                if image is not None:      # premultiplied once, not on every paint
                    self._images[ident] = image.convertToFormat(
                        QImage.Format.Format_ARGB32_Premultiplied)
            image = self._images.get(ident)
            if image is not None:
                return (f"<img src='math:{ident}' width='{image.width() / dpr:.0f}' "
                        f"height='{image.height() / dpr:.0f}' style='vertical-align: middle'>")
        return f"<span class='mathtext'>{escape(fallback or latex)}</span>"

    def _dpr(self) -> float:
        return float(self.devicePixelRatioF() or 1.0)

    # ------------------------------------------------------------------- kinds
    def _forward(self, step, blocks) -> None:
        where = "the output" if step.is_output else "hidden unit"
        self._title(blocks, f"<b>Forward pass</b> — {where} {escape(step.unit_label)}")
        fallback = (f"{step.z_label} = "
                    + " + ".join(f"{i}{w.label}" for i, w in zip(step.input_labels,
                                                                step.weight_refs))
                    + f" + {step.bias_ref.label},   {step.unit_label} = σ({step.z_label})")
        self._formula(blocks, rf"{step.equation_latex},\quad {step.activation_latex}", fallback)
        products = " + ".join(f"{format_number(x, VALUE)}·{format_factor(w, VALUE)}"
                              for x, w in zip(step.inputs, step.weights))
        unit = f"{step.layer + 1}:{step.unit}"
        z = self._ask(f"z:{unit}", format_number(step.z, VALUE))
        a = self._ask(f"a:{unit}", format_number(step.a, VALUE))
        self._text(blocks, _NUMBERS,
                   f"{step.z_label} = {products} + {format_factor(step.bias, VALUE)} = <b>{z}</b><br>"
                   f"{step.unit_label} = σ({step.z_label}) = σ({z}) = <b>{a}</b>")
        self._value_row(blocks, f"<b>{escape(step.unit_label)} = {a}</b>")
        if len(step.a_rows) > 1:
            rows = self._ask(f"a:{unit}", ", ".join(format_number(a, VALUE)
                                                    for a in step.a_rows))
            self._text(blocks, _BATCH, f"Every row of the batch: {step.unit_label} = {rows}")

    def _loss(self, step, blocks) -> None:
        self._title(blocks, "<b>Loss</b> — how wrong is ŷ?")
        self._formula(blocks, step.equation_latex, "L(y, ŷ) = −y log(ŷ) − (1−y) log(1−ŷ)")
        y, y_hat = format_number(step.y, VALUE), format_number(step.y_hat, VALUE)
        loss = self._ask("loss", format_number(step.loss, VALUE))
        mean = self._ask("loss", format_number(step.mean_loss, VALUE))
        batch = len(step.loss_rows) > 1
        # in batch mode the formula defines the mean: the shown row's L is named apart
        row = f"Example {step.example + 1}'s loss (the row shown): " if batch else ""
        name = f"L{subscript(step.example + 1)}" if batch else "L"
        self._text(blocks, _NUMBERS,
                   f"{row}{name} = −{y}·log({y_hat}) − (1−{y})·log(1−{y_hat}) = <b>{loss}</b>")
        if batch:
            self._value_row(blocks, f"<b>mean L = {mean}</b>")
        else:
            self._value_row(blocks, f"<b>L = {loss}</b>")
        if batch:
            rows = self._ask("loss", ", ".join(format_number(v, VALUE) for v in step.loss_rows))
            self._text(blocks, _BATCH, f"Mean over the {len(step.loss_rows)} rows = "
                                       f"<b>{mean}</b> (rows: {rows})")

    def _backward(self, step, blocks) -> None:
        ref = step.parameter
        label = escape(ref.label)
        self._title(blocks, f"<b>Back-propagation</b> — ∂L/∂{label} by the chain rule")
        self._formula(blocks, step.chain_latex, f"∂L/∂{ref.label} = "
                      + " · ".join(f.label for f in step.factors))
        factor_texts = [self._ask(f"factor:{n}", format_factor(f.value, DERIVATIVE))
                        for n, f in enumerate(step.factors)]
        product = " · ".join(factor_texts)
        asking = "gradient" in self._hidden     # the gradient's digits are still to come
        example_gradient = self._ask("gradient", format_number(step.gradient_example,
                                                                DERIVATIVE))
        gradient = self._ask("gradient", format_number(step.gradient, DERIVATIVE))
        batch = len(step.row_gradients) > 1
        example = " (this example)" if batch else ""
        self._text(blocks, _NUMBERS, f"∂L/∂{ref.label} = {product} = "
                                     f"<b>{example_gradient}</b>{example}")
        # the factors a δ computed at an earlier step stands for carry its tag
        reused = [f for f in step.reused if f.factors[1] > f.factors[0]]
        outer = max(reused, key=lambda f: f.factors[1] - f.factors[0], default=None)
        covered = range(*outer.factors) if outer is not None else range(0)
        rows = "".join(
            f"<tr>{_NOWRAP_CELL}{escape(f.label)}</td>"
            f"{_NOWRAP_CELL} = {escape(f.expression)}</td>"
            f"{_NOWRAP_CELL} = {self._ask(f'factor:{n}', format_number(f.value, DERIVATIVE))}</td>"
            + (f"{_NOWRAP_CELL} {self._tag(REUSED_TAG)}</td>" if n in covered else "")
            + "</tr>" for n, f in enumerate(step.factors))
        factors = f"<table cellspacing='2'>{rows}</table>"
        self._sections[_FACTORS] = factors
        blocks.append(factors.replace("<table ", "<table class='block' ", 1))
        # the reuse: what earlier steps computed (left, under the factors they stand
        # for), what this one computes for later ones and the gradient from it (right);
        # the first step's cancellation under its short factor table
        self._reuse(step, blocks, reused=True)
        if step.cancellation is not None:
            self._cancellation(step.cancellation, step.shared[0], blocks, asking)
        else:
            blocks.append(_SPLIT)
        self._reuse(step, blocks, reused=False)
        self._reuse_result(step, blocks)
        self._formula(blocks, step.simplified_latex, "")
        # the factors' digits: the product of the terms checks against the gradient
        terms = ", ".join(f"{escape(name)} = {format_number(value, DERIVATIVE)}"
                          for name, value in step.simplified_terms)
        check = (f"finite difference: {format_number(step.numerical_gradient, DERIVATIVE)} "
                 f"(differs by {format_number(abs(step.numerical_gradient - step.gradient), DERIVATIVE)})")
        self._text(blocks, _SIMPLIFIED, f"with {terms}:&nbsp; ∂L/∂{label} = "
                                        f"<b>{example_gradient}</b>")
        name = f"mean ∂L/∂{label}" if batch else f"∂L/∂{label}"
        self._value_row(blocks, f"<b>{name} = {gradient}</b>",
                        None if asking else check)     # the check would tell the gradient
        if batch:
            terms = self._ask("gradient", " + ".join(format_factor(g, DERIVATIVE)
                                                     for g in step.row_gradients))
            self._text(blocks, _BATCH,
                       f"Full batch: the mean of every row's term = "
                       f"({terms}) / {len(step.row_gradients)} = <b>{gradient}</b>")
        self._deltas(step.delta_terms, blocks, asking)
        rate = step.learning_rate if _finite(getattr(step, "learning_rate", None)) \
            else self._learning_rate
        new = getattr(step, "new_value", float("nan"))
        result = f" = <b>{self._ask('new_value', format_number(new, VALUE))}</b>" \
            if _finite(new) else ""
        self._text(blocks, _UPDATE,
                   f"Update: {label} ← {label} − α·∂L/∂{label} = "
                   f"{format_number(step.value, VALUE)} − {format_number(rate, VALUE)}·"
                   f"{self._ask('gradient', format_factor(step.gradient, DERIVATIVE))}{result} "
                   f"<i>(applied at the update step)</i>")
        if ref.name in ("w12", "w21"):
            note: list[str] = []
            self._text(note, _NOTE, SWAP_NOTE, "muted")
            # under the shorter column: the left one when this step computes a δ
            # for the steps after it (its line is on the right)
            at = blocks.index(_SPLIT) if _COMPUTED in self._sections else len(blocks)
            blocks[at:at] = note

    def _tag(self, word: str) -> str:
        """A word on a coloured box: "reused" in the backward colour, "computed here"
        on the grid's grey, the text in whichever of the theme's ends is darker."""
        pal = self._theme.palette
        fill = pal.backward if word == REUSED_TAG else pal.grid
        ink = pal.foreground if word != REUSED_TAG or not self._theme.dark else pal.background
        return (f"<span style='background-color:{fill}; color:{ink}'>"
                f"&nbsp;{escape(word)}&nbsp;</span>")

    def _reuse(self, step, blocks, reused: bool) -> None:
        """Back-propagation's reuse: each δ = ∂L/∂z the step needs, tagged as reused
        from the step that computed it or as computed here for the ones after (the
        output's, where it is computed, is the cancellation: ``_cancellation``)."""
        if step.delta_terms:
            return    # deeper networks: the factor table's tag and the δ recursion say it
        lines = []
        for shared in self._shown_shared(step):
            value = format_number(shared.value, DERIVATIVE)
            if not shared.reused:        # computed here, from factors still asked for
                value = self._ask("gradient", value)
            name = escape(shared.label)
            if shared.reused != reused:
                continue
            if shared.reused:
                # the output's ŷ − y is named again; a hidden δ's product was shown once
                how = f" = {escape(shared.expression)}" if not shared.parts else ""
                lines.append(f"{self._tag(REUSED_TAG)} {name}{how} = <b>{value}</b> — "
                             f"from ∂L/∂{escape(shared.computed_at.label)}")
            elif step.cancellation is None or shared.unit != step.chain_nodes[0]:
                lines.append(f"{self._tag(COMPUTED_TAG)} {name} = {escape(shared.expression)}"
                             f" = <b>{value}</b> — {_users(shared)}")
        if lines:
            self._text(blocks, _REUSE if reused else _COMPUTED, "<br>".join(lines))

    @staticmethod
    def _shown_shared(step):
        """The output's δ and those written out among the factors (a deeper
        network's other δ are in its δ recursion)."""
        return [f for f in step.shared
                if f.factors[1] > f.factors[0] or f.unit == step.chain_nodes[0]]

    def _reuse_result(self, step, blocks) -> None:
        """∂L/∂p = (what p multiplies) · (its unit's δ): the gradient from the reused δ."""
        direct = next((f for f in step.shared if f.factors[0] == 1), None)
        if direct is None or step.cancellation is not None or step.delta_terms:
            return
        first, label = step.factors[0], escape(step.parameter.label)
        self._text(blocks, _REUSE_RESULT,
                   f"so ∂L/∂{label} = {escape(first.expression)} · {escape(direct.label)} = "
                   f"{format_factor(first.value, DERIVATIVE)} · "
                   f"{format_factor(direct.value, DERIVATIVE)} = "
                   f"<b>{self._ask('gradient', format_number(step.gradient_example, DERIVATIVE))}</b>")

    def _cancellation(self, cancel, shared, blocks, asking: bool = False) -> None:
        """∂ŷ/∂z · ∂L/∂ŷ = ŷ − y: the identity typeset, then the example's numbers
        (``asking``: the gradient is still to be predicted, its factors' product "?")."""
        size = 0.85 * self._math_size
        heading = (f"{self._tag(COMPUTED_TAG)} <b>{escape(shared.label)}</b> — "
                   f"ŷ(1−ŷ) cancels; {_users(shared)}")
        lines = "<br>".join(self._math(latex, "", size) for latex in cancel.latex)
        y, y_hat = format_number(cancel.y, VALUE), format_number(cancel.y_hat, VALUE)
        one_minus = format_number(cancel.one_minus_y_hat, VALUE)
        dyhat_dz = "?" if asking else format_factor(cancel.dyhat_dz, DERIVATIVE)
        product = "?" if asking else format_factor(cancel.product, DERIVATIVE)
        value = "?" if asking else format_number(cancel.value, DERIVATIVE)
        numbers = (f"{escape(shared.label)} = {dyhat_dz} · "
                   f"(−{y}/{y_hat} + "
                   f"(1−{y})/{one_minus}) = {product}"
                   f" = {y_hat} − {y} = <b>ŷ − y = {value}</b>")
        self._sections[_CANCEL + "Title"] = heading
        self._sections[_CANCEL] = numbers
        # the identity under the factors, its numbers atop the right-hand column
        blocks.append(f"<p>{heading}<br>{lines}</p>")
        blocks.append(_SPLIT)
        blocks.append(f"<p>{numbers}</p>")

    def _deltas(self, terms, blocks, asking: bool = False) -> None:
        if not terms:
            return
        self._text(blocks, _DELTA_TITLE,
                   "<b>δ recursion</b> (δ = ∂L/∂z, from the output back):")
        size = 0.85 * self._math_size
        lines, rows = [], []
        for label, latex, value in terms[:MAX_DELTA_ROWS]:
            value_html = f"= <b>{'?' if asking else format_number(value, DERIVATIVE)}</b>"
            lines.append(f"{latex} {value_html}")
            rows.append(f"<tr><td valign='middle'>{self._math(latex, label, size)}</td>"
                        f"<td valign='middle' style='white-space:pre'>{value_html}</td></tr>")
        self._sections["deltas"] = "\n".join(lines)
        blocks.append(f"<table class='block' cellspacing='2'>{''.join(rows)}</table>")

    def _update(self, step, blocks) -> None:
        self._title(blocks, f"<b>Update</b> — every parameter at once: p ← p − α·∂L/∂p, "
                            f"α = {format_number(step.learning_rate, VALUE)}")
        # A monospaced block, so the columns line up and never wrap; long tables
        # flow into side-by-side column groups, as many as fit the width.
        rows = [(ref.label, format_number(old, VALUE), format_number(gradient, DERIVATIVE),
                 format_number(new, VALUE)) for ref, old, gradient, new in step.changes]
        heading = ("p", "old", "∂L/∂p", "new")
        widths = [max(len(r[c]) for r in rows + [heading]) for c in range(4)]

        def cells(r):
            return (f"{r[0]:<{widths[0]}}  {r[1]:>{widths[1]}}  {r[2]:>{widths[2]}}"
                    f"  → {r[3]:>{widths[3]}}")

        group_chars = len(cells(rows[0])) + 4 if rows else 1
        char = max(1.0, QFontMetricsF(self._mono).horizontalAdvance("0"))
        fit = max(1, int((self.viewport().width() - 24) / (group_chars * char)))
        # short columns of eight; at a compact fit level as many groups as fit
        groups = max(1, min(fit, math.ceil(len(rows) / 8) if self._level == 0 else len(rows)))
        per = math.ceil(len(rows) / groups) if rows else 0
        lines = ["    ".join([cells(heading).replace("→", " ")] * groups)]
        for r in range(per):
            parts = [cells(rows[g * per + r]) for g in range(groups) if g * per + r < len(rows)]
            lines.append("    ".join(parts))
        family = escape(self._mono.family())
        table = (f"<pre style='font-family:\"{family}\"'>"
                 f"{escape(chr(10).join(lines))}</pre>")
        self._sections[_FACTORS] = table
        blocks.append(table)
        # the loss the update descends in bold, the other one named beneath it
        if step.mode == "batch":
            main = ("Mean L", step.mean_loss_before, step.mean_loss_after)
            other = (f"Example {step.example + 1}'s L", step.example_loss_before,
                     step.example_loss_after)
        else:
            main = ("This example's L", step.example_loss_before, step.example_loss_after)
            other = ("Mean L over every row of the table", step.mean_loss_before,
                     step.mean_loss_after)
        if not _finite(main[1]):            # a record without the named losses
            main, other = ("L", step.loss_before, step.loss_after), None
        self._value_row(blocks, f"<b>{main[0]}: {format_number(step.loss_before, VALUE)} → "
                                f"{self._ask('loss_after', format_number(step.loss_after, VALUE))}</b>")
        if other is not None and _finite(other[1]) and _finite(other[2]):
            self._text(blocks, _OTHER_LOSS,
                       f"{other[0]}: {format_number(other[1], VALUE)} → "
                       f"{self._ask('loss_after', format_number(other[2], VALUE))}")

    # ----------------------------------------------------------------- styling
    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # fit again (levels are kept per size), column groups too — once, after the
        # burst of resizes a new layout (stage on/off, a splitter drag) sends
        self._refit.start()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._render()          # hidden, nothing was fitted

    def _restyle(self) -> None:
        self._levels.clear()
        self._factor = 0.0       # the fonts are set again for the new scale
        self._html = None        # the style sheet applies when the HTML is set again
        self._render()

    def _apply_fonts(self, factor: float) -> None:
        """Fonts, formula size and style sheet for ``factor`` × the theme's sizes."""
        if factor == self._factor:
            return
        self._factor = factor
        self._document.clear()     # each setting below would lay the old text out again
        self._html = None
        theme, pal = self._theme, self._theme.palette

        def size(base: float) -> float:
            return theme.font_size(base) * factor

        font = QFont()
        font.setPointSizeF(size(12.0))
        self.setFont(font)
        self._document.setDefaultFont(font)
        self._mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self._mono.setPointSizeF(size(12.0))
        self._math_size = size(17.0)   # fractions need more than body text
        self._bar = max(2, round(theme.pen_width(4)))
        gap = round(6 * theme.scale * factor)
        # Colours through the palette: a widget style sheet would route every paint
        # of the panel and its scroll bar through the (slow) style-sheet style.
        colours = self.palette()
        for role, colour in ((QPalette.ColorRole.Base, pal.background),
                             (QPalette.ColorRole.Window, pal.background),
                             (QPalette.ColorRole.Text, pal.foreground),
                             (QPalette.ColorRole.WindowText, pal.foreground)):
            colours.setColor(role, QColor(colour))
        self.setPalette(colours)
        self.setAutoFillBackground(True)   # opaque: a repaint need not paint the parents
        self._document.setDocumentMargin(9 * theme.scale * factor)
        self._document.setDefaultStyleSheet(
            # a paragraph's bottom margin does not carry over to a table after it
            f"p, pre, table.title {{ margin-top: 0px; margin-bottom: {gap}px; }}"
            f"table.block {{ margin-top: {gap}px; margin-bottom: {gap}px; }}"
            f"td.titletext {{ font-size: {size(13.5):.1f}pt; padding-left: 6px; }}"
            f".value {{ font-size: {size(14):.1f}pt; }}"
            f".muted {{ color: {pal.muted}; }}"
            f".mathtext {{ font-size: {size(15):.1f}pt; font-style: italic; }}")
        self._html = None          # the style sheet applies when the HTML is set again
