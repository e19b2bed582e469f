"""The micro-steps of one training pass, as immutable records the GUI plays.

A pass over one example (or, in full-batch mode, over the whole batch) is

    forward (one step per unit, layer by layer) -> loss
    -> backward (one step per parameter, output layer first) -> update

``walk`` returns that list. Every record carries everything a view needs to draw
it (values, labels, LaTeX); views never recompute the maths.

Layer indexing: ``layer`` is the 0-based index into ``Network.weights`` /
``Network.biases``, so layer 0 feeds the first hidden layer and the last layer
feeds the output unit ŷ.  Units are 0-based within their layer.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from core.notation import Notation, NumberRole, format_factor, format_number

__all__ = [
    "ParameterRef", "Factor", "ForwardStep", "LossStep", "BackwardStep",
    "UpdateStep", "Step", "walk", "chain_factors",
]


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
    z_rows: tuple[float, ...] = ()
    a_rows: tuple[float, ...] = ()
    kind: str = field(default="forward", init=False)
    activation_latex: str = ""   # "a_1 = \sigma(z_1)"
    numbers_latex: str = ""      # the equation with the example's numbers


@dataclass(frozen=True)
class LossStep:
    """L(y, ŷ) = −y ln ŷ − (1−y) ln(1−ŷ); in batch mode the mean over rows.

    ``y``/``y_hat``/``loss`` are the walked example's; ``loss_rows`` every row's
    and ``mean_loss`` their mean (equal to ``loss`` in per-example mode).
    """
    y: float
    y_hat: float
    loss: float
    loss_rows: tuple[float, ...]
    mean_loss: float
    equation_latex: str
    kind: str = field(default="loss", init=False)
    numbers_latex: str = ""      # the example's loss with numbers


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
    kind: str = field(default="backward", init=False)
    numbers_latex: str = ""      # chain rule with the example's numbers = product
    learning_rate: float = float("nan")
    new_value: float = float("nan")   # value − learning_rate · gradient
    update_latex: str = ""       # w_{11} \leftarrow w_{11} - \alpha ... with numbers


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
    kind: str = field(default="update", init=False)
    mode: str = "example"
    example: int = 0


Step = ForwardStep | LossStep | BackwardStep | UpdateStep


# A central difference with this step has truncation error ~1e-10 and rounding
# error ~1e-11 for losses of order 1: well below what the panel displays.
_FD_STEP = 1e-5
_TINY = np.finfo(float).tiny


def walk(network, X, y, learning_rate, *, example=0, mode="example"):
    """The micro-steps of one pass, without changing ``network``.

    mode="example": the pass over row ``example`` of X (stochastic update, as in
    the lecture). mode="batch": forward and loss for every row, backward steps
    carry the batch-mean gradient (and each row's term), the update uses the
    mean; the displayed example is still ``example``.

    Returns a list: one ForwardStep per unit (hidden layers first, then ŷ), a
    LossStep, one BackwardStep per parameter in ``network.parameter_names()``
    order, and the UpdateStep p ← p − α·∂L/∂p.

    What the fields hold, beyond the record docstrings:

    * factors, chain/simplified/numbers LaTeX and ``gradient_example`` are
      always the shown example's; ``gradient`` is what the update uses (the
      batch mean in batch mode, computed exactly as ``Network.gradients``, so
      applying the UpdateStep equals ``train_step`` bit for bit).
    * ``simplified_terms`` pairs Unicode symbols with values, in the order of
      ``simplified_latex`` (("x₁", 3.0), ("w₁", …), ("a₁", …), ("y", …), ("ŷ", …)).
    * ``numerical_gradient`` differentiates the loss the update descends: the
      example's in example mode, the batch mean in batch mode.
    * ``UpdateStep.loss_before``/``loss_after`` are that same loss before and
      after the update.
    * Optional extras (not needed to play a pass): ``ForwardStep.activation_latex``
      and ``numbers_latex``, ``LossStep.numbers_latex``, ``BackwardStep.numbers_latex``
      (the chain with numbers), ``learning_rate``, ``new_value`` and
      ``update_latex``, ``UpdateStep.mode`` and ``example``.
    """
    from core.network import _as_labels, _as_matrix, _row_losses_from_logits

    X = _as_matrix(X, network.layer_sizes[0])
    y = _as_labels(y, len(X))
    if len(X) == 0:
        raise ValueError("no rows to walk through")
    if mode not in ("example", "batch"):
        raise ValueError(f"mode must be 'example' or 'batch', not {mode!r}")
    example = int(example)
    if not 0 <= example < len(X):
        raise ValueError(f"example {example} is not a row of the {len(X)}-row table")
    learning_rate = float(learning_rate)
    if mode == "example":
        rows_X, rows_y, shown = X[example:example + 1], y[example:example + 1], 0
    else:
        rows_X, rows_y, shown = X, y, example

    fp = network.forward(rows_X)
    deltas = network.deltas(fp, rows_y)
    grads = network.gradients(rows_X, rows_y)
    row = _Row(fp, deltas, shown, rows_y[shown])
    loss_rows = _row_losses_from_logits(fp.pre_activations[-1][:, 0], rows_y)

    steps: list = _forward_steps(network, fp, row)
    steps.append(_loss_step(row, loss_rows, mode))

    new_weights = tuple(w - learning_rate * g for w, g in zip(network.weights, grads.weights))
    new_biases = tuple(b - learning_rate * g for b, g in zip(network.biases, grads.biases))
    probe = network.copy()
    with np.errstate(over="ignore"):
        numerical = [_numerical_gradient(probe, rows_X, rows_y, ref)
                     for ref in network.parameter_refs()]
    changes = []
    unit_cache: dict = {}   # a unit's weights and bias share its path and δ terms
    for ref, numerical_gradient in zip(network.parameter_refs(), numerical):
        gradient_array = grads.biases if ref.is_bias else grads.weights
        new_array = new_biases if ref.is_bias else new_weights
        where = (ref.col,) if ref.is_bias else (ref.row, ref.col)
        value = _value(network, ref)
        gradient = float(gradient_array[ref.layer][where])
        new_value = float(new_array[ref.layer][where])
        below = fp.activations[ref.layer]
        per_row = deltas[ref.layer][:, ref.col] * (1.0 if ref.is_bias else below[:, ref.row])
        steps.append(_backward_step(network, row, ref, value, gradient, per_row, shown,
                                    numerical_gradient, learning_rate, new_value, unit_cache))
        changes.append((ref, value, gradient, new_value))

    probe.weights = [w.copy() for w in new_weights]
    probe.biases = [b.copy() for b in new_biases]
    steps.append(UpdateStep(
        learning_rate=learning_rate,
        changes=tuple(changes),
        new_weights=tuple(w.copy() for w in new_weights),
        new_biases=tuple(b.copy() for b in new_biases),
        loss_before=float(np.mean(loss_rows)),
        loss_after=probe.loss(rows_X, rows_y),
        mode=mode,
        example=example,
    ))
    return steps


def chain_factors(network, x, y, ref: ParameterRef) -> tuple[Factor, ...]:
    """The chain-rule factors of ∂L/∂(ref) for one example x with label y.

    See ``Network.chain_factors``.  ∂ŷ/∂z = ŷ(1−ŷ) and ∂L/∂ŷ = −y/ŷ + (1−y)/(1−ŷ)
    use 1−ŷ = σ(−z), which keeps its precision when ŷ rounds to 1, so the product
    still equals the gradient ŷ − y up to |z| ≈ 700; beyond that ∂L/∂ŷ is
    capped at a huge finite number instead of dividing by zero.
    """
    fp = network.forward(np.asarray(x, dtype=float).reshape(1, -1))
    y = float(np.asarray(y, dtype=float).reshape(-1)[0])
    deltas = network.deltas(fp, [y])
    return _chain(network, _Row(fp, deltas, 0, y), ref)[0]


class _Row:
    """The walked example's values: activations, 1 − a, pre-activations and δ."""

    def __init__(self, fp, deltas, k, y):
        from core.network import sigmoid
        self.index = k
        self.a = [acts[k] for acts in fp.activations]
        self.z = [z[k] for z in fp.pre_activations]
        # 1 − a as σ(−z) keeps its digits when a rounds to 1.
        self.one_minus_a = [None] + [sigmoid(-z) for z in self.z]
        self.delta = [d[k] for d in deltas]
        self.y = float(y)
        self.y_hat = float(self.a[-1][0])
        self.one_minus_y_hat = float(self.one_minus_a[-1][0])


