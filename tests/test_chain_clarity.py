"""Clarity of the chain panel's loss, backward and update steps (review findings):
the batch loss formula's brackets, the row's L and the mean named apart, a backward
step's update said to wait for the update step, both loss changes at the update."""
import re

import pytest
from shown_numbers import parse

from core.data import LECTURE_EXAMPLES, Dataset
from core.network import Network
from core.records import BackwardStep, LossStep, UpdateStep
from core.walk import walk

RATE = 0.5
LECTURE = Dataset.from_examples(LECTURE_EXAMPLES)
X, Y = LECTURE.features, LECTURE.labels


def lecture_pass(mode="example", example=0):
    return walk(Network((2, 2, 1), seed=0), X, Y, RATE, example=example, mode=mode)


def plain(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html.replace("&nbsp;", " ")).split())


def bold(html: str) -> list[str]:
    return re.findall(r"<b>(.*?)</b>", html)


@pytest.fixture
def panel(chain_panel):
    return chain_panel


def test_the_batch_loss_formula_brackets_the_whole_row_loss(panel):
    loss = next(s for s in lecture_pass("batch") if isinstance(s, LossStep))
    latex = loss.equation_latex
    assert re.search(r"\\sum_\{k=1\}\^\{n\} \\left\[-y_k .* - \(1-y_k\) .*\\right\]$", latex)
    panel.show_step(loss, RATE)
    assert panel.latex_shown() == [latex]
    example = next(s for s in lecture_pass() if isinstance(s, LossStep))
    assert "[" not in example.equation_latex           # one row needs no mean, no brackets


def test_the_batch_loss_step_names_the_rows_loss_and_the_mean_apart(panel):
    loss = next(s for s in lecture_pass("batch", example=0) if isinstance(s, LossStep))
    assert round(loss.loss, 4) == 0.7467 and round(loss.mean_loss, 4) == 0.6864
    assert loss.example == 0
    panel.show_step(loss, RATE)
    texts = panel.shown_texts()
    # the bold value under the mean's formula is the mean, named so
    assert panel.value_text() == "mean L = 0.6864"
    numbers = plain(texts["chainNumbersLabel"])
    assert numbers.startswith("Example 1's loss (the row shown): L₁ = ")
    assert numbers.endswith("= 0.7467")
    assert "0.7467" not in panel.value_text()
    # per-example mode is unchanged: the example's L is the value
    panel.show_step(next(s for s in lecture_pass() if isinstance(s, LossStep)), RATE)
    assert panel.value_text() == "L = 0.7467"
    assert plain(panel.shown_texts()["chainNumbersLabel"]).startswith("L = ")


def test_a_backward_steps_update_says_it_is_applied_at_the_update_step(panel):
    for step in (s for s in lecture_pass() if isinstance(s, BackwardStep)):
        panel.show_step(step, RATE)
        update = plain(panel.shown_texts()["updateLabel"])
        assert update.startswith(f"Update: {step.parameter.label} ← ")
        assert update.endswith("(applied at the update step)"), step.parameter.name


def test_the_update_step_names_the_examples_and_the_mean_loss_change(panel):
    update = lecture_pass()[-1]
    assert isinstance(update, UpdateStep)
    network = Network((2, 2, 1), seed=0)
    mean_before = network.loss(X, Y)
    example_before = network.train_step(X[:1], Y[:1], RATE)
    assert update.example_loss_before == pytest.approx(update.loss_before)
    assert round(update.example_loss_before, 4) == 0.7467
    assert round(update.example_loss_after, 4) == 0.5456
    assert update.mean_loss_before == pytest.approx(mean_before, rel=1e-12)
    assert round(update.mean_loss_before, 4) == 0.6864
    assert update.mean_loss_after == pytest.approx(network.loss(X, Y), rel=1e-12)
    assert update.example_loss_before == pytest.approx(example_before, rel=1e-12)
    panel.show_step(update, RATE)
    texts = panel.shown_texts()
    assert panel.value_text() == "This example's L: 0.7467 → 0.5456"
    other = plain(texts["chainOtherLossLabel"])
    assert other.startswith("Mean L over every row of the table: 0.6864 → ")
    assert parse(other.split("→")[-1]) == pytest.approx(update.mean_loss_after, abs=5e-5)


def test_a_batch_update_shows_the_mean_first_and_the_example_named(panel):
    update = lecture_pass("batch", example=2)[-1]
    assert update.mean_loss_before == pytest.approx(update.loss_before, rel=1e-12)
    assert update.mean_loss_after == pytest.approx(update.loss_after, rel=1e-12)
    panel.show_step(update, RATE)
    assert panel.value_text().startswith("Mean L: 0.6864 → ")
    other = plain(panel.shown_texts()["chainOtherLossLabel"])
    assert other.startswith("Example 3's L: ")
    before, after = (parse(v) for v in other.split(": ")[1].split(" → "))
    assert before == pytest.approx(update.example_loss_before, abs=5e-5)
    assert after == pytest.approx(update.example_loss_after, abs=5e-5)
    assert bold(panel.html())                                # the main line stays bold
