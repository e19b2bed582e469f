"""The network diagram plays the core's walk records: pens, highlights, numbers."""
import math
import statistics
import time

import numpy as np
import pytest
from PySide6.QtGui import QColor
from shown_numbers import parse

from core.data import LECTURE_EXAMPLES, Dataset
from core.network import Network
from core.notation import NumberRole, format_number
from core.records import BackwardStep, ForwardStep, LossStep, UpdateStep
from core.walk import walk
from gui.classifier.chain_panel import ChainRulePanel
from gui.classifier.diagram import NODE_TEXT_FILL, NetworkDiagram

VALUE, DERIVATIVE = NumberRole.VALUE, NumberRole.DERIVATIVE

WORDS = ("aack", "beep")


@pytest.fixture
def data():
    dataset = Dataset.from_examples(LECTURE_EXAMPLES)
    return dataset.features, dataset.labels


def make_diagram(qtbot, theme, network, x, size=(900, 520)):
    diagram = NetworkDiagram(theme)
    qtbot.addWidget(diagram)
    diagram.resize(*size)
    diagram.set_network(network, WORDS, x)
    return diagram


def backward_for(steps, layer, row, col):
    return next(s for s in steps if isinstance(s, BackwardStep) and s.parameter.layer == layer
                and s.parameter.row == row and s.parameter.col == col)


def test_object_name_and_default_shape(qtbot, theme, data):
    X, _ = data
    diagram = make_diagram(qtbot, theme, Network((2, 2, 1), seed=0), X[0])
    assert diagram.objectName() == "networkDiagram"
    assert diagram.node_text(0, 0) == ("x₁", "3")
    assert diagram.node_text(0, 1) == ("x₂", "0")
    assert diagram.node_text(1, 0)[0] == "a₁"
    assert diagram.node_text(2, 0)[0] == "ŷ"
    assert diagram.bias_label(0, 0).startswith("b₁ = ")
    assert diagram.bias_label(1, 0).startswith("b = ")
    assert diagram.highlighted_items() == set()


def test_edge_pens_follow_sign_and_magnitude(qtbot, theme, data):
    X, _ = data
    network = Network((2, 2, 1), seed=0)
    network.weights[0][:] = [[0.2, -0.2], [2.5, -2.5]]
    diagram = make_diagram(qtbot, theme, network, X[0])
    positive = QColor(theme.palette.positive).name()
    negative = QColor(theme.palette.negative).name()

    small_pos, small_neg = diagram.edge_style(0, 0, 0), diagram.edge_style(0, 0, 1)
    big_pos, big_neg = diagram.edge_style(0, 1, 0), diagram.edge_style(0, 1, 1)
    assert (small_pos[0], small_pos[2]) == (positive, False)
    assert (small_neg[0], small_neg[2]) == (negative, True)
    assert (big_pos[0], big_pos[2]) == (positive, False)
    assert (big_neg[0], big_neg[2]) == (negative, True)
    assert big_pos[1] > small_pos[1] and big_neg[1] > small_neg[1]
    assert big_pos[1] == pytest.approx(big_neg[1])      # width depends on |w| only

    # Updating in place: a sign flip changes the pen without a rebuild.
    edges_before = dict(diagram._edges)
    network.weights[0][0, 0] = -0.2
    diagram.set_network(network, WORDS, X[0])
    assert diagram._edges == edges_before
    assert diagram.edge_style(0, 0, 0)[0] == negative and diagram.edge_style(0, 0, 0)[2]
    assert diagram.edge_label(0, 0, 0) == "w₁₁ = −0.2"


