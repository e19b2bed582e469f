"""The micro-step records of one training pass (core/walk.py, core/records.py)."""
import numpy as np
import pytest

from core.data import LECTURE_EXAMPLES, Dataset
from core.network import Network
from core.records import BackwardStep, ForwardStep, LossStep, UpdateStep
from core.walk import walk

LECTURE = Dataset.from_examples(LECTURE_EXAMPLES)
X, Y = LECTURE.features, LECTURE.labels
RATE = 0.5


def kinds(steps):
    return [type(s) for s in steps]


def parameters_of(network):
    return [a.copy() for a in network.weights + network.biases]


@pytest.mark.parametrize("mode", ["example", "batch"])
def test_a_221_pass_visits_every_unit_the_loss_every_parameter_and_the_update(mode):
    network = Network(seed=0)
    steps = walk(network, X, Y, RATE, example=2, mode=mode)
    assert kinds(steps) == [ForwardStep] * 3 + [LossStep] + [BackwardStep] * 9 + [UpdateStep]
    forward = steps[:3]
    assert [(s.layer, s.unit, s.is_output) for s in forward] == [(0, 0, False), (0, 1, False), (1, 0, True)]
    assert forward[0].equation_latex == "z_{1} = x_{1} w_{11} + x_{2} w_{21} + b_{1}"
    assert forward[1].equation_latex == "z_{2} = x_{1} w_{12} + x_{2} w_{22} + b_{2}"
    assert forward[2].equation_latex == "z = a_{1} w_{1} + a_{2} w_{2} + b"
    assert forward[2].unit_latex == r"\hat{y}" and forward[2].unit_label == "ŷ"
    assert [r.name for r in forward[0].weight_refs] == ["w11", "w21"] and forward[0].bias_ref.name == "b1"
    np.testing.assert_array_equal(forward[0].inputs, X[2])
    backward = [s for s in steps if isinstance(s, BackwardStep)]
    assert [s.parameter.name for s in backward] == network.parameter_names()
    assert [ref.name for ref, *_ in steps[-1].changes] == network.parameter_names()


def test_forward_values_are_the_networks():
    network = Network(seed=1)
    fp = network.forward(X)
    steps = walk(network, X, Y, RATE, example=3, mode="batch")
    for s in steps[:3]:
        assert s.z == fp.pre_activations[s.layer][3, s.unit]
        assert s.a == fp.activations[s.layer + 1][3, s.unit]
        np.testing.assert_array_equal(s.z_rows, fp.pre_activations[s.layer][:, s.unit])
        assert s.z == pytest.approx(np.dot(s.inputs, s.weights) + s.bias)
    loss = steps[3]
    assert isinstance(loss, LossStep)
    assert loss.y_hat == fp.output[3] and loss.y == Y[3]
    assert loss.loss == pytest.approx(-np.log(fp.output[3]))
    assert loss.mean_loss == pytest.approx(network.loss(X, Y))
    assert len(loss.loss_rows) == 4
    example = walk(network, X, Y, RATE, example=3)
    assert len(example[0].z_rows) == 1 and example[3].loss_rows == (example[3].loss,)


@pytest.mark.parametrize("shape", [(2, 2, 1), (2, 3, 2, 1), (2, 1)])
@pytest.mark.parametrize("mode", ["example", "batch"])
def test_factors_product_equals_analytic_equals_finite_difference(shape, mode):
    network = Network(shape, seed=3)
    example = 1
    steps = walk(network, X, Y, RATE, example=example, mode=mode)
    rows = (X, Y) if mode == "batch" else (X[example:example + 1], Y[example:example + 1])
    analytic = network.gradients(*rows).by_name()
    one_row = network.gradients(X[example], Y[example]).by_name()
    backward = [s for s in steps if isinstance(s, BackwardStep)]
    assert len(backward) == len(network.parameter_names())
    for s in backward:
        name = s.parameter.name
        product = np.prod([f.value for f in s.factors])
        assert product == pytest.approx(s.gradient_example, rel=1e-9, abs=1e-14)
        assert s.gradient_example == pytest.approx(one_row[name], rel=1e-12, abs=1e-15)
        assert s.gradient == analytic[name]
        assert s.numerical_gradient == pytest.approx(s.gradient, rel=1e-6, abs=1e-9)
        assert s.value == network.parameter(name)
        assert s.new_value == s.value - RATE * s.gradient
        if mode == "batch":
            assert len(s.row_gradients) == len(X)
            assert np.mean(s.row_gradients) == pytest.approx(s.gradient, rel=1e-12, abs=1e-15)
        else:
            assert s.row_gradients == (s.gradient,)


def test_w11_chain_is_the_lectures():
    network = Network(seed=0)
    steps = walk(network, X, Y, RATE, example=0)
    w11 = next(s for s in steps if getattr(s, "parameter", None) and s.parameter.name == "w11")
    assert w11.chain_latex == (
        r"\frac{\partial L}{\partial w_{11}} = \frac{\partial z_{1}}{\partial w_{11}} \cdot "
        r"\frac{\partial a_{1}}{\partial z_{1}} \cdot \frac{\partial z}{\partial a_{1}} \cdot "
        r"\frac{\partial \hat{y}}{\partial z} \cdot \frac{\partial L}{\partial \hat{y}}")
    assert w11.simplified_latex.endswith(r"= -x_{1} w_{1} a_{1}(1-a_{1})(y-\hat{y})")
    terms = dict(w11.simplified_terms)
    assert list(terms) == ["x₁", "w₁", "a₁", "y", "ŷ"]
    simplified = -terms["x₁"] * terms["w₁"] * terms["a₁"] * (1 - terms["a₁"]) * (terms["y"] - terms["ŷ"])
    assert simplified == pytest.approx(w11.gradient, rel=1e-9)
    assert w11.chain_nodes == ((1, 0), (0, 0))
    assert [e.name for e in w11.chain_edges] == ["w1"]
    assert w11.delta_terms == ()
    w1 = next(s for s in steps if getattr(s, "parameter", None) and s.parameter.name == "w1")
    assert w1.chain_nodes == ((1, 0),) and w1.chain_edges == ()
    assert w1.simplified_latex.endswith(r"= -a_{1} (y-\hat{y})")
    b2 = next(s for s in steps if getattr(s, "parameter", None) and s.parameter.name == "b2")
    assert [f.expression for f in b2.factors][:3] == ["1", "a₂(1−a₂)", "w₂"]
    assert b2.chain_nodes == ((1, 0), (0, 1)) and [e.name for e in b2.chain_edges] == ["w2"]


