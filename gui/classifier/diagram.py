"""The network diagram: x₁, x₂ → a₁, a₂ → ŷ → L, with every weight on its edge.

A ``QGraphicsView`` on a scene that is laid out once per network shape and then
updated in place on every micro-step (pens, texts, opacities only), so playing the
walk stays cheap.  ``show_step`` lights what the current record is about
(``diagram_highlight``); where things go is ``diagram_layout``, the items are
``diagram_items``, their pens ``diagram_style`` and their texts ``diagram_text``.

Item names, used by ``highlighted_items`` and the tests:
``node:<k>:<j>`` unit j of node layer k (0 = inputs, k = weight layer + 1),
``edge:<l>:<i>:<j>`` the weight ``weights[l][i, j]``, ``bias:<l>:<j>``,
``loss`` the L node and ``loss_edge`` the ŷ → L line.

Numbers: ``core.notation.format_number`` with the role of each quantity, so every
unit value, weight, bias, L and ∂L/∂p reads exactly as in the chain-rule panel
(and ŷ as in the sentence table); a unit's tooltip holds its value in full.

Colour: what a step lights takes its kind's colour (forward, backward, update:
``Palette.stage_colour``, as the chain panel's heading); the rest recedes to
faded colours that keep 4.5:1 (text) and 3:1 (lines) against the background.
From the loss step on, the L node shows the example's target y beneath it.
Reuse: a backward step rings (dashed, in the backward colour) each unit whose δ =
∂L/∂z it reuses from an earlier step, with a tag naming it (``∂L/∂z reused``).

Size: everything is drawn at the theme's scale and the layout is chosen to fit
the widget with as little shrinking as possible (``diagram_layout``); the weight
names are never dropped, and ``sizeHint`` asks for the room the picture wants.

Cost of a step: pens, colours and texts are set only on items whose state
changed; the scene keeps no BSP index (a few dozen items whose tags change size
every step) and the view repaints the bounding rectangle of what changed.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsEllipseItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
)

from core.notation import NumberRole, format_number
from core.records import BackwardStep, ForwardStep, LossStep, Step, UpdateStep
from gui.classifier.diagram_highlight import step_fits, step_light
from gui.classifier.diagram_items import NODE_TEXT_FILL, Edge, Node, Tag
from gui.classifier.diagram_layout import (
    LABEL_FRACTIONS,
    caption_text,
    choose_layouts,
    clear_spot,
    column_headers,
    natural_size,
    target_text,
)
from gui.classifier.diagram_style import (
    edge_pen,
    faded_colours,
    glow_pen,
    rest_border,
    style_node,
    tag_fill,
)
from gui.classifier.diagram_text import ref_key, tag_digits
from gui.classifier.heatmap import HeatmapCache

__all__ = ["LABEL_FRACTIONS", "NODE_TEXT_FILL", "NetworkDiagram"]

VALUE = NumberRole.VALUE


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
        self._nodes: dict[str, Node] = {}
        self._edges: dict[str, Edge] = {}
        self._biases: dict[str, Tag] = {}
        self._captions: list = []
        self._headers: list = []
        self._loss_edge: Edge | None = None
        self._callout: Tag | None = None
        self._rings: dict[str, QGraphicsEllipseItem] = {}   # unit → its reuse ring
        self._reuse_tags: list[Tag] = []                    # a pool, one per named δ
        self._reuse_shown: tuple = ()
        self._obstacles: list[QRectF] = []   # what a callout must not cover
        self._step = None
        self._highlighted: set[str] = set()
        self._room = (0, 0)
        # a window's relayout resizes the view several times in one go (a scale
        # change, F5, the splitters): the picture is fitted at once, and re-laid out
        # for its new room once, when the resizing is over
        self._relayout_timer = QTimer(self)
        self._relayout_timer.setSingleShot(True)
        self._relayout_timer.setInterval(0)
        self._relayout_timer.timeout.connect(self._relayout_if_resized)
        self._natural = QSize(0, 0)      # the scene's size at zoom 1, in pixels
        self._zoom = 1.0
        self._target_tag: Tag | None = None
        self._remembered: tuple = (None, None)   # (y, L) of the walked example, once seen
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
        # predict mode (gui.predict_controller): question keys still to be answered
        # (core.predict: "z:1:0", "a:1:0", "loss", "gradient") draw "?" in their
        # value's place, and the units' values of a pass not yet begun are blank
        self._hidden: frozenset[str] = frozenset()
        self._predicting = False
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
                new_network and tag_digits(network) != self._tag_digits):
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

    def set_hidden(self, keys, predicting: bool = True) -> None:
        """Predict mode: draw "?" for the values named by ``keys`` (``core.predict``
        question keys); while ``predicting``, at rest and at the update no unit shows
        a value the coming forward pass has not computed yet."""
        keys, predicting = frozenset(keys), bool(predicting)
        if (keys, predicting) == (self._hidden, self._predicting):
            return
        self._hidden, self._predicting = keys, predicting
        if self._network is not None:
            self._apply_step()

    def hidden_keys(self) -> frozenset[str]:
        return self._hidden

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

    def target_label(self) -> str:
        """The tag under the L node ("y = 1"), or "" while it is hidden."""
        tag = self._target_tag
        return tag.text() if tag is not None and tag.isVisible() else ""

    def edge_arrow(self, layer: int, i: int, j: int) -> int:
        """Which way the arrowhead on ``weights[layer][i, j]`` points: 1 forward,
        −1 backward, 0 none."""
        return self._edges[f"edge:{layer}:{i}:{j}"].arrow_direction()

    def layout_zoom(self) -> float:
        """The view's scale: 1 when the picture is drawn at the theme's size."""
        return self.transform().m11()

    def sizeHint(self) -> QSize:
        """The room the picture wants at the theme's scale (the layout shrinks it
        to fit less, and never drops a weight's name)."""
        if self._natural.isEmpty():
            return super().sizeHint()
        return self._natural

    def reuse_marks(self) -> dict[str, str]:
        """Units ringed as holding a reused δ → their tag's text ("" for a ring alone)."""
        return {key: text for key, text in self._reuse_shown}

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
    def _unit_name(self, k: int, j: int) -> str:
        return self._network.unit_symbol(k, j)[0]        # the core's notation

    def _rebuild(self, shape: tuple[int, ...]) -> None:
        """Lay the scene out again for ``shape``: every item is made anew."""
        self._scene.clear()
        self._nodes.clear()
        self._edges.clear()
        self._biases.clear()
        self._bias_texts.clear()
        self._parameters_key = None      # new items: pens and texts to set
        self._applied = None
        self._highlighted = set()
        self._shape = shape
        network = self._network
        self._refs = {(ref.layer, ref.row, ref.col): ref
                      for ref in map(network.parameter_ref, network.parameter_names())}
        self._tag_digits = tag_digits(network)
        layout, natural_layout = choose_layouts(shape, self._theme.scale, self._refs,
                                                self._tag_digits, self._input_labels,
                                                (self.width(), self.height()))
        m, centers, spots = layout.metrics, layout.centers, layout.spots
        self._room = (max(self.width(), 1), max(self.height(), 1))
        natural_before = self._natural
        self._zoom = layout.zoom
        # what the picture wants at this width: the height that draws it full size
        natural = natural_size(natural_layout)
        self._natural = QSize(int(natural.width() + 0.999), int(natural.height() + 0.999))
        s, pad, radius = m["s"], m["pad"], m["radius"]
        fonts = m["fonts"]

        for key, center in centers.items():
            if key == "loss":
                continue
            k, j = (int(n) for n in key.split(":")[1:])
            self._nodes[key] = Node(self._scene, key, center, radius,
                                    self._unit_name(k, j), fonts)
        self._nodes["loss"] = Node(self._scene, "loss", centers["loss"], radius, "L", fonts,
                                   square=True)
        output = self._nodes[f"node:{len(shape) - 1}:0"]
        arrow = 14 * s
        self._loss_edge = Edge(self._scene, output.center, self._nodes["loss"].center,
                               radius, arrow)

        for layer in range(len(shape) - 1):
            for i in range(shape[layer]):
                for j in range(shape[layer + 1]):
                    edge = Edge(self._scene, centers[f"node:{layer}:{i}"],
                                centers[f"node:{layer + 1}:{j}"], radius, arrow)
                    edge.label = Tag(fonts["label"], pad)
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
            caption = QGraphicsSimpleTextItem(caption_text(self._input_labels, j))
            caption.setFont(fonts["caption"])
            r = caption.boundingRect()
            caption.setPos(node.center.x() - r.width() / 2, node.center.y() + radius + 3 * s)
            caption.setZValue(4)
            self._scene.addItem(caption)
            self._captions.append(caption)
        for layer in range(len(shape) - 1):
            for j in range(shape[layer + 1]):
                node = self._nodes[f"node:{layer + 1}:{j}"]
                tag = Tag(fonts["label"], pad, anchor_top=True)
                tag.setZValue(4)
                tag.setPos(node.center.x(), node.center.y() + radius + 3 * s)
                self._scene.addItem(tag)
                self._biases[f"bias:{layer}:{j}"] = tag
        loss = self._nodes["loss"]
        self._target_tag = Tag(fonts["label"], pad, anchor_top=True)
        self._target_tag.setZValue(4)
        self._target_tag.setPos(loss.center.x(), loss.center.y() + radius + 3 * s)
        self._target_tag.setVisible(False)
        self._scene.addItem(self._target_tag)

        # What a callout must not cover: units, captions, biases and the shown numbers.
        self._obstacles = layout.obstacles + [rect for spots_of_layer in spots
                                              if spots_of_layer is not None
                                              for _, rect in spots_of_layer.values()]

        top = layout.rect.top()
        column_x = [k * layout.layer_gap for k in range(len(shape))] + [centers["loss"].x()]
        self._headers = []
        for text, x in zip(column_headers(shape), column_x):
            header = QGraphicsSimpleTextItem(text)
            header.setFont(fonts["header"])
            r = header.boundingRect()
            header.setPos(x - r.width() / 2, top)
            self._scene.addItem(header)
            self._headers.append(header)
            self._obstacles.append(header.mapRectToScene(header.boundingRect()))

        self._callout = Tag(fonts["callout"], 6 * s)
        self._callout.setZValue(10)
        self._callout.setVisible(False)
        self._scene.addItem(self._callout)

        self._rings = {}
        self._reuse_tags = []
        self._reuse_shown = ()
        self._reuse_font = fonts["label"]
        self._reuse_pad = pad
        for key, node in self._nodes.items():
            if key == "loss" or key.startswith("node:0:"):
                continue
            grow = radius * 0.22
            c = node.center
            ring = QGraphicsEllipseItem(c.x() - radius - grow, c.y() - radius - grow,
                                        2 * (radius + grow), 2 * (radius + grow))
            ring.setZValue(2.5)
            ring.setVisible(False)
            self._scene.addItem(ring)
            self._rings[key] = ring

        self._layout_rect = QRectF(layout.rect)
        self._scene.setSceneRect(self._layout_rect)
        self._restyle()
        self._fit()
        if self._natural != natural_before:
            self.updateGeometry()     # the stage layout may give the picture its room

    def _fit(self) -> None:
        if not self._layout_rect.isEmpty():
            self.fitInView(self._layout_rect, Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()
        if self._network is not None and self._resized():
            self._relayout_timer.start()     # the gaps follow the widget's size

    def _resized(self) -> bool:
        w0, h0 = self._room
        return abs(self.width() - w0) > 0.03 * w0 or abs(self.height() - h0) > 0.03 * h0

    def _relayout_if_resized(self) -> None:
        if self._network is not None and self._resized():
            self._relayout()

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
        self._relayout_timer.stop()
        self._rebuild(self._shape)
        self._update_parameters()
        self._apply_step()
        self._update_heatmaps()

    def _restyle(self) -> None:
        """Colours and pens that do not depend on the weights or the step."""
        pal = self._theme.palette
        s = self._theme.scale
        self.setBackgroundBrush(QColor(pal.background))
        fg, muted = QColor(pal.foreground), QColor(pal.muted)
        for node in self._nodes.values():
            node.body.setBrush(QColor(pal.background))
            style_node(self._theme, node, None)
        for item in self._captions + self._headers:
            item.setBrush(muted)
        border = QPen(QColor(rest_border(pal)), 1 * s)
        for tag in self._biases.values():
            tag.set_style(tag_fill(pal), border, fg)
        self._target_tag.set_style(tag_fill(pal), border, fg)
        self._callout.set_style(QColor(pal.background), QPen(QColor(pal.highlight), 3 * s), fg)

    # ------------------------------------------------------- per-step updates
    def _update_parameters(self) -> None:
        network = self._network
        key = network.parameter_bytes()
        if key == self._parameters_key:     # most micro-steps leave the weights alone
            return
        if tag_digits(network) > self._tag_digits:
            self._relayout()     # a parameter outgrew its tag's room (rare: 9.99 → 10.01)
            return
        self._parameters_key = key
        for layer, weights in enumerate(network.weights):
            weights = np.asarray(weights)
            rows, cols = weights.shape
            for i in range(rows):
                for j in range(cols):
                    edge = self._edges[f"edge:{layer}:{i}:{j}"]
                    w = float(weights[i, j])
                    edge.weight = w
                    edge.name = self._refs[(layer, i, j)].label
                    edge.value_text = format_number(w, VALUE)
            biases = np.asarray(network.biases[layer]).ravel()
            for j, b in enumerate(biases):
                ref = self._refs[(layer, None, j)]
                self._bias_texts[f"bias:{layer}:{j}"] = f"{ref.label} = {format_number(b, VALUE)}"
        # the pens follow in _light, which knows whether each edge is lit or faded

    def _unit_values(self) -> list[np.ndarray] | None:
        if self._x is None or self._x.size != self._shape[0]:
            return None
        key = (self._parameters_key, self._x.tobytes())
        if key != self._values_key:
            self._values_key = key
            self._values = [np.asarray(a, dtype=float).ravel()
                            for a in self._network.forward(self._x[None, :]).activations]
        return self._values

    def _apply_step(self) -> None:
        step = self._step
        x = None if self._x is None else self._x.tobytes()
        applied = self._applied
        asked = (self._hidden, self._predicting)
        if applied is not None and applied[0] is step and \
                applied[1:] == (self._parameters_key, x, asked):
            return            # the tab's set_network then show_step of an unchanged step
        self._applied = (step, self._parameters_key, x, asked)
        light = step_light(step, self._shape, self._edges, self._biases)
        parameters = self._edges.keys() | self._biases.keys()
        items = parameters | self._nodes.keys() | {"loss_edge"}
        if isinstance(step, Step) and not step_fits(step, light.lit, self._shape, items, parameters):
            self._step = None
            self._apply_step()
            return
        known_until = light.known_until
        if self._predicting and light.stage in (None, "update"):
            known_until = (1, 0)     # the next pass's values are still to come: inputs only
        self._show_values(self._unit_values(), known_until,
                          step if isinstance(step, ForwardStep) else None)
        self._show_target(step, light)
        self._show_update(step if isinstance(step, UpdateStep) else None)
        self._light(light)
        reuse_boxes = self._show_reuse(light.reused)
        self._place_callout(self._asked_callout(step, light.callout), reuse_boxes)

    def _asked_callout(self, step, callout):
        """The step's tag with "?" for each value still to be predicted."""
        hidden = self._hidden
        if callout is None or not hidden:
            return callout
        key, text = callout
        match step:
            case ForwardStep():
                unit = f"{step.layer + 1}:{step.unit}"
                z = "?" if f"z:{unit}" in hidden else format_number(step.z, VALUE)
                a = "?" if f"a:{unit}" in hidden else format_number(step.a, VALUE)
                text = f"{step.z_label} = {z}   {step.unit_label} = {a}"
            case LossStep() if "loss" in hidden:
                text = "L = ?"
            case BackwardStep() if "gradient" in hidden:
                text = f"∂L/∂{step.parameter.label} = ?"
        return key, text

    def _show_target(self, step, light) -> None:
        """y under the L node and L in it, from the loss step until the update: the
        backward records carry y, the loss record L, the update neither (they are
        remembered from the records of the same pass)."""
        y, loss = self._remembered
        match light.stage:
            case "loss":
                y, loss = light.target, light.loss_value
            case "backward":
                y = light.target if light.target is not None else y
            case "update":
                pass
            case _:
                y, loss = None, None
        self._remembered = (y, loss)
        self._set_node_value(self._nodes["loss"],
                             "?" if loss is not None and "loss" in self._hidden else loss)
        tag = self._target_tag
        if y is None:
            tag.setVisible(False)
            return
        tag.set_text(target_text(y))
        pal = self._theme.palette
        on = light.stage == "loss"      # the step that compares ŷ with y
        tag.setPen(QPen(QColor(pal.stage_colour("loss") if on else rest_border(pal)),
                        (3.0 if on else 1.0) * self._theme.scale))
        tag.setVisible(True)

    def _show_values(self, values, known_until, forward) -> None:
        for k, count in enumerate(self._shape):
            for j in range(count):
                node = self._nodes[f"node:{k}:{j}"]
                value = None
                if forward is not None and (k, j) == known_until:
                    value = "?" if f"a:{k}:{j}" in self._hidden else forward.a
                elif values is not None and (k, j) < known_until:
                    value = values[k][j]
                self._set_node_value(node, value)

    @staticmethod
    def _set_node_value(node: Node, value) -> None:
        """The short text inside the disc; the value in full in its tooltip."""
        if value is None or isinstance(value, str):
            node.set_value(value or "", "")      # "?": a value still to be predicted
            return
        node.set_value(format_number(value, VALUE),
                       f"{node.name.text()} = {format_number(value, NumberRole.FULL)}")

    def _show_update(self, update) -> None:
        for key, text in self._bias_texts.items():
            self._biases[key].set_text(text)
        for edge in self._edges.values():
            edge.label.set_text(f"{edge.name} = {edge.value_text}")
        if update is None:
            return
        for ref, old, _gradient, new in update.changes:
            if ref.is_bias:   # room below a unit for the name too (ŷ's: two lines)
                joint = "\n" if ref.layer == len(self._shape) - 2 else " "
                self._biases[ref_key(ref)].set_text(f"{ref.label} = {format_number(old, VALUE)}"
                                                    f"{joint}→ {format_number(new, VALUE)}")
            else:             # keeps its name: "w₁₁ = 0.0889 → 0.0155" (issue 8 item 2)
                self._edges[ref_key(ref)].label.set_text(
                    f"{ref.label} = {format_number(old, VALUE)} → {format_number(new, VALUE)}")

    def _light(self, light) -> None:
        """Outline, halo and tag border in the stage's colour for what is lit, faded
        colours for the rest; touch only what changed."""
        lit, glowing = light.lit, light.glowing
        theme = self._theme
        pal = theme.palette
        faded = faded_colours(pal)
        s = theme.scale
        any_lit = bool(lit)
        colour = pal.stage_colour(light.stage) if light.stage else pal.highlight
        plain = light.plain
        for key, node in self._nodes.items():
            on = key in lit
            style_node(theme, node, colour if on and glowing else None,
                       any_lit and not on and key not in plain)
        fill, fg, dim_text = tag_fill(pal), QColor(pal.foreground), QColor(faded.text)
        for key, edge in self._edges.items():
            on = key in lit
            dim = any_lit and not on
            state = (on, any_lit, glowing, edge.weight, colour)
            if state == edge.lit_state:
                continue
            edge.lit_state = state
            pen, _ = edge_pen(theme, edge.weight, dim)
            edge.line.setPen(pen)
            edge.glow.setVisible(on and glowing)
            if on and glowing:
                edge.glow.setPen(glow_pen(theme, pen.widthF(), colour))
            edge.set_arrow(light.direction if on and glowing else 0, QColor(colour))
            edge.label.setVisible(edge.label_fits or (on and glowing))
            border = colour if on and any_lit else pen.color().name()
            edge.label.set_style(fill, QPen(QColor(border), (3.0 if on and any_lit else 1.4) * s),
                                 dim_text if dim else fg)
        border_at_rest = rest_border(pal)
        for key, tag in self._biases.items():
            on = key in lit
            state = (on, any_lit, colour)
            if state == tag.lit_state:
                continue
            tag.lit_state = state
            dim = any_lit and not on
            tag.set_style(fill, QPen(QColor(colour if on and any_lit else border_at_rest),
                                     (3.0 if on and any_lit else 1.0) * s),
                          dim_text if dim else fg)
        self._light_loss_edge("loss_edge" in lit, any_lit, glowing, colour, light.direction)
        inputs_plain = any(key.startswith("node:0:") for key in plain | lit)
        muted = QColor(faded.muted_text if any_lit and not inputs_plain else pal.muted)
        for item in self._captions:
            item.setBrush(muted)
        self._callout.setPen(QPen(QColor(colour), 3 * s))
        self._highlighted = lit

    def _light_loss_edge(self, on, any_lit, glowing, colour, direction) -> None:
        edge = self._loss_edge
        state = (on, any_lit, glowing, colour, direction)
        if state == edge.lit_state:
            return
        edge.lit_state = state
        theme = self._theme
        pal = theme.palette
        line = pal.muted if on or not any_lit else faded_colours(pal).line
        edge.line.setPen(QPen(QColor(line), 2 * theme.scale))
        edge.glow.setVisible(on and glowing)
        if on and glowing:
            edge.glow.setPen(glow_pen(theme, 2 * theme.scale, colour))
        edge.set_arrow(direction if on and glowing else 0, QColor(colour))

    def _show_reuse(self, marks) -> list[QRectF]:
        """Ring the units whose δ the step reuses and tag the named ones on a clear
        spot beside them; returns where the tags went (the callout avoids them)."""
        self._reuse_shown = tuple(m for m in marks if m[0] in self._rings)
        ringed = {key for key, _ in self._reuse_shown}
        pal, s = self._theme.palette, self._theme.scale
        colour = QColor(pal.backward)
        for key, ring in self._rings.items():
            on = key in ringed
            if on:
                pen = QPen(colour, 2.5 * s, Qt.PenStyle.DashLine)
                ring.setPen(pen)
            ring.setVisible(on)
        named = [(key, text) for key, text in self._reuse_shown if text]
        while len(self._reuse_tags) < len(named):
            tag = Tag(self._reuse_font, self._reuse_pad)
            tag.setZValue(9)
            self._scene.addItem(tag)
            self._reuse_tags.append(tag)
        ink = QColor(pal.background if self._theme.dark else pal.foreground)
        boxes: list[QRectF] = []
        gap = 4 * s
        for tag, (key, text) in zip(self._reuse_tags, named):
            tag.set_text(text)
            tag.set_style(colour, QPen(colour, 1 * s), ink)
            box = tag.boundingRect()
            w, h = box.width(), box.height()
            node = self._nodes[key]
            c, r = node.center, node.radius * 1.22
            candidates = [QPointF(c.x(), c.y() - r - h / 2 - gap),
                          QPointF(c.x() + r + w / 2 + gap, c.y() - r),
                          QPointF(c.x() - r - w / 2 - gap, c.y() - r),
                          QPointF(c.x() + r + w / 2 + gap, c.y() + r),
                          QPointF(c.x() - r - w / 2 - gap, c.y() + r)]
            spot = clear_spot(candidates, w, h, self._obstacles + boxes, self._layout_rect)
            tag.setPos(spot)
            tag.setVisible(True)
            boxes.append(QRectF(spot.x() - w / 2, spot.y() - h / 2, w, h))
        for tag in self._reuse_tags[len(named):]:
            tag.setVisible(False)
        return boxes

    def _place_callout(self, callout, avoid=()) -> None:
        """Put the step's tag next to what it is about, on the first clear spot."""
        if callout is None:
            self._callout.setVisible(False)
            return
        key, text = callout
        self._callout.set_text(text)
        box = self._callout.boundingRect()      # with its border
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
            aside = QPointF(w / 2 + 2 * gap + self._nodes["loss"].radius, 0)
            candidates = [tag + QPointF(0, h + gap), tag + aside, tag - aside]
        else:
            edge = self._edges[key]
            label = edge.label.pos()
            candidates = [label - QPointF(0, h + gap), label + QPointF(0, h + gap)]
            candidates += [edge.point_at(f) - QPointF(0, h) for f in (0.5, 0.35, 0.65)]
            candidates += [edge.point_at(f) + QPointF(0, h) for f in (0.5, 0.35, 0.65)]
        self._callout.setPos(clear_spot(candidates, w, h, self._obstacles + list(avoid),
                                        self._layout_rect))
        self._callout.setVisible(True)

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

    # ---------------------------------------------------------------- geometry
    def item_rect(self, name: str) -> QRect | None:
        """Where the item ``name`` (``node:<k>:<j>``, ``edge:<l>:<i>:<j>``,
        ``bias:<l>:<j>``, ``loss``) is drawn, in this widget's coordinates; None if
        the network has no such item. An edge is its weight's tag (the number a
        caption points at), or the middle of its line while the tag has no room."""
        if name in self._nodes:
            scene_rect = self._nodes[name].body.sceneBoundingRect()
        elif name in self._edges:
            edge = self._edges[name]
            if edge.label is not None and edge.label.isVisible():
                scene_rect = edge.label.sceneBoundingRect()
            else:
                middle = edge.point_at(0.5)
                side = 2 * self._nodes[next(iter(self._nodes))].radius / 3
                scene_rect = QRectF(middle.x() - side / 2, middle.y() - side / 2, side, side)
        elif name in self._biases:
            scene_rect = self._biases[name].sceneBoundingRect()
        else:
            return None
        rect = self.mapFromScene(scene_rect).boundingRect()
        return rect.translated(self.viewport().pos())
