"""The outline a lesson caption draws around what to look at.

``locate(window, caption)`` finds the widget and the rectangle a caption's ``look_at``
names — a unit or an edge of the network diagram (``NetworkDiagram.item_rect``), a
plot, a panel, a column of the Newton table — in that widget's coordinates, or None
when it is not on screen (another tab, a plot that does not exist in this version).
``LessonOverlay`` is a transparent widget over the tabs that ignores the mouse and
draws that rectangle in the theme's highlight colour, thick enough for the back row
of a hall; it follows the window, the splitters, the scale and the theme, and draws
nothing when there is nothing to point at.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QAbstractItemView, QWidget

from core.lessons import Caption, LookAt, unit_names

# Which Newton table column a lesson's name means, from the header's text (the
# table's column order may change; a column a version lacks gives no outline).
_COLUMN_HEADERS: dict[str, Callable[[str], bool]] = {
    "k": lambda h: h == "k",
    "x": lambda h: h == "xₖ",
    "value": lambda h: h.startswith(("f(", "g′(", "g'(")),
    "slope": lambda h: h.startswith(("f′(", "g″(", "f'(", "g''(")),
    "step": lambda h: h.lower() == "step",
    "dx": lambda h: "Δx" in h,
    "ratio": lambda h: "eₖ₊₁" in h and "/" in h,
    "digits": lambda h: "digit" in h.lower(),
}


def diagram_item(look_at: LookAt, layer_sizes: tuple[int, ...], parameter_ref) -> str | None:
    """The diagram's item name for a ``unit:`` or ``edge:`` look_at ("node:1:0",
    "edge:0:0:0", "bias:0:0", "loss"); ``parameter_ref(name)`` is the network's."""
    if look_at.kind == "unit":
        if look_at.name == "L":
            return "loss"
        names = unit_names(layer_sizes)
        if look_at.name not in names:
            return None
        index = names.index(look_at.name)
        for layer, width in enumerate(layer_sizes):
            if index < width:
                return f"node:{layer}:{index}"
            index -= width
        return None
    if look_at.kind == "edge":
        try:
            ref = parameter_ref(look_at.name)
        except (KeyError, ValueError):
            return None
        return f"bias:{ref.layer}:{ref.col}" if ref.is_bias else \
            f"edge:{ref.layer}:{ref.row}:{ref.col}"
    return None


def column_rect(table: QAbstractItemView, name: str) -> QRect | None:
    """The header and the rows shown of the column ``name`` (see _COLUMN_HEADERS)."""
    model, header = table.model(), table.horizontalHeader()  # type: ignore[attr-defined]
    matches = _COLUMN_HEADERS[name]
    for column in range(model.columnCount()):
        text = str(model.headerData(column, Qt.Orientation.Horizontal) or "").strip()
        if not matches(text) or header.isSectionHidden(column):
            continue
        _reveal(table, header, column)
        viewport = table.viewport()
        left = viewport.x() + header.sectionViewportPosition(column)
        rows = table.verticalHeader().length()  # type: ignore[attr-defined]
        height = header.height() + min(viewport.height(), max(rows, header.height()))
        return QRect(left, header.y(), header.sectionSize(column), height)
    return None


def _reveal(table, header, column: int) -> None:
    """Scroll the table sideways, if need be, so that the whole column shows."""
    bar, start, size = table.horizontalScrollBar(), header.sectionPosition(column), \
        header.sectionSize(column)
    width = table.viewport().width()
    if start < bar.value():
        bar.setValue(start)
    elif start + size > bar.value() + width:
        bar.setValue(min(start, start + size - width))


def locate(window, caption: Caption | None) -> tuple[QWidget, QRect] | None:
    """(widget, rectangle in its coordinates) of what ``caption`` points at, or None."""
    if caption is None or caption.look_at is None:
        return None
    look_at = caption.look_at
    kind, name = look_at.kind, look_at.name
    classifier = window.classifier_tab
    newton = window.newton_tab if kind in ("column", "plot", "panel") and (
        caption.tab == "newton" or name in ("function", "derivative", "error")) else None
    widget: QWidget | None = None
    rect: QRect | None = None
    if kind in ("unit", "edge"):
        network = classifier.stepper.network
        item = diagram_item(look_at, network.layer_sizes, network.parameter_ref)
        widget = classifier.diagram
        rect = classifier.diagram.item_rect(item) if item else None
    elif kind == "plot":
        if name in ("loss", "boundary"):
            widget = classifier.loss_plot if name == "loss" else classifier.boundary_plot
        elif newton is not None:
            widget = {"function": newton.plots.main, "derivative": newton.plots.second}.get(
                name) or newton.findChild(QWidget, "errorPlot")
    elif kind == "panel":
        if name in ("chain", "sentences") or (name == "table" and caption.tab == "classifier"):
            widget = classifier.chain_panel if name == "chain" else classifier.table
        elif newton is not None:
            widget = {"table": newton.table, "arithmetic": newton.arithmetic_label,
                      "formulas": newton.formulas, "outcome": newton.outcome_label}[name]
    elif kind == "column" and newton is not None:
        widget = newton.table
        rect = column_rect(newton.table, name)
    if widget is None or not widget.isVisible():
        return None
    if kind in ("plot", "panel"):
        rect = widget.rect()
    if rect is None:
        return None
    rect = unclipped_part(widget, rect.intersected(widget.rect()))
    return (widget, rect) if rect.width() > 2 and rect.height() > 2 else None


