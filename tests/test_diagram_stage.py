"""The network diagram in the lecture hall: it grows with the presentation scale,
keeps every weight's name, colours each kind of step, shows y at L, and keeps its
faded parts readable (WCAG contrast, computed numerically)."""
import pytest
from PySide6.QtGui import QColor

from core.data import LECTURE_EXAMPLES, Dataset
from core.network import Network
from core.notation import NumberRole, format_number
from core.records import BackwardStep, ForwardStep, LossStep, UpdateStep
from core.walk import walk
from gui.classifier.diagram import NetworkDiagram
from gui.classifier.diagram_contrast import contrast_ratio, fade, mix, relative_luminance

WORDS = ("aack", "beep")
VALUE = NumberRole.VALUE
# What the diagram gets: the classifier tab at 1024×768 (scale 1) and 1920×1080
# (scale 2, without and with the stage layout), and the stage at 2.5.
SMALL = (723, 306)
PRESENTATION_SIZES = [(1180, 376), (1200, 450), (1800, 520)]


@pytest.fixture
def data():
    dataset = Dataset.from_examples(LECTURE_EXAMPLES)
    return dataset.features, dataset.labels


def make(qtbot, theme, x, size, shape=(2, 2, 1), network=None):
    diagram = NetworkDiagram(theme)
    qtbot.addWidget(diagram)
    diagram.resize(*size)
    diagram.show()
    diagram.set_network(network or Network(shape, seed=0), WORDS, x)
    return diagram


def first(steps, kind, **fields):
    return next(s for s in steps if isinstance(s, kind)
                and all(getattr(s, k) == v for k, v in fields.items()))


def backward_w11(steps):
    return next(s for s in steps if isinstance(s, BackwardStep) and s.parameter.name == "w11")


# ------------------------------------------------------------------ contrast maths
def test_wcag_contrast_helper_matches_known_values():
    assert relative_luminance("#ffffff") == pytest.approx(1.0)
    assert relative_luminance("#000000") == pytest.approx(0.0)
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#123456", "#123456") == pytest.approx(1.0)
    # the WCAG examples: #767676 is the lightest grey with 4.5:1 on white, #777777 is not
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", "#ffffff") < 4.5
    assert mix("#000000", "#ffffff", 0.5) == "#808080"
    for colour, bg in (("#111111", "#ffffff"), ("#f2f2f2", "#14161a"), ("#56B4E9", "#14161a")):
        for minimum in (3.0, 4.5):
            faded = fade(colour, bg, minimum, 0.95)
            assert minimum <= contrast_ratio(faded, bg) < minimum + 0.3   # as far as allowed
    assert fade("#d0d0d0", "#ffffff", 3.0) == "#d0d0d0"   # already below: left alone


# ------------------------------------------------------------------- readability
def _colour(brush_or_pen) -> str:
    return brush_or_pen.color().name()


@pytest.mark.parametrize("dark", [False, True])
def test_faded_parts_keep_their_contrast(qtbot, theme, data, dark):
    X, y = data
    theme.set_dark(dark)
    bg = theme.palette.background
    diagram = make(qtbot, theme, X[0], (900, 400))
    steps = walk(Network((2, 2, 1), seed=0), X, y, 0.5)
    for step in (backward_w11(steps), first(steps, ForwardStep, layer=1), None):
        diagram.show_step(step)
        lit = diagram.highlighted_items()
        faded_nodes = [n for k, n in diagram._nodes.items() if k not in lit]
        faded_edges = [e for k, e in diagram._edges.items() if k not in lit]
        assert step is None or faded_nodes and faded_edges
        for node in faded_nodes:
            for text in (node.name, node.value):
                assert contrast_ratio(_colour(text.brush()), bg) >= 4.5, (node.key, dark)
            assert contrast_ratio(_colour(node.body.pen()), bg) >= 3.0, (node.key, dark)
        for edge in faded_edges:
            assert edge.line.opacity() == 1.0 and edge.label.opacity() == 1.0
            assert contrast_ratio(_colour(edge.line.pen()), bg) >= 3.0, dark
            assert contrast_ratio(_colour(edge.label.pen()), bg) >= 3.0, dark
            assert contrast_ratio(_colour(edge.label._text.brush()), bg) >= 4.5, dark
        for key, tag in diagram._biases.items():
            assert contrast_ratio(_colour(tag._text.brush()), bg) >= 4.5, (key, dark)
            assert contrast_ratio(_colour(tag.pen()), bg) >= 3.0, (key, dark)
        for item in diagram._captions + diagram._headers:
            assert item.opacity() == 1.0
            assert contrast_ratio(_colour(item.brush()), bg) >= 4.5, (item.text(), dark)
        assert contrast_ratio(_colour(diagram._loss_edge.line.pen()), bg) >= 3.0
    # and fading still shows: a faded unit's text is lighter (darker) than a lit one's
    diagram.show_step(backward_w11(steps))
    dim = _colour(diagram._nodes["node:1:1"].name.brush())
    assert contrast_ratio(dim, bg) < contrast_ratio(theme.palette.foreground, bg) - 3


