"""The records of one training pass: what ``core.walk.walk`` returns and the GUI plays.

Plain immutable data, no maths: the network (``ParameterRef``), the chain rule
(``Factor``) and the walk all build them, and the views read them, dispatching on
the record's type (``match step: case BackwardStep(): …``).

Layer indexing: ``layer`` is the 0-based index into ``Network.weights`` /
``Network.biases``, so layer 0 feeds the first hidden layer and the last layer
feeds the output unit ŷ.  Units are 0-based within their layer.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["ParameterRef", "Factor", "Cancellation", "SharedFactor", "ForwardStep", "LossStep",
           "BackwardStep", "UpdateStep", "Step"]


@dataclass(frozen=True)
class ParameterRef:
    """Which weight or bias a record is about.

    ``name`` is the lecture's name for a 2-H-1 network (``w11``, ``b1``, ``w1``,
    ``b``) or the layer-indexed name for deeper ones (see ``Network.parameter``).
    For a weight, ``row`` is the input unit i and ``col`` the receiving unit j
    (``weights[layer][row, col]``); for a bias ``row`` is None.
    """
    name: str
    layer: int
    row: int | None
    col: int
    label: str   # Unicode for plain text, e.g. "w₁₁"
    latex: str   # e.g. "w_{11}"

    @property
    def is_bias(self) -> bool:
        return self.row is None


@dataclass(frozen=True)
class Factor:
    """One factor of the chain rule: e.g. ∂z₁/∂w₁₁ = x₁ = 3.

    ``label``/``latex`` name the derivative, ``expression``/``expression_latex``
    give its symbolic value (``x₁``, ``a₁(1−a₁)``), ``value`` the number.
    """
    label: str
    latex: str
    expression: str
    expression_latex: str
    value: float


@dataclass(frozen=True)
class Cancellation:
    """∂L/∂z = ∂ŷ/∂z · ∂L/∂ŷ = ŷ(1−ŷ) · (−y/ŷ + (1−y)/(1−ŷ)) = ŷ − y for one example.

    The lecture cancels ŷ(1−ŷ) against the denominator of ∂L/∂ŷ; this record holds
    that identity (``latex``: the symbols, one line per stage of the cancellation)
    and the example's numbers: the two factors as the chain rule has them
    (``dyhat_dz``, ``dl_dyhat``), their ``product`` as multiplied, and ``value`` =
    ŷ − y, the output δ every later backward step reuses (equal to the product up
    to rounding; exact when ŷ saturates, where the product is not).
    """
    latex: tuple[str, ...]
    y: float
    y_hat: float
    one_minus_y_hat: float
    dyhat_dz: float
    dl_dyhat: float
    product: float
    value: float


@dataclass(frozen=True)
class SharedFactor:
    """∂L/∂(one unit's z), its δ: back-propagation computes it once and every
    parameter below the unit reuses it.

    ``label``/``latex`` name it (``∂L/∂z``, ``∂L/∂z₁``); ``expression`` is how it is
    computed from what is above it (``ŷ − y``; ``∂a₁/∂z₁ · ∂z/∂a₁ · ∂L/∂z``) and
    ``parts`` that product's factors as (Unicode symbol, value) pairs (empty for
    the output's ŷ − y, see ``Cancellation``, and for deeper layers, whose δ
    recursion is ``BackwardStep.delta_terms``).  ``value`` is the walked
    example's.  ``unit`` is where it lives, (layer, unit) as in
    ``BackwardStep.chain_nodes``.  ``computed_at`` is the parameter whose backward
    step computes it — the first of the pass to need it; ``reused`` says this step
    reads it from there instead.  ``factors`` is the (start, stop) slice of
    ``BackwardStep.factors`` whose product it is ((0, 0): not among them), and
    ``users`` every parameter of the pass whose gradient uses it, in step order.
    """
    label: str
    latex: str
    expression: str
    parts: tuple[tuple[str, float], ...]
    value: float
    unit: tuple[int, int]
    computed_at: ParameterRef
    reused: bool
    factors: tuple[int, int] = (0, 0)
    users: tuple[ParameterRef, ...] = ()


@dataclass(frozen=True)
class ForwardStep:
    """Compute one unit: z = Σ inputs·weights + bias, a = σ(z).

    ``inputs``/``weights`` are the incoming activations and weights of the
    example being walked (``example``); ``z_rows``/``a_rows`` hold the unit's
    values for every row of the batch (length 1 in per-example mode).
    ``equation_latex`` is the symbolic equation (``z_1 = x_1 w_{11} + ...``).
    """
    layer: int
    unit: int
    is_output: bool
    unit_label: str          # "a₁", "ŷ", "a⁽²⁾₁"
    unit_latex: str          # "a_1", "\\hat{y}", "a^{[2]}_1"
    z_label: str             # "z₁", "z"
    z_latex: str
    input_labels: tuple[str, ...]
    input_latex: tuple[str, ...]
    weight_refs: tuple[ParameterRef, ...]
    bias_ref: ParameterRef
    inputs: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    z: float
    a: float
    equation_latex: str
    activation_latex: str    # "a_1 = \sigma(z_1)"
    z_rows: tuple[float, ...] = ()
    a_rows: tuple[float, ...] = ()


@dataclass(frozen=True)
class LossStep:
    """L(y, ŷ) = −y ln ŷ − (1−y) ln(1−ŷ); in batch mode the mean over rows.

    ``y``/``y_hat``/``loss`` are the walked example's (row ``example`` of the
    table, 0-based); ``loss_rows`` every row's and ``mean_loss`` their mean (equal
    to ``loss`` in per-example mode).  ``equation_latex`` defines the loss the
    update descends: the example's, or in batch mode the mean.
    """
    y: float
    y_hat: float
    loss: float
    loss_rows: tuple[float, ...]
    mean_loss: float
    equation_latex: str
    example: int = 0


@dataclass(frozen=True)
class BackwardStep:
    """∂L/∂(one parameter) by the chain rule.

    ``factors`` are in the lecture's order (∂z₁/∂w₁₁ · ∂a₁/∂z₁ · ∂z/∂a₁ · ∂ŷ/∂z
    · ∂L/∂ŷ) for the walked example; their product is ``gradient_example``.
    ``chain_nodes`` names the units on the path from L back to the parameter
    as (layer, unit) pairs (output unit first; layer as in ``ForwardStep``),
    and ``chain_edges`` the weights that path crosses as ParameterRefs, so a
    diagram can light the whole chain.
    ``simplified_latex`` is the cancelled form (−x_1 w_1 a_1(1−a_1)(y−ŷ));
    ``simplified_terms`` its symbols and values, in order.
    For deeper networks ``delta_terms`` give the δ recursion with numbers
    (δ⁽ˡ⁾ = (W⁽ˡ⁺¹⁾δ⁽ˡ⁺¹⁾) ⊙ a⁽ˡ⁾(1−a⁽ˡ⁾)) as (label, latex, value) triples.
    ``gradient`` is what the update uses: the example's gradient in
    per-example mode, the mean over the batch in full-batch mode, where
    ``row_gradients`` holds every row's term.
    ``numerical_gradient`` is a central finite difference of the same loss.
    ``shared`` are the δ = ∂L/∂z of every unit on the chain (output first), each
    marked as computed at this step or reused from an earlier one (see
    ``SharedFactor``); ``cancellation`` is set on the step that computes the
    output's δ, ŷ − y (the pass's first backward step).
    """
    parameter: ParameterRef
    value: float
    factors: tuple[Factor, ...]
    chain_latex: str
    simplified_latex: str
    simplified_terms: tuple[tuple[str, float], ...]
    chain_nodes: tuple[tuple[int, int], ...]
    chain_edges: tuple[ParameterRef, ...]
    gradient_example: float
    gradient: float
    row_gradients: tuple[float, ...]
    numerical_gradient: float
    delta_terms: tuple[tuple[str, str, float], ...] = ()
    learning_rate: float = float("nan")
    new_value: float = float("nan")   # value − learning_rate · gradient
    shared: tuple[SharedFactor, ...] = ()
    cancellation: Cancellation | None = None

    @property
    def reused(self) -> tuple[SharedFactor, ...]:
        """The shared factors this step reads from earlier steps."""
        return tuple(f for f in self.shared if f.reused)

    @property
    def computed(self) -> tuple[SharedFactor, ...]:
        """The shared factors this step computes for the steps after it."""
        return tuple(f for f in self.shared if not f.reused)


@dataclass(frozen=True)
class UpdateStep:
    """p ← p − α·∂L/∂p for every parameter at once.

    ``changes`` maps each ParameterRef to (old, gradient, new), in the order
    ``Network.parameter_names()`` gives.  ``new_weights``/``new_biases`` are the
    whole parameter arrays after the step (copies), so a player can apply them.
    """
    learning_rate: float
    changes: tuple[tuple[ParameterRef, float, float, float], ...]
    new_weights: tuple[np.ndarray, ...]
    new_biases: tuple[np.ndarray, ...]
    loss_before: float
    loss_after: float
    mode: str = "example"
    example: int = 0
    example_loss_before: float = float("nan")
    example_loss_after: float = float("nan")
    mean_loss_before: float = float("nan")
    mean_loss_after: float = float("nan")


Step = ForwardStep | LossStep | BackwardStep | UpdateStep