def unclipped_part(widget: QWidget, rect: QRect) -> QRect:
    """The part of ``rect`` (``widget``'s coordinates) its ancestors do not clip
    (a scroll area, a splitter pane squeezed small)."""
    offset = QPoint(0, 0)
    child = widget
    parent = widget.parentWidget()
    while parent is not None and not child.isWindow():
        offset += child.pos()
        rect = rect.intersected(parent.rect().translated(-offset))
        child, parent = parent, parent.parentWidget()
    return rect


class LessonOverlay(QWidget):
    """``lessonOutline``: a mouse-transparent layer over ``host`` (the tabs) that
    outlines what ``locator()`` returns, following every move, resize and restyle."""

    def __init__(self, host: QWidget, theme, parent=None):
        super().__init__(parent or host)
        self.setObjectName("lessonOutline")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._host = host
        self._theme = theme
        self._locator: Callable[[], tuple[QWidget, QRect] | None] | None = None
        self._watched: QWidget | None = None
        self._rect: QRect | None = None          # in this overlay's coordinates
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.relocate)
        host.installEventFilter(self)
        theme.changed.connect(self._later)
        self.setGeometry(host.rect())
        self.hide()

    # ------------------------------------------------------------------ public API
    def point_at(self, locator: Callable[[], tuple[QWidget, QRect] | None] | None) -> None:
        """Outline what ``locator()`` finds from now on (None: nothing)."""
        self._locator = locator
        self.relocate()
        # splitters and the diagram settle their geometry after the tab switch
        QTimer.singleShot(60, self, self.relocate)
        QTimer.singleShot(250, self, self.relocate)

    def clear(self) -> None:
        self.point_at(None)

    def outline(self) -> QRect | None:
        """The outlined rectangle in the host's coordinates (None: none shown)."""
        return QRect(self._rect) if self._rect is not None and self.isVisible() else None

    def pen_width(self) -> float:
        return max(4.0, 5.0 * self._theme.scale)

    def relocate(self) -> None:
        found = self._locator() if self._locator is not None else None
        self._watch(found[0] if found else None)
        if found is None:
            self._rect = None
            self.hide()
            return
        widget, rect = found
        top_left = widget.mapTo(self._host, rect.topLeft())
        margin = round(self.pen_width() * 0.75)   # just outside the item's own frame
        outlined = QRect(top_left, rect.size()).adjusted(-margin, -margin, margin, margin)
        self._rect = outlined.intersected(self._host.rect().adjusted(1, 1, -1, -1))
        self.setGeometry(self._host.rect())
        self.raise_()
        self.show()
        self.update()

    # ------------------------------------------------------------------ internals
    def _watch(self, widget: QWidget | None) -> None:
        if widget is self._watched:
            return
        if self._watched is not None:
            self._watched.removeEventFilter(self)
        self._watched = widget
        if widget is not None:
            widget.installEventFilter(self)

    def _later(self) -> None:
        if self._locator is not None:
            self._timer.start()
            QTimer.singleShot(80, self, self.relocate)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Move, QEvent.Type.Show,
                            QEvent.Type.Hide, QEvent.Type.LayoutRequest):
            if watched is self._host and event.type() == QEvent.Type.Resize:
                self.setGeometry(self._host.rect())
            self._later()
        return False

    def paintEvent(self, event) -> None:
        if self._rect is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        width = self.pen_width()
        rect = QRectF(self._rect).adjusted(width / 2, width / 2, -width / 2, -width / 2)
        radius = 6.0 * self._theme.scale
        # a rim in the text colour on each side keeps the outline apart from the
        # diagram's own lit (highlight-coloured) items and readable on any plot
        pal = self._theme.palette
        rim = QPen(QColor(pal.foreground), width + 2.0 * max(1.0, self._theme.scale / 2))
        painter.setPen(rim)
        painter.drawRoundedRect(rect, radius, radius)
        pen = QPen(QColor(pal.highlight), width)
        painter.setPen(pen)
        painter.drawRoundedRect(rect, radius, radius)
        painter.end()
