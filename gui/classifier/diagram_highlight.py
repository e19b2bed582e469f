"""What a walk record lights in the network diagram (no Qt).

The unit being computed and its incoming edges (forward), ŷ → L (loss), the whole
chain from L back to the parameter being differentiated (backward), every
parameter (update).  Items are named as in ``gui.classifier.diagram``.

Lit items take the colour of the step's kind (``stage``, as
``Palette.stage_colour`` names it); the units a forward step reads from stay at
full strength (``plain``) so x₁, x₂ are legible while a₁ is computed; lit edges
carry an arrowhead the way the step's quantity flows (``direction``: values
forward, derivatives backward).  A backward step also marks the units whose δ =
∂L/∂z it reuses from an earlier step (``reused``: the record's ``shared`` factors).
"""
from __future__ import annotations

from typing import NamedTuple

from core.notation import NumberRole, format_number
from core.records import BackwardStep, ForwardStep, LossStep, UpdateStep
from gui.classifier.diagram_text import ref_key


class StepLight(NamedTuple):
    lit: set                      # item names to light
    callout: tuple | None         # (item name, text) of the step's tag
    glowing: bool                 # lit items glow (not for the update: all are lit)
    known_until: tuple            # (node layer, unit): unit values before it are shown
    loss_value: float | None      # written in the L node
    stage: str | None = None      # "forward", "loss", "backward", "update" (None at rest)
    plain: frozenset = frozenset()  # items shown at full strength, neither lit nor faded
    direction: int = 0            # lit edges' arrowheads: 1 forward, −1 backward, 0 none
    target: float | None = None   # y of the walked example, if the record says it
    # (unit's item name, tag text or "" for a ring alone) of every reused δ
    reused: tuple = ()


def step_light(step, shape, edge_keys, bias_keys) -> StepLight:
    """What ``step`` (a walk record, or None for "at rest") is about."""
    lit: set[str] = set()
    callout = None
    glowing = True
    known_until = (len(shape), 0)
    loss_value = None
    stage = None
    plain: frozenset = frozenset()
    direction = 0
    target = None
    reused: tuple = ()
    match step:
        case ForwardStep():
            k = step.layer + 1
            lit.add(f"node:{k}:{step.unit}")
            lit.add(f"bias:{step.layer}:{step.unit}")
            lit.update(f"edge:{step.layer}:{i}:{step.unit}" for i in range(len(step.inputs)))
            known_until = (k, step.unit)
            stage, direction = "forward", 1
            plain = frozenset(f"node:{step.layer}:{i}" for i in range(len(step.inputs)))
            callout = (f"node:{k}:{step.unit}",
                       f"{step.z_label} = {format_number(step.z, NumberRole.VALUE)}   "
                       f"{step.unit_label} = {format_number(step.a, NumberRole.VALUE)}")
        case LossStep():
            lit.update({f"node:{len(shape) - 1}:0", "loss_edge", "loss"})
            loss_value = step.loss
            stage, direction, target = "loss", 1, step.y
            callout = ("loss", f"L = {format_number(step.loss, NumberRole.VALUE)}")
        case BackwardStep():
            ref = step.parameter
            lit.update({"loss", "loss_edge"})
            lit.update(f"node:{layer + 1}:{unit}" for layer, unit in step.chain_nodes)
            lit.update(ref_key(edge) for edge in step.chain_edges)
            lit.add(ref_key(ref))
            if not ref.is_bias:
                lit.add(f"node:{ref.layer}:{ref.row}")
            lit.add(f"node:{ref.layer + 1}:{ref.col}")
            stage, direction = "backward", -1
            target = next((v for name, v in step.simplified_terms if name == "y"), None)
            callout = (ref_key(ref),
                       f"∂L/∂{ref.label} = {format_number(step.gradient, NumberRole.DERIVATIVE)}")
            reused = reuse_marks(step)
        case UpdateStep():
            lit.update(edge_keys)
            lit.update(bias_keys)
            glowing = False
            stage = "update"
    return StepLight(lit, callout, glowing, known_until, loss_value, stage, plain,
                     direction, target, reused)


def reuse_marks(step: BackwardStep) -> tuple:
    """(unit's item name, tag) of each δ the step reuses: a tag naming it for the
    output's and for those among the step's factors, a ring alone for a deeper
    network's other units (the panel's δ recursion names them)."""
    marks = []
    for shared in step.reused:
        layer, unit = shared.unit
        named = shared.factors[1] > shared.factors[0] or shared.unit == step.chain_nodes[0]
        marks.append((f"node:{layer + 1}:{unit}", f"{shared.label} reused" if named else ""))
    return tuple(marks)


def step_fits(step, lit: set, shape, item_keys, parameter_keys) -> bool:
    """Whether ``step``'s items all exist: a record of another shape (say, the
    current step when a vocabulary change is undone) must not be drawn.
    ``item_keys``: every lightable name; ``parameter_keys``: edges and biases."""
    known = lit <= item_keys
    if isinstance(step, ForwardStep):
        known = known and 0 <= step.layer < len(shape) - 1 and \
            len(step.inputs) == shape[step.layer]
    if isinstance(step, UpdateStep):
        keys = {ref_key(ref) for ref, *_ in step.changes}
        known = known and keys <= parameter_keys
    return known