def test_forward_step_lights_exactly_the_unit_and_its_inputs(qtbot, theme, data):
    X, y = data
    network = Network((2, 2, 1), seed=0)
    diagram = make_diagram(qtbot, theme, network, X[0])
    steps = walk(network, X, y, 0.5, example=0)
    forwards = [s for s in steps if isinstance(s, ForwardStep)]
    assert len(forwards) == 3
    for step in forwards:
        diagram.show_step(step)
        k = step.layer + 1
        expected = {f"node:{k}:{step.unit}", f"bias:{step.layer}:{step.unit}"}
        expected |= {f"edge:{step.layer}:{i}:{step.unit}" for i in range(len(step.inputs))}
        assert diagram.highlighted_items() == expected
        name, value = diagram.node_text(k, step.unit)
        assert name == step.unit_label
        assert value == format_number(step.a, VALUE)     # as the panel writes it
        assert parse(value) == pytest.approx(step.a, abs=0.5e-4)
        callout = diagram.callout_text()
        assert f"{step.z_label} = {format_number(step.z, VALUE)}" in callout
        assert f"{step.unit_label} = {format_number(step.a, VALUE)}" in callout
    # Units not yet computed show no value: at a₁'s step, a₂ and ŷ are blank.
    diagram.show_step(forwards[0])
    assert diagram.node_text(1, 1)[1] == "" and diagram.node_text(2, 0)[1] == ""


def test_loss_step_lights_the_output_and_shows_the_loss(qtbot, theme, data):
    X, y = data
    network = Network((2, 2, 1), seed=0)
    diagram = make_diagram(qtbot, theme, network, X[0])
    loss = next(s for s in walk(network, X, y, 0.5) if isinstance(s, LossStep))
    diagram.show_step(loss)
    assert diagram.highlighted_items() == {"node:2:0", "loss_edge", "loss"}
    assert diagram.loss_text() == format_number(loss.loss, VALUE)


def test_backward_step_for_w11_lights_the_chain_from_the_record(qtbot, theme, data):
    X, y = data
    network = Network((2, 2, 1), seed=0)
    diagram = make_diagram(qtbot, theme, network, X[0])
    step = backward_for(walk(network, X, y, 0.5), 0, 0, 0)
    assert step.parameter.name == "w11"
    diagram.show_step(step)
    lit = diagram.highlighted_items()
    expected = {"loss", "loss_edge", "edge:0:0:0", "node:0:0"}
    expected |= {f"node:{layer + 1}:{unit}" for layer, unit in step.chain_nodes}
    expected |= {f"edge:{e.layer}:{e.row}:{e.col}" for e in step.chain_edges}
    assert lit == expected
    # The lecture's chain for w₁₁: x₁ → a₁ → ŷ → L through w₁₁ and w₁.
    assert {"node:1:0", "node:2:0", "edge:1:0:0"} <= lit
    assert not lit & {"node:1:1", "edge:0:0:1", "edge:1:1:0", "node:0:1"}
    assert diagram.callout_text() == f"∂L/∂w₁₁ = {format_number(step.gradient, DERIVATIVE)}"


def test_backward_bias_step_lights_the_bias_tag(qtbot, theme, data):
    X, y = data
    network = Network((2, 2, 1), seed=0)
    diagram = make_diagram(qtbot, theme, network, X[0])
    step = next(s for s in walk(network, X, y, 0.5)
                if isinstance(s, BackwardStep) and s.parameter.name == "b2")
    diagram.show_step(step)
    assert {"bias:0:1", "node:1:1", "edge:1:1:0", "node:2:0"} <= diagram.highlighted_items()
    assert "edge:0:0:1" not in diagram.highlighted_items()
    assert diagram.callout_text().startswith("∂L/∂b₂ = ")


def test_update_step_shows_old_to_new(qtbot, theme, data):
    X, y = data
    network = Network((2, 2, 1), seed=0)
    diagram = make_diagram(qtbot, theme, network, X[0])
    update = walk(network, X, y, 0.5)[-1]
    diagram.show_step(update)
    lit = diagram.highlighted_items()
    for ref, old, _gradient, new in update.changes:
        if ref.is_bias:
            text = diagram.bias_label(ref.layer, ref.col)
            key = f"bias:{ref.layer}:{ref.col}"
        else:
            text = diagram.edge_label(ref.layer, ref.row, ref.col)
            key = f"edge:{ref.layer}:{ref.row}:{ref.col}"
        assert key in lit
        before, after = text.split("→")
        assert after.strip() == format_number(new, VALUE)            # as in the panel
        assert before.split("=")[-1].strip() == format_number(old, VALUE)
        assert parse(after) == pytest.approx(new, abs=0.5e-4)
    # Back at rest the labels are plain values again.
    diagram.show_step(None)
    assert "→" not in diagram.bias_label(0, 0)
    assert diagram.highlighted_items() == set()


