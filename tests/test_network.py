"""The sigmoid network: forward pass, back-propagation, names, training (core/network.py)."""
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core.activation import sigmoid
from core.data import LECTURE_EXAMPLES, Dataset
from core.network import Network, log_loss, train

ROOT = Path(__file__).resolve().parent.parent
LECTURE = Dataset.from_examples(LECTURE_EXAMPLES)
X, Y = LECTURE.features, LECTURE.labels
SHAPES = [(2, 2, 1), (2, 3, 1), (3, 4, 2, 1), (2, 8, 8, 8, 1)]


def random_problem(shape, seed, n=5):
    rng = np.random.default_rng(seed)
    network = Network(shape, seed=seed)
    # Perturb the biases too, so their gradients are exercised away from 0.
    for b in network.biases:
        b += rng.normal(0, 0.5, b.shape)
    return network, rng.normal(0, 1.5, (n, shape[0])), rng.integers(0, 2, n).astype(float)


def numerical_gradients(network, X, y, h=1e-6):
    out = {}
    for name in network.parameter_names():
        value = network.parameter(name)
        network.set_parameter(name, value + h)
        up = network.loss(X, y)
        network.set_parameter(name, value - h)
        down = network.loss(X, y)
        network.set_parameter(name, value)
        out[name] = (up - down) / (2 * h)
    return out


def test_sigmoid_is_stable_and_symmetric():
    z = np.array([-1000.0, -40.0, -1.0, 0.0, 1.0, 40.0, 1000.0])
    s = sigmoid(z)   # would raise under filterwarnings=error if exp overflowed noisily
    assert s[3] == 0.5 and s[0] == 0.0 and s[-1] == 1.0
    np.testing.assert_allclose(sigmoid(-z), 1 - s, atol=1e-15)
    assert 0 < s[1] < 1e-17          # the tail keeps its relative precision
    assert sigmoid(2.0) == pytest.approx(1 / (1 + np.exp(-2.0)))


def test_log_loss_is_the_lecture_formula_and_finite_when_saturated():
    assert log_loss([1.0, 0.0], [0.8, 0.3]) == pytest.approx(-(np.log(0.8) + np.log(0.7)) / 2)
    assert np.isfinite(log_loss([1.0], [0.0])) and log_loss([1.0], [0.0]) > 20
    assert log_loss([1.0, 0.0], [1.0, 0.0]) == pytest.approx(0.0, abs=1e-11)


def test_lecture_names_map_to_weights():
    network = Network((2, 2, 1), seed=4)
    assert network.parameter_names() == ["w1", "w2", "b", "w11", "w21", "b1", "w12", "w22", "b2"]
    assert network.parameter("w12") == network.weights[0][0, 1]
    assert network.parameter("w21") == network.weights[0][1, 0]
    assert network.parameter("w2") == network.weights[1][1, 0]
    network.set_parameter("b2", 0.25)
    assert network.biases[0][1] == 0.25
    network.set_parameter("w1", -1.5)
    assert network.weights[1][0, 0] == -1.5
    ref = network.parameter_ref("w12")
    assert (ref.layer, ref.row, ref.col, ref.label, ref.latex) == (0, 0, 1, "w₁₂", "w_{12}")
    assert network.parameter_ref("b").is_bias and network.parameter_ref("b").label == "b"
    with pytest.raises(KeyError):
        network.parameter("w33")
    with pytest.raises(ValueError):
        network.set_parameter("w11", float("nan"))


def test_deeper_and_wider_names():
    deep = Network((2, 3, 2, 1))
    assert deep.parameter_names()[:3] == ["w[3]_11", "w[3]_21", "b[3]_1"]
    ref = deep.parameter_ref("w[2]_12")
    assert (ref.layer, ref.row, ref.col) == (1, 0, 1)
    assert ref.label == "w⁽²⁾₁₂" and ref.latex == "w^{[2]}_{12}"
    assert deep.parameter("b[1]_3") == deep.biases[0][2]
    wide = Network((2, 12, 1))
    assert "w1_12" in wide.parameter_names() and "b12" in wide.parameter_names()
    assert wide.parameter("w1_12") == wide.weights[0][0, 11]
    logistic = Network((2, 1))
    assert logistic.parameter_names() == ["w1", "w2", "b"]
    for network in (deep, wide, logistic, Network((3, 4, 2, 1))):
        names = network.parameter_names()
        assert len(names) == len(set(names)) == sum(w.size + b.size for w, b in
                                                   zip(network.weights, network.biases))


