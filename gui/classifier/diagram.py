"""The network diagram: x₁, x₂ → a₁, a₂ → ŷ → L, with every weight on its edge.

A ``QGraphicsView`` on a scene that is laid out once per network shape and then
updated in place on every micro-step (pens, texts, opacities only), so playing the
walk stays cheap.  ``show_step`` lights what the current record is about: the unit
being computed and its incoming edges (forward), ŷ → L (loss), the whole chain from
L back to the parameter being differentiated (backward), old → new (update).

Item names, used by ``highlighted_items`` and the tests:
``node:<k>:<j>`` unit j of node layer k (0 = inputs, k = weight layer + 1),
``edge:<l>:<i>:<j>`` the weight ``weights[l][i, j]``, ``bias:<l>:<j>``,
``loss`` the L node and ``loss_edge`` the ŷ → L line.

Numbers: the callout uses the panel's ``DISPLAY_DIGITS`` (4 significant digits, so
its z, a and ∂L/∂p read exactly as in the chain-rule panel).  A value written inside
a unit's disc must fit in it: ``node_value_text`` keeps it to about six characters
(``NODE_DECIMALS`` fixed decimals below 1, so a₁ = 2.453×10⁻⁴ reads 0.0002), any text
still too wide is scaled down to ``NODE_TEXT_FILL`` of the disc, and the unit's
tooltip holds the value to ten significant digits.  Weight and bias tags use
``EDGE_DECIMALS`` (2 decimals) to stay short; the layout makes room for as many
integer digits as the largest parameter has, so w = −123.46 does not run into its
neighbours.

Cost of a step: pens, opacities and texts are set only on items whose state
changed; the scene keeps no BSP index (a few dozen items whose tags change size
every step) and the view repaints the bounding rectangle of what changed.
"""
from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import (QFrame, QGraphicsItem, QGraphicsLineItem, QGraphicsPathItem,
                               QGraphicsPixmapItem, QGraphicsScene, QGraphicsSimpleTextItem,
                               QGraphicsView)

from gui.classifier.chain_panel import EDGE_DECIMALS, format_number, subscript, superscript
from gui.classifier.heatmap import HeatmapCache

DIM_OPACITY = 0.28        # everything not in the current step recedes
NODE_DECIMALS = 4         # unit values below 1: 0.0002, 0.9994 (fits the disc)
NODE_TEXT_FILL = 0.85     # widest text inside a disc, as a fraction of its diameter
TOOLTIP_DIGITS = 10       # significant digits of a unit's value in its tooltip
LABEL_FRACTIONS = (0.3, 0.7, 0.5, 0.2, 0.8, 0.4, 0.6)


def _weight_text(value: float) -> str:
    text = format_number(value, decimals=EDGE_DECIMALS)
    return text.replace("−", "") if text.strip("−0.") == "" else text   # no "−0.00"


def node_value_text(value: float) -> str:
    """A unit's value as written inside its disc, about six characters at most:
    ``NODE_DECIMALS`` fixed decimals below 1 in size (0.0002 rather than
    2.453×10⁻⁴), the panel's significant digits from 1 up, m×10ⁿ from 10⁶."""
    v = float(value)
    if not math.isfinite(v) or v == 0.0 or (v.is_integer() and abs(v) < 1e6):
        return format_number(v)
    a = abs(v)
    if a < 1.0:
        text = f"{a:.{NODE_DECIMALS}f}"
        if text.strip("0.") in ("", "1"):   # 0.0000, 1.0000: rounded, not exactly 0 or 1
            return f"−{text}" if v < 0 and text[0] == "1" else text
        text = text.rstrip("0").rstrip(".")    # 0.5 rather than 0.5000, as the panel
        return f"−{text}" if v < 0 else text
    if a < 1e6:
        return format_number(v)            # 9.21, 123.5, 12346
    return format_number(v, digits=2)      # 1.2×10⁶


def _tag_digits(network) -> int:
    """Integer digits of the largest weight or bias as a tag writes it (−123.46: 3)."""
    largest = max((float(np.max(np.abs(p), initial=0.0))
                   for p in list(network.weights) + list(network.biases)), default=0.0)
    if not math.isfinite(largest):
        return 1
    return max(1, len(str(int(round(largest, EDGE_DECIMALS)))))


def _signature(network) -> bytes:
    """The weights' bytes: equal bytes, equal pens and numbers."""
    return b"".join(np.asarray(w).tobytes() for w in network.weights) + \
        b"".join(np.asarray(b).tobytes() for b in network.biases)


