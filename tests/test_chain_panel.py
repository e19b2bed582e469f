"""The chain-rule panel shows the core's numbers for every kind of micro-step."""
import html
import re
import statistics
import time

import pytest

from core.data import LECTURE_EXAMPLES, Dataset
from core.network import Network
from core.walk import walk
from gui import mathtext
from gui.classifier.chain_panel import ChainRulePanel, format_number

RATE = 0.5


@pytest.fixture
def data():
    dataset = Dataset.from_examples(LECTURE_EXAMPLES)
    return dataset.features, dataset.labels


@pytest.fixture
def panel(qtbot, theme):
    widget = ChainRulePanel(theme)
    qtbot.addWidget(widget)
    widget.resize(700, 600)
    return widget


NUMBER = r"−?\d+(?:\.\d+)?(?:×10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?"


def parse(text: str) -> float:
    text = text.strip().replace("−", "-")
    match = re.fullmatch(r"(-?[\d.]+)×10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)", text)
    if match:
        exponent = match.group(2).translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789"))
        return float(match.group(1)) * 10.0 ** int(exponent)
    return float(text)


def numbers_in(html: str) -> list[float]:
    plain = re.sub(r"<[^>]+>", " ", html)
    return [parse(m) for m in re.findall(NUMBER, plain)]


def shown(value: float, rel: float = 6e-4):
    """``value`` as the panel shows it: 4 significant digits."""
    return pytest.approx(value, rel=rel, abs=1e-12)


def value_of(panel) -> float:
    return parse(panel.value_text().split("=")[-1])


def test_nothing_to_show(panel):
    panel.show_step(None, RATE)
    assert panel.objectName() == "chainRulePanel"
    assert panel.value_text() == ""
    assert "Step" in panel.shown_texts()["chainTitleLabel"]


def test_forward_steps_show_their_equation_with_numbers(panel, data):
    X, y = data
    network = Network((2, 2, 1), seed=0)
    for step in (s for s in walk(network, X, y, RATE) if s.kind == "forward"):
        panel.show_step(step, RATE)
        assert value_of(panel) == shown(step.a)
        texts = panel.shown_texts()
        numbers = numbers_in(texts["chainNumbersLabel"])
        # z = x₁·w₁₁ + x₂·w₂₁ + b₁ = z, then σ(z) = a, each number as in the record.
        expected = [n for x, w in zip(step.inputs, step.weights) for n in (x, w)]
        expected += [step.bias, step.z]
        assert numbers[:len(expected)] == [shown(v) for v in expected]
        assert numbers[-1] == shown(step.a)
        assert step.z_label in texts["chainNumbersLabel"]
        assert panel.latex_shown()[0].startswith(step.equation_latex)


def test_loss_step(panel, data):
    X, y = data
    loss = next(s for s in walk(Network((2, 2, 1), seed=0), X, y, RATE) if s.kind == "loss")
    panel.show_step(loss, RATE)
    assert value_of(panel) == shown(loss.loss)
    numbers = numbers_in(panel.shown_texts()["chainNumbersLabel"])
    assert shown(loss.y_hat) in numbers and numbers[-1] == shown(loss.loss)
    assert panel.latex_shown() == [loss.equation_latex]


def test_every_backward_step_shows_the_records_numbers(panel, data):
    X, y = data
    steps = walk(Network((2, 2, 1), seed=0), X, y, RATE)
    backward = [s for s in steps if s.kind == "backward"]
    assert len(backward) == 9
    for step in backward:
        panel.show_step(step, RATE)
        texts = panel.shown_texts()
        assert value_of(panel) == shown(step.gradient)
        factors = numbers_in(texts["chainFactorsLabel"])
        for factor in step.factors:
            assert shown(factor.value) in factors
        product = numbers_in(texts["chainNumbersLabel"])
        assert product[-1] == shown(step.gradient_example)
        check = texts["numericCheckLabel"]
        assert "finite difference" in check
        assert numbers_in(check)[0] == shown(step.numerical_gradient)
        # w ← w − α·∂L/∂w = value − rate·gradient = new value
        update = numbers_in(texts["updateLabel"].split("=")[-2] + texts["updateLabel"].split("=")[-1])
        assert update == [shown(step.value), shown(RATE), shown(step.gradient),
                          shown(step.new_value)]
        assert "α" in texts["updateLabel"] and "←" in texts["updateLabel"]
        assert panel.latex_shown() == [step.chain_latex, step.simplified_latex]
        terms = numbers_in(texts["chainSimplifiedNumbersLabel"])
        assert [shown(v) for _, v in step.simplified_terms] == terms[:len(step.simplified_terms)]