@pytest.mark.parametrize("sizes", [(2,), (2, 0, 1), (2, 2, 2), ("a", 1), (2, -1, 1)])
def test_bad_shapes_are_refused(sizes):
    with pytest.raises(ValueError):
        Network(sizes)


def test_seeded_initialisation_is_reproducible():
    a, b, c = Network(seed=7), Network(seed=7), Network(seed=8)
    for wa, wb in zip(a.weights, b.weights):
        np.testing.assert_array_equal(wa, wb)
    assert not np.array_equal(a.weights[0], c.weights[0])
    big = Network((2, 8, 8, 8, 1))
    assert big.n_hidden_layers == 3 and [w.shape for w in big.weights] == [(2, 8), (8, 8), (8, 8), (8, 1)]


def test_copy_state_and_set_state():
    network = Network(seed=3)
    twin = network.copy()
    twin.weights[0][0, 0] += 1
    assert twin.weights[0][0, 0] != network.weights[0][0, 0]
    state = network.state()
    state["weights"][0][0, 0] = 99.0          # a copy: the network is untouched
    assert network.weights[0][0, 0] != 99.0
    as_lists = {k: ([a.tolist() for a in v] if k in ("weights", "biases") else v)
                for k, v in state.items()}
    other = Network((2, 3, 1), seed=0)
    other.set_state(as_lists)
    assert other.layer_sizes == (2, 2, 1) and other.weights[0][0, 0] == 99.0
    assert other.parameter_names() == network.parameter_names()
    before = other.state()
    with pytest.raises(ValueError):
        other.set_state({**as_lists, "biases": [[0.0], [0.0]]})
    with pytest.raises(ValueError):
        other.set_state({**as_lists, "weights": [[[np.inf, 0], [0, 0]], [[0], [0]]]})
    np.testing.assert_array_equal(other.biases[0], before["biases"][0])


def test_forward_follows_the_lecture_equations():
    network = Network(seed=2)
    x = np.array([2.0, 1.0])
    fp = network.forward(x)
    (w11, w12), (w21, w22) = network.weights[0]
    b1, b2 = network.biases[0]
    a1 = sigmoid(x[0] * w11 + x[1] * w21 + b1)
    a2 = sigmoid(x[0] * w12 + x[1] * w22 + b2)
    y_hat = sigmoid(a1 * network.parameter("w1") + a2 * network.parameter("w2") + network.parameter("b"))
    np.testing.assert_array_equal(fp.activations[0], [x])
    np.testing.assert_allclose(fp.activations[1], [[a1, a2]])
    assert fp.output.shape == (1,) and fp.output[0] == pytest.approx(y_hat)
    assert [z.shape for z in fp.pre_activations] == [(1, 2), (1, 1)]
    assert network.predict(X).shape == (4,)
    with pytest.raises(ValueError):
        network.forward([1.0, 2.0, 3.0])


def test_loss_matches_log_loss_and_stays_finite_when_saturated():
    network = Network(seed=1)
    assert network.loss(X, Y) == pytest.approx(log_loss(Y, network.predict(X)), rel=1e-12)
    network.set_parameter("b", 800.0)     # ŷ rounds to 1 for every row
    loss = network.loss(X, Y)
    assert np.isfinite(loss) and loss == pytest.approx(0.5 * 800, rel=0.01)
    np.testing.assert_allclose(network.row_losses(X, Y)[[0, 3]], 0.0, atol=1e-12)
    assert np.isnan(network.loss(np.empty((0, 2)), []))


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_back_propagation_matches_finite_differences(shape, seed):
    network, x, y = random_problem(shape, seed)
    analytic = network.gradients(x, y).by_name()
    numeric = numerical_gradients(network, x, y)
    a = np.array([analytic[n] for n in network.parameter_names()])
    f = np.array([numeric[n] for n in network.parameter_names()])
    assert np.linalg.norm(a - f) / (np.linalg.norm(a) + np.linalg.norm(f)) < 1e-6
    assert list(analytic) == network.parameter_names()


@pytest.mark.parametrize("shape", [(2, 2, 1), (2, 3, 2, 1), (3, 4, 2, 1), (2, 1)])
def test_chain_factors_multiply_to_the_gradient(shape):
    network, x, y = random_problem(shape, seed=5, n=3)
    for k in range(3):
        gradient = network.gradients(x[k], y[k]).by_name()
        for name in network.parameter_names():
            factors = network.chain_factors(x[k], y[k], name)
            assert np.prod([f.value for f in factors]) == pytest.approx(gradient[name], rel=1e-9, abs=1e-13)