def unit_name(node_layer: int, unit: int, layer_sizes) -> str:
    """x₁ for inputs, a₁ (one hidden layer) or a⁽ˡ⁾₁ (deeper), ŷ for the output."""
    if node_layer == 0:
        return f"x{subscript(unit + 1)}"
    if node_layer == len(layer_sizes) - 1:
        return "ŷ"
    if len(layer_sizes) == 3:
        return f"a{subscript(unit + 1)}"
    return f"a⁽{superscript(node_layer)}⁾{subscript(unit + 1)}"


class _Tag(QGraphicsPathItem):
    """A line of text on a small rounded box, centred on its position."""

    def __init__(self, font: QFont, pad: float, parent=None, anchor_top: bool = False):
        super().__init__(parent)
        self._text = QGraphicsSimpleTextItem(self)
        self._text.setFont(font)
        self._pad = pad
        self._anchor_top = anchor_top     # grow downwards (bias tags under a unit)
        self._current = None
        self.lit_state = None      # what the diagram's _light last applied
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


class _Node:
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


class _Edge:
    """One weight: a line from unit i to unit j, its glow, and its number tag."""

    def __init__(self, scene, start: QPointF, end: QPointF):
        self.start, self.end = start, end
        self.line = QGraphicsLineItem(start.x(), start.y(), end.x(), end.y())
        self.line.setZValue(1)
        scene.addItem(self.line)
        self.glow = QGraphicsLineItem(start.x(), start.y(), end.x(), end.y(), self.line)
        self.glow.setFlag(QGraphicsItem.GraphicsItemFlag.ItemStacksBehindParent)
        self.glow.setVisible(False)
        self.label = None          # _Tag, made by the layout
        self.label_fits = False    # whether the number has a clear spot of its own
        self.name = ""
        self.value_text = ""
        self.style_key = None
        self.lit_state = None      # what _light last applied

    def point_at(self, fraction: float) -> QPointF:
        return self.start + (self.end - self.start) * fraction