def test_shape_change_rebuilds(qtbot, theme, data):
    X, _ = data
    diagram = make_diagram(qtbot, theme, Network((2, 2, 1), seed=0), X[0])
    assert "node:1:2" not in diagram._nodes
    diagram.set_network(Network((2, 3, 3, 1), seed=1), WORDS, X[0])
    assert {f"node:{k}:{j}" for k in (1, 2) for j in range(3)} <= set(diagram._nodes)
    assert sum(1 for key in diagram._edges if key.startswith("edge:1:")) == 9
    assert diagram.node_text(1, 0)[0] == "a⁽¹⁾₁"
    assert diagram.bias_label(2, 0).startswith("b⁽³⁾")
    # A new vocabulary with the same width rebuilds too (the captions change).
    diagram.set_network(Network((2, 3, 3, 1), seed=1), ("happy", "sad"), X[0])
    captions = [c.text() for c in diagram._captions]
    assert captions == ["“happy”", "“sad”"]


def test_a_step_of_another_shape_is_dropped(qtbot, theme, data):
    """Undoing a vocabulary change right after an update (or mid-backward) gives
    the diagram a network whose shape the highlighted record no longer fits."""
    X, y = data
    X3 = np.c_[X, X[:, :1]]
    wide = Network((3, 2, 1), seed=0)
    steps = walk(wide, X3, y, 0.5)
    narrow = Network((2, 2, 1), seed=0)
    for step in (steps[-1], backward_for(steps, 0, 2, 0)):     # update, ∂L/∂w₃₁
        diagram = make_diagram(qtbot, theme, wide, X3[0])
        diagram.show_step(step)
        assert "edge:0:2:0" in diagram.highlighted_items()
        diagram.set_network(narrow, WORDS, X[0])                # raised KeyError before
        assert diagram.highlighted_items() == set()
        assert diagram.callout_text() == ""
        assert "→" not in diagram.bias_label(0, 0)
        # the next record of the new shape lights as usual
        fresh = backward_for(walk(narrow, X, y, 0.5), 0, 0, 0)
        diagram.show_step(fresh)
        assert "edge:0:0:0" in diagram.highlighted_items()
    # A record that fits survives a rebuild with the same shape (new words).
    step = backward_for(walk(narrow, X, y, 0.5), 0, 1, 1)
    diagram.show_step(step)
    lit = diagram.highlighted_items()
    diagram.set_network(narrow, ("happy", "sad"), X[0])
    assert diagram.highlighted_items() == lit and diagram.callout_text() != ""
    # A forward record whose inputs do not match the layer is dropped too.
    forward = next(s for s in steps if isinstance(s, ForwardStep))
    diagram.show_step(forward)
    assert diagram.highlighted_items() == set()


def test_diagram_and_panel_write_the_same_numbers(qtbot, theme, data):
    X, y = data
    network = Network((2, 2, 1), seed=0)
    diagram = make_diagram(qtbot, theme, network, X[0])
    panel = ChainRulePanel(theme)
    qtbot.addWidget(panel)
    for step in walk(network, X, y, 0.5):
        if isinstance(step, UpdateStep):
            continue
        diagram.show_step(step)
        panel.show_step(step, 0.5)
        shown = diagram.callout_text().split("=")[-1].strip()
        assert panel.value_text().endswith(f"= {shown}"), (type(step).__name__, shown)
        if isinstance(step, ForwardStep):       # the disc writes the same number as the callout
            k = step.layer + 1
            assert diagram.node_text(k, step.unit)[1] == shown


def test_deep_network_hides_dense_numbers_but_shows_lit_ones(qtbot, theme, data):
    X, y = data
    network = Network((2, 8, 8, 8, 1), seed=0)
    diagram = make_diagram(qtbot, theme, network, X[0])
    assert diagram.edge_label(1, 0, 0) is None            # 64 edges: numbers hidden
    steps = walk(network, X, y, 0.5)
    step = next(s for s in steps if isinstance(s, ForwardStep) and s.layer == 1 and s.unit == 3)
    diagram.show_step(step)
    assert all(diagram.edge_label(1, i, 3) is not None for i in range(8))
    assert diagram.edge_label(1, 0, 2) is None
    back = backward_for(steps, 0, 0, 0)
    diagram.show_step(back)
    lit = diagram.highlighted_items()
    assert {f"edge:{e.layer}:{e.row}:{e.col}" for e in back.chain_edges} <= lit
    assert len(back.chain_edges) == 8 + 64 + 8


