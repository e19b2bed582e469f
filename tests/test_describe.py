"""The one-sentence descriptions screen readers get (core/describe.py)."""
import pytest

from core.data import LECTURE_EXAMPLES, Dataset
from core.describe import describe_newton, describe_step
from core.network import Network
from core.newton import newton_minimize
from core.records import BackwardStep, ForwardStep, LossStep, UpdateStep
from core.stepper import TrainingStepper

LECTURE = Dataset.from_examples(LECTURE_EXAMPLES)


def one_pass():
    stepper = TrainingStepper(Network((2, 2, 1), seed=0), LECTURE.features, LECTURE.labels)
    records = []
    while True:
        stepper.step()
        records.append(stepper.current)
        if isinstance(stepper.current, UpdateStep):
            return records


def test_every_record_of_a_pass_reads_as_one_sentence_with_its_numbers():
    records = one_pass()
    sentences = [describe_step(r, example=0) for r in records]
    assert len(set(sentences)) == len(sentences)          # each step says something new
    assert all("\n" not in s and "(example 1)" in s or s.startswith("Update") for s in sentences)
    w11 = next(r for r in records if isinstance(r, BackwardStep) and r.parameter.name == "w11")
    # the lecture's first example at seed 0, as the chain panel shows it
    assert describe_step(w11, example=0) == ("Backward step (example 1): ∂L/∂w₁₁ = 0.1468, "
                                             "reusing ∂L/∂z = −0.5261, computing ∂L/∂z₁ = 0.0489")
    w21 = next(r for r in records if isinstance(r, BackwardStep) and r.parameter.name == "w21")
    assert describe_step(w21).endswith("∂L/∂w₂₁ = 0, reusing ∂L/∂z₁ = 0.0489")
    loss = next(r for r in records if isinstance(r, LossStep))
    assert describe_step(loss) == "Loss: y = 1, ŷ = 0.4739, L = 0.7467"
    forward = next(r for r in records if isinstance(r, ForwardStep))
    assert describe_step(forward).startswith("Forward step: z₁ = x₁·")
    assert "a₁ = σ(z₁) = 0.5663" in describe_step(forward)
    update = describe_step(records[-1])
    assert update.startswith("Update with α = 0.5: ")
    assert "w₁₁ 0.0889 → 0.0155" in update
    assert update.count("→") == 9                          # every weight and bias


def test_the_start_and_a_non_record():
    assert describe_step(None, example=2) == \
        "Ready: the next step starts the forward pass (example 3)."
    with pytest.raises(TypeError):
        describe_step("forward")


def test_newton_descriptions_follow_the_lecture_example():
    run = newton_minimize("exp(x) - ln(x)", 0.05, tol=1e-10)
    total = len(run.steps)
    assert describe_newton(run.iterates, 0, total, minimise=True) == \
        "Start: x₀ = 0.05, looking for a minimum"
    assert describe_newton(run.iterates, 3, total) == \
        "Step 3 of 9: x₃ = 0.32052"
    end = describe_newton(run.iterates, total, total, outcome=run.message)
    assert end.startswith("Step 9 of 9: x₉ = 0.567143. ") and run.message in end
    assert describe_newton((), 0, 0) == "No function yet: type one, or choose a demo."