class NetworkDiagram(QGraphicsView):
    """Nodes, weighted edges, biases and the loss; lights the current micro-step."""

    def __init__(self, theme, parent=None):
        super().__init__(parent)
        self.setObjectName("networkDiagram")
        self._theme = theme
        self._scene = QGraphicsScene(self)
        # A small scene whose tags change size every step: a BSP index would be
        # rebuilt more often than it is queried.
        self._scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.setScene(self._scene)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing
                            | QPainter.RenderHint.SmoothPixmapTransform)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMinimumSize(240, 160)
        self._network = None
        self._input_labels: tuple[str, ...] = ()
        self._x = None
        self._shape: tuple[int, ...] | None = None
        self._refs: dict = {}
        self._nodes: dict[str, _Node] = {}
        self._edges: dict[str, _Edge] = {}
        self._biases: dict[str, _Tag] = {}
        self._captions: list = []
        self._step = None
        self._highlighted: set[str] = set()
        self._room = (0, 0)
        self._compact = False
        self._bias_texts: dict[str, str] = {}
        self._tag_digits = 1             # integer digits the tags were laid out for
        self._heatmaps_visible = False
        self._heat_extent = (4.0, 4.0)
        self._heat_cache = HeatmapCache()
        self._layout_rect = QRectF()
        self._parameters_key = None      # weights whose pens and texts are shown
        self._values_key = None          # (weights, x) of the cached unit values
        self._values = None
        self._applied = None             # (record, weights, x) last drawn
        theme.changed.connect(self._on_theme_changed)

    # ----------------------------------------------------------------- public API
    def set_network(self, network, input_labels, x=None) -> None:
        """Show ``network``'s weights; ``x`` is the example whose values fill the
        nodes.  Rebuilds the scene only when the shape (or vocabulary) changes."""
        new_network = network is not self._network
        self._network = network
        self._x = None if x is None else np.asarray(x, dtype=float).ravel()
        shape = tuple(int(n) for n in network.layer_sizes)
        labels = tuple(str(w) for w in input_labels)
        # A fresh network (reset, new seed) may have smaller numbers than the tags
        # were laid out for: lay them out again (a trained one only ever grows them).
        if shape != self._shape or labels != self._input_labels or (
                new_network and _tag_digits(network) != self._tag_digits):
            self._input_labels = labels
            self._rebuild(shape)
        self._update_parameters()
        self._apply_step()
        self._update_heatmaps()

    def show_step(self, step) -> None:
        """Highlight what ``step`` (a walk record, or None for "at rest") is about;
        a record that does not fit the network's shape shows nothing."""
        self._step = step
        if self._network is not None:
            self._apply_step()

    def highlighted_items(self) -> set[str]:
        return set(self._highlighted)

    def edge_style(self, layer: int, i: int, j: int) -> tuple[str, float, bool]:
        """(colour name, pen width in scene units, dashed) of ``weights[layer][i, j]``."""
        pen = self._edges[f"edge:{layer}:{i}:{j}"].line.pen()
        return pen.color().name(), pen.widthF(), pen.style() != Qt.PenStyle.SolidLine

    def edge_label(self, layer: int, i: int, j: int) -> str | None:
        """The text on the edge, or None when the number is hidden (too many edges)."""
        tag = self._edges[f"edge:{layer}:{i}:{j}"].label
        return tag.text() if tag.isVisible() else None

    def bias_label(self, layer: int, j: int) -> str:
        return self._biases[f"bias:{layer}:{j}"].text()

    def node_text(self, node_layer: int, unit: int) -> tuple[str, str]:
        """(name, value) written inside a unit."""
        node = self._nodes[f"node:{node_layer}:{unit}"]
        return node.name.text(), node.value.text()

    def loss_text(self) -> str:
        return self._nodes["loss"].value.text()

    def callout_text(self) -> str:
        """The highlighted tag: z and a (forward), L (loss), ∂L/∂p (backward)."""
        return self._callout.text() if self._callout.isVisible() else ""

    def set_heatmaps_visible(self, visible: bool) -> None:
        self._heatmaps_visible = bool(visible)
        self._update_heatmaps()

    def heatmaps_shown(self) -> bool:
        return any(node.heat.isVisible() for node in self._nodes.values())

    def set_heatmap_extent(self, x_max: float, y_max: float) -> None:
        self._heat_extent = (max(float(x_max), 1e-6), max(float(y_max), 1e-6))
        self._update_heatmaps()

    # ------------------------------------------------------------------- layout
    def _fonts(self) -> dict[str, QFont]:
        s = self._theme.scale

        def font(px, bold=False, italic=False):
            f = QFont()
            f.setPixelSize(max(1, round(px * s)))
            f.setBold(bold)
            f.setItalic(italic)
            return f

        return {"name": font(21, italic=True), "value": font(13), "label": font(13),
                "caption": font(15, italic=True), "header": font(13, bold=True),
                "callout": font(15, bold=True)}

    def _parameter_refs(self, network) -> dict:
        return {(ref.layer, ref.row, ref.col): ref
                for ref in (network.parameter_ref(name) for name in network.parameter_names())}

    def _unit_name(self, k: int, j: int, shape) -> str:
        symbol = getattr(self._network, "unit_symbol", None)   # the core's notation
        return symbol(k, j)[0] if symbol is not None else unit_name(k, j, shape)

    def _metrics(self, shape, compact: bool = False) -> dict:
        """Sizes in scene units.  Text is laid out at its themed size and the gaps
        between layers and units grow to use the widget (up to 1.5× what the
        numbers need), so presentation scale really makes the text bigger on
        screen instead of being undone by fitting the scene into the view.
        ``compact`` edge numbers leave out the weight's name (shown when lit)."""
        s = self._theme.scale
        fonts = self._fonts()
        label_metrics = QFontMetricsF(fonts["label"])
        pad = 4 * s
        radius = 30 * s     # a 4-digit value fits under the unit's name
        def widest_of(texts):
            return max((label_metrics.horizontalAdvance(t) for t in texts), default=60 * s)

        # The widest number a tag may show: as many integer digits as the largest
        # parameter (the layout is redone when a parameter outgrows it).
        number = "−" + "0" * self._tag_digits + "." + "0" * EDGE_DECIMALS
        if compact:
            widest = widest_of([number, f"→ {number}"]) + 2 * pad
        else:
            widest = widest_of([f"{r.label} = {number}" for r in self._refs.values()
                                if not r.is_bias] + [f"{number} → {number}"]) + 2 * pad
        bias_width = widest_of([f"{r.label} = {number}" for r in self._refs.values()
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
        width, height = max(self.width(), 100), max(self.height(), 80)
        m["room_layer_gap"] = (width - m["left"] - m["right"]) / (len(shape) - 0.5)
        m["room_unit_gap"] = ((height - m["above"] - m["below"]) / (most_units - 1)
                              if most_units > 1 else m["min_unit_gap"])
        return m

    def _unit_gap(self, m) -> float:
        return min(max(m["room_unit_gap"], m["min_unit_gap"]), 1.5 * m["min_unit_gap"])

    def _geometry(self, shape, m, layer_gap, unit_gap):
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
            word = self._input_labels[j] if j < len(self._input_labels) else ""
            w = caption_metrics.horizontalAdvance(f"“{word}”")
            obstacles.append(QRectF(c.x() - w / 2, c.y() + radius + 3 * s, w,
                                    caption_metrics.height()))
        for k in range(1, len(shape)):
            for j in range(shape[k]):
                c = centers[f"node:{k}:{j}"]
                obstacles.append(QRectF(c.x() - m["bias_width"] / 2, c.y() + radius + 3 * s,
                                        m["bias_width"], m["label_height"]))
        return centers, obstacles

    def _label_spots(self, shape, centers, obstacles, m):
        """A spot on each edge for its number that overlaps nothing, per layer.

        Neighbouring edges alternate between 30 % and 70 % along their length, then
        try other fractions; a layer whose numbers do not all fit gets None (its
        numbers show only when lit), so a dense layer never turns into a smudge."""
        widest, height = m["widest"], m["label_height"]
        placed = list(obstacles)
        spots_by_layer = []
        for layer in range(len(shape) - 1):
            if shape[layer] * shape[layer + 1] > 16:
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

    def _search_gap(self, shape, m):
        """The narrowest layer gap at which every (not too dense) layer's numbers
        fit: (fitted layers, gap, centres, obstacles, spots)."""
        unit_gap = self._unit_gap(m)
        room = m["room_layer_gap"]
        tries = sorted({max(room, m["min_layer_gap"])}
                       | {m["min_layer_gap"] * f for f in (1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.4)})
        wanted = sum(1 for k in range(len(shape) - 1) if shape[k] * shape[k + 1] <= 16)
        best = None
        for gap in tries:
            centers, obstacles = self._geometry(shape, m, gap, unit_gap)
            spots = self._label_spots(shape, centers, obstacles, m)
            fitted = sum(1 for layer in spots if layer is not None)
            if best is None or fitted > best[0]:
                best = (fitted, gap, centers, obstacles, spots)
            if fitted == wanted:
                break
        return best

    def _choose_layout(self, shape):
        """Named numbers ("w₁₁ = 0.35") if they fit in the widget at the themed
        text size, else bare numbers if those do, else whichever is smaller; then
        spread out a little to use the room the widget offers."""
        full = self._metrics(shape)
        found = self._search_gap(shape, full)
        m = full
        if found[1] > full["room_layer_gap"] + 1:
            compact = self._metrics(shape, compact=True)
            other = self._search_gap(shape, compact)
            if other[0] >= found[0] and other[1] < found[1]:
                m, found = compact, other
        fitted, gap, centers, obstacles, spots = found
        unit_gap = self._unit_gap(m)
        room = m["room_layer_gap"]
        if gap < room:
            wider = min(room, 1.5 * gap)
            centers2, obstacles2 = self._geometry(shape, m, wider, unit_gap)
            spots2 = self._label_spots(shape, centers2, obstacles2, m)
            if sum(1 for layer in spots2 if layer is not None) >= fitted:
                gap, centers, obstacles, spots = wider, centers2, obstacles2, spots2
        return m, gap, unit_gap, centers, obstacles, spots

    def _rebuild(self, shape: tuple[int, ...]) -> None:
        self._scene.clear()
        self._nodes.clear()
        self._edges.clear()
        self._biases.clear()
        self._bias_texts.clear()
        self._parameters_key = None      # new items: pens and texts to set
        self._applied = None
        self._highlighted = set()
        self._shape = shape
        self._refs = self._parameter_refs(self._network)
        self._tag_digits = _tag_digits(self._network)
        m, layer_gap, unit_gap, centers, obstacles, spots = self._choose_layout(shape)
        self._compact = m["compact"]
        self._room = (max(self.width(), 1), max(self.height(), 1))
        s, pad, radius = m["s"], m["pad"], m["radius"]
        fonts = m["fonts"]

        for key, center in centers.items():
            if key == "loss":
                continue
            k, j = (int(n) for n in key.split(":")[1:])
            self._nodes[key] = _Node(self._scene, key, center, radius,
                                     self._unit_name(k, j, shape), fonts)
        self._nodes["loss"] = _Node(self._scene, "loss", centers["loss"], radius, "L", fonts,
                                    square=True)
        output = self._nodes[f"node:{len(shape) - 1}:0"]
        self._loss_edge = _Edge(self._scene, output.center, self._nodes["loss"].center)

        for layer in range(len(shape) - 1):
            for i in range(shape[layer]):
                for j in range(shape[layer + 1]):
                    edge = _Edge(self._scene, centers[f"node:{layer}:{i}"],
                                 centers[f"node:{layer + 1}:{j}"])
                    edge.label = _Tag(fonts["label"], pad)
                    edge.label.setZValue(5)
                    edge.label_fits = spots[layer] is not None
                    edge.label.setPos(spots[layer][(i, j)][0] if edge.label_fits
                                      else edge.point_at(0.5))
                    edge.label.setVisible(edge.label_fits)
                    self._scene.addItem(edge.label)
                    self._edges[f"edge:{layer}:{i}:{j}"] = edge

        # Under each unit: its word (inputs) or its bias.
        self._captions = []
        for j in range(shape[0]):
            node = self._nodes[f"node:0:{j}"]
            word = self._input_labels[j] if j < len(self._input_labels) else ""
            caption = QGraphicsSimpleTextItem(f"“{word}”")
            caption.setFont(fonts["caption"])
            r = caption.boundingRect()
            caption.setPos(node.center.x() - r.width() / 2, node.center.y() + radius + 3 * s)
            caption.setZValue(4)
            self._scene.addItem(caption)
            self._captions.append(caption)
        for layer in range(len(shape) - 1):
            for j in range(shape[layer + 1]):
                node = self._nodes[f"node:{layer + 1}:{j}"]
                tag = _Tag(fonts["label"], pad, anchor_top=True)
                tag.setZValue(4)
                tag.setPos(node.center.x(), node.center.y() + radius + 3 * s)
                self._scene.addItem(tag)
                self._biases[f"bias:{layer}:{j}"] = tag

        # What a callout must not cover: units, captions, biases and the shown numbers.
        self._obstacles = obstacles + [rect for layer in spots if layer is not None
                                       for _, rect in layer.values()]

        headers = ["Input"] + [f"Hidden {k}" if len(shape) > 3 else "Hidden"
                               for k in range(1, len(shape) - 1)] + ["Output", "Loss"]
        most_units = max(shape)
        top = -((most_units - 1) / 2) * unit_gap - m["above"]
        column_x = [k * layer_gap for k in range(len(shape))] + [centers["loss"].x()]
        self._headers = []
        for text, x in zip(headers, column_x):
            header = QGraphicsSimpleTextItem(text)
            header.setFont(fonts["header"])
            r = header.boundingRect()
            header.setPos(x - r.width() / 2, top)
            self._scene.addItem(header)
            self._headers.append(header)

        self._callout = _Tag(fonts["callout"], 6 * s)
        self._callout.setZValue(10)
        self._callout.setVisible(False)
        self._scene.addItem(self._callout)

        bottom = ((most_units - 1) / 2) * unit_gap + m["below"]
        left, right = -m["left"], centers["loss"].x() + m["right"]
        self._layout_rect = QRectF(left, top, right - left, bottom - top)
        self._scene.setSceneRect(self._layout_rect)
        self._restyle()
        self._fit()

    def _node_rect(self, node: _Node, margin: float) -> QRectF:
        r = node.radius + margin
        return QRectF(node.center.x() - r, node.center.y() - r, 2 * r, 2 * r)

    def _fit(self) -> None:
        if not self._layout_rect.isEmpty():
            self.fitInView(self._layout_rect, Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._network is not None:
            w0, h0 = self._room
            if abs(self.width() - w0) > 0.03 * w0 or abs(self.height() - h0) > 0.03 * h0:
                self._relayout()     # the gaps follow the widget's size
                return
        self._fit()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fit()

    # -------------------------------------------------------------- restyling
    def _on_theme_changed(self) -> None:
        if self._network is None:
            self.setBackgroundBrush(QColor(self._theme.palette.background))
            return
        self._relayout()

    def _relayout(self) -> None:
        self._rebuild(self._shape)
        self._update_parameters()
        self._apply_step()
        self._update_heatmaps()

    def _restyle(self) -> None:
        """Colours and pens that do not depend on the weights."""
        pal = self._theme.palette
        s = self._theme.scale
        self.setBackgroundBrush(QColor(pal.background))
        fg, muted = QColor(pal.foreground), QColor(pal.muted)
        glow = QColor(pal.highlight)
        glow.setAlpha(110)
        for node in self._nodes.values():
            node.name.setBrush(fg)
            node.value.setBrush(fg)
            node.glow.setBrush(glow)
            node.body.setBrush(QColor(pal.background))
        for caption in self._captions:
            caption.setBrush(muted)
        for header in getattr(self, "_headers", []):
            header.setBrush(muted)
        self._loss_edge.line.setPen(QPen(muted, 2 * s))
        self._loss_edge.glow.setPen(self._glow_pen(2 * s))
        for tag in self._biases.values():
            tag.set_style(self._tag_fill(), QPen(QColor(pal.grid), 1 * s), fg)
        if self._nodes:
            self._callout.set_style(QColor(pal.background), QPen(QColor(pal.highlight), 3 * s), fg)
        for node in self._nodes.values():
            node.state = None
            self._style_node(node, False)

    def _tag_fill(self) -> QColor:
        fill = QColor(self._theme.palette.background)
        fill.setAlpha(235)
        return fill

    def _glow_pen(self, width: float) -> QPen:
        glow = QColor(self._theme.palette.highlight)
        glow.setAlpha(150)
        pen = QPen(glow, width + 9 * self._theme.scale)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        return pen

    def _faded(self, colour: str) -> QColor:
        """``colour`` most of the way to the background: dimmed but still opaque, so
        a dimmed node still hides the edges that run into it."""
        a, b = QColor(colour), QColor(self._theme.palette.background)
        t = 1.0 - DIM_OPACITY - 0.1
        return QColor(round(a.red() + (b.red() - a.red()) * t),
                      round(a.green() + (b.green() - a.green()) * t),
                      round(a.blue() + (b.blue() - a.blue()) * t))

    def _style_node(self, node: _Node, lit: bool, dim: bool = False) -> None:
        state = (lit, dim)
        if getattr(node, "state", None) == state:
            return
        node.state = state
        pal = self._theme.palette
        s = self._theme.scale
        text = self._faded(pal.foreground) if dim else QColor(pal.foreground)
        outline = QColor(pal.highlight) if lit else text
        node.body.setPen(QPen(outline, (4.0 if lit else 1.6) * s))
        node.name.setBrush(text)
        node.value.setBrush(text)
        node.heat.setOpacity(0.45 if dim else 1.0)
        node.glow.setVisible(lit)

    def _edge_pen(self, weight: float) -> tuple[QPen, tuple]:
        """Colour by sign (dashed when negative), width growing with |w|."""
        pal = self._theme.palette
        negative = weight < 0
        width = self._theme.pen_width(0.8 + 5.0 * math.tanh(abs(weight) / 1.5))
        key = (negative, round(width, 2))
        pen = QPen(QColor(pal.negative if negative else pal.positive), width)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        if negative:
            pen.setStyle(Qt.PenStyle.CustomDashLine)
            pen.setDashPattern([3.0, 2.0])
        return pen, key

    # ------------------------------------------------------- per-step updates
    def _update_parameters(self) -> None:
        network = self._network
        key = _signature(network)
        if key == self._parameters_key:     # most micro-steps leave the weights alone
            return
        if _tag_digits(network) > self._tag_digits:
            self._relayout()     # a parameter outgrew its tag's room (rare: 9.99 → 10.01)
            return
        self._parameters_key = key
        pal = self._theme.palette
        s = self._theme.scale
        fill = self._tag_fill()
        fg = QColor(pal.foreground)
        for layer, weights in enumerate(network.weights):
            weights = np.asarray(weights)
            rows, cols = weights.shape
            for i in range(rows):
                for j in range(cols):
                    edge = self._edges[f"edge:{layer}:{i}:{j}"]
                    w = float(weights[i, j])
                    pen, key = self._edge_pen(w)
                    if key != edge.style_key:
                        edge.style_key = key
                        edge.line.setPen(pen)
                        edge.glow.setPen(self._glow_pen(pen.widthF()))
                        edge.label.set_style(fill, QPen(pen.color(), 1.4 * s), fg)
                    edge.name = self._refs[(layer, i, j)].label
                    edge.value_text = _weight_text(w)
            biases = np.asarray(network.biases[layer]).ravel()
            for j, b in enumerate(biases):
                ref = self._refs[(layer, None, j)]
                self._bias_texts[f"bias:{layer}:{j}"] = f"{ref.label} = {_weight_text(b)}"

    def _unit_values(self) -> list[np.ndarray] | None:
        if self._x is None or self._x.size != self._shape[0]:
            return None
        key = (self._parameters_key, self._x.tobytes())
        if key != self._values_key:
            self._values_key = key
            self._values = [np.asarray(a, dtype=float).ravel()
                            for a in self._network.forward(self._x[None, :]).activations]
        return self._values

    def _fits(self, step, lit: set[str]) -> bool:
        """Whether ``step``'s items all exist: a record of another shape (say, the
        current step when a vocabulary change is undone) must not be drawn."""
        known = lit <= (self._nodes.keys() | self._edges.keys() | self._biases.keys()
                        | {"loss_edge"})
        if getattr(step, "kind", None) == "forward":
            known = known and 0 <= step.layer < len(self._shape) - 1 and \
                len(step.inputs) == self._shape[step.layer]
        if getattr(step, "kind", None) == "update":
            keys = {self._ref_key(ref) for ref, *_ in step.changes}
            known = known and keys <= (self._edges.keys() | self._biases.keys())
        return known

    def _apply_step(self) -> None:
        step = self._step
        x = None if self._x is None else self._x.tobytes()
        applied = self._applied
        if applied is not None and applied[0] is step and applied[1:] == (self._parameters_key, x):
            return            # the tab's set_network then show_step of an unchanged step
        self._applied = (step, self._parameters_key, x)
        kind = getattr(step, "kind", None)
        values = self._unit_values()
        lit: set[str] = set()
        callout = None
        glowing = True
        known_until = (len(self._shape), 0)     # (node layer, unit): values before it shown
        loss_value = None
        if kind == "forward":
            k = step.layer + 1
            lit.add(f"node:{k}:{step.unit}")
            lit.add(f"bias:{step.layer}:{step.unit}")
            lit.update(f"edge:{step.layer}:{i}:{step.unit}" for i in range(len(step.inputs)))
            known_until = (k, step.unit)
            callout = (f"node:{k}:{step.unit}",
                       f"{step.z_label} = {format_number(step.z)}   "
                       f"{step.unit_label} = {format_number(step.a)}")
        elif kind == "loss":
            lit.update({f"node:{len(self._shape) - 1}:0", "loss_edge", "loss"})
            loss_value = step.loss
            callout = ("loss", f"L = {format_number(step.loss)}")
        elif kind == "backward":
            ref = step.parameter
            lit.update({"loss", "loss_edge"})
            lit.update(f"node:{layer + 1}:{unit}" for layer, unit in step.chain_nodes)
            lit.update(self._ref_key(edge) for edge in step.chain_edges)
            lit.add(self._ref_key(ref))
            if not ref.is_bias:
                lit.add(f"node:{ref.layer}:{ref.row}")
            lit.add(f"node:{ref.layer + 1}:{ref.col}")
            callout = (self._ref_key(ref),
                       f"∂L/∂{ref.label} = {format_number(step.gradient)}")
        elif kind == "update":
            lit.update(self._edges)
            lit.update(self._biases)
            glowing = False
        if kind is not None and not self._fits(step, lit):
            self._step = None
            self._apply_step()
            return
        self._show_values(values, known_until, step if kind == "forward" else None)
        self._set_node_value(self._nodes["loss"], loss_value)
        self._show_update(step if kind == "update" else None)
        self._light(lit, glowing)
        self._place_callout(callout)

    @staticmethod
    def _ref_key(ref) -> str:
        if ref.is_bias:
            return f"bias:{ref.layer}:{ref.col}"
        return f"edge:{ref.layer}:{ref.row}:{ref.col}"

    def _show_values(self, values, known_until, forward) -> None:
        for k, count in enumerate(self._shape):
            for j in range(count):
                node = self._nodes[f"node:{k}:{j}"]
                value = None
                if forward is not None and (k, j) == known_until:
                    value = forward.a
                elif values is not None and (k, j) < known_until:
                    value = values[k][j]
                self._set_node_value(node, value)

    @staticmethod
    def _set_node_value(node: _Node, value) -> None:
        """The short text inside the disc; the value in full in its tooltip."""
        if value is None:
            node.set_value("", "")
            return
        name = node.name.text()
        node.set_value(node_value_text(value),
                       f"{name} = {format_number(value, digits=TOOLTIP_DIGITS)}")

    def _show_update(self, update) -> None:
        for key, text in self._bias_texts.items():
            self._biases[key].set_text(text)
        for edge in self._edges.values():
            # Compact numbers stay compact when lit: a wider tag would cover a unit.
            edge.label.set_text(edge.value_text if self._compact
                                else f"{edge.name} = {edge.value_text}")
        if update is None:
            return
        for ref, old, _gradient, new in update.changes:
            if ref.is_bias:   # room below a unit: name, old and new on two lines
                self._biases[self._ref_key(ref)].set_text(
                    f"{ref.label} = {_weight_text(old)}\n→ {_weight_text(new)}")
            else:             # the edge's name was on this spot a step ago
                self._edges[self._ref_key(ref)].label.set_text(
                    f"→ {_weight_text(new)}" if self._compact
                    else f"{_weight_text(old)} → {_weight_text(new)}")

    def _light(self, lit: set[str], glowing: bool) -> None:
        """Glow and thicken what is lit, dim the rest; touch only what changed."""
        pal = self._theme.palette
        s = self._theme.scale
        any_lit = bool(lit)
        for key, node in self._nodes.items():
            on = key in lit
            self._style_node(node, on and glowing, any_lit and not on)
        for key, edge in self._edges.items():
            on = key in lit
            state = (on, any_lit, glowing, edge.style_key)
            if state == edge.lit_state:
                continue
            edge.lit_state = state
            edge.glow.setVisible(on and glowing)
            edge.line.setOpacity(1.0 if on or not any_lit else DIM_OPACITY)
            edge.label.setVisible(edge.label_fits or (on and glowing))
            edge.label.setOpacity(1.0 if on or not any_lit else DIM_OPACITY + 0.2)
            border = pal.highlight if on and any_lit else edge.line.pen().color().name()
            edge.label.setPen(QPen(QColor(border), (3.0 if on and any_lit else 1.4) * s))
        for key, tag in self._biases.items():
            on = key in lit
            state = (on, any_lit)
            if state == tag.lit_state:
                continue
            tag.lit_state = state
            tag.setOpacity(1.0 if on or not any_lit else DIM_OPACITY + 0.2)
            tag.setPen(QPen(QColor(pal.highlight if on and any_lit else pal.grid),
                            (3.0 if on and any_lit else 1.0) * s))
        on = "loss_edge" in lit
        self._loss_edge.glow.setVisible(on and glowing)
        self._loss_edge.line.setOpacity(1.0 if on or not any_lit else DIM_OPACITY)
        for item in self._captions:
            item.setOpacity(1.0 if not any_lit else DIM_OPACITY + 0.3)
        self._highlighted = lit

    def _place_callout(self, callout) -> None:
        """Put the step's tag next to what it is about, on the first clear spot."""
        if callout is None:
            self._callout.setVisible(False)
            return
        key, text = callout
        self._callout.set_text(text)
        box = self._callout.path().boundingRect()
        w, h = box.width(), box.height()
        gap = 4 * self._theme.scale
        if key in self._nodes:
            node = self._nodes[key]
            c, r = node.center, node.radius
            candidates = [QPointF(c.x(), c.y() - r - h / 2 - gap),
                          QPointF(c.x() + r + w / 2 + gap, c.y() - r),
                          QPointF(c.x() - r - w / 2 - gap, c.y() - r),
                          QPointF(c.x() + r + w / 2 + gap, c.y() + r),
                          QPointF(c.x() - r - w / 2 - gap, c.y() + r),
                          QPointF(c.x(), c.y() + r + 1.5 * h + gap)]
        elif key in self._biases:
            tag = self._biases[key].pos()
            candidates = [tag + QPointF(0, h + gap),
                          tag + QPointF(w / 2 + 2 * gap + self._nodes_radius(), 0),
                          tag - QPointF(w / 2 + 2 * gap + self._nodes_radius(), 0)]
        else:
            edge = self._edges[key]
            label = edge.label.pos()
            candidates = [label - QPointF(0, h + gap), label + QPointF(0, h + gap)]
            candidates += [edge.point_at(f) - QPointF(0, h) for f in (0.5, 0.35, 0.65)]
            candidates += [edge.point_at(f) + QPointF(0, h) for f in (0.5, 0.35, 0.65)]
        chosen, least = candidates[0], math.inf
        for p in candidates:       # the first clear spot, else the least covered one
            rect = QRectF(p.x() - w / 2, p.y() - h / 2, w, h)
            covered = 0.0
            for o in self._obstacles:
                if rect.intersects(o):
                    cut = rect.intersected(o)
                    covered += cut.width() * cut.height()
            if covered < least:
                chosen, least = p, covered
            if covered == 0.0:
                break
        self._callout.setPos(chosen)
        self._callout.setVisible(True)

    def _nodes_radius(self) -> float:
        return next(iter(self._nodes.values())).radius

    # ---------------------------------------------------------------- heat-maps
    def _update_heatmaps(self) -> None:
        if self._network is None:
            return
        show = self._heatmaps_visible and self._shape[0] == 2 and len(self._shape) > 2
        first_hidden = [self._nodes[f"node:1:{j}"] for j in range(self._shape[1])]
        if not show:
            for node in first_hidden:
                node.heat.setVisible(False)
            return
        pal = self._theme.palette
        radius = first_hidden[0].radius
        size = max(8, int(round(2 * radius * 2)))   # 2× oversampled for zoomed views
        images = self._heat_cache.images(self._network, *self._heat_extent, size,
                                         pal.negative, pal.positive, pal.background)
        for node, image in zip(first_hidden, images):
            pixmap = QPixmap.fromImage(image)
            node.heat.setPixmap(pixmap)
            node.heat.setScale(2 * radius / size)
            node.heat.setPos(node.center.x() - radius, node.center.y() - radius)
            node.heat.setVisible(True)
