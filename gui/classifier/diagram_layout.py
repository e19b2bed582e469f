"""Where the network diagram puts things: unit centres, the spot of every edge's
number, and the sizes all of it takes at the theme's scale.  Pure geometry on
``QPointF``/``QRectF`` and font metrics; no item is made here.

Everything — discs, text, pens, halos — is laid out at its themed size, and the
layout is chosen so that fitting the scene into the widget shrinks it as little
as possible: among the gaps between layers and between units at which every
edge's named number ("w₁₁ = 0.0889", "0.0889 → 0.0155" at the update) has a
clear spot, the one that fits the widget at the largest zoom wins, then the gaps
grow (up to 1.5×) to use the room left over.  So presentation scale really makes
the picture bigger on screen, and the names are never dropped: where the widget
is too small for them even so, the picture is drawn a little smaller
(``Layout.zoom``) and ``natural_size`` tells the stage layout how much room it
would like.  The layout makes room for as many integer digits as the largest
parameter has, so w = −123.46 does not run into its neighbours.
"""
from __future__ import annotations

import math
from typing import NamedTuple

from PySide6.QtCore import QPointF, QRectF, QSizeF
from PySide6.QtGui import QFont, QFontMetricsF

from core.notation import NumberRole, format_number
from gui.classifier.diagram_text import widest_number

# Where along an edge its number may sit: neighbours alternate 30 % / 70 %, then
# ever finer steps towards the ends and the middle.
LABEL_FRACTIONS = (0.3, 0.7, 0.5, 0.2, 0.8, 0.4, 0.6, 0.25, 0.75, 0.35, 0.65, 0.45, 0.55,
                   0.15, 0.85)
DENSE_LAYER = 16          # more edges than this between two layers: numbers only when lit
SPREAD = 1.5              # how far the gaps grow past what the numbers need
_GAP_STEPS = (1.0, 1.06, 1.12, 1.19, 1.27, 1.36, 1.46, 1.58, 1.72, 1.9, 2.1, 2.4)
_UNIT_GAP_STEPS = (1.0, 1.12, 1.25, 1.4, 1.55, 1.7)


class Layout(NamedTuple):
    metrics: dict
    layer_gap: float
    unit_gap: float
    centers: dict            # item name → QPointF, units and "loss"
    obstacles: list          # QRectF a number must not cover: units, captions, biases
    spots: list              # per weight layer: {(i, j): (QPointF, QRectF)}, or None
    rect: QRectF             # the scene rectangle the view fits
    zoom: float              # view scale that fits ``rect`` into the widget (≤ 1)


def diagram_fonts(scale: float) -> dict[str, QFont]:
    def font(px, bold=False, italic=False):
        f = QFont()
        f.setPixelSize(max(1, round(px * scale)))
        f.setBold(bold)
        f.setItalic(italic)
        return f

    return {"name": font(21, italic=True), "value": font(14), "label": font(13),
            "caption": font(15, italic=True), "header": font(13, bold=True),
            "callout": font(15, bold=True)}


def column_headers(shape) -> list[str]:
    return ["Input"] + [f"Hidden {k}" if len(shape) > 3 else "Hidden"
                        for k in range(1, len(shape) - 1)] + ["Output", "Loss"]


def caption_text(input_labels, j: int) -> str:
    """The word under input unit j, in quotes."""
    word = input_labels[j] if j < len(input_labels) else ""
    return f"“{word}”"


def target_text(y: float) -> str:
    """The tag under the L node: the walked example's target."""
    return f"y = {format_number(y, NumberRole.VALUE)}"


