"""Where the network diagram puts things: unit centres, the spot of every edge's
number, and the sizes all of it takes at the theme's scale.  Pure geometry on
``QPointF``/``QRectF`` and font metrics; no item is made here.

Text is laid out at its themed size and the gaps between layers and units grow to
use the widget (up to 1.5× what the numbers need), so presentation scale really
makes the text bigger on screen instead of being undone by fitting the scene into
the view.  The layout makes room for as many integer digits as the largest
parameter has, so w = −123.46 does not run into its neighbours.
"""
from __future__ import annotations

import math
from typing import NamedTuple

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFont, QFontMetricsF

from gui.classifier.diagram_text import widest_number

LABEL_FRACTIONS = (0.3, 0.7, 0.5, 0.2, 0.8, 0.4, 0.6)
DENSE_LAYER = 16          # more edges than this between two layers: numbers only when lit


class Layout(NamedTuple):
    metrics: dict
    layer_gap: float
    unit_gap: float
    centers: dict            # item name → QPointF, units and "loss"
    obstacles: list          # QRectF a number must not cover: units, captions, biases
    spots: list              # per weight layer: {(i, j): (QPointF, QRectF)}, or None


def diagram_fonts(scale: float) -> dict[str, QFont]:
    def font(px, bold=False, italic=False):
        f = QFont()
        f.setPixelSize(max(1, round(px * scale)))
        f.setBold(bold)
        f.setItalic(italic)
        return f

    return {"name": font(21, italic=True), "value": font(13), "label": font(13),
            "caption": font(15, italic=True), "header": font(13, bold=True),
            "callout": font(15, bold=True)}


def column_headers(shape) -> list[str]:
    return ["Input"] + [f"Hidden {k}" if len(shape) > 3 else "Hidden"
                        for k in range(1, len(shape) - 1)] + ["Output", "Loss"]


def caption_text(input_labels, j: int) -> str:
    """The word under input unit j, in quotes."""
    word = input_labels[j] if j < len(input_labels) else ""
    return f"“{word}”"


def metrics(shape, scale: float, refs: dict, tag_digits: int, view_size,
            compact: bool = False) -> dict:
    """Sizes in scene units for a widget of ``view_size`` (width, height).
    ``compact`` edge numbers leave out the weight's name (shown when lit)."""
    s = scale
    fonts = diagram_fonts(s)
    label_metrics = QFontMetricsF(fonts["label"])
    pad = 4 * s
    radius = 30 * s     # a 4-digit value fits under the unit's name

    def widest_of(texts):
        return max((label_metrics.horizontalAdvance(t) for t in texts), default=60 * s)

    # The widest number a tag may show: as many integer digits as the largest
    # parameter (the layout is redone when a parameter outgrows it).
    number = widest_number(tag_digits)
    if compact:
        widest = widest_of([number, f"→ {number}"]) + 2 * pad
    else:
        widest = widest_of([f"{r.label} = {number}" for r in refs.values()
                            if not r.is_bias] + [f"{number} → {number}"]) + 2 * pad
    bias_width = widest_of([f"{r.label} = {number}" for r in refs.values()
                            if r.is_bias]) + 2 * pad
    line = label_metrics.height()
    label_height = line + pad
    most_units = max(shape)
    dense = most_units > 3
    header = QFontMetricsF(fonts["header"]).height()
    callout = QFontMetricsF(fonts["callout"]).height() + 12 * s
    m = {"s": s, "pad": pad, "radius": radius, "widest": widest, "line": line,
         "bias_width": bias_width, "compact": compact,
         "label_height": label_height, "fonts": fonts,
         "above": radius + callout + header + 8 * s,
         "below": radius + 2 * line + 2 * pad + 8 * s,
         "left": radius + 0.5 * max(widest, bias_width),
         "right": 1.4 * radius + 0.5 * max(widest, bias_width)}
    # A number at the middle of an edge must clear both units.
    m["min_layer_gap"] = 2 * radius + widest + 8 * s
    m["min_unit_gap"] = 2 * radius + (1.4 if dense else 2.4) * label_height + 6 * s
    width, height = max(view_size[0], 100), max(view_size[1], 80)
    m["room_layer_gap"] = (width - m["left"] - m["right"]) / (len(shape) - 0.5)
    m["room_unit_gap"] = ((height - m["above"] - m["below"]) / (most_units - 1)
                          if most_units > 1 else m["min_unit_gap"])
    return m


def unit_gap(m) -> float:
    return min(max(m["room_unit_gap"], m["min_unit_gap"]), 1.5 * m["min_unit_gap"])