def _value(network, ref):
    return float(network.biases[ref.layer][ref.col] if ref.is_bias
                 else network.weights[ref.layer][ref.row, ref.col])


def _forward_steps(network, fp, row):
    steps = []
    for layer, (w, b) in enumerate(zip(network.weights, network.biases)):
        in_symbols = [network.unit_symbol(layer, i) for i in range(w.shape[0])]
        for j in range(w.shape[1]):
            unit_label, unit_latex = network.unit_symbol(layer + 1, j)
            z_label, z_latex = network.z_symbol(layer + 1, j)
            weight_refs = tuple(network.ref_at(layer, i, j) for i in range(w.shape[0]))
            bias_ref = network.ref_at(layer, None, j)
            inputs = tuple(float(v) for v in row.a[layer])
            weights = tuple(float(v) for v in w[:, j])
            z, a = float(row.z[layer][j]), float(row.a[layer + 1][j])
            terms = " + ".join(f"{s[1]} {r.latex}" for s, r in zip(in_symbols, weight_refs))
            numbers = " + ".join(f"{format_number(v, _VALUE, _LATEX)} \\cdot "
                                 f"{format_factor(u, _VALUE, _LATEX)}" for v, u in zip(inputs, weights))
            steps.append(ForwardStep(
                layer=layer, unit=j, is_output=layer == network.n_layers - 1,
                unit_label=unit_label, unit_latex=unit_latex,
                z_label=z_label, z_latex=z_latex,
                input_labels=tuple(s[0] for s in in_symbols),
                input_latex=tuple(s[1] for s in in_symbols),
                weight_refs=weight_refs, bias_ref=bias_ref,
                inputs=inputs, weights=weights, bias=float(b[j]), z=z, a=a,
                equation_latex=f"{z_latex} = {terms} + {bias_ref.latex}",
                z_rows=tuple(float(v) for v in fp.pre_activations[layer][:, j]),
                a_rows=tuple(float(v) for v in fp.activations[layer + 1][:, j]),
                activation_latex=f"{unit_latex} = \\sigma({z_latex})",
                numbers_latex=(f"{z_latex} = {numbers} + {format_factor(b[j], _VALUE, _LATEX)} = "
                               f"{format_number(z, _VALUE, _LATEX)},\\quad {unit_latex} = "
                               f"\\sigma({format_number(z, _VALUE, _LATEX)}) = "
                               f"{format_number(a, _VALUE, _LATEX)}"),
            ))
    return steps


