"""The scene items of the network diagram: a unit (disc or the L square), a
weighted edge, and the small rounded tag that carries a number.

Each item keeps what it last drew (``lit_state``, ``style_key``, the current
text), so the diagram can touch only what a step changes.  Text inside a unit is
scaled down, never up, to ``NODE_TEXT_FILL`` of the disc.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsPathItem,
    QGraphicsPixmapItem,
    QGraphicsSimpleTextItem,
)

NODE_TEXT_FILL = 0.85     # widest text inside a disc, as a fraction of its diameter


class Tag(QGraphicsPathItem):
    """A line of text on a small rounded box, centred on its position."""

    def __init__(self, font: QFont, pad: float, parent=None, anchor_top: bool = False):
        super().__init__(parent)
        self._text = QGraphicsSimpleTextItem(self)
        self._text.setFont(font)
        self._pad = pad
        self._anchor_top = anchor_top     # grow downwards (bias tags under a unit)
        self._current = None
        self.lit_state = None      # what the diagram last lit (see diagram_style.light)
        self.set_text("")

    def set_text(self, text: str) -> None:
        if text == self._current:
            return
        self._current = text
        self._text.setText(text)
        r = self._text.boundingRect()
        p = self._pad
        top = p / 2 if self._anchor_top else -r.height() / 2
        self._text.setPos(-r.width() / 2, top)
        box = QPainterPath()
        box.addRoundedRect(QRectF(-r.width() / 2 - p, top - p / 2,
                                  r.width() + 2 * p, r.height() + p), p, p)
        self.setPath(box)

    def text(self) -> str:
        return self._current

    def set_style(self, fill: QColor, border: QPen, text: QColor) -> None:
        self.setBrush(QBrush(fill))
        self.setPen(border)
        self._text.setBrush(QBrush(text))


class Node:
    """One unit: a disc (or the L square) with its name and value inside."""

    def __init__(self, scene, key, center, radius, name, fonts, square=False):
        self.key = key
        self.center = center
        self.radius = radius
        shape = QPainterPath()
        box = QRectF(center.x() - radius, center.y() - radius, 2 * radius, 2 * radius)
        if square:
            shape.addRoundedRect(box, radius * 0.3, radius * 0.3)
        else:
            shape.addEllipse(box)
        self.body = QGraphicsPathItem(shape)
        self.body.setZValue(3)
        scene.addItem(self.body)
        glow_path = QPainterPath()
        grow = radius * 0.35
        glow_box = box.adjusted(-grow, -grow, grow, grow)
        if square:
            glow_path.addRoundedRect(glow_box, radius * 0.45, radius * 0.45)
        else:
            glow_path.addEllipse(glow_box)
        self.glow = QGraphicsPathItem(glow_path, self.body)
        self.glow.setFlag(QGraphicsItem.GraphicsItemFlag.ItemStacksBehindParent)
        self.glow.setPen(QPen(Qt.PenStyle.NoPen))
        self.glow.setVisible(False)
        self.heat = QGraphicsPixmapItem(self.body)
        self.heat.setVisible(False)
        self.heat.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.name = QGraphicsSimpleTextItem(name, self.body)
        self.name.setFont(fonts["name"])
        self.value = QGraphicsSimpleTextItem("", self.body)
        self.value.setFont(fonts["value"])
        self._tooltip = ""
        self.square = square
        self.state = None          # (lit, dim) the diagram last styled it with
        # The name is fitted where it sits above a value, so it keeps one size.
        self._value_text = "0.0000"
        self.value.setText(self._value_text)
        self._place_texts()
        self._fit(self.name)
        self.set_value("")

    def set_value(self, text: str, tooltip: str = "") -> None:
        if text != self._value_text:
            self._value_text = text
            self.value.setText(text)
            self.value.setScale(1.0)
            self._place_texts()
            if text:
                self._fit(self.value)
                self._place_texts()
        if tooltip != self._tooltip:
            self._tooltip = tooltip
            self.body.setToolTip(tooltip)

    @staticmethod
    def _ink(item: QGraphicsSimpleTextItem) -> QRectF:
        """Where the glyphs are drawn, in the item's coordinates (before its scale)."""
        metrics = QFontMetricsF(item.font())
        return metrics.tightBoundingRect(item.text()).translated(0, metrics.ascent())

    def _fit(self, item: QGraphicsSimpleTextItem) -> None:
        """Scale a text down (never up) to at most NODE_TEXT_FILL of the diameter, and
        (in a disc) to the chord at its glyphs' lowest or highest line, clear of a
        lit outline."""
        width = item.boundingRect().width()
        if width <= 0:
            return
        scale = min(1.0, NODE_TEXT_FILL * 2 * self.radius / width)
        if not self.square:
            ink = item.mapRectToScene(self._ink(item))
            inner = self.radius * 0.92          # inside a lit outline (4 px of 30)
            far = max(abs(ink.top() - self.center.y()), abs(ink.bottom() - self.center.y()))
            chord = 2 * math.sqrt(max(inner * inner - far * far, 0.0))
            scale = min(scale, item.scale() * chord / max(ink.width(), 1e-9))
        item.setScale(max(scale, 0.3))

    def _place_texts(self) -> None:
        """Name above value, their glyphs (not their line boxes) centred in the unit."""
        cx, cy = self.center.x(), self.center.y()
        sn, sv = self.name.scale(), self.value.scale()
        n = self._ink(self.name)
        if not self._value_text:
            self.name.setPos(cx - n.center().x() * sn, cy - n.center().y() * sn)
            return
        v = self._ink(self.value)
        gap = 0.08 * self.radius
        top = cy - (n.height() * sn + gap + v.height() * sv) / 2
        self.name.setPos(cx - n.center().x() * sn, top - n.top() * sn)
        value_top = top + n.height() * sn + gap
        self.value.setPos(cx - v.center().x() * sv, value_top - v.top() * sv)


