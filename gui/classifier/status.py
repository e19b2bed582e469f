"""The classifier's status line: epoch, which example, which micro-step, mean loss.

"Epoch 2 · example 3 “Aack beep beep beep!” · step 5/14 backward: ∂L/∂w₁ · mean loss 0.4512"
"""
from __future__ import annotations

import numpy as np

from core.notation import format_number
from core.records import BackwardStep, ForwardStep, LossStep, UpdateStep
from core.stepper import TrainingStepper


def status_text(stepper: TrainingStepper, sentences: list[str]) -> str:
    """Where ``stepper`` is, in words; ``sentences`` are the table's rows."""
    if not stepper.can_step:
        return "Add sentences to train the network."
    row = stepper.example
    sentence = sentences[row] if row < len(sentences) else ""
    mode = "full batch" if stepper.mode == "batch" else f"example {row + 1} “{sentence}”"
    current = stepper.current
    where = "ready" if current is None else describe(current)
    position = f"step {stepper.index + 1}/{len(stepper.steps)}" if stepper.steps else ""
    loss = stepper.loss()
    loss_text = ("" if loss is None or not np.isfinite(loss)
                 else f" · mean loss {format_number(loss)}")      # a VALUE, like L in the panel
    return f"Epoch {stepper.epoch} · {mode} · {position} {where}{loss_text}".replace("  ", " ")


def describe(step) -> str:
    """What a walk record computes, in a few words."""
    match step:
        case ForwardStep():
            return f"forward: compute {step.unit_label}"
        case LossStep():
            return "loss L"
        case BackwardStep():
            return f"backward: ∂L/∂{step.parameter.label}"
        case UpdateStep():
            return "update every parameter"
    return ""