def test_heatmaps_only_for_two_inputs(qtbot, theme, data):
    X, _ = data
    network = Network((2, 2, 1), seed=0)
    diagram = make_diagram(qtbot, theme, network, X[0])
    diagram.set_heatmap_extent(4, 4)
    diagram.set_heatmaps_visible(True)
    assert diagram.heatmaps_shown()
    heat = diagram._nodes["node:1:0"].heat.pixmap().toImage()
    # Unit a₁'s map: the corner that excites it more is drawn in the "Happy" colour.
    grid = network.forward(np.array([[0.0, 0.0], [4.0, 0.0]])).activations[1][:, 0]
    assert not heat.isNull() and grid[0] != grid[1]
    diagram.set_heatmaps_visible(False)
    assert not diagram.heatmaps_shown()
    diagram.set_heatmaps_visible(True)
    diagram.set_network(Network((3, 2, 1), seed=0), ("a", "b", "c"), [1, 0, 2])
    assert not diagram.heatmaps_shown()


def test_theme_change_restyles_and_keeps_the_step(qtbot, theme, data):
    X, y = data
    network = Network((2, 2, 1), seed=0)
    diagram = make_diagram(qtbot, theme, network, X[0])
    step = backward_for(walk(network, X, y, 0.5), 0, 0, 0)
    diagram.show_step(step)
    lit = diagram.highlighted_items()
    width = diagram.edge_style(0, 0, 0)[1]
    theme.set_scale(2.0)
    assert diagram.highlighted_items() == lit
    assert diagram.edge_style(0, 0, 0)[1] == pytest.approx(2 * width)
    theme.set_dark(True)
    assert diagram.edge_style(0, 0, 0)[0] == QColor(theme.palette.positive).name()
    assert diagram.backgroundBrush().color().name() == QColor(theme.palette.background).name()


def test_a_micro_step_is_cheap(qtbot, theme, data):
    X, y = data
    network = Network((2, 2, 1), seed=0)
    diagram = make_diagram(qtbot, theme, network, X[0])
    steps = walk(network, X, y, 0.5)
    timings = []
    for _ in range(10):
        for step in steps:
            start = time.perf_counter()
            diagram.set_network(network, WORDS, X[0])
            diagram.show_step(step)
            timings.append(time.perf_counter() - start)
    # Budget ≲ 2 ms; the bound is loose so a busy test machine does not flake.
    assert statistics.median(timings) < 0.008


def test_refreshing_an_unchanged_step_touches_no_item(qtbot, theme, data):
    X, y = data
    network = Network((2, 2, 1), seed=0)
    diagram = make_diagram(qtbot, theme, network, X[0])
    diagram.show()
    steps = walk(network, X, y, 0.5)
    step = backward_for(steps, 0, 0, 0)
    diagram.show_step(step)
    qtbot.wait(1)
    changes = []
    diagram.scene().changed.connect(changes.append)
    diagram.set_network(network, WORDS, X[0])    # what the tab does on every refresh
    diagram.show_step(step)
    qtbot.wait(1)
    assert changes == []
    diagram.show_step(backward_for(steps, 0, 1, 0))   # a new step does repaint
    qtbot.wait(1)
    assert changes


def _tiny_a1_network():
    """a₁ = σ(3·(−3) + 0) ≈ 1.2×10⁻⁴ for x = (3, 0)."""
    network = Network((2, 2, 1), seed=0)
    network.set_parameter("w11", -3.0)
    network.set_parameter("b1", 0.0)
    return network


