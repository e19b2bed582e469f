"""The chain rule of ∂L/∂(one parameter) for one example, factor by factor.

``chain_factors`` gives the lecture's factors (their product is the gradient);
``core.walk`` builds its backward records from the same ``chain``, ``delta_terms``
and ``chain_path``, and the reuse that makes it back-propagation from
``shared_factor`` (each unit's δ = ∂L/∂z, computed once) and ``cancellation``
(∂ŷ/∂z · ∂L/∂ŷ = ŷ − y).  ``network`` is a ``core.network.Network``, used only through its
methods, so the network can delegate ``Network.chain_factors`` here without a cycle.
"""
from __future__ import annotations

import numpy as np

from core.activation import sigmoid
from core.records import Cancellation, Factor, ParameterRef, SharedFactor

__all__ = ["ExampleValues", "chain_factors", "chain", "delta_terms", "chain_path", "partial_latex",
           "shared_factor", "shared_slice", "cancellation"]

_TINY = np.finfo(float).tiny


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
    return chain(network, ExampleValues(fp, deltas, 0, y), ref)[0]


class ExampleValues:
    """Row ``k`` of a forward pass and its δ: the activations ``a``, 1 − a as σ(−z)
    (``one_minus_a``, None for the input), pre-activations ``z``, ``delta``, and
    the label ``y`` with the prediction ``y_hat`` and 1 − ŷ."""

    def __init__(self, fp, deltas, k, y):
        self.index = k
        self.a = [acts[k] for acts in fp.activations]
        self.z = [z[k] for z in fp.pre_activations]
        # 1 − a as σ(−z) keeps its digits when a rounds to 1.
        self.one_minus_a = [None] + [sigmoid(-z) for z in self.z]
        self.delta = [d[k] for d in deltas]
        self.y = float(y)
        self.y_hat = float(self.a[-1][0])
        self.one_minus_y_hat = float(self.one_minus_a[-1][0])


