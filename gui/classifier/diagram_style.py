"""Pens and colours of the network diagram, from the theme.

A weight's edge is coloured by its sign (blue positive, orange dashed negative)
and grows thicker with |w|; what a step lights glows in the highlight colour and
everything else recedes to ``DIM_OPACITY``.
"""
from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPen

from gui.classifier.diagram_items import Node

DIM_OPACITY = 0.28        # everything not in the current step recedes


def tag_fill(palette) -> QColor:
    fill = QColor(palette.background)
    fill.setAlpha(235)
    return fill


def glow_pen(theme, width: float) -> QPen:
    """The halo behind a lit line ``width`` wide."""
    glow = QColor(theme.palette.highlight)
    glow.setAlpha(150)
    pen = QPen(glow, width + 9 * theme.scale)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    return pen


def faded(palette, colour: str) -> QColor:
    """``colour`` most of the way to the background: dimmed but still opaque, so
    a dimmed node still hides the edges that run into it."""
    a, b = QColor(colour), QColor(palette.background)
    t = 1.0 - DIM_OPACITY - 0.1
    return QColor(round(a.red() + (b.red() - a.red()) * t),
                  round(a.green() + (b.green() - a.green()) * t),
                  round(a.blue() + (b.blue() - a.blue()) * t))


def style_node(theme, node: Node, lit: bool, dim: bool = False) -> None:
    """Outline, text and glow of a unit lit, dimmed or at rest (only on a change)."""
    state = (lit, dim)
    if node.state == state:
        return
    node.state = state
    pal = theme.palette
    text = faded(pal, pal.foreground) if dim else QColor(pal.foreground)
    outline = QColor(pal.highlight) if lit else text
    node.body.setPen(QPen(outline, (4.0 if lit else 1.6) * theme.scale))
    node.name.setBrush(text)
    node.value.setBrush(text)
    node.heat.setOpacity(0.45 if dim else 1.0)
    node.glow.setVisible(lit)


def edge_pen(theme, weight: float) -> tuple[QPen, tuple]:
    """Colour by sign (dashed when negative), width growing with |w|; with a key
    that is equal for equal pens."""
    pal = theme.palette
    negative = weight < 0
    width = theme.pen_width(0.8 + 5.0 * math.tanh(abs(weight) / 1.5))
    key = (negative, round(width, 2))
    pen = QPen(QColor(pal.negative if negative else pal.positive), width)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    if negative:
        pen.setStyle(Qt.PenStyle.CustomDashLine)
        pen.setDashPattern([3.0, 2.0])
    return pen, key
