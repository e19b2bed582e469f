"""The iteration table and the current step's arithmetic written out with numbers.

Rows appear as the lecturer steps: row k is the Newton step from x_k to x_{k+1}
(the k-th record of the core's run); the current row (the step just taken) is
highlighted with a background, bold type and a ▶ marker, so it is not colour-only.
Nothing is computed here: every number is a field of a core ``NewtonStep``.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

SUBSCRIPT = str.maketrans("0123456789-", "₀₁₂₃₄₅₆₇₈₉₋")
SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
MINUS = "\u2212"


def sub(k: int) -> str:
    return str(k).translate(SUBSCRIPT)


def number(value, full: bool = False) -> str:
    """A value as people read it: 4 decimals, or ×10ⁿ when tiny or huge;
    ``full`` keeps 10 significant digits (for the table's x column)."""
    if value is None:
        return "—"
    v = float(value)
    if math.isnan(v):
        return "undefined"
    if math.isinf(v):
        return "∞" if v > 0 else MINUS + "∞"
    if v == 0:
        return "0"
    if full:
        text = f"{v:.7g}"
    elif 1e-3 <= abs(v) < 1e5:
        text = f"{v:.4f}".rstrip("0").rstrip(".")
    else:
        text = f"{v:.2e}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}×10{str(int(exponent)).translate(SUPERSCRIPT)}"
    return text.replace("-", MINUS)


def _finite(value) -> bool:
    return value is not None and math.isfinite(float(value))


class IterationModel(QAbstractTableModel):
    """Read-only rows k = 0 … position−1 of a run's steps."""

    ROOT_HEADERS = ("k", "xₖ", "f(xₖ)", "f′(xₖ)", "step", "xₖ₊₁", "|Δx|",
                    "eₖ₊₁/eₖ²")
    MIN_HEADERS = ("k", "xₖ", "g′(xₖ)", "g″(xₖ)", "step", "xₖ₊₁", "|Δx|",
                   "eₖ₊₁/eₖ²")

    HEADER_TIPS = {
        "k": "step number k", "x": "the iterate xₖ",
        "value": "f(xₖ) — g′(xₖ) when minimising",
        "slope": "f′(xₖ) — g″(xₖ) when minimising",
        "step": "the Newton step xₖ₊₁ − xₖ = −f(xₖ)/f′(xₖ)",
        "x_next": "the next iterate xₖ₊₁", "abs_dx": "|xₖ₊₁ − xₖ|",
        "error_ratio": "|eₖ₊₁| / |eₖ|², with e = x − (the limit): settles to a "
                       "constant when convergence is quadratic (— when unknown)",
    }
    # the same NewtonStep fields in both modes: value/slope are g′/g″ when minimising
    FIELDS = ("k", "x", "value", "slope", "step", "x_next", "abs_dx", "error_ratio")

    def __init__(self, parent=None):
        super().__init__(parent)
        self._steps: tuple = ()
        self._shown = 0
        self._minimise = False
        self._highlight = QBrush(QColor("#E69F00"))
        self._bold = QFont()
        self._bold.setBold(True)

    # -- what the tab drives -------------------------------------------------
    def set_run(self, steps, minimise: bool, shown: int) -> None:
        self.beginResetModel()
        self._steps = tuple(steps)
        self._minimise = minimise
        self._shown = max(0, min(shown, len(self._steps)))
        self.endResetModel()

    def set_shown(self, shown: int) -> None:
        """Reveal or hide rows so that ``shown`` steps are listed; cheap per step."""
        shown = max(0, min(shown, len(self._steps)))
        old = self._shown
        if shown == old:
            return
        if shown > old:
            self.beginInsertRows(QModelIndex(), old, shown - 1)
            self._shown = shown
            self.endInsertRows()
            if old > 0:   # the previous current row loses its highlight
                self._row_changed(old - 1)
        else:
            self.beginRemoveRows(QModelIndex(), shown, old - 1)
            self._shown = shown
            self.endRemoveRows()
            if shown > 0:
                self._row_changed(shown - 1)

    def set_highlight(self, colour: str) -> None:
        self._highlight = QBrush(QColor(colour))
        if self._shown:
            self._row_changed(self._shown - 1)

    def shown(self) -> int:
        return self._shown

    def column_texts(self, column: int) -> list[str]:
        """The display text of every row of the run in ``column`` (shown or not)."""
        texts = [self._cell(step, column, full=False) for step in self._steps]
        if column == 0:
            texts = ["▶ " + t for t in texts]
        return texts

    # -- Qt model --------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self._headers())

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._headers()):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers()[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.HEADER_TIPS[self.FIELDS[section]]
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < self._shown:
            return None
        row = index.row()
        current = row == self._shown - 1
        if role == Qt.ItemDataRole.DisplayRole:
            text = self._cell(self._steps[row], index.column(), full=False)
            if index.column() == 0 and current:
                text = "▶ " + text
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            value = self._value(self._steps[row], index.column())
            return repr(float(value)) if _finite(value) else None
        if role == Qt.ItemDataRole.UserRole:   # the raw value, for tests and export
            return self._value(self._steps[row], index.column())
        if role == Qt.ItemDataRole.BackgroundRole and current:
            return self._highlight
        if role == Qt.ItemDataRole.ForegroundRole and current:
            return QBrush(QColor("#000000"))   # the highlight is a light colour
        if role == Qt.ItemDataRole.FontRole and current:
            return self._bold
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _headers(self):
        return self.MIN_HEADERS if self._minimise else self.ROOT_HEADERS

    def _value(self, step, column):
        return getattr(step, self.FIELDS[column], None)

    def _cell(self, step, column, full):
        value = self._value(step, column)
        if column == 0:
            return str(value)
        name = self._headers()[column]
        wide = full or name in ("xₖ", "xₖ₊₁")
        if column == len(self.FIELDS) - 1 and not _finite(value):
            return "—"
        return number(value, full=wide)

    def _row_changed(self, row):
        last = self.columnCount() - 1
        self.dataChanged.emit(self.index(row, 0), self.index(row, last),
                              [Qt.ItemDataRole.DisplayRole,
                               Qt.ItemDataRole.BackgroundRole,
                               Qt.ItemDataRole.FontRole])


class IterationTable(QTableView):
    """``iterationTable``: read-only, follows the current row.

    Column widths are measured once per run from every row's text (all rows are
    known when the run arrives), so stepping never re-measures the table."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("iterationTable")
        self.model_ = IterationModel(self)
        self.setModel(self.model_)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)   # keys belong to the step actions
        self.verticalHeader().setVisible(False)
        self.setAlternatingRowColors(True)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.model_.modelReset.connect(self.fit_columns)

    def show_steps(self, shown: int) -> None:
        self.model_.set_shown(shown)
        if shown:
            # the scroll range is updated lazily after rows are inserted: update
            # it now so the new current row can be scrolled into view at once
            self.updateGeometries()
            self.scrollTo(self.model_.index(shown - 1, 0),
                          QAbstractItemView.ScrollHint.EnsureVisible)

    def fit_columns(self) -> None:
        """Width of each column = its widest text over the whole run."""
        model = self.model_
        metrics = QFontMetrics(self.font())
        pad = metrics.horizontalAdvance(" ") + 6
        for column in range(model.columnCount()):
            texts = [model.headerData(column, Qt.Orientation.Horizontal)]
            texts += model.column_texts(column)
            width = max(metrics.horizontalAdvance(t) for t in texts if t is not None)
            self.setColumnWidth(column, round(width * 1.05) + pad)   # 5 %: the bold row

    def restyle(self, palette, font_size: float) -> None:
        font = QFont(self.font())
        font.setPointSizeF(font_size)
        self.setFont(font)
        self.horizontalHeader().setFont(font)
        self.verticalHeader().setDefaultSectionSize(round(font_size * 2.2))
        self.model_.set_highlight(palette.highlight)
        alternate = "#f4f6f8" if palette.background.lower() == "#ffffff" else "#1d2026"
        self.setStyleSheet(
            f"QTableView {{ background: {palette.background}; color: {palette.foreground};"
            f" gridline-color: {palette.grid}; alternate-background-color: {alternate}; }}"
            f" QHeaderView::section {{ background: {palette.background};"
            f" color: {palette.foreground}; border: 1px solid {palette.grid}; padding: 2px; }}")
        self.fit_columns()


def arithmetic_html(step, minimise: bool) -> str:
    """x_{k+1} = x_k − f(x_k)/f′(x_k) = 0.05 − (−18.9487)/(401.0513) = 0.0972,
    as rich text; in minimise mode with g′ and g″."""
    k = step.k
    f, df = ("g′", "g″") if minimise else ("f", "f′")
    xk = f"x<sub>{k}</sub>"
    lhs = f"x<sub>{k + 1}</sub> = {xk} {MINUS} {f}({xk}) / {df}({xk})"
    x, value, slope, nxt = (number(step.x), number(step.value), number(step.slope),
                            number(step.x_next))
    wrap = (lambda s: f"({s})")
    return (f"{lhs} = {x} {MINUS} {wrap(value)} / {wrap(slope)} = <b>{nxt}</b>")