def chain(network, row: ExampleValues, ref: ParameterRef):
    """(factors, simplified LaTeX, simplified terms) of ∂L/∂ref for ``row``.

    Hidden weight w_ij of a 2-H-1 network: the factors ∂z_j/∂w_ij · ∂a_j/∂z_j · ∂z/∂a_j
    · ∂ŷ/∂z · ∂L/∂ŷ and the cancelled form −x_i w_j a_j(1−a_j)(y−ŷ); deeper layers
    stop at ∂z⁽ˡ⁾_j/∂w⁽ˡ⁾_ij · δ⁽ˡ⁾_j.  The terms are (Unicode symbol, value) pairs in
    the order of the cancelled form.
    """
    L = network.n_layers
    k, i, j = ref.layer, ref.row, ref.col
    z_label, z_latex = network.z_symbol(k + 1, j)
    if ref.is_bias:
        first = Factor(f"∂{z_label}/∂{ref.label}", partial_latex(z_latex, ref.latex), "1", "1", 1.0)
        input_term: tuple[tuple[str, str, float], ...] = ()
    else:
        in_label, in_latex = network.unit_symbol(k, i)
        first = Factor(f"∂{z_label}/∂{ref.label}", partial_latex(z_latex, ref.latex),
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
            Factor(f"∂{a_label}/∂{z_label}", partial_latex(a_latex, z_latex),
                   f"{a_label}(1−{a_label})", f"{a_latex}(1-{a_latex})", a * one_minus_a),
            Factor(f"∂{zo_label}/∂{a_label}", partial_latex(zo_latex, a_latex),
                   out_ref.label, out_ref.latex, float(network.weights[L - 1][j, 0])),
        ) + _output_factors(network, row)
        terms = input_term + ((out_ref.label, out_ref.latex, factors[2].value),
                              (a_label, a_latex, a)) + error
        latex = ("-" + "".join(t[1] + " " for t in input_term)
                 + f"{out_ref.latex} {a_latex}(1-{a_latex})" + r"(y-\hat{y})")
    else:
        d_label, d_latex = _delta_symbol(network, k, j)
        factors = (first, Factor(f"∂L/∂{z_label}", partial_latex("L", z_latex), d_label, d_latex,
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
        Factor(f"∂ŷ/∂{zo_label}", partial_latex(r"\hat{y}", zo_latex), "ŷ(1−ŷ)",
               r"\hat{y}(1-\hat{y})", y_hat * q),
        Factor("∂L/∂ŷ", partial_latex("L", r"\hat{y}"), "−(y−ŷ)/(ŷ(1−ŷ))",
               r"\frac{-(y-\hat{y})}{\hat{y}(1-\hat{y})}", dl_dyhat),
    )


def _delta_symbol(network, layer, unit):
    """δ of unit ``unit`` fed by weight layer ``layer`` (Unicode, LaTeX)."""
    z_label, z_latex = network.z_symbol(layer + 1, unit)
    return "δ" + z_label[1:], r"\delta" + z_latex[1:]


def delta_terms(network, row: ExampleValues, ref: ParameterRef):
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


def chain_path(network, ref: ParameterRef):
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


def shared_factor(network, row: ExampleValues, unit: tuple[int, int], ref: ParameterRef,
                  computed_at: ParameterRef, users: tuple[ParameterRef, ...]) -> SharedFactor:
    """The δ = ∂L/∂z of ``unit`` ((layer, unit) as in ``chain_path``) as the
    backward step of ``ref`` uses it: computed there if ``ref`` is ``computed_at``,
    reused from that step otherwise."""
    L = network.n_layers
    layer, j = unit
    z_label, z_latex = network.z_symbol(layer + 1, j)
    parts: tuple[tuple[str, float], ...] = ()
    if layer == L - 1:
        expression = "ŷ − y"
    elif layer == L - 2:
        a_label, _ = network.unit_symbol(layer + 1, j)
        zo_label, _ = network.z_symbol(L, 0)
        w = network.ref_at(L - 1, j, 0)
        a, one_minus_a = float(row.a[layer + 1][j]), float(row.one_minus_a[layer + 1][j])
        expression = f"{a_label}(1−{a_label}) · {w.label} · ∂L/∂{zo_label}"
        parts = ((f"{a_label}(1−{a_label})", a * one_minus_a),
                 (w.label, float(network.weights[L - 1][j, 0])),
                 (f"∂L/∂{zo_label}", float(row.delta[L - 1][0])))
    else:
        a_label, _ = network.unit_symbol(layer + 1, j)
        expression = f"{a_label}(1−{a_label}) · Σₘ w·δₘ (the δ recursion)"
    return SharedFactor(
        label=f"∂L/∂{z_label}", latex=partial_latex("L", z_latex), expression=expression,
        parts=parts, value=float(row.delta[layer][j]), unit=(layer, j),
        computed_at=computed_at, reused=ref != computed_at,
        factors=shared_slice(network, ref, unit), users=users)


def shared_slice(network, ref: ParameterRef, unit: tuple[int, int]) -> tuple[int, int]:
    """The (start, stop) slice of ``chain(…, ref)``'s factors whose product is the δ
    of ``unit``; (0, 0) when that δ is not written out among them."""
    L = network.n_layers
    n_factors = 3 if ref.layer == L - 1 else 5 if ref.layer == L - 2 else 2
    layer = unit[0]
    if layer == L - 1 and ref.layer >= L - 2:
        return n_factors - 2, n_factors      # ∂ŷ/∂z · ∂L/∂ŷ, the last two
    if layer == ref.layer and unit[1] == ref.col:
        return 1, n_factors                  # everything but ∂z/∂(the parameter)
    return 0, 0


def cancellation(network, row: ExampleValues) -> Cancellation:
    """∂ŷ/∂z · ∂L/∂ŷ = ŷ(1−ŷ)(−y/ŷ + (1−y)/(1−ŷ)) = −y(1−ŷ) + (1−y)ŷ = ŷ − y, with
    the example's numbers (the factors exactly as ``chain`` has them)."""
    dyhat_dz, dl_dyhat = _output_factors(network, row)
    _, zo_latex = network.z_symbol(network.n_layers, 0)
    yh = r"\hat{y}"
    latex = (
        rf"{partial_latex('L', zo_latex)} = {dyhat_dz.latex} \cdot {dl_dyhat.latex}"
        rf" = {yh}(1-{yh})\left(-\frac{{y}}{{{yh}}} + \frac{{1-y}}{{1-{yh}}}\right)",
        rf"= -y(1-{yh}) + (1-y){yh} = {yh} - y",
    )
    return Cancellation(latex=latex, y=row.y, y_hat=row.y_hat,
                        one_minus_y_hat=row.one_minus_y_hat, dyhat_dz=dyhat_dz.value,
                        dl_dyhat=dl_dyhat.value, product=dyhat_dz.value * dl_dyhat.value,
                        value=float(row.delta[network.n_layers - 1][0]))


def partial_latex(top: str, bottom: str) -> str:
    """∂top/∂bottom as a LaTeX fraction."""
    return rf"\frac{{\partial {top}}}{{\partial {bottom}}}"
