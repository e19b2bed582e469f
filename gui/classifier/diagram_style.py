"""Pens and colours of the network diagram, from the theme.

A weight's edge is coloured by its sign (blue positive, orange dashed negative)
and grows thicker with |w|.  What a step lights takes the colour of the step's
kind (``Palette.stage_colour``: forward, backward, update — the chain panel's
heading uses the same) for its outline, halo and tag border; everything else
recedes to a faded colour that still keeps 4.5:1 (text) or 3:1 (lines and
outlines) against the background (``diagram_contrast``), so a projector in a lit
hall still shows the whole network.  Colours are opaque: a faded unit still
hides the edges that run into it.
"""
from __future__ import annotations

import math
from functools import lru_cache
from typing import NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPen

from gui.classifier.diagram_contrast import GRAPHIC_CONTRAST, TEXT_CONTRAST, fade
from gui.classifier.diagram_items import Node

FADE = 0.72               # how far towards the background a faded colour may go
HALO_ALPHA = 150          # a lit line's halo, over the background


class Faded(NamedTuple):
    """The receded colours of a palette (``#rrggbb``)."""
    text: str          # unit names and values, tag texts
    muted_text: str    # the input words
    outline: str       # unit outlines
    positive: str      # edges of positive weights
    negative: str      # edges of negative weights
    line: str          # the ŷ → L line, tag borders at rest


@lru_cache(maxsize=8)
def faded_colours(palette) -> Faded:
    bg = palette.background

    def text(c):
        return fade(c, bg, TEXT_CONTRAST, FADE)

    def graphic(c):
        return fade(c, bg, GRAPHIC_CONTRAST, FADE)

    return Faded(text=text(palette.foreground), muted_text=text(palette.muted),
                 outline=graphic(palette.foreground), positive=graphic(palette.positive),
                 negative=graphic(palette.negative), line=graphic(palette.muted))


@lru_cache(maxsize=8)
def rest_border(palette) -> str:
    """A tag's border at rest: quiet, but a visible outline (≥ 3:1) in both themes."""
    return fade(palette.muted, palette.background, GRAPHIC_CONTRAST, 0.3)


def tag_fill(palette) -> QColor:
    fill = QColor(palette.background)
    fill.setAlpha(235)
    return fill


def glow_pen(theme, width: float, colour: str) -> QPen:
    """The halo, in ``colour``, behind a lit line ``width`` wide."""
    glow = QColor(colour)
    glow.setAlpha(HALO_ALPHA)
    pen = QPen(glow, width + 9 * theme.scale)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    return pen


def style_node(theme, node: Node, lit: str | None, dim: bool = False) -> None:
    """Outline, text and glow of a unit: ``lit`` in that stage colour, dimmed, or at
    rest (only on a change)."""
    state = (lit, dim)
    if node.state == state:
        return
    node.state = state
    pal = theme.palette
    faded = faded_colours(pal)
    text = QColor(faded.text if dim else pal.foreground)
    if lit:
        outline = QColor(lit)
    else:
        outline = QColor(faded.outline if dim else pal.foreground)
    node.body.setPen(QPen(outline, (4.0 if lit else 1.6) * theme.scale))
    node.name.setBrush(text)
    node.value.setBrush(text)
    node.heat.setOpacity(0.45 if dim else 1.0)
    if lit:
        glow = QColor(lit)
        glow.setAlpha(110)
        node.glow.setBrush(glow)
    node.glow.setVisible(bool(lit))


def edge_width(theme, weight: float) -> float:
    return theme.pen_width(0.8 + 5.0 * math.tanh(abs(weight) / 1.5))


def edge_pen(theme, weight: float, dim: bool = False) -> tuple[QPen, tuple]:
    """Colour by sign (dashed when negative), width growing with |w|, faded when
    ``dim``; with a key that is equal for equal pens."""
    pal = theme.palette
    negative = weight < 0
    width = edge_width(theme, weight)
    key = (negative, round(width, 2), dim)
    if dim:
        faded = faded_colours(pal)
        colour = faded.negative if negative else faded.positive
    else:
        colour = pal.negative if negative else pal.positive
    pen = QPen(QColor(colour), width)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    if negative:
        pen.setStyle(Qt.PenStyle.CustomDashLine)
        pen.setDashPattern([3.0, 2.0])
    return pen, key