def test_deeper_networks_carry_the_delta_recursion_and_the_whole_path():
    network = Network((2, 3, 2, 1), seed=2)
    steps = walk(network, X, Y, RATE, example=2)
    first = next(s for s in steps if getattr(s, "parameter", None) and s.parameter.name == "w[1]_21")
    assert [f.label for f in first.factors] == ["∂z⁽¹⁾₁/∂w⁽¹⁾₂₁", "∂L/∂z⁽¹⁾₁"]
    deltas = network.deltas(network.forward(X[2]), Y[2])
    assert first.factors[1].value == pytest.approx(deltas[0][0, 0])
    labels = [label for label, _, _ in first.delta_terms]
    assert labels == ["δ⁽³⁾", "δ⁽²⁾₁", "δ⁽²⁾₂", "δ⁽¹⁾₁"]
    np.testing.assert_allclose([v for *_, v in first.delta_terms],
                               [deltas[2][0, 0], deltas[1][0, 0], deltas[1][0, 1], deltas[0][0, 0]])
    assert first.chain_nodes == ((2, 0), (1, 0), (1, 1), (0, 0))
    assert [e.name for e in first.chain_edges] == ["w[3]_11", "w[3]_21", "w[2]_11", "w[2]_12"]
    middle = next(s for s in steps if getattr(s, "parameter", None) and s.parameter.name == "w[2]_31")
    assert len(middle.factors) == 5 and middle.chain_nodes == ((2, 0), (1, 0))


@pytest.mark.parametrize("mode", ["example", "batch"])
def test_walk_leaves_the_network_alone(mode):
    network = Network((2, 3, 2, 1), seed=0)
    before = parameters_of(network)
    walk(network, X, Y, RATE, example=1, mode=mode)
    for a, b in zip(before, parameters_of(network)):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("shape", [(2, 2, 1), (2, 3, 2, 1)])
def test_update_equals_train_step_on_the_row_or_the_batch(shape):
    for mode in ("example", "batch"):
        for example in range(len(X)):
            network = Network(shape, seed=4)
            update = walk(network, X, Y, RATE, example=example, mode=mode)[-1]
            assert isinstance(update, UpdateStep) and update.mode == mode
            rows = (X[example:example + 1], Y[example:example + 1]) if mode == "example" else (X, Y)
            loss_before = network.train_step(*rows, RATE)
            for new, trained in zip(update.new_weights + update.new_biases,
                                    network.weights + network.biases):
                np.testing.assert_array_equal(new, trained)
            assert update.loss_before == pytest.approx(loss_before, rel=1e-12)
            assert update.loss_after == pytest.approx(network.loss(*rows), rel=1e-12)
            for ref, old, gradient, new in update.changes:
                assert new == network.parameter(ref.name)
                assert new == old - RATE * gradient


def test_walk_survives_a_saturated_network():
    network = Network(seed=0)
    network.set_parameter("b", 500.0)
    network.set_parameter("w11", 300.0)
    steps = walk(network, X, Y, RATE, example=1)   # a Sad row predicted Happy with ŷ = 1
    for s in steps:
        if isinstance(s, BackwardStep):
            assert np.isfinite([f.value for f in s.factors]).all()
            assert np.isfinite([s.gradient, s.numerical_gradient]).all()
    assert np.isfinite(steps[-1].loss_before)


def test_walk_refuses_bad_requests():
    network = Network()
    with pytest.raises(ValueError):
        walk(network, X, Y, RATE, example=4)
    with pytest.raises(ValueError):
        walk(network, X, Y, RATE, mode="minibatch")
    with pytest.raises(ValueError):
        walk(network, np.empty((0, 2)), [], RATE)


def _latex_strings(steps):
    out = set()
    for s in steps:
        for name in ("equation_latex", "activation_latex", "unit_latex", "z_latex",
                     "chain_latex", "simplified_latex"):
            if getattr(s, name, ""):
                out.add(getattr(s, name))
        if isinstance(s, ForwardStep):
            out.update(s.input_latex)
            out.update(r.latex for r in s.weight_refs + (s.bias_ref,))
        if isinstance(s, BackwardStep):
            out.add(s.parameter.latex)
            for f in s.factors:
                out.update((f.latex, f.expression_latex))
            out.update(latex for _, latex, _ in s.delta_terms)
    return out


def test_every_latex_string_renders_in_mathtext():
    from matplotlib.mathtext import MathTextParser
    parser = MathTextParser("agg")
    strings = set()
    for shape in ((2, 2, 1), (2, 3, 2, 1)):
        network = Network(shape, seed=0)
        for mode in ("example", "batch"):
            strings |= _latex_strings(walk(network, X, Y, RATE, example=1, mode=mode))
    assert len(strings) > 100
    for latex in sorted(strings):
        parser.parse("$" + latex + "$")     # raises ValueError on anything mathtext cannot set
