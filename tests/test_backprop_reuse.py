"""Back-propagation's reuse on the 2-2-1 network: ∂L/∂z = ŷ − y (the ŷ(1−ŷ)
cancellation) and ∂L/∂z₁, ∂L/∂z₂ are computed once and reused by every parameter
below them — in the records (core), the chain panel and the diagram."""
import math
import re

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from shown_numbers import parse

from core.data import LECTURE_EXAMPLES, Dataset
from core.network import Network
from core.records import BackwardStep, LossStep
from core.walk import walk
from gui import mathtext
from gui.classifier.diagram import NetworkDiagram

RATE = 0.5
LECTURE = Dataset.from_examples(LECTURE_EXAMPLES)

# For each parameter of the 2-2-1 pass: (δ it reuses, δ it computes), by label.
EXPECTED = {
    "w1": ((), ("∂L/∂z",)),
    "w2": (("∂L/∂z",), ()),
    "b": (("∂L/∂z",), ()),
    "w11": (("∂L/∂z",), ("∂L/∂z₁",)),
    "w21": (("∂L/∂z", "∂L/∂z₁"), ()),
    "b1": (("∂L/∂z", "∂L/∂z₁"), ()),
    "w12": (("∂L/∂z",), ("∂L/∂z₂",)),
    "w22": (("∂L/∂z", "∂L/∂z₂"), ()),
    "b2": (("∂L/∂z", "∂L/∂z₂"), ()),
}


def lecture_pass(mode="example", example=0, layer_sizes=(2, 2, 1)):
    return walk(Network(layer_sizes, seed=0), LECTURE.features, LECTURE.labels, RATE,
                example=example, mode=mode)


def backward_steps(steps):
    return [s for s in steps if isinstance(s, BackwardStep)]


def plain(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html.replace("&nbsp;", " ")).split())


@pytest.mark.parametrize("mode, example", [("example", 0), ("example", 2), ("batch", 1)])
def test_each_backward_step_names_what_it_reuses_and_what_it_computes(mode, example):
    steps = lecture_pass(mode, example)
    backward = backward_steps(steps)
    assert [s.parameter.name for s in backward] == list(EXPECTED)
    for step in backward:
        reused, computed = EXPECTED[step.parameter.name]
        assert tuple(f.label for f in step.reused) == reused, step.parameter.name
        assert tuple(f.label for f in step.computed) == computed, step.parameter.name


def test_a_reused_factor_equals_the_value_computed_earlier_and_where_it_lives():
    steps = lecture_pass()
    backward = backward_steps(steps)
    network = Network((2, 2, 1), seed=0)
    fp = network.forward(LECTURE.features[:1])
    deltas = network.deltas(fp, LECTURE.labels[:1])
    computed: dict = {}      # unit → (the step's parameter, the value it computed)
    for step in backward:
        for shared in step.shared:
            layer, unit = shared.unit
            assert shared.value == pytest.approx(deltas[layer][0, unit], rel=1e-12)
            assert shared.unit in step.chain_nodes       # where it lives: on the lit chain
            if shared.reused:
                name, value = computed[shared.unit]      # computed at an earlier step
                assert shared.computed_at.name == name != step.parameter.name
                assert shared.value == value
            else:
                assert shared.unit not in computed       # computed once per pass
                assert shared.computed_at == step.parameter
                computed[shared.unit] = (step.parameter.name, shared.value)
            # every parameter that reads it, in step order, this one among them
            users = [s.parameter for s in backward if shared.unit in s.chain_nodes]
            assert list(shared.users) == users and step.parameter in shared.users
            # it is the product of the chain-rule factors it stands for
            start, stop = shared.factors
            assert stop - start >= 2
            product = math.prod(f.value for f in step.factors[start:stop])
            assert product == pytest.approx(shared.value, rel=1e-12)
            if shared.parts:
                assert math.prod(v for _, v in shared.parts) == \
                    pytest.approx(shared.value, rel=1e-12)
        # and the gradient is the parameter's own factor times its unit's δ
        direct = next(f for f in step.shared if f.factors[0] == 1)
        assert step.factors[0].value * direct.value == \
            pytest.approx(step.gradient_example, rel=1e-12, abs=1e-300)
    assert set(computed) == {(1, 0), (0, 0), (0, 1)}     # ŷ's δ, a₁'s, a₂'s