def test_w11_matches_the_lecture(panel, data):
    X, y = data
    step = next(s for s in walk(Network((2, 2, 1), seed=0), X, y, RATE)
                if s.kind == "backward" and s.parameter.name == "w11")
    panel.show_step(step, RATE)
    texts = panel.shown_texts()
    # The five factors of the notes: ∂z₁/∂w₁₁ · ∂a₁/∂z₁ · ∂z/∂a₁ · ∂ŷ/∂z · ∂L/∂ŷ.
    for label in ("∂z₁/∂w₁₁", "∂a₁/∂z₁", "∂z/∂a₁", "∂ŷ/∂z", "∂L/∂ŷ"):
        assert label in texts["chainFactorsLabel"]
    assert "chainNoteLabel" not in texts


def test_w12_and_w21_carry_the_swap_note(panel, data):
    X, y = data
    steps = walk(Network((2, 2, 1), seed=0), X, y, RATE)
    for name in ("w12", "w21"):
        step = next(s for s in steps if s.kind == "backward" and s.parameter.name == name)
        panel.show_step(step, RATE)
        assert "swaps" in panel.shown_texts()["chainNoteLabel"]


def test_batch_mode_shows_the_mean_and_every_rows_term(panel, data):
    X, y = data
    steps = walk(Network((2, 2, 1), seed=0), X, y, RATE, example=2, mode="batch")
    step = next(s for s in steps if s.kind == "backward" and s.parameter.name == "w11")
    panel.show_step(step, RATE)
    texts = panel.shown_texts()
    assert value_of(panel) == shown(step.gradient)
    assert "mean" in panel.value_text()
    batch = numbers_in(texts["chainBatchLabel"])
    assert batch[:4] == [shown(g) for g in step.row_gradients]
    assert batch[-1] == shown(step.gradient)
    assert "this example" in texts["chainNumbersLabel"]
    loss = next(s for s in steps if s.kind == "loss")
    panel.show_step(loss, RATE)
    batch = numbers_in(panel.shown_texts()["chainBatchLabel"])
    assert batch[:2] == [4, shown(loss.mean_loss)]
    assert batch[2:] == [shown(v) for v in loss.loss_rows]


def test_deep_network_shows_the_delta_recursion(panel, data):
    X, y = data
    steps = walk(Network((2, 3, 3, 1), seed=0), X, y, RATE)
    step = next(s for s in steps if s.kind == "backward" and s.parameter.layer == 0
                and s.parameter.row == 0 and s.parameter.col == 0)
    assert len(step.delta_terms) >= 3
    panel.show_step(step, RATE)
    deltas = panel.shown_texts()["deltas"].splitlines()
    assert len(deltas) == len(step.delta_terms)
    for line, (_label, latex, value) in zip(deltas, step.delta_terms):
        assert line.startswith(latex)
        assert numbers_in(line.split(latex, 1)[1])[-1] == shown(value)
    assert value_of(panel) == shown(step.gradient)
    # A 2-2-1 network has no δ section.
    simple = next(s for s in walk(Network((2, 2, 1), seed=0), X, y, RATE)
                  if s.kind == "backward")
    panel.show_step(simple, RATE)
    assert panel.shown_texts()["deltas"] == ""


def test_update_lists_every_parameter_old_to_new(panel, data):
    X, y = data
    update = walk(Network((2, 2, 1), seed=0), X, y, RATE)[-1]
    panel.show_step(update, RATE)
    table = html.unescape(re.sub(r"<[^>]+>", " ", panel.shown_texts()["chainFactorsLabel"]))
    for ref, old, gradient, new in update.changes:
        row = re.search(rf"(?:^|\s){re.escape(ref.label)}\s+({NUMBER})\s+({NUMBER})\s+→\s+({NUMBER})",
                        table)
        assert row, ref.label
        values = [parse(v) for v in row.groups()]
        assert values == [pytest.approx(v, rel=6e-3, abs=1e-12) for v in (old, gradient, new)]
    assert numbers_in(panel.value_text()) == [shown(update.loss_before), shown(update.loss_after)]


def test_formulas_are_typeset_and_steps_are_fast(panel, data):
    mathtext._load()
    X, y = data
    steps = walk(Network((2, 2, 1), seed=0), X, y, RATE)
    for step in steps:                 # warm-up: every formula typeset once
        panel.show_step(step, RATE)
    w11 = next(s for s in steps if s.kind == "backward" and s.parameter.name == "w11")
    panel.show_step(w11, RATE)
    assert not panel._symbolic.pixmap().isNull()       # typeset, not the text fallback
    assert panel._symbolic.text() == ""
    timings = []
    for _ in range(5):
        for step in steps:
            start = time.perf_counter()
            panel.show_step(step, RATE)
            timings.append(time.perf_counter() - start)
    # Budget ≲ 3 ms; loose bound so a busy machine does not flake.
    assert statistics.median(timings) < 0.010


def test_format_number():
    assert format_number(-0.0213) == "−0.0213"
    assert format_number(3.0) == "3"
    assert format_number(0.5, 4) == "0.5"
    assert format_number(1.234e-5) == "1.23×10⁻⁵"
    assert format_number(-0.004, decimals=2) == "−0.00"