def _ink_in_scene(item):
    from PySide6.QtGui import QFontMetricsF
    metrics = QFontMetricsF(item.font())
    ink = metrics.tightBoundingRect(item.text()).translated(0, metrics.ascent())
    return item.mapRectToScene(ink)


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_unit_values_fit_inside_their_discs(qtbot, theme, data, scale):
    X, y = data
    theme.set_scale(scale)
    network = _tiny_a1_network()
    activation = network.forward(X[:1]).activations[1][0, 0]
    assert activation < 1e-3
    diagram = make_diagram(qtbot, theme, network, X[0], size=(900 * scale, 520 * scale))
    assert diagram.node_text(1, 0) == ("a₁", "0.0001")
    # the full value is one hover away
    tip = diagram._nodes["node:1:0"].body.toolTip()
    assert tip.startswith("a₁ = ") and parse(tip[5:]) == pytest.approx(activation, rel=1e-9)
    loss = next(s for s in walk(network, X, y, 0.5) if isinstance(s, LossStep))
    deep = make_diagram(qtbot, theme, Network((2, 3, 3, 1), seed=0), X[0],
                        size=(900 * scale, 520 * scale))      # names like a⁽¹⁾₁
    for shown, step in ((diagram, None), (diagram, loss), (deep, None)):
        shown.show_step(step)
        for key, node in shown._nodes.items():
            diameter = 2 * node.radius
            for item in (node.name, node.value):
                if not item.text():
                    continue
                rect = item.mapRectToScene(item.boundingRect())
                assert rect.width() <= NODE_TEXT_FILL * diameter + 1e-6, (key, item.text())
                if key == "loss":
                    assert node.body.boundingRect().contains(rect), item.text()
                    continue
                ink = _ink_in_scene(item)        # every corner of the glyphs inside the disc
                for corner in (ink.topLeft(), ink.topRight(), ink.bottomLeft(),
                               ink.bottomRight()):
                    offset = corner - node.center
                    assert math.hypot(offset.x(), offset.y()) <= node.radius, \
                        (key, item.text(), scale)
        if step is loss:
            assert diagram.loss_text() == format_number(loss.loss, VALUE)


def _overlap(a, b) -> float:
    cut = a.intersected(b)
    return 0.0 if cut.isEmpty() else cut.width() * cut.height()


def _distance(rect, point) -> float:
    """From ``point`` to the nearest point of ``rect`` (0 inside it)."""
    dx = max(rect.left() - point.x(), 0.0, point.x() - rect.right())
    dy = max(rect.top() - point.y(), 0.0, point.y() - rect.bottom())
    return math.hypot(dx, dy)


@pytest.mark.parametrize("shape", [(2, 2, 1), (2, 4, 1)])
@pytest.mark.parametrize("scale, size", [(1.0, (760, 360)), (2.0, (1180, 440))])
def test_extreme_parameters_keep_their_tags_apart(qtbot, theme, data, shape, scale, size):
    """Sizes of the diagram in the tab at 1280×800 and at 1920×1080 (scale 2)."""
    X, _ = data
    theme.set_scale(scale)
    network = Network(shape, seed=0)
    diagram = make_diagram(qtbot, theme, network, X[0], size=size)
    # trained in place: the same network object, parameters grow past the layout's room
    for parameters in (network.weights, network.biases):
        for p in parameters:
            p[:] = -123.456
    network.set_parameter("w21", 45.2)
    diagram.set_network(network, WORDS, X[0])
    assert diagram.edge_label(0, 0, 0).endswith("−123.5")
    assert diagram.edge_label(0, 1, 0).endswith("45.2")
    assert diagram.bias_label(0, 0) == "b₁ = −123.5"
    tags = [e.label for e in diagram._edges.values() if e.label.isVisible()]
    tags += list(diagram._biases.values())
    assert len(tags) == len(diagram._edges) + len(diagram._biases)    # every number shown
    rects = [t.mapRectToScene(t.path().boundingRect()) for t in tags]
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            smaller = min(a.width() * a.height(), b.width() * b.height())
            assert _overlap(a, b) <= 0.02 * smaller, (tags[i].text(), scale)
        for key, node in diagram._nodes.items():   # no tag runs into a unit's disc
            assert _distance(a, node.center) >= node.radius, (key, scale)
    # a fresh network with small numbers gets the narrower layout back
    diagram.set_network(Network(shape, seed=0), WORDS, X[0])
    assert diagram._tag_digits == 1