def test_the_hidden_units_delta_is_built_from_the_reused_output_delta():
    w11 = next(s for s in lecture_pass() if isinstance(s, BackwardStep)
               and s.parameter.name == "w11")
    output, hidden = w11.shared
    assert hidden.expression == "a₁(1−a₁) · w₁ · ∂L/∂z"
    assert [name for name, _ in hidden.parts] == ["a₁(1−a₁)", "w₁", "∂L/∂z"]
    assert hidden.parts[-1][1] == output.value and output.reused and not hidden.reused


def test_the_cancellation_step_gives_y_hat_minus_y():
    steps = lecture_pass()
    loss = next(s for s in steps if isinstance(s, LossStep))
    first, *rest = backward_steps(steps)
    cancel = first.cancellation
    assert cancel is not None and all(s.cancellation is None for s in rest)
    assert cancel.value == pytest.approx(loss.y_hat - loss.y, rel=1e-12)
    assert round(cancel.value, 4) == -0.5261 and round(cancel.y_hat, 4) == 0.4739
    # the two factors the chain rule multiplies, and their product, as in the records
    assert cancel.dyhat_dz == first.factors[1].value
    assert cancel.dl_dyhat == first.factors[2].value
    assert cancel.product == pytest.approx(cancel.value, rel=1e-12)
    assert cancel.dl_dyhat == pytest.approx(-cancel.y / cancel.y_hat
                                            + (1 - cancel.y) / cancel.one_minus_y_hat)
    assert cancel.value == first.shared[0].value         # the δ every later step reuses
    assert cancel.latex[-1].endswith(r"= \hat{y} - y")


def test_the_cancellation_stays_exact_when_y_hat_saturates():
    network = Network((2, 2, 1), seed=0)
    network.weights[1][:] = 40.0
    network.biases[1][:] = 60.0
    steps = walk(network, np.array([[3.0, 0.0]]), np.array([0.0]), RATE)
    cancel = backward_steps(steps)[0].cancellation
    assert cancel.value == pytest.approx(cancel.y_hat - cancel.y)
    assert cancel.value == pytest.approx(1.0)


def test_a_deeper_network_computes_every_delta_once():
    backward = backward_steps(lecture_pass(layer_sizes=(2, 3, 3, 1)))
    first_seen: dict = {}
    for step in backward:
        assert {f.unit for f in step.shared} == set(step.chain_nodes)
        for shared in step.shared:
            if shared.unit not in first_seen:
                assert not shared.reused
                first_seen[shared.unit] = shared.value
            else:
                assert shared.reused and shared.value == first_seen[shared.unit]
    assert len(first_seen) == 3 + 3 + 1
    assert backward[0].cancellation is not None
    assert sum(s.cancellation is not None for s in backward) == 1


# ---------------------------------------------------------------------- the panel
@pytest.fixture
def panel(chain_panel):
    return chain_panel


def at(steps, name):
    return next(s for s in steps if isinstance(s, BackwardStep) and s.parameter.name == name)


def test_the_panel_tags_a_reused_factor_with_its_value_and_origin(panel):
    steps = lecture_pass()
    w2 = at(steps, "w2")
    panel.show_step(w2, RATE)
    texts = panel.shown_texts()
    reuse = plain(texts["chainReuseLabel"])
    assert reuse.startswith("reused ∂L/∂z = ŷ − y = −0.5261")
    assert "— from ∂L/∂w₁" in reuse
    assert "reused" in panel.html() and "background-color" in panel.html()
    # the factor table marks the two factors ∂L/∂z stands for (∂ŷ/∂z, ∂L/∂ŷ)
    rows = texts["chainFactorsLabel"].split("<tr>")[1:]
    assert ["reused" in row for row in rows] == [False, True, True]
    # and the gradient comes from it: a₂ · ∂L/∂z
    result = plain(texts["chainReuseResultLabel"])
    assert result.startswith("so ∂L/∂w₂ = a₂ · ∂L/∂z = ")
    assert parse(result.split("=")[-1]) == pytest.approx(w2.gradient_example, abs=5e-5)