def metrics(shape, scale: float, refs: dict, tag_digits: int, view_size,
            input_labels=()) -> dict:
    """Sizes in scene units for a widget of ``view_size`` (width, height)."""
    s = scale
    fonts = diagram_fonts(s)
    label_metrics = QFontMetricsF(fonts["label"])
    callout_metrics = QFontMetricsF(fonts["callout"])
    caption_metrics = QFontMetricsF(fonts["caption"])
    pad = 4 * s
    radius = 30 * s     # a 4-digit value fits under the unit's name

    def widest_of(texts, metrics_=label_metrics):
        return max((metrics_.horizontalAdvance(t) for t in texts), default=60 * s)

    # The widest number a tag may show: as many integer digits as the largest
    # parameter (the layout is redone when a parameter outgrows it).
    number = widest_number(tag_digits)
    widest = widest_of([f"{r.label} = {number}" for r in refs.values() if not r.is_bias]
                       + [f"{number} → {number}"]) + 2 * pad
    output_layer = len(shape) - 2
    # hidden units' biases say "b₁ = old → new" on one line at the update; ŷ's, in
    # the middle of its column with room below, on two (so L can sit closer)
    bias_width = widest_of([f"{r.label} = {number} → {number}" for r in refs.values()
                            if r.is_bias and r.layer != output_layer]
                           or [f"b = {number}"]) + 2 * pad
    output_bias_width = widest_of([f"{r.label} = {number}" for r in refs.values()
                                   if r.is_bias and r.layer == output_layer]
                                  + [f"→ {number}"]) + 2 * pad
    target_width = widest_of([target_text(1.0)]) + 2 * pad
    header_width = QFontMetricsF(fonts["header"]).horizontalAdvance("Loss")
    caption = widest_of([caption_text(input_labels, j) for j in range(shape[0])],
                        caption_metrics)
    line = label_metrics.height()
    label_height = line + pad
    most_units = max(shape)
    dense = most_units > 3
    header = QFontMetricsF(fonts["header"]).height()
    callout = callout_metrics.height() + 12 * s
    edge_room = 6 * s
    m = {"s": s, "pad": pad, "radius": radius, "widest": widest, "line": line,
         "bias_width": bias_width, "output_bias_width": output_bias_width,
         "target_width": target_width,
         "label_height": label_height, "fonts": fonts, "callout": callout,
         # the step's callout above the top unit (over the column's heading, which
         # sits at the top of the same strip)
         "above": radius + max(callout, header) + 2 * edge_room,
         "header": header,
         # a bias tag under the lowest unit
         "below": radius + 3 * s + label_height + edge_room
         + (line if most_units == 1 else 0),
         # a lit unit's halo reaches 1.35 r (diagram_items.Node)
         "left": max(1.35 * radius + 2 * s, caption / 2 + edge_room),
         "right": max(1.35 * radius + 2 * s, target_width / 2 + edge_room,
                      header_width / 2 + edge_room)}
    # the L square: clear of ŷ's bias tag, with its own y tag beside it
    m["loss_offset"] = max(2 * radius + 24 * s, (output_bias_width + target_width) / 2 + 8 * s)
    # A number at the middle of an edge must clear both units.
    m["min_layer_gap"] = 2 * radius + widest + 8 * s
    # two units one above the other: the upper one's bias tag between them
    m["min_unit_gap"] = max(2 * radius + (1.4 if dense else 2.0) * label_height + 6 * s,
                            2 * radius + 3 * s + label_height + 4 * s)
    m["view"] = (max(view_size[0], 100), max(view_size[1], 80))
    return m


def extent(shape, m, layer_gap: float, unit_gap: float) -> QRectF:
    """The scene rectangle of a layout with these gaps."""
    most_units = max(shape)
    top = -((most_units - 1) / 2) * unit_gap - m["above"]
    bottom = ((most_units - 1) / 2) * unit_gap + m["below"]
    right = (len(shape) - 1) * layer_gap + m["loss_offset"] + m["right"]
    return QRectF(-m["left"], top, right + m["left"], bottom - top)


def fit_zoom(rect: QRectF, view) -> float:
    """The scale at which ``rect`` fits a widget of ``view`` = (width, height), at most 1."""
    return min(1.0, view[0] / max(rect.width(), 1.0), view[1] / max(rect.height(), 1.0))


def natural_size(layout: Layout) -> QSizeF:
    """What the diagram would like, in pixels: its scene at zoom 1 (of a layout
    chosen for the widget's width and unlimited height, that is the height that
    draws it full size, or as large as that width allows)."""
    return layout.rect.size()


def geometry(shape, m, layer_gap, unit_gap, input_labels):
    """Unit centres and what the edge numbers must avoid, before any item exists."""
    s, radius = m["s"], m["radius"]
    centers = {}
    for k, count in enumerate(shape):
        for j in range(count):
            centers[f"node:{k}:{j}"] = QPointF(k * layer_gap, (j - (count - 1) / 2) * unit_gap)
    last = centers[f"node:{len(shape) - 1}:0"]
    centers["loss"] = QPointF(last.x() + m["loss_offset"], last.y())
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
        output = k == len(shape) - 1
        width = m["output_bias_width" if output else "bias_width"]
        height = m["label_height"] + (m["line"] if output else 0.0)
        for j in range(shape[k]):
            c = centers[f"node:{k}:{j}"]
            obstacles.append(QRectF(c.x() - width / 2, c.y() + radius + 3 * s, width, height))
    c = centers["loss"]
    obstacles.append(QRectF(c.x() - m["target_width"] / 2, c.y() + radius + 3 * s,
                            m["target_width"], m["label_height"]))
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