def test_chain_factors_of_w11_are_the_lectures():
    network = Network(seed=0)
    x, y = X[3], Y[3]
    fp = network.forward(x)
    a1, y_hat = fp.activations[1][0, 0], fp.output[0]
    factors = network.chain_factors(x, y, "w11")
    assert [f.label for f in factors] == ["∂z₁/∂w₁₁", "∂a₁/∂z₁", "∂z/∂a₁", "∂ŷ/∂z", "∂L/∂ŷ"]
    expected = [x[0], a1 * (1 - a1), network.parameter("w1"), y_hat * (1 - y_hat),
                -(y - y_hat) / (y_hat * (1 - y_hat))]
    np.testing.assert_allclose([f.value for f in factors], expected, rtol=1e-12)
    assert [f.label for f in network.chain_factors(x, y, "b")] == ["∂z/∂b", "∂ŷ/∂z", "∂L/∂ŷ"]
    assert network.chain_factors(x, y, "b")[0].value == 1.0
    assert [f.expression for f in network.chain_factors(x, y, "w2")][0] == "a₂"


def test_chain_factors_stay_finite_when_the_output_saturates():
    network = Network(seed=0)
    network.set_parameter("b", 60.0)         # ŷ = 1 − 1e-26: 1 − ŷ rounds to 0
    x, y = X[1], 0.0                          # a Sad row: the gradient is ŷ − y ≈ 1
    gradient = network.gradients(x, y).by_name()
    for name in ("b", "w1", "w11"):
        values = [f.value for f in network.chain_factors(x, y, name)]
        assert np.isfinite(values).all()
        assert np.prod(values) == pytest.approx(gradient[name], rel=1e-9)


def test_train_step_is_one_gradient_descent_update():
    network = Network(seed=0)
    before = network.copy()
    grads = before.gradients(X, Y)
    loss = network.train_step(X, Y, 0.5)
    assert loss == before.loss(X, Y)
    for w, w0, g in zip(network.weights, before.weights, grads.weights):
        np.testing.assert_array_equal(w, w0 - 0.5 * g)
    assert network.loss(X, Y) < loss


def test_train_batch_equals_repeated_train_steps_and_reports_end_of_epoch_losses():
    fast, slow = Network(seed=0), Network(seed=0)
    losses = train(fast, X, Y, 0.5, 25, mode="batch")
    expected = []
    for _ in range(25):
        slow.train_step(X, Y, 0.5)
        expected.append(slow.loss(X, Y))
    np.testing.assert_allclose(losses, expected, rtol=1e-10)
    for a, b in zip(fast.weights + fast.biases, slow.weights + slow.biases):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-13)
    assert losses.shape == (25,) and losses[-1] < losses[0]


def test_train_example_mode_updates_row_by_row_in_order():
    fast, slow = Network((2, 3, 1), seed=1), Network((2, 3, 1), seed=1)
    losses = train(fast, X, Y, 0.3, 3, mode="example")
    for epoch in range(3):
        for k in range(len(X)):
            slow.train_step(X[k], Y[k], 0.3)
        assert losses[epoch] == pytest.approx(slow.loss(X, Y), rel=1e-10)
    np.testing.assert_allclose(fast.weights[0], slow.weights[0], rtol=1e-10)


def test_train_refuses_bad_requests():
    network = Network()
    with pytest.raises(ValueError):
        train(network, X, Y, 0.5, 3, mode="minibatch")
    with pytest.raises(ValueError):
        train(network, X, Y, 0.5, -1)
    with pytest.raises(ValueError):
        train(network, np.empty((0, 2)), [], 0.5, 1)
    with pytest.raises(ValueError):
        train(network, X, Y[:3], 0.5, 1)
    assert train(network, X, Y, 0.5, 0).shape == (0,)


@pytest.mark.parametrize("module", ["core", "core.data", "core.records", "core.network", "core.walk",
                                    "core.stepper"])
def test_core_modules_import_without_qt(module):
    probe = (f"import sys, {module}\n"
             "bad = [m for m in sys.modules if m.split('.')[0] in "
             "('PySide6', 'shiboken6', 'pyqtgraph', 'gui')]\n"
             "print('LEAKED', bad)")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "LEAKED []"