def test_the_panel_says_where_a_hidden_delta_is_computed_and_who_reuses_it(panel):
    steps = lecture_pass()
    panel.show_step(at(steps, "w11"), RATE)
    texts = panel.shown_texts()
    computed = plain(texts["chainComputedLabel"])
    assert computed.startswith("computed here ∂L/∂z₁ = a₁(1−a₁) · w₁ · ∂L/∂z = 0.0489")
    assert computed.endswith("reused by ∂L/∂w₂₁, ∂L/∂b₁")
    rows = texts["chainFactorsLabel"].split("<tr>")[1:]
    assert ["reused" in row for row in rows] == [False, False, False, True, True]
    panel.show_step(at(steps, "w21"), RATE)
    texts = panel.shown_texts()
    reuse = plain(texts["chainReuseLabel"])
    assert "reused ∂L/∂z₁ = 0.0489 — from ∂L/∂w₁₁" in reuse
    assert "chainComputedLabel" not in texts
    rows = texts["chainFactorsLabel"].split("<tr>")[1:]
    assert ["reused" in row for row in rows] == [False, True, True, True, True]


def test_the_first_backward_step_shows_the_cancellation_with_numbers(panel):
    mathtext._load()
    steps = lecture_pass()
    w1 = at(steps, "w1")
    panel.show_step(w1, RATE)
    texts = panel.shown_texts()
    title = plain(texts["chainCancellationLabelTitle"])
    assert title.startswith("computed here ∂L/∂z — ŷ(1−ŷ) cancels")
    assert "reused by the 8 parameters after this one" in title
    numbers = plain(texts["chainCancellationLabel"])
    assert numbers.startswith("∂L/∂z = 0.2493 · (−1/0.4739 + (1−1)/0.5261) =")
    assert numbers.endswith("0.4739 − 1 = ŷ − y = −0.5261")
    html = panel.html()
    assert html.count("<img") == 4          # chain rule, simplified, the two cancellation lines
    panel.show_step(at(steps, "w2"), RATE)
    assert "chainCancellationLabel" not in panel.shown_texts()


# -------------------------------------------------------------------- the diagram
@pytest.fixture
def diagram(qtbot, theme):
    view = NetworkDiagram(theme)
    qtbot.addWidget(view)
    view.resize(900, 520)
    view.set_network(Network((2, 2, 1), seed=0), ["aack", "beep"], LECTURE.features[0])
    return view


def test_the_diagram_rings_and_tags_the_unit_whose_delta_is_reused(diagram):
    steps = lecture_pass()
    expected = {
        "w1": {},
        "w2": {"node:2:0": "∂L/∂z reused"},
        "w11": {"node:2:0": "∂L/∂z reused"},
        "w21": {"node:2:0": "∂L/∂z reused", "node:1:0": "∂L/∂z₁ reused"},
        "b2": {"node:2:0": "∂L/∂z reused", "node:1:1": "∂L/∂z₂ reused"},
    }
    for name, marks in expected.items():
        diagram.show_step(at(steps, name))
        assert diagram.reuse_marks() == marks, name
        rings = {key for key, ring in diagram._rings.items() if ring.isVisible()}
        assert rings == set(marks), name
        tags = [t for t in diagram._reuse_tags if t.isVisible()]
        assert sorted(t.text() for t in tags) == sorted(marks.values())
        callout = diagram._callout.sceneBoundingRect()
        for tag in tags:                       # the tags and the step's callout stay apart
            box: QRectF = tag.sceneBoundingRect()
            assert not box.intersects(callout), name
    for step in (steps[0], next(s for s in steps if isinstance(s, LossStep)), steps[-1], None):
        diagram.show_step(step)
        assert diagram.reuse_marks() == {}
        assert not any(ring.isVisible() for ring in diagram._rings.values())
        assert not any(tag.isVisible() for tag in diagram._reuse_tags)


def test_a_deeper_network_tags_the_reused_delta_in_its_short_table(panel):
    steps = lecture_pass(layer_sizes=(2, 3, 3, 1))
    second = [s for s in steps if isinstance(s, BackwardStep)][1]     # w⁽³⁾₂₁: ∂L/∂z⁽³⁾ again
    panel.show_step(second, RATE)
    texts = panel.shown_texts()
    rows = texts["chainFactorsLabel"].split("<tr>")[1:]
    assert ["reused" in row for row in rows] == [False, True, True]
    # the δ recursion already writes every δ: no second list of them
    assert "chainReuseLabel" not in texts and texts["deltas"]