@pytest.mark.parametrize("dark", [False, True])
def test_inputs_stay_legible_during_the_forward_pass(qtbot, theme, data, dark):
    X, y = data
    theme.set_dark(dark)
    pal = theme.palette
    diagram = make(qtbot, theme, X[0], (900, 400))
    steps = walk(Network((2, 2, 1), seed=0), X, y, 0.5)
    a1 = first(steps, ForwardStep, layer=0, unit=0)
    diagram.show_step(a1)
    for j in range(2):
        node = diagram._nodes[f"node:0:{j}"]
        assert _colour(node.name.brush()) == QColor(pal.foreground).name()
        assert _colour(node.value.brush()) == QColor(pal.foreground).name()
        assert _colour(node.body.pen()) == QColor(pal.foreground).name()
    assert all(_colour(c.brush()) == QColor(pal.muted).name() for c in diagram._captions)
    # ŷ's step reads a₁ and a₂: those are at full strength, the inputs recede
    y_hat = first(steps, ForwardStep, layer=1, unit=0)
    diagram.show_step(y_hat)
    for j in range(2):
        assert _colour(diagram._nodes[f"node:1:{j}"].value.brush()) == \
            QColor(pal.foreground).name()
    assert _colour(diagram._nodes["node:0:0"].name.brush()) != QColor(pal.foreground).name()


# ------------------------------------------------------------------------ colour
@pytest.mark.parametrize("dark", [False, True])
def test_each_kind_of_step_has_its_own_colour(qtbot, theme, data, dark):
    X, y = data
    theme.set_dark(dark)
    pal = theme.palette
    assert len({pal.forward, pal.backward, pal.update}) == 3
    diagram = make(qtbot, theme, X[0], (900, 400))
    steps = walk(Network((2, 2, 1), seed=0), X, y, 0.5)
    cases = [(first(steps, ForwardStep, layer=0, unit=0), "forward", "node:1:0", "edge:0:0:0"),
             (first(steps, LossStep), "loss", "loss", None),
             (backward_w11(steps), "backward", "node:1:0", "edge:0:0:0")]
    for step, stage, node_key, edge_key in cases:
        diagram.show_step(step)
        colour = QColor(pal.stage_colour(stage)).name()
        node = diagram._nodes[node_key]
        assert _colour(node.body.pen()) == colour, stage
        assert node.glow.isVisible() and node.glow.brush().color().rgb() == QColor(colour).rgb()
        assert _colour(diagram._callout.pen()) == colour, stage
        if edge_key:
            edge = diagram._edges[edge_key]
            assert _colour(edge.label.pen()) == colour
            assert edge.glow.isVisible() and edge.glow.pen().color().rgb() == QColor(colour).rgb()
            assert edge.arrow.brush().color().name() == colour
    diagram.show_step(steps[-1])
    update = QColor(pal.update).name()
    assert all(_colour(e.label.pen()) == update for e in diagram._edges.values())
    assert all(_colour(t.pen()) == update for t in diagram._biases.values())
    assert pal.forward != pal.backward


