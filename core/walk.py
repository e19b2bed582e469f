"""The micro-steps of one training pass, as immutable records the GUI plays.

A pass over one example (or, in full-batch mode, over the whole batch) is

    forward (one step per unit, layer by layer) -> loss
    -> backward (one step per parameter, output layer first) -> update

``walk`` returns that list of ``core.records`` records. Every record carries
everything a view needs to draw it (values, labels, LaTeX); views never recompute
the maths.
"""
from __future__ import annotations

import numpy as np

from core.chain_rule import (
    ExampleValues,
    cancellation,
    chain,
    chain_path,
    delta_terms,
    partial_latex,
    shared_factor,
)
from core.network import _as_labels, _as_matrix, _row_losses_from_logits
from core.records import BackwardStep, ForwardStep, LossStep, UpdateStep

__all__ = ["walk"]


# A central difference with this step has truncation error ~1e-10 and rounding
# error ~1e-11 for losses of order 1: well below what the panel displays.
_FD_STEP = 1e-5


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

    * factors, chain/simplified LaTeX and ``gradient_example`` are
      always the shown example's; ``gradient`` is what the update uses (the
      batch mean in batch mode, computed exactly as ``Network.gradients``, so
      applying the UpdateStep equals ``train_step`` bit for bit).
    * ``simplified_terms`` pairs Unicode symbols with values, in the order of
      ``simplified_latex`` (("x₁", 3.0), ("w₁", …), ("a₁", …), ("y", …), ("ŷ", …)).
    * ``numerical_gradient`` differentiates the loss the update descends: the
      example's in example mode, the batch mean in batch mode.
    * ``UpdateStep.loss_before``/``loss_after`` are that same loss before and
      after the update; ``example_loss_*`` the shown example's and
      ``mean_loss_*`` the mean over every row of X, whatever the mode.
    * ``BackwardStep.shared``: back-propagation's reuse.  The δ = ∂L/∂z of a unit
      is computed at the first backward step whose chain passes through it
      (parameters come output layer first, so the output's ŷ − y at the very
      first) and reused by every later one; ``cancellation`` rides on that first
      step.
    * Optional extras (not needed to play a pass): ``BackwardStep.learning_rate``
      and ``new_value``, ``UpdateStep.mode`` and ``example``.
    """
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
    row = ExampleValues(fp, deltas, shown, rows_y[shown])
    loss_rows = _row_losses_from_logits(fp.pre_activations[-1][:, 0], rows_y)

    steps: list = _forward_steps(network, fp, row)
    steps.append(_loss_step(row, loss_rows, mode, example))

    new_weights = tuple(w - learning_rate * g for w, g in zip(network.weights, grads.weights))
    new_biases = tuple(b - learning_rate * g for b, g in zip(network.biases, grads.biases))
    probe = network.copy()
    with np.errstate(over="ignore"):
        numerical = [_numerical_gradient(probe, rows_X, rows_y, ref)
                     for ref in network.parameter_refs()]
    changes = []
    unit_cache: dict = {}   # a unit's weights and bias share its path and δ terms
    users = _delta_users(network)
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
                                    numerical_gradient, learning_rate, new_value, unit_cache,
                                    users))
        changes.append((ref, value, gradient, new_value))

    probe.weights = [w.copy() for w in new_weights]
    probe.biases = [b.copy() for b in new_biases]
    # every row's loss before and after, to name the example's and the mean's change
    before_rows = loss_rows if mode == "batch" else _table_losses(network, X, y)
    after_rows = _table_losses(probe, X, y)
    steps.append(UpdateStep(
        learning_rate=learning_rate,
        changes=tuple(changes),
        new_weights=tuple(w.copy() for w in new_weights),
        new_biases=tuple(b.copy() for b in new_biases),
        loss_before=float(np.mean(loss_rows)),
        loss_after=probe.loss(rows_X, rows_y),
        mode=mode,
        example=example,
        example_loss_before=float(before_rows[example]),
        example_loss_after=float(after_rows[example]),
        mean_loss_before=float(np.mean(before_rows)),
        mean_loss_after=float(np.mean(after_rows)),
    ))
    return steps


def _table_losses(network, X, y):
    with np.errstate(over="ignore"):
        return _row_losses_from_logits(network.forward(X).pre_activations[-1][:, 0], y)


def _delta_users(network) -> dict:
    """Every unit's δ → the parameters whose chain passes through it, in the
    order their backward steps come (the first computes it, the rest reuse it)."""
    users: dict = {}
    for ref in network.parameter_refs():
        for unit in chain_path(network, ref)[0]:
            users.setdefault(unit, []).append(ref)
    return {unit: tuple(refs) for unit, refs in users.items()}


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
            steps.append(ForwardStep(
                layer=layer, unit=j, is_output=layer == network.n_layers - 1,
                unit_label=unit_label, unit_latex=unit_latex,
                z_label=z_label, z_latex=z_latex,
                input_labels=tuple(s[0] for s in in_symbols),
                input_latex=tuple(s[1] for s in in_symbols),
                weight_refs=weight_refs, bias_ref=bias_ref,
                inputs=inputs, weights=weights, bias=float(b[j]), z=z, a=a,
                equation_latex=f"{z_latex} = {terms} + {bias_ref.latex}",
                activation_latex=f"{unit_latex} = \\sigma({z_latex})",
                z_rows=tuple(float(v) for v in fp.pre_activations[layer][:, j]),
                a_rows=tuple(float(v) for v in fp.activations[layer + 1][:, j]),
            ))
    return steps


def _loss_step(row, loss_rows, mode, example):
    equation = r"L(y, \hat{y}) = -y \log(\hat{y}) - (1-y) \log(1-\hat{y})"
    if mode == "batch":     # the brackets: the mean is of the whole per-row loss
        equation = (r"L = \frac{1}{n} \sum_{k=1}^{n} \left[-y_k \log(\hat{y}_k)"
                    r" - (1-y_k) \log(1-\hat{y}_k)\right]")
    return LossStep(y=row.y, y_hat=row.y_hat, loss=float(loss_rows[row.index]),
                    loss_rows=tuple(float(v) for v in loss_rows),
                    mean_loss=float(np.mean(loss_rows)), equation_latex=equation,
                    example=example)


def _backward_step(network, row, ref, value, gradient, per_row, shown, numerical,
                   learning_rate, new_value, unit_cache, users):
    factors, simplified_latex, simplified_terms = chain(network, row, ref)
    unit = (ref.layer, ref.col)
    if unit not in unit_cache:
        unit_cache[unit] = (chain_path(network, ref),
                            delta_terms(network, row, ref) if network.n_hidden_layers >= 2 else ())
    (nodes, edges), deltas = unit_cache[unit]
    shared = tuple(shared_factor(network, row, node, ref, users[node][0], users[node])
                   for node in nodes)
    output = nodes[0]
    computes_output = users[output][0] == ref
    d_latex = partial_latex("L", ref.latex)
    chain_latex = f"{d_latex} = " + r" \cdot ".join(f.latex for f in factors)
    return BackwardStep(
        parameter=ref, value=value, factors=factors, chain_latex=chain_latex,
        simplified_latex=f"{d_latex} = {simplified_latex}",
        simplified_terms=simplified_terms,
        chain_nodes=nodes, chain_edges=edges,
        gradient_example=float(per_row[shown]),
        gradient=gradient,
        row_gradients=tuple(float(v) for v in per_row),
        numerical_gradient=numerical,
        delta_terms=deltas,
        learning_rate=learning_rate, new_value=new_value,
        shared=shared,
        cancellation=cancellation(network, row) if computes_output else None,
    )


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