def geometry(shape, m, layer_gap, unit_gap, input_labels):
    """Unit centres and what the edge numbers must avoid, before any item exists."""
    s, radius, widest = m["s"], m["radius"], m["widest"]
    centers = {}
    for k, count in enumerate(shape):
        for j in range(count):
            centers[f"node:{k}:{j}"] = QPointF(k * layer_gap, (j - (count - 1) / 2) * unit_gap)
    last = centers[f"node:{len(shape) - 1}:0"]
    centers["loss"] = QPointF(last.x() + max(0.5 * layer_gap, 2 * radius + 0.8 * widest),
                              last.y())
    margin = radius + 4 * s
    obstacles = [QRectF(c.x() - margin, c.y() - margin, 2 * margin, 2 * margin)
                 for c in centers.values()]
    caption_metrics = QFontMetricsF(m["fonts"]["caption"])
    for j in range(shape[0]):
        c = centers[f"node:0:{j}"]
        w = caption_metrics.horizontalAdvance(caption_text(input_labels, j))
        obstacles.append(QRectF(c.x() - w / 2, c.y() + radius + 3 * s, w,
                                caption_metrics.height()))
    for k in range(1, len(shape)):
        for j in range(shape[k]):
            c = centers[f"node:{k}:{j}"]
            obstacles.append(QRectF(c.x() - m["bias_width"] / 2, c.y() + radius + 3 * s,
                                    m["bias_width"], m["label_height"]))
    return centers, obstacles


def label_spots(shape, centers, obstacles, m):
    """A spot on each edge for its number that overlaps nothing, per layer.

    Neighbouring edges alternate between 30 % and 70 % along their length, then
    try other fractions; a layer whose numbers do not all fit gets None (its
    numbers show only when lit), so a dense layer never turns into a smudge."""
    widest, height = m["widest"], m["label_height"]
    placed = list(obstacles)
    spots_by_layer = []
    for layer in range(len(shape) - 1):
        if shape[layer] * shape[layer + 1] > DENSE_LAYER:
            spots_by_layer.append(None)
            continue
        spots = {}
        for i in range(shape[layer]):
            for j in range(shape[layer + 1]):
                a, b = centers[f"node:{layer}:{i}"], centers[f"node:{layer + 1}:{j}"]
                first = (0.3, 0.7) if (i + j) % 2 == 0 else (0.7, 0.3)
                for fraction in first + LABEL_FRACTIONS[2:]:
                    p = a + (b - a) * fraction
                    rect = QRectF(p.x() - widest / 2, p.y() - height / 2, widest, height)
                    if not any(rect.intersects(other) for other in placed):
                        spots[(i, j)] = (p, rect)
                        placed.append(rect)
                        break
        complete = len(spots) == shape[layer] * shape[layer + 1]
        if not complete:      # give the space back to the layers after it
            placed = [r for r in placed if all(r is not v[1] for v in spots.values())]
        spots_by_layer.append(spots if complete else None)
    return spots_by_layer


def _fitted(spots) -> int:
    return sum(1 for layer in spots if layer is not None)


def search_gap(shape, m, input_labels):
    """The narrowest layer gap at which every (not too dense) layer's numbers
    fit: (fitted layers, gap, centres, obstacles, spots)."""
    gap_between_units = unit_gap(m)
    room = m["room_layer_gap"]
    tries = sorted({max(room, m["min_layer_gap"])}
                   | {m["min_layer_gap"] * f for f in (1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.4)})
    wanted = sum(1 for k in range(len(shape) - 1) if shape[k] * shape[k + 1] <= DENSE_LAYER)
    best = None
    for gap in tries:
        centers, obstacles = geometry(shape, m, gap, gap_between_units, input_labels)
        spots = label_spots(shape, centers, obstacles, m)
        fitted = _fitted(spots)
        if best is None or fitted > best[0]:
            best = (fitted, gap, centers, obstacles, spots)
        if fitted == wanted:
            break
    return best


NAMES_SHRINK_LIMIT = 1.25


def choose_layout(shape, scale: float, refs: dict, tag_digits: int, input_labels,
                  view_size) -> Layout:
    """Named numbers ("w₁₁ = 0.35") if they fit in the widget at the themed
    text size, else bare numbers if those do, else whichever is smaller; then
    spread out a little to use the room the widget offers."""
    full = metrics(shape, scale, refs, tag_digits, view_size)
    found = search_gap(shape, full, input_labels)
    m = full
    # Names first: a picture drawn up to a quarter smaller (fitInView) still reads
    # better than edge numbers that do not say which weight they are.
    if found[1] > NAMES_SHRINK_LIMIT * full["room_layer_gap"] + 1:
        compact = metrics(shape, scale, refs, tag_digits, view_size, compact=True)
        other = search_gap(shape, compact, input_labels)
        if other[0] >= found[0] and other[1] < found[1]:
            m, found = compact, other
    fitted, gap, centers, obstacles, spots = found
    gap_between_units = unit_gap(m)
    room = m["room_layer_gap"]
    if gap < room:
        wider = min(room, 1.5 * gap)
        centers2, obstacles2 = geometry(shape, m, wider, gap_between_units, input_labels)
        spots2 = label_spots(shape, centers2, obstacles2, m)
        if _fitted(spots2) >= fitted:
            gap, centers, obstacles, spots = wider, centers2, obstacles2, spots2
    return Layout(m, gap, gap_between_units, centers, obstacles, spots)


def clear_spot(candidates, width: float, height: float, obstacles) -> QPointF:
    """The first candidate centre where a width × height box covers nothing, else
    the one where it covers the least area."""
    chosen, least = candidates[0], math.inf
    for p in candidates:
        rect = QRectF(p.x() - width / 2, p.y() - height / 2, width, height)
        covered = 0.0
        for o in obstacles:
            if rect.intersects(o):
                cut = rect.intersected(o)
                covered += cut.width() * cut.height()
        if covered < least:
            chosen, least = p, covered
        if covered == 0.0:
            break
    return chosen