def _loss_step(row, loss_rows, mode):
    y, y_hat = row.y, row.y_hat
    shown = float(loss_rows[row.index])
    mean = float(np.mean(loss_rows))
    equation = r"L(y, \hat{y}) = -y \log(\hat{y}) - (1-y) \log(1-\hat{y})"
    y_text, y_hat_text = format_number(y, _VALUE, _LATEX), format_number(y_hat, _VALUE, _LATEX)
    numbers = (f"L = -{y_text} \\log({y_hat_text}) - (1-{y_text}) \\log(1-{y_hat_text})"
               f" = {format_number(shown, _VALUE, _LATEX)}")
    if mode == "batch":
        n = len(loss_rows)
        equation = (r"L = \frac{1}{n} \sum_{k=1}^{n} -y_k \log(\hat{y}_k)"
                    r" - (1-y_k) \log(1-\hat{y}_k)")
        numbers += f",\\quad \\frac{{1}}{{{n}}} \\sum_k L_k = {format_number(mean, _VALUE, _LATEX)}"
    return LossStep(y=y, y_hat=y_hat, loss=shown, loss_rows=tuple(float(v) for v in loss_rows),
                    mean_loss=mean, equation_latex=equation, numbers_latex=numbers)


def _backward_step(network, row, ref, value, gradient, per_row, shown, numerical,
                   learning_rate, new_value, unit_cache):
    factors, simplified_latex, simplified_terms = _chain(network, row, ref)
    unit = (ref.layer, ref.col)
    if unit not in unit_cache:
        unit_cache[unit] = (_chain_path(network, ref),
                            _delta_terms(network, row, ref) if network.n_hidden_layers >= 2 else ())
    (nodes, edges), delta_terms = unit_cache[unit]
    d_latex = _frac("L", ref.latex)
    chain_latex = f"{d_latex} = " + r" \cdot ".join(f.latex for f in factors)
    product = float(np.prod([f.value for f in factors]))
    numbers_latex = (f"{d_latex} = "
                     + r" \cdot ".join(format_factor(f.value, _DERIVATIVE, _LATEX) for f in factors)
                     + f" = {format_number(product, _DERIVATIVE, _LATEX)}")
    update_latex = (f"{ref.latex} \\leftarrow {ref.latex} - \\alpha {d_latex} = "
                    f"{format_number(value, _VALUE, _LATEX)} - "
                    f"{format_number(learning_rate, _VALUE, _LATEX)} \\cdot "
                    f"{format_factor(gradient, _DERIVATIVE, _LATEX)} = "
                    f"{format_number(new_value, _VALUE, _LATEX)}")
    return BackwardStep(
        parameter=ref, value=value, factors=factors, chain_latex=chain_latex,
        simplified_latex=f"{d_latex} = {simplified_latex}",
        simplified_terms=simplified_terms,
        chain_nodes=nodes, chain_edges=edges,
        gradient_example=float(per_row[shown]),
        gradient=gradient,
        row_gradients=tuple(float(v) for v in per_row),
        numerical_gradient=numerical,
        delta_terms=delta_terms,
        numbers_latex=numbers_latex, learning_rate=learning_rate, new_value=new_value,
        update_latex=update_latex,
    )