class Edge:
    """One weight: a line from unit i to unit j, its glow, its number tag, and an
    arrowhead that shows which way the step's quantity flows along it."""

    def __init__(self, scene, start: QPointF, end: QPointF, radius: float = 0.0,
                 arrow_size: float = 0.0):
        self.start, self.end = start, end
        self.line = QGraphicsLineItem(start.x(), start.y(), end.x(), end.y())
        self.line.setZValue(1)
        scene.addItem(self.line)
        self.glow = QGraphicsLineItem(start.x(), start.y(), end.x(), end.y(), self.line)
        self.glow.setFlag(QGraphicsItem.GraphicsItemFlag.ItemStacksBehindParent)
        self.glow.setVisible(False)
        # Forward: the head touches the far unit; backward: the near one.
        self._heads = {1: self._head(end, start, radius, arrow_size),
                       -1: self._head(start, end, radius, arrow_size)}
        self.arrow = QGraphicsPathItem(self.line)
        self.arrow.setPen(QPen(Qt.PenStyle.NoPen))
        self.arrow.setVisible(False)
        self._direction = 0
        self.label = None          # Tag, made by the diagram
        self.label_fits = False    # whether the number has a clear spot of its own
        self.name = ""
        self.value_text = ""
        self.weight = 0.0
        self.style_key = None
        self.lit_state = None      # what the diagram last lit (see diagram_style.light)

    @staticmethod
    def _head(tip_unit: QPointF, tail_unit: QPointF, radius: float, size: float) -> QPainterPath:
        """A triangle pointing at ``tip_unit``, its tip on that unit's rim."""
        path = QPainterPath()
        dx, dy = tip_unit.x() - tail_unit.x(), tip_unit.y() - tail_unit.y()
        length = math.hypot(dx, dy)
        if length <= 2 * radius + size or size <= 0:
            return path
        ux, uy = dx / length, dy / length
        tip = QPointF(tip_unit.x() - ux * (radius + size * 0.15),
                      tip_unit.y() - uy * (radius + size * 0.15))
        back = QPointF(tip.x() - ux * size, tip.y() - uy * size)
        half = size * 0.5
        path.moveTo(tip)
        path.lineTo(back.x() - uy * half, back.y() + ux * half)
        path.lineTo(back.x() + uy * half, back.y() - ux * half)
        path.closeSubpath()
        return path

    def set_arrow(self, direction: int, colour: QColor | None = None) -> None:
        """Show the head pointing forward (1) or backward (−1) in ``colour``, or
        none (0)."""
        if direction != self._direction:
            self._direction = direction
            if direction:
                self.arrow.setPath(self._heads[direction])
            self.arrow.setVisible(bool(direction))
        if direction and colour is not None:
            self.arrow.setBrush(QBrush(colour))

    def arrow_direction(self) -> int:
        return self._direction

    def point_at(self, fraction: float) -> QPointF:
        return self.start + (self.end - self.start) * fraction
