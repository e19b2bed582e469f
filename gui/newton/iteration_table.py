"""The iteration table and the current step's arithmetic written out with numbers.

Rows appear as the lecturer steps: row k is the Newton step from x_k to x_{k+1}
(the k-th record of the core's run); the current row (the step just taken) is
highlighted with a background, bold type and a ▶ marker, so it is not colour-only.
Nothing is computed here: every number is a field of a core ``NewtonStep`` or of
the run's ``core.convergence.Convergence`` (the error ratio measured from the best
estimate of the root, and each xₖ₊₁'s correct digits, which also decide how many
digits xₖ and xₖ₊₁ are written with, so digit doubling shows).

The columns are as wide as their widest text; when the table is narrower than that
(a 1366×768 projector at 1.5×, the stage layout), its font shrinks to fit, down to
MIN_FONT_FRACTION of the theme's size, before a horizontal scroll bar appears. In
the compact (stage) layout the "digits" and |Δx| columns are hidden and the
table is only STAGE_ROWS rows tall, scrolled to the current row.

A read-only QTableWidget rather than a Python model: the table repaints on every
step, and a Python ``data()`` called for each cell and role cost ~5 ms a paint;
items hold their text in C++. Each row's text is formatted once per run.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
)

from core.notation import MINUS, Notation, NumberRole, format_iterate, format_number, subscript

sub = subscript   # x₁, x₂ … as the table and the plots write them
ITERATE, DERIVATIVE = NumberRole.ITERATE, NumberRole.DERIVATIVE


def _finite(value) -> bool:
    return value is not None and math.isfinite(float(value))


# (no "step" column: xₖ₊₁ − xₖ is the arithmetic line's, and |Δx| is here)
ROOT_HEADERS = ("k", "xₖ", "f(xₖ)", "f′(xₖ)", "xₖ₊₁", "digits", "|Δx|", "|eₖ₊₁|/|eₖ|²")
MIN_HEADERS = ("k", "xₖ", "g′(xₖ)", "g″(xₖ)", "xₖ₊₁", "digits", "|Δx|", "|eₖ₊₁|/|eₖ|²")
# the same NewtonStep fields in both modes: value/slope are g′/g″ when minimising
FIELDS = ("k", "x", "value", "slope", "x_next", "digits", "abs_dx", "error_ratio")
HEADER_TIPS = {
    "k": "step number k", "x": "the iterate xₖ",
    "value": "f(xₖ) — g′(xₖ) when minimising",
    "slope": "f′(xₖ) — g″(xₖ) when minimising",
    "x_next": "the next iterate xₖ₊₁", "abs_dx": "|xₖ₊₁ − xₖ|",
    "digits": "correct significant digits of xₖ₊₁, against the best estimate of the root",
    "error_ratio": "|eₖ₊₁| / |eₖ|², with e = x − x* (x* the best estimate of the root): "
                   "settles near the constant below when convergence is quadratic "
                   "(— when the root is unknown or the error is at rounding level)",
}


@dataclass(frozen=True)
class Row:
    """One table row: a NewtonStep's fields with the run's convergence data."""
    k: int
    x: float
    value: float
    slope: float
    x_next: float
    digits: float
    abs_dx: float
    error_ratio: float
    x_digits: int = 0        # correct digits of xₖ (how many it is written with)


def rows_of(steps, convergence=None) -> tuple[Row, ...]:
    """The rows of a run's ``steps``; ``convergence`` (or None) supplies the ratio
    from the best estimate and the correct digits."""
    rows = []
    for k, step in enumerate(steps):
        if convergence is not None:
            ratio = convergence.ratios[k] if k < len(convergence.ratios) else math.nan
            digits, x_digits = convergence.digits[k + 1], convergence.digits[k]
        else:
            ratio, digits, x_digits = math.nan, math.nan, 0
        rows.append(Row(step.k, step.x, step.value, step.slope, step.x_next,
                        digits, step.abs_dx, ratio, x_digits))
    return tuple(rows)
RAW_ROLE = Qt.ItemDataRole.UserRole      # each cell also keeps its raw value
HEADER_PADDING = 2        # px around a header's text (its style sheet)
MIN_FONT_FRACTION = 0.7   # the table's font never shrinks below this × the theme's
STAGE_MIN_FONT_FRACTION = 0.6   # … in the compact layout (at 2× still 1.2× a laptop's)
FULL_DIGITS, STAGE_DIGITS = 10, 8   # at most this many digits in a converging xₖ
STAGE_ROWS = 4            # rows shown in the compact layout: the current one and 3 before
# columns the compact layout leaves out: |xₖ₊₁ − xₖ| the row shows, and the digits
# show in xₖ itself
STAGE_HIDDEN = ("digits", "abs_dx")
# predict mode: a question key of core.predict → the cells that would give it away
ASKED_CELLS = {"value": ("value",), "slope": ("slope",),
               "x_next": ("x_next", "digits", "abs_dx", "error_ratio")}


def asked_fields(hidden) -> frozenset[str]:
    """The row's fields to draw as "?" while the questions ``hidden`` are open."""
    return frozenset(field for key in hidden for field in ASKED_CELLS.get(key, ()))