def test_arrowheads_point_the_way_the_step_flows(qtbot, theme, data):
    X, y = data
    diagram = make(qtbot, theme, X[0], (900, 400))
    steps = walk(Network((2, 2, 1), seed=0), X, y, 0.5)
    diagram.show_step(first(steps, ForwardStep, layer=0, unit=1))     # a₂ from x₁, x₂
    assert diagram.edge_arrow(0, 0, 1) == 1 and diagram.edge_arrow(0, 1, 1) == 1
    assert diagram.edge_arrow(0, 0, 0) == 0 and diagram.edge_arrow(1, 0, 0) == 0
    back = backward_w11(steps)
    diagram.show_step(back)        # derivatives flow from L back to w₁₁
    assert diagram.edge_arrow(0, 0, 0) == -1 and diagram.edge_arrow(1, 0, 0) == -1
    assert diagram.edge_arrow(0, 1, 1) == 0
    assert diagram._loss_edge.arrow_direction() == -1
    diagram.show_step(first(steps, LossStep))
    assert diagram._loss_edge.arrow_direction() == 1 and diagram.edge_arrow(0, 0, 0) == 0
    diagram.show_step(steps[-1])   # the update lights everything: no direction
    assert all(e.arrow_direction() == 0 for e in diagram._edges.values())
    # the head's tip sits on the rim of the unit it points at
    diagram.show_step(back)
    edge = diagram._edges["edge:0:0:0"]
    tip = edge.arrow.path().elementAt(0)
    start, radius = edge.start, diagram._nodes["node:0:0"].radius
    distance = ((tip.x - start.x()) ** 2 + (tip.y - start.y()) ** 2) ** 0.5
    assert radius <= distance <= 1.2 * radius


def test_target_is_shown_at_the_loss_node_from_the_loss_step_on(qtbot, theme, data):
    X, y = data
    network = Network((2, 2, 1), seed=0)
    for example in (0, 1):             # “Aack aack aack!” is Happy (1), “Beep beep!” Sad (0)
        diagram = make(qtbot, theme, X[example], (900, 400), network=network)
        steps = walk(network, X, y, 0.5, example=example)
        expected = f"y = {format_number(y[example], VALUE)}"
        assert expected == ("y = 1" if example == 0 else "y = 0")
        diagram.show_step(steps[0])
        assert diagram.target_label() == ""
        loss = first(steps, LossStep)
        diagram.show_step(loss)
        assert diagram.target_label() == expected
        assert diagram.loss_text() == format_number(loss.loss, VALUE)
        for step in steps[steps.index(loss) + 1:]:      # backward steps and the update
            diagram.show_step(step)
            assert diagram.target_label() == expected, type(step).__name__
            assert diagram.loss_text() == format_number(loss.loss, VALUE)
        diagram.show_step(None)
        assert diagram.target_label() == ""
    # a backward record alone (say, a restored session) still says y
    fresh = make(qtbot, theme, X[1], (900, 400), network=network)
    fresh.show_step(backward_w11(walk(network, X, y, 0.5, example=1)))
    assert fresh.target_label() == "y = 0"


# ------------------------------------------------------------------------ scale
def _labels_and_rects(diagram):
    tags = [e.label for e in diagram._edges.values()] + list(diagram._biases.values())
    return [(t.text(), t.mapRectToScene(t.path().boundingRect())) for t in tags]


@pytest.mark.parametrize("scale", [2.0, 2.5])
@pytest.mark.parametrize("size", PRESENTATION_SIZES)
def test_edges_keep_their_names_at_presentation_scale(qtbot, theme, data, scale, size):
    X, y = data
    theme.set_scale(scale)
    network = Network((2, 2, 1), seed=0)
    diagram = make(qtbot, theme, X[0], size, network=network)
    steps = walk(network, X, y, 0.5)
    for step in (None, backward_w11(steps)):
        diagram.show_step(step)
        for ref in map(network.parameter_ref, network.parameter_names()):
            if ref.is_bias:
                text = diagram.bias_label(ref.layer, ref.col)
            else:
                text = diagram.edge_label(ref.layer, ref.row, ref.col)
            assert text is not None and text.startswith(f"{ref.label} = "), (text, size)
    update = steps[-1]
    diagram.show_step(update)
    for ref, old, _gradient, new in update.changes:
        text = (diagram.bias_label(ref.layer, ref.col) if ref.is_bias
                else diagram.edge_label(ref.layer, ref.row, ref.col))
        text = " ".join(text.split())      # ŷ's bias says it on two lines
        assert text.endswith(f"{format_number(old, VALUE)} → {format_number(new, VALUE)}"), text
        assert text.startswith(f"{ref.label} = "), text     # edges keep their names too
    # nothing piles up at the update, the widest texts
    shown = _labels_and_rects(diagram)
    for i, (text_a, a) in enumerate(shown):
        for text_b, b in shown[i + 1:]:
            cut = a.intersected(b)
            assert cut.isEmpty() or cut.width() * cut.height() < 1.0, (text_a, text_b, size)


def _on_screen_radius(diagram):
    return diagram._nodes["node:0:0"].radius * diagram.layout_zoom()