def _chain(network, row, ref):
    """(factors, simplified LaTeX, simplified terms) of ∂L/∂ref for the row."""
    L = network.n_layers
    k, i, j = ref.layer, ref.row, ref.col
    z_label, z_latex = network.z_symbol(k + 1, j)
    if ref.is_bias:
        first = Factor(f"∂{z_label}/∂{ref.label}", _frac(z_latex, ref.latex), "1", "1", 1.0)
        input_term: tuple[tuple[str, str, float], ...] = ()
    else:
        in_label, in_latex = network.unit_symbol(k, i)
        first = Factor(f"∂{z_label}/∂{ref.label}", _frac(z_latex, ref.latex),
                       in_label, in_latex, float(row.a[k][i]))
        input_term = ((in_label, in_latex, first.value),)
    error: tuple[tuple[str, str, float], ...] = (("y", "y", row.y), ("ŷ", r"\hat{y}", row.y_hat))

    if k == L - 1:
        factors = (first,) + _output_factors(network, row)
        terms = input_term + error
        latex = "-" + "".join(t[1] + " " for t in input_term) + r"(y-\hat{y})"
    elif k == L - 2:
        a_label, a_latex = network.unit_symbol(k + 1, j)
        a, one_minus_a = float(row.a[k + 1][j]), float(row.one_minus_a[k + 1][j])
        out_ref = network.ref_at(L - 1, j, 0)
        zo_label, zo_latex = network.z_symbol(L, 0)
        factors = (
            first,
            Factor(f"∂{a_label}/∂{z_label}", _frac(a_latex, z_latex),
                   f"{a_label}(1−{a_label})", f"{a_latex}(1-{a_latex})", a * one_minus_a),
            Factor(f"∂{zo_label}/∂{a_label}", _frac(zo_latex, a_latex),
                   out_ref.label, out_ref.latex, float(network.weights[L - 1][j, 0])),
        ) + _output_factors(network, row)
        terms = input_term + ((out_ref.label, out_ref.latex, factors[2].value),
                              (a_label, a_latex, a)) + error
        latex = ("-" + "".join(t[1] + " " for t in input_term)
                 + f"{out_ref.latex} {a_latex}(1-{a_latex})" + r"(y-\hat{y})")
    else:
        d_label, d_latex = _delta_symbol(network, k, j)
        factors = (first, Factor(f"∂L/∂{z_label}", _frac("L", z_latex), d_label, d_latex,
                                 float(row.delta[k][j])))
        terms = input_term + ((d_label, d_latex, factors[1].value),)
        latex = "".join(t[1] + " " for t in input_term) + d_latex
    return factors, latex.strip(), tuple((label, value) for label, _, value in terms)