def row_texts(step, max_digits: int = FULL_DIGITS) -> tuple[str, ...]:
    """The display text of one step's row: xₖ and xₖ₊₁ as ITERATEs, the rest as
    DERIVATIVEs, in compact cells (6.6e−9) so eight columns fit a projector at
    scale 2; each cell's tooltip holds its value in full."""
    texts = []
    for column, field in enumerate(FIELDS):
        value = getattr(step, field, None)
        if column == 0:
            texts.append(str(value))
        elif field in ("error_ratio", "digits") and not _finite(value):
            texts.append("—")
        elif field == "digits":
            texts.append(str(int(value)))
        elif field in ("x", "x_next") and isinstance(step, Row):
            correct = step.x_digits if field == "x" else step.digits
            texts.append(format_iterate(value, int(correct) if _finite(correct) else 0,
                                        Notation.COMPACT, max_digits))
        else:
            role = ITERATE if field in ("x", "x_next") else DERIVATIVE
            texts.append(format_number(value, role, Notation.COMPACT))
    return tuple(texts)


class IterationTable(QTableWidget):
    """``iterationTable``: read-only; rows 0 … shown−1; follows the current row."""

    def __init__(self, parent=None):
        super().__init__(0, len(FIELDS), parent)
        self.setObjectName("iterationTable")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)   # keys belong to the step actions
        self.verticalHeader().setVisible(False)
        self.setAlternatingRowColors(True)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)   # spare width is shared out instead
        self._natural_widths: list[int] = []
        self._font_size = 10.0       # the theme's size; the font in use may be smaller
        self._fitted_size = 10.0
        self._compact = False
        self._needs_scroll = False    # the columns are wider than the table, even fitted
        self._steps: tuple = ()
        self._texts: list[tuple[str, ...]] = []
        self._minimise = False
        self._ratio_title = "|eₖ₊₁|/|eₖ|²"
        self._shown = 0
        self._asked: tuple[int, frozenset[str]] = (-1, frozenset())   # predict mode: row, "?" fields
        self._highlight = QBrush(QColor("#E69F00"))
        self._on_highlight = QBrush(QColor("#000000"))   # the highlight is light
        self._set_headers()

    # -- what the tab drives -------------------------------------------------
    def set_run(self, steps, minimise: bool, shown: int, convergence=None) -> None:
        """A new run: format every row once, measure the columns, show ``shown``.
        ``convergence`` (``core.convergence.convergence_of(run)``, or None) gives
        the ratio and digits columns and the iterates' extra digits."""
        self._steps = rows_of(steps, convergence)
        ratio_title = convergence.ratio_title if convergence is not None else "|eₖ₊₁|/|eₖ|²"
        if ratio_title != self._ratio_title:
            self._ratio_title = ratio_title
            self._set_headers()
        self._texts = [row_texts(step, self._max_digits()) for step in self._steps]
        if minimise != self._minimise:
            self._minimise = minimise
            self._set_headers()
        self.setRowCount(0)
        self._shown = 0
        self.fit_columns()
        self.show_steps(shown)

    def show_steps(self, shown: int) -> None:
        """Reveal or hide rows so that ``shown`` steps are listed; cheap per step."""
        shown = max(0, min(shown, len(self._steps)))
        old = self._shown
        if shown == old:
            return
        if old:
            self._style_row(old - 1, current=False)
        # no setUpdatesEnabled(False/True) around this: re-enabling repaints the
        # header and scroll bars too, which cost more than the few cell updates
        self.setRowCount(shown)
        for row in range(old, shown):
            self._fill_row(row)
        self._shown = shown
        if shown:
            self._style_row(shown - 1, current=True)
            self._keep_current_in_view()

    def _keep_current_in_view(self) -> None:
        # scroll only when the current row is not fully in view: scrollToBottom
        # forces the delayed item layout at once (~0.2 ms) even when it is
        last = self._shown - 1
        if last >= 0 and (self.rowViewportPosition(last) + self.rowHeight(last)
                          > self.viewport().height()):
            self.scrollToBottom()

    def resizeEvent(self, event):
        """The outcome banner above can grow at the last step (after the table
        scrolled): the current row stays in view; spare width is shared out again."""
        super().resizeEvent(event)
        self._share_spare_width()
        self._fit_height()           # the header's height is known once laid out
        self._keep_current_in_view()

    def shown(self) -> int:
        return self._shown

    def set_asked(self, row: int, hidden) -> None:
        """Predict mode: row ``row``'s cells for the open questions ``hidden``
        (``core.predict`` keys: "value", "slope", "x_next") read "?" until answered."""
        asked = (row, asked_fields(hidden)) if hidden else (-1, frozenset())
        if asked == self._asked:
            return
        before, self._asked = self._asked, asked
        for changed in {before[0], asked[0]}:
            if 0 <= changed < self._shown:
                self._set_texts(changed)

    def cell_text(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return item.text() if item is not None else ""

    def cell_value(self, row: int, column: int):
        item = self.item(row, column)
        return item.data(RAW_ROLE) if item is not None else None

    def column_of(self, field: str) -> int:
        return FIELDS.index(field)

    def fit_columns(self) -> None:
        """Width of each column = its widest text over the whole run (measured in
        bold, as the current row is drawn), once per run and font: stepping never
        re-measures the table."""
        self._natural_widths = self._measure(self._font_size)
        self._share_spare_width()

    def _measure(self, point_size: float) -> list[int]:
        """Each column's width for the texts in a font of ``point_size`` (0 for a
        hidden column)."""
        font = QFont(self.font())
        font.setPointSizeF(point_size)
        bold = QFont(font)
        bold.setBold(True)
        metrics, header_metrics = QFontMetrics(bold), QFontMetrics(font)
        pad = metrics.horizontalAdvance(" ") + 4     # the cell's margins, a little air
        # a header section's margins (the style's, both sides), padding and border
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin)
        header_pad = (2 * margin + 2 * HEADER_PADDING + 2 + header_metrics.horizontalAdvance(" ")
                      + 6)     # (the style's own sizeFromContents asks a few px more)
        headers = [*(MIN_HEADERS if self._minimise else ROOT_HEADERS)[:-1], self._ratio_title]
        widths = []
        for column in range(len(FIELDS)):
            if self.isColumnHidden(column):
                widths.append(0)
                continue
            texts = [t[column] for t in self._texts]
            if column == 0:
                texts = ["▶ " + t for t in texts]
            width = max([metrics.horizontalAdvance(t) + pad for t in texts]
                        + [header_metrics.horizontalAdvance(headers[column]) + header_pad])
            widths.append(width)
        return widths

    def _available_width(self) -> int:
        available = self.viewport().width()
        bar = self.verticalScrollBar()
        if not bar.isVisible():   # leave room for it, or its arrival adds a horizontal one
            available -= bar.sizeHint().width()
        if self.horizontalScrollBar().isVisible():   # the bar that fitting removes
            available = self.width() - 2 * self.frameWidth() - bar.sizeHint().width()
        return available

    def _share_spare_width(self) -> None:
        """Fit the font to the width if the columns do not fit at the theme's size
        (not below MIN_FONT_FRACTION of it), then spread any spare width over the
        number columns (not k), so no single column ends up far wider than its numbers."""
        if not self._natural_widths:
            return
        available = self._available_width()
        widths = self._natural_widths
        size = self._font_size
        if sum(widths) > available > 0:
            low = (STAGE_MIN_FONT_FRACTION if self._compact else MIN_FONT_FRACTION) \
                * self._font_size
            size = max(low, self._font_size * available / sum(widths))
            widths = self._measure(size)
            while sum(widths) > available and size > low:   # hinting is not linear
                size = max(low, size - 0.25)
                widths = self._measure(size)
        self._use_font_size(size)
        needs_scroll = sum(widths) > available
        if needs_scroll != self._needs_scroll:
            self._needs_scroll = needs_scroll
            self._fit_height()
        spare = max(0, available - sum(widths))
        number_columns = [c for c in range(1, len(widths)) if widths[c]]
        share, rest = divmod(spare, max(1, len(number_columns)))
        for column, width in enumerate(widths):
            extra = 0
            if column in number_columns:
                extra = share + (1 if number_columns.index(column) < rest else 0)
            if width:
                self.setColumnWidth(column, width + extra)

    def _use_font_size(self, size: float) -> None:
        if abs(size - self._fitted_size) < 0.01:
            return
        self._fitted_size = size
        font = QFont(self.font())
        font.setPointSizeF(size)
        self.setFont(font)
        self.horizontalHeader().setFont(font)
        if self._shown:                          # the bold row keeps the font it was given
            self._style_row(self._shown - 1, current=True)
        self._fit_height()

    def theme_font_size(self) -> float:
        """The point size the theme asks for (the table may use less to fit)."""
        return self._font_size

    def fitted_font_size(self) -> float:
        """The point size in use (below the theme's when the columns had to fit)."""
        return self._fitted_size

    # -- the compact (stage) layout ---------------------------------------------
    def _max_digits(self) -> int:
        return STAGE_DIGITS if self._compact else FULL_DIGITS

    def set_compact(self, on: bool) -> None:
        """Stage layout: leave out the digits and |Δx| columns, write iterates with at
        most STAGE_DIGITS digits, and show STAGE_ROWS rows."""
        if on != self._compact:
            self._compact = on
            self._texts = [row_texts(step, self._max_digits()) for step in self._steps]
            for row in range(min(self._shown, self.rowCount())):
                self._set_texts(row)
        self._compact = on
        for field in STAGE_HIDDEN:
            self.setColumnHidden(FIELDS.index(field), on)
        self._fit_height()
        self.fit_columns()
        self._keep_current_in_view()

    def is_compact(self) -> bool:
        return self._compact

    def _fit_height(self) -> None:
        if not self._compact:
            self.setMinimumHeight(0)
            self.setMaximumHeight(16_777_215)
            return
        rows = STAGE_ROWS * self.verticalHeader().defaultSectionSize()
        if self.isVisible() and self.viewport().height() > 0:
            # what surrounds the rows as laid out now: header, frame, any scroll bar
            chrome = self.height() - self.viewport().height()
        else:
            bar = self.horizontalScrollBar().sizeHint().height() if self._needs_scroll else 0
            chrome = self.horizontalHeader().sizeHint().height() + 2 * self.frameWidth() + bar
        height = chrome + rows
        if height != self.maximumHeight() or height != self.minimumHeight():
            self.setFixedHeight(height)

    def restyle(self, palette, font_size: float) -> None:
        font = QFont(self.font())
        font.setPointSizeF(font_size)
        self.setFont(font)
        self.horizontalHeader().setFont(font)
        self._font_size = self._fitted_size = font_size
        self.verticalHeader().setDefaultSectionSize(round(font_size * 2.2))
        self._fit_height()
        self._highlight = QBrush(QColor(palette.highlight))
        alternate = "#f4f6f8" if palette.background.lower() == "#ffffff" else "#1d2026"
        # The body is coloured through the palette, not a style sheet: a sheet on
        # the table routes every cell's paint through QStyleSheetStyle's rule
        # matching (~2 ms a step). Only the header keeps one (flat sections).
        # Fusion draws the grid in the window colour darker(120): the table's
        # window colour is chosen so that comes out as the theme's grid colour
        # (a proxy style for it would cut the table off the application's style).
        colours = QPalette(self.palette())
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            colours.setColor(group, QPalette.ColorRole.Base, QColor(palette.background))
            colours.setColor(group, QPalette.ColorRole.Text, QColor(palette.foreground))
            colours.setColor(group, QPalette.ColorRole.AlternateBase, QColor(alternate))
            colours.setColor(group, QPalette.ColorRole.Window, QColor(palette.grid).lighter(120))
        self.setPalette(colours)
        self.horizontalHeader().setStyleSheet(
            f"QHeaderView::section {{ background: {palette.background};"
            f" color: {palette.foreground}; border: 1px solid {palette.grid};"
            f" padding: {HEADER_PADDING}px; }}")
        if self._shown:
            self._style_row(self._shown - 1, current=True)
        self.fit_columns()

    # -- rows ------------------------------------------------------------------
    def _set_headers(self) -> None:
        headers = MIN_HEADERS if self._minimise else ROOT_HEADERS
        self.setHorizontalHeaderLabels([*headers[:-1], self._ratio_title])
        for column, field in enumerate(FIELDS):
            self.horizontalHeaderItem(column).setToolTip(HEADER_TIPS[field])

    def _fill_row(self, row: int) -> None:
        step = self._steps[row]
        align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for column, text in enumerate(self._texts[row]):
            item = QTableWidgetItem(text)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            item.setTextAlignment(align)
            value = getattr(step, FIELDS[column], None)
            item.setData(RAW_ROLE, value)
            if column:
                item.setToolTip(format_number(value, NumberRole.FULL) if _finite(value) else text)
            self.setItem(row, column, item)
        if row == self._asked[0]:
            self._set_texts(row)

    def _set_texts(self, row: int) -> None:
        """The row's cells as they are, or "?" (no tooltip) for what is asked."""
        step, hidden = self._steps[row], self._asked[1] if row == self._asked[0] else ()
        for column in range(1, len(FIELDS)):
            item = self.item(row, column)
            if item is None:
                continue
            field = FIELDS[column]
            value = getattr(step, field, None)
            if field in hidden:
                item.setText("?")
                item.setToolTip("predict it, then Enter (Space reveals)")
            else:
                text = self._texts[row][column]
                item.setText(text)
                item.setToolTip(format_number(value, NumberRole.FULL) if _finite(value) else text)

    def _style_row(self, row: int, current: bool) -> None:
        # the current row in the table's own font made bold (an item's font() is
        # the application's default, not the table's, until one is set)
        bold = QFont(self.font())
        bold.setBold(True)
        for column in range(len(FIELDS)):
            item = self.item(row, column)
            if item is None:
                continue
            if current:
                item.setFont(bold)
                item.setBackground(self._highlight)
                item.setForeground(self._on_highlight)
            else:
                item.setData(Qt.ItemDataRole.FontRole, None)
                item.setData(Qt.ItemDataRole.BackgroundRole, None)
                item.setData(Qt.ItemDataRole.ForegroundRole, None)
        first = self.item(row, 0)
        if first is not None:
            text = self._texts[row][0]
            first.setText("▶ " + text if current else text)


def arithmetic_html(step, minimise: bool, hidden=frozenset()) -> str:
    """x_{k+1} = x_k − f(x_k)/f′(x_k) = 0.05 − (−18.95)/(401.1) = 0.0972476, as rich
    text with the digits of the table's cells; in minimise mode with g′ and g″.
    ``hidden``: predict mode's open questions ("value", "slope", "x_next") read "?"."""
    k = step.k
    f, df = ("g′", "g″") if minimise else ("f", "f′")
    xk = f"x<sub>{k}</sub>"
    lhs = f"x<sub>{k + 1}</sub> = {xk} {MINUS} {f}({xk}) / {df}({xk})"
    x, nxt = format_number(step.x, ITERATE), format_number(step.x_next, ITERATE)
    value, slope = format_number(step.value, DERIVATIVE), format_number(step.slope, DERIVATIVE)
    value, slope, nxt = ("?" if key in hidden else text for key, text in
                         (("value", value), ("slope", slope), ("x_next", nxt)))
    return f"{lhs} = {x} {MINUS} ({value}) / ({slope}) = <b>{nxt}</b>"