def test_graphics_grow_with_the_presentation_scale(qtbot, data):
    """Discs, texts, pens, halos, arrowheads, headings and bias tags are all drawn
    at the theme's scale, and the layout keeps the zoom that fits them near 1."""
    from gui.theme import Theme
    X, y = data
    steps = walk(Network((2, 2, 1), seed=0), X, y, 0.5)
    sizes = {}
    for scale, size in ((1.0, SMALL), (2.0, (1200, 450)), (2.5, (1800, 520))):
        theme = Theme(scale)
        diagram = make(qtbot, theme, X[0], size)
        diagram.show_step(backward_w11(steps))
        node = diagram._nodes["node:1:0"]
        edge = diagram._edges["edge:0:0:0"]
        sizes[scale] = {
            "radius": node.radius,
            "value font": node.value.font().pixelSize(),
            "label font": edge.label._text.font().pixelSize(),
            "bias font": diagram._biases["bias:0:0"]._text.font().pixelSize(),
            "header font": diagram._headers[0].font().pixelSize(),
            "outline": node.body.pen().widthF(),
            "halo": edge.glow.pen().widthF() - edge.line.pen().widthF(),
            "arrow": edge.arrow.path().boundingRect().width()
            + edge.arrow.path().boundingRect().height(),
            "on screen": _on_screen_radius(diagram),
        }
    for key, at_one in sizes[1.0].items():
        if key == "on screen":
            continue
        assert sizes[2.0][key] == pytest.approx(2 * at_one, rel=0.05), key
        assert sizes[2.5][key] == pytest.approx(2.5 * at_one, rel=0.05), key
    # fitted into the widget, the picture still really grows on screen
    assert sizes[1.0]["on screen"] >= 0.9 * 30
    assert sizes[2.0]["on screen"] >= 1.5 * sizes[1.0]["on screen"]
    assert sizes[2.5]["on screen"] >= 1.9 * sizes[1.0]["on screen"]


@pytest.mark.parametrize("scale", [1.0, 2.0, 2.5])
def test_size_hint_asks_for_the_room_the_picture_wants(qtbot, theme, data, scale):
    X, _ = data
    theme.set_scale(scale)
    diagram = make(qtbot, theme, X[0], (600, 300))
    hint = diagram.sizeHint()
    assert hint.width() == pytest.approx(760 * scale, rel=0.15)
    assert hint.height() == pytest.approx(234 * scale, rel=0.15)
    assert diagram.layout_zoom() < 1.0          # squeezed into 600×300 …
    diagram.resize(hint)
    qtbot.waitUntil(lambda: diagram.size() == hint)
    # the re-layout for the new room comes once the resizing is over (coalesced)
    qtbot.waitUntil(lambda: abs(diagram.layout_zoom() - 1.0) <= 0.03, timeout=2000)
    assert all(diagram.edge_label(0, i, j) for i in range(2) for j in range(2))


def test_a_step_stays_cheap_at_presentation_scale(qtbot, theme, data):
    import statistics
    import time
    X, y = data
    theme.set_scale(2.0)
    network = Network((2, 2, 1), seed=0)
    diagram = make(qtbot, theme, X[0], (1200, 450), network=network)
    steps = walk(network, X, y, 0.5)
    assert any(isinstance(s, UpdateStep) for s in steps)
    timings = []
    for _ in range(8):
        for step in steps:
            start = time.perf_counter()
            diagram.set_network(network, WORDS, X[0])
            diagram.show_step(step)
            timings.append(time.perf_counter() - start)
    assert statistics.median(timings) < 0.008      # ≈ 0.3 ms here; loose for busy machines


@pytest.mark.parametrize("shape", [(2, 2, 1), (2, 4, 1), (2, 3, 3, 1)])
@pytest.mark.parametrize("scale, size", [(1.0, SMALL), (2.0, (1200, 450)), (2.5, (1200, 450))])
def test_nothing_is_cut_off_at_the_edges(qtbot, theme, data, shape, scale, size):
    """Halos, callouts, tags and headings of every step stay inside the rectangle
    the view shows."""
    X, y = data
    theme.set_scale(scale)
    network = Network(shape, seed=0)
    diagram = make(qtbot, theme, X[0], size, network=network)
    shown = diagram._layout_rect.adjusted(-0.5, -0.5, 0.5, 0.5)
    for step in walk(network, X, y, 0.5):
        diagram.show_step(step)
        for item in diagram.scene().items():
            if item.isVisible() and not item.boundingRect().isEmpty():
                rect = item.sceneBoundingRect()
                assert shown.contains(rect), (type(step).__name__, type(item).__name__,
                                              rect, shown)