def _output_factors(network, row):
    zo_label, zo_latex = network.z_symbol(network.n_layers, 0)
    y, y_hat, q = row.y, row.y_hat, row.one_minus_y_hat
    # ∂L/∂ŷ = −y/ŷ + (1−y)/(1−ŷ), the lecture's −(y−ŷ)/(ŷ(1−ŷ)) without the
    # cancellation in y − ŷ; the denominators never reach 0 (see chain_factors).
    dl_dyhat = -y / max(y_hat, _TINY) + (1.0 - y) / max(q, _TINY)
    return (
        Factor(f"∂ŷ/∂{zo_label}", _frac(r"\hat{y}", zo_latex), "ŷ(1−ŷ)",
               r"\hat{y}(1-\hat{y})", y_hat * q),
        Factor("∂L/∂ŷ", _frac("L", r"\hat{y}"), "−(y−ŷ)/(ŷ(1−ŷ))",
               r"\frac{-(y-\hat{y})}{\hat{y}(1-\hat{y})}", dl_dyhat),
    )


def _delta_symbol(network, layer, unit):
    """δ of unit ``unit`` fed by weight layer ``layer`` (Unicode, LaTeX)."""
    z_label, z_latex = network.z_symbol(layer + 1, unit)
    return "δ" + z_label[1:], r"\delta" + z_latex[1:]


def _delta_terms(network, row, ref):
    """δ⁽ᴸ⁾ = ŷ − y, then δ⁽ˡ⁾ = a⁽ˡ⁾(1−a⁽ˡ⁾) Σ_m w⁽ˡ⁺¹⁾ δ⁽ˡ⁺¹⁾_m down to ref's unit."""
    L = network.n_layers
    out_label, out_latex = _delta_symbol(network, L - 1, 0)
    terms = [(out_label, rf"{out_latex} = \hat{{y}} - y", float(row.delta[L - 1][0]))]
    for layer in range(L - 2, ref.layer - 1, -1):
        units = range(network.layer_sizes[layer + 1]) if layer > ref.layer else (ref.col,)
        for unit in units:
            label, latex = _delta_symbol(network, layer, unit)
            _, a_latex = network.unit_symbol(layer + 1, unit)
            if layer + 1 == L - 1:
                w = network.ref_at(L - 1, unit, 0).latex
                rest = f"{w} {out_latex}"
            else:
                l_next = layer + 2
                pair = f"{unit + 1}m" if unit < 9 else f"{unit + 1},m"
                rest = (rf"\sum_m w^{{[{l_next}]}}_{{{pair}}} "
                        rf"\delta^{{[{l_next}]}}_m")
            terms.append((label, f"{latex} = {a_latex}(1-{a_latex})\\, {rest}",
                          float(row.delta[layer][unit])))
    return tuple(terms)


def _chain_path(network, ref):
    """Units and weights on every path from ŷ back to the unit ``ref`` feeds."""
    L = network.n_layers
    nodes = [(L - 1, 0)]
    edges: list[ParameterRef] = []
    for layer in range(L - 1, ref.layer, -1):
        below = layer - 1
        units = range(network.layer_sizes[layer]) if below > ref.layer else (ref.col,)
        nodes.extend((below, u) for u in units)
        for u in units:
            edges.extend(network.ref_at(layer, u, m) for m in range(network.layer_sizes[layer + 1]))
    return tuple(nodes), tuple(edges)


def _numerical_gradient(probe, X, y, ref):
    """(L(p + h) − L(p − h)) / 2h on ``probe`` (a copy), restoring p afterwards."""
    array = probe.biases[ref.layer] if ref.is_bias else probe.weights[ref.layer]
    where = (ref.col,) if ref.is_bias else (ref.row, ref.col)
    original = array[where]
    array[where] = original + _FD_STEP
    up = _mean_loss(probe, X, y)
    array[where] = original - _FD_STEP
    down = _mean_loss(probe, X, y)
    array[where] = original
    return (up - down) / (2.0 * _FD_STEP)


def _mean_loss(network, X, y):
    """``Network.loss`` without its checks, for the many finite-difference calls
    (the caller silences overflow once for all of them)."""
    a = X
    for w, b in zip(network.weights, network.biases):
        z = a @ w + b
        a = 1.0 / (1.0 + np.exp(-z))
    z = z[:, 0]
    return float(np.mean(np.logaddexp(0.0, -z) + (1.0 - y) * z))


def _frac(top, bottom):
    return rf"\frac{{\partial {top}}}{{\partial {bottom}}}"




# The numbers in the LaTeX have the digits the views give them (core.notation).
_VALUE, _DERIVATIVE, _LATEX = NumberRole.VALUE, NumberRole.DERIVATIVE, Notation.LATEX
