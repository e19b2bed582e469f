"""Everything small on one Newton plot — marker symbols and iterate numbers — drawn
by one graphics item.

Each pyqtgraph item costs its own bounding-rect, dirty-region and paint work every
step; the iterates, the landing point, the vertex, the race's points and the
numbers of one plot used to be five to seven items and now are one
``PlotOverlay``. Layers talk to it through small stand-ins (``Markers`` with
``setData``/``getData``/``opts`` like a ScatterPlotItem, ``LabelSet`` for the
numbers), so each layer still owns what it shows.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems.ScatterPlotItem import renderSymbol
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPixmap

OVERLAY_Z = 30       # above every curve, below the draggable x0 line (40)


def overlay_for(plot) -> PlotOverlay:
    """The plot's one overlay item (created the first time a layer asks)."""
    overlay = getattr(plot, "_newton_overlay", None)
    if overlay is None:
        overlay = PlotOverlay()
        plot.addItem(overlay)
        plot._newton_overlay = overlay
    return overlay


class Markers:
    """One kind of marker (e.g. the iterates) — a ScatterPlotItem's interface,
    drawn by the plot's overlay. ``z`` orders the kinds within the overlay."""

    def __init__(self, overlay: PlotOverlay, z: float = 0.0):
        self._overlay = overlay
        self._x = self._y = np.zeros(0)
        self._visible = True
        self._pixmap = None
        self.z = z
        self.opts = {"symbol": "o", "size": 9.0, "pen": pg.mkPen("k"),
                     "brush": pg.mkBrush("w")}
        overlay.add_markers(self)

    # -- the ScatterPlotItem subset the layers and tests use --------------------
    def setData(self, x, y) -> None:
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        if np.array_equal(x, self._x) and np.array_equal(y, self._y):
            return
        self._x, self._y = x, y
        if self._visible:
            self._overlay.update()

    def getData(self):
        return self._x, self._y

    def setSymbol(self, symbol) -> None:
        self._style("symbol", symbol)

    def setSize(self, size) -> None:
        self._style("size", float(size))

    def setPen(self, *args, **kwargs) -> None:
        self._style("pen", pg.mkPen(*args, **kwargs))

    def setBrush(self, *args, **kwargs) -> None:
        self._style("brush", pg.mkBrush(*args, **kwargs))

    def setVisible(self, visible: bool) -> None:
        if bool(visible) != self._visible:
            self._visible = bool(visible)
            self._overlay.update()

    def isVisible(self) -> bool:
        return self._visible

    def _style(self, key, value) -> None:
        self.opts[key] = value
        self._pixmap = None
        self._overlay.update()

    # -- drawing -------------------------------------------------------------------
    def pixmap(self, dpr: float) -> QPixmap:
        """The symbol rendered once (antialiased, as pyqtgraph's atlas does)."""
        if self._pixmap is None or self._pixmap[0] != dpr:
            o = self.opts
            image = renderSymbol(o["symbol"], o["size"], o["pen"], o["brush"], dpr=dpr)
            self._pixmap = (dpr, QPixmap.fromImage(image))
        return self._pixmap[1]

    def paint(self, painter, transform, dpr: float) -> None:
        if not self._visible or self._x.size == 0:
            return
        pixmap = self.pixmap(dpr)
        half_w, half_h = 0.5 * pixmap.width() / dpr, 0.5 * pixmap.height() / dpr
        # map every point with the view's affine transform at once
        px = transform.m11() * self._x + transform.m21() * self._y + transform.dx()
        py = transform.m12() * self._x + transform.m22() * self._y + transform.dy()
        ok = np.isfinite(px) & np.isfinite(py) & (np.abs(px) < 1e6) & (np.abs(py) < 1e6)
        for x, y in zip(px[ok].tolist(), py[ok].tolist()):
            painter.drawPixmap(QPointF(x - half_w, y - half_h), pixmap)


class LabelSet:
    """The iterate numbers of one layer: (x, y, text, below) in view coordinates,
    drawn centred above their points (under them when ``below``) in screen pixels."""

    def __init__(self, overlay: PlotOverlay):
        self._overlay = overlay
        self._labels: list[tuple[float, float, str, bool]] = []
        self._colour = QColor("#111111")
        self._visible = True
        overlay.add_labels(self)

    def set_labels(self, labels, colour) -> None:
        if labels == self._labels and QColor(colour) == self._colour:
            return
        self._labels = labels
        self._colour = QColor(colour)
        if self._visible:
            self._overlay.update()

    def labels(self) -> list[tuple[float, float, str, bool]]:
        return list(self._labels)

    def set_visible(self, visible: bool) -> None:
        if bool(visible) != self._visible:
            self._visible = bool(visible)
            self._overlay.update()

    def paint(self, painter, transform, metrics) -> None:
        if not self._visible or not self._labels:
            return
        painter.setPen(self._colour)
        lift = 0.6 * metrics.height()
        drop = lift + metrics.ascent()
        for x, y, text, below in self._labels:
            point = transform.map(QPointF(x, y))
            painter.drawText(QPointF(point.x() - 0.5 * metrics.horizontalAdvance(text),
                                     point.y() + (drop if below else -lift)), text)


class PlotOverlay(pg.GraphicsObject):
    """Draws a plot's markers (in z order) and then its labels, in screen pixels."""

    def __init__(self):
        super().__init__()
        self._markers: list[Markers] = []
        self._label_sets: list[LabelSet] = []
        self._font = QFont()
        self.setZValue(OVERLAY_Z)
        # it covers the whole view: it must not take clicks and drags from it
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)

    def add_markers(self, markers: Markers) -> None:
        self._markers.append(markers)
        self._markers.sort(key=lambda m: m.z)

    def add_labels(self, label_set: LabelSet) -> None:
        self._label_sets.append(label_set)

    def set_font(self, font) -> None:
        if QFont(font) != self._font:
            self._font = QFont(font)
            self.update()

    def boundingRect(self):
        view_box = self.getViewBox()
        return view_box.viewRect() if view_box is not None else QRectF()

    def viewRangeChanged(self):
        self.prepareGeometryChange()

    def paint(self, painter, *args):
        transform = painter.transform()
        painter.resetTransform()
        device = painter.device()
        dpr = device.devicePixelRatioF() if device is not None else 1.0
        for markers in self._markers:
            markers.paint(painter, transform, dpr)
        painter.setFont(self._font)
        metrics = QFontMetricsF(self._font)
        for label_set in self._label_sets:
            label_set.paint(painter, transform, metrics)
        painter.setTransform(transform)