def _attempt(shape, m, layer_gap, unit_gap, input_labels):
    centers, obstacles = geometry(shape, m, layer_gap, unit_gap, input_labels)
    spots = label_spots(shape, centers, obstacles, m)
    rect = extent(shape, m, layer_gap, unit_gap)
    return Layout(m, layer_gap, unit_gap, centers, obstacles, spots, rect,
                  fit_zoom(rect, m["view"]))


def choose_layouts(shape, scale: float, refs: dict, tag_digits: int, input_labels,
                   view_size) -> tuple[Layout, Layout]:
    """(for the widget, natural): the gaps at which every (not too dense) layer's
    named numbers fit and the scene fits the widget at the largest zoom, grown to
    use the room; and the same for the widget's width with unlimited height (its
    rectangle is what the diagram asks for)."""
    m = metrics(shape, scale, refs, tag_digits, view_size, input_labels)
    wanted = sum(1 for k in range(len(shape) - 1) if shape[k] * shape[k + 1] <= DENSE_LAYER)
    width = m["view"][0]
    best = natural = None
    best_score = natural_score = None
    for unit_factor in _UNIT_GAP_STEPS:
        unit_gap = m["min_unit_gap"] * unit_factor
        for gap_factor in _GAP_STEPS:
            layout = _attempt(shape, m, m["min_layer_gap"] * gap_factor, unit_gap,
                              input_labels)
            fitted = _fitted(layout.spots)
            area = layout.rect.width() * layout.rect.height()
            score = (fitted, round(layout.zoom, 3), -area)
            if best_score is None or score > best_score:
                best, best_score = layout, score
            wide = (fitted, round(min(1.0, width / max(layout.rect.width(), 1.0)), 3), -area)
            if natural_score is None or wide > natural_score:
                natural, natural_score = layout, wide
            if fitted == wanted:
                break         # wider gaps only make the scene wider
        if max(shape) == 1:
            break             # one unit per layer: no gap between units to try
    return _spread(shape, best, input_labels), natural


def choose_layout(shape, scale: float, refs: dict, tag_digits: int, input_labels,
                  view_size) -> Layout:
    """The layout for a widget of ``view_size`` (see ``choose_layouts``)."""
    return choose_layouts(shape, scale, refs, tag_digits, input_labels, view_size)[0]


def _spread(shape, layout: Layout, input_labels) -> Layout:
    """Grow the gaps (up to SPREAD×) into the widget's spare room, keeping zoom and
    every number that fitted."""
    m = layout.metrics
    view_w, view_h = m["view"]
    rect = layout.rect
    extra_w = view_w / layout.zoom - rect.width()
    extra_h = view_h / layout.zoom - rect.height()
    layer_gap, unit_gap = layout.layer_gap, layout.unit_gap
    if extra_w > 1:
        layer_gap = min(layer_gap + extra_w / (len(shape) - 0.5), SPREAD * layer_gap)
    if extra_h > 1 and max(shape) > 1:
        unit_gap = min(unit_gap + extra_h / (max(shape) - 1), SPREAD * unit_gap)
    if (layer_gap, unit_gap) == (layout.layer_gap, layout.unit_gap):
        return layout
    wider = _attempt(shape, m, layer_gap, unit_gap, input_labels)
    if _fitted(wider.spots) >= _fitted(layout.spots) and wider.zoom >= layout.zoom - 1e-6:
        return wider
    return layout


def clear_spot(candidates, width: float, height: float, obstacles,
               bounds: QRectF | None = None) -> QPointF:
    """The first candidate centre where a width × height box covers nothing (and
    stays inside ``bounds``), else the one where it covers the least area."""
    chosen, least = candidates[0], math.inf
    for p in candidates:
        if bounds is not None:      # slid inside the view where it is wide enough
            x = min(max(p.x(), bounds.left() + width / 2), bounds.right() - width / 2)
            y = min(max(p.y(), bounds.top() + height / 2), bounds.bottom() - height / 2)
            p = QPointF(x if width <= bounds.width() else p.x(),
                        y if height <= bounds.height() else p.y())
        rect = QRectF(p.x() - width / 2, p.y() - height / 2, width, height)
        covered = 0.0
        for o in obstacles:
            if rect.intersects(o):
                cut = rect.intersected(o)
                covered += cut.width() * cut.height()
        if bounds is not None:      # cut off by the view's edge: worse than covering
            inside = rect.intersected(bounds)
            outside = rect.width() * rect.height() - (
                0.0 if inside.isEmpty() else inside.width() * inside.height())
            covered += 4 * max(outside, 0.0)
        if covered < least:
            chosen, least = p, covered
        if covered <= 0.0:
            break
    return chosen
