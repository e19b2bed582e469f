"""One sentence about the step on show, for screen readers (the diagram's and the
Newton plot's accessible descriptions) — plain text, the numbers as the views
write them (``core.notation``), no Qt.

    describe_step(BackwardStep(∂L/∂w₁₁ …)) ==
        "Backward step: ∂L/∂w₁₁ = 0.1468, reusing ∂L/∂z = −0.5261, computing ∂L/∂z₁ = 0.0489"
"""
from __future__ import annotations

from core.notation import NumberRole, format_number, subscript
from core.records import BackwardStep, ForwardStep, LossStep, Step, UpdateStep

__all__ = ["describe_step", "describe_newton"]


def _v(value: float) -> str:
    return format_number(value, NumberRole.VALUE)


def _d(value: float) -> str:
    return format_number(value, NumberRole.DERIVATIVE)


def describe_step(step: Step | None, example: int | None = None) -> str:
    """The classifier's current micro-step in one sentence; ``None`` is the start
    of an example, before its forward pass."""
    where = f" (example {example + 1})" if example is not None else ""
    match step:
        case None:
            return f"Ready: the next step starts the forward pass{where}."
        case ForwardStep():
            terms = " + ".join(f"{label}·{_v(w)}" for label, w in
                               zip(step.input_labels, step.weights))
            return (f"Forward step{where}: {step.z_label} = {terms} + {_v(step.bias)} = "
                    f"{_v(step.z)}, {step.unit_label} = σ({step.z_label}) = {_v(step.a)}")
        case LossStep():
            return (f"Loss{where}: y = {_v(step.y)}, ŷ = {_v(step.y_hat)}, "
                    f"L = {_v(step.loss)}")
        case BackwardStep():
            # back-propagation's reuse, as the panel tags it and the diagram rings it
            reuse = "".join(f", reusing {f.label} = {_d(f.value)}" for f in step.reused[-1:])
            reuse += "".join(f", computing {f.label} = {_d(f.value)}" for f in step.computed)
            return (f"Backward step{where}: ∂L/∂{step.parameter.label} = "
                    f"{_d(step.gradient)}{reuse}")
        case UpdateStep():
            changes = ", ".join(f"{ref.label} {_v(old)} → {_v(new)}"
                                for ref, old, _gradient, new in step.changes)
            return f"Update with α = {_v(step.learning_rate)}: {changes}"
    raise TypeError(f"not a step record: {step!r}")


def describe_newton(iterates: tuple[float, ...], position: int, total: int,
                    outcome: str = "", minimise: bool = False) -> str:
    """The Newton view in one sentence: where the iteration is and, at the end,
    how it ended. ``iterates`` are x₀, x₁, …; ``position`` the steps taken."""
    if not iterates:
        return "No function yet: type one, or choose a demo."
    position = max(0, min(position, len(iterates) - 1))
    x = iterates[position]
    what = "minimum" if minimise else "root"
    head = f"Step {position} of {total}: x{subscript(position)} = " \
           f"{format_number(x, NumberRole.ITERATE)}" if position else \
           f"Start: x₀ = {format_number(x, NumberRole.ITERATE)}, looking for a {what}"
    if position >= total and outcome:
        return f"{head}. {outcome}"
    return head
