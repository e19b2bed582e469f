"""A small fully-connected sigmoid network trained on the log-loss.

Notation follows the lecture.  For the 2-2-1 network

    z₁ = x₁w₁₁ + x₂w₂₁ + b₁,  a₁ = σ(z₁)
    z₂ = x₁w₁₂ + x₂w₂₂ + b₂,  a₂ = σ(z₂)
    z  = a₁w₁ + a₂w₂ + b,     ŷ = σ(z)
    L(y, ŷ) = −y ln ŷ − (1−y) ln(1−ŷ)

so ``weights[0][i, j]`` is w_(i+1)(j+1), joining input i+1 to hidden unit j+1,
and ``weights[1][j, 0]`` is w_(j+1).  In matrix form a layer computes
z = a_prev @ W + b, one row per example.

Parameter names (``parameter_names``):

* no or one hidden layer: the lecture's names — hidden ``w11 w21 … b1 …``
  (``w12`` = weights[0][0, 1]), output ``w1 w2 … b``.  In a layer with 10 or
  more units on either side the two indices are separated: ``w3_12``, ``w1_1``.
* two or more hidden layers: the back-propagation slides' layer superscripts,
  l = 1 … L counting weight layers from the input: ``w[2]_12`` is
  weights[1][0, 1] (w⁽²⁾₁₂), ``b[2]_1`` is biases[1][0]; the output unit is
  unit 1 of layer L (``w[3]_21``, ``b[3]_1``); in layers with 10 or more
  units the indices are separated as ``w[2]_3_12``.

``parameter_names`` lists them in the order back-propagation visits them:
the output layer first, then each layer below it; within a layer unit by unit,
each unit's incoming weights followed by its bias (w1, w2, b, w11, w21, b1, w12,
w22, b2), because a hidden unit's weights and bias share one chain.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core import chain_rule
from core.activation import sigmoid
from core.limits import MAX_ABS_PARAMETER
from core.notation import subscript, superscript
from core.records import Factor, ParameterRef

__all__ = ["log_loss", "Network", "ForwardPass", "Gradients", "train", "TrainingOverflow",
           "blown_up"]


class TrainingOverflow(ArithmeticError):
    """Training blew up: a loss overflowed or a parameter left ±MAX_ABS_PARAMETER
    (a learning rate like 1e300 does this in one update).  Raised instead of
    leaving NaN or inf in the network, which is kept as it was before the call.

    ``epoch`` counts the epochs of the call from 1 (the one that blew up);
    ``learning_rate`` is α; ``str()`` is a sentence for people that starts
    "The loss overflowed: lower α".
    """

    def __init__(self, learning_rate: float, epoch: int = 1):
        self.learning_rate = float(learning_rate)
        self.epoch = int(epoch)
        when = f" in epoch {self.epoch}" if self.epoch > 1 else ""
        self.message = (f"The loss overflowed: lower α. With α = {self.learning_rate:g} the "
                        f"weights grew beyond ±{MAX_ABS_PARAMETER:g}{when}; the network is "
                        f"kept as it was.")
        super().__init__(self.message)


def blown_up(weights, biases) -> bool:
    """Some parameter is NaN, ±inf or beyond ±MAX_ABS_PARAMETER."""
    return any(not (np.isfinite(p).all() and np.abs(p).max(initial=0.0) <= MAX_ABS_PARAMETER)
               for p in (*weights, *biases))


def _valid_learning_rate(value) -> float:
    try:
        rate = float(value)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"the learning rate must be a positive number, not {value!r}") from None
    if not (np.isfinite(rate) and rate > 0):
        raise ValueError(f"the learning rate must be a positive number, not {value!r}")
    return rate

_CLIP = 1e-12


def log_loss(y, y_hat):
    """Mean of L(y, ŷ) = −y ln ŷ − (1−y) ln(1−ŷ) over the rows.

    ŷ is clipped to [1e-12, 1 − 1e-12] so a saturated prediction gives a large
    but finite loss instead of inf or nan.
    """
    y = np.asarray(y, dtype=float)
    y_hat = np.clip(np.asarray(y_hat, dtype=float), _CLIP, 1.0 - _CLIP)
    return float(np.mean(-y * np.log(y_hat) - (1.0 - y) * np.log1p(-y_hat)))


def _row_losses_from_logits(z, y):
    """L per row from the output pre-activation z: ln(1 + e^(−z)) + (1−y)·z.

    Exact rewriting of the log-loss that never takes ln 0: ln ŷ = −ln(1+e^(−z))
    and ln(1−ŷ) = −z − ln(1+e^(−z)).
    """
    return np.logaddexp(0.0, -z) + (1.0 - y) * z


@dataclass
class ForwardPass:
    """Every layer's values for a batch.

    ``pre_activations[l]`` is z of weight layer l (shape (n, units));
    ``activations[0]`` is the input X and ``activations[l + 1]`` = σ(z of
    layer l), so ``activations[-1][:, 0]`` is ŷ = ``output`` (shape (n,)).
    """
    pre_activations: list
    activations: list
    output: np.ndarray


@dataclass
class Gradients:
    """∂L/∂W and ∂L/∂b per layer (same shapes as the network's), mean over rows."""
    weights: list
    biases: list
    names: dict

    def by_name(self) -> dict[str, float]:
        """{parameter name: gradient}, in ``Network.parameter_names`` order."""
        out = {}
        for name, (layer, row, col) in self.names.items():
            array = self.biases[layer] if row is None else self.weights[layer]
            out[name] = float(array[col] if row is None else array[row, col])
        return out


class Network:
    """Sigmoid network ``layer_sizes`` = (inputs, hidden…, 1), seeded init.

    Weights start as normal(0, 1/√n_in) draws from ``np.random.default_rng(seed)``
    (the usual scaling that keeps z of order 1), biases at 0.
    """

    def __init__(self, layer_sizes=(2, 2, 1), seed=0):
        self.layer_sizes = _validated_sizes(layer_sizes)
        self.seed = seed
        rng = np.random.default_rng(seed)
        self.weights = [rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_in, n_out))
                        for n_in, n_out in zip(self.layer_sizes[:-1], self.layer_sizes[1:])]
        self.biases = [np.zeros(n_out) for n_out in self.layer_sizes[1:]]
        self._build_names()

    # ---- shape and state -------------------------------------------------------
    @property
    def n_hidden_layers(self) -> int:
        return len(self.layer_sizes) - 2

    @property
    def n_layers(self) -> int:
        """Number of weight layers L (hidden layers + the output)."""
        return len(self.layer_sizes) - 1

    def __repr__(self) -> str:
        return f"Network({'-'.join(map(str, self.layer_sizes))}, seed={self.seed})"

    def copy(self) -> Network:
        """An independent network with the same shape and parameters."""
        other = Network.__new__(Network)
        other.layer_sizes = self.layer_sizes
        other.seed = self.seed
        other.weights = [w.copy() for w in self.weights]
        other.biases = [b.copy() for b in self.biases]
        other._refs, other._index, other._at = self._refs, self._index, self._at
        return other

    def state(self) -> dict:
        """Copies of everything that defines the network (arrays, not lists)."""
        return {
            "layer_sizes": list(self.layer_sizes),
            "seed": self.seed,
            "weights": [w.copy() for w in self.weights],
            "biases": [b.copy() for b in self.biases],
        }

    def set_state(self, state: dict) -> None:
        """Restore ``state()`` output (lists of numbers are accepted, e.g. from JSON).

        Raises ``ValueError`` if the arrays do not fit ``layer_sizes`` or are not
        finite; the network is unchanged then.
        """
        sizes = _validated_sizes(state.get("layer_sizes", self.layer_sizes))
        try:
            weights = [np.array(w, dtype=float) for w in state["weights"]]
            biases = [np.array(b, dtype=float) for b in state["biases"]]
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"not a network state: {error}") from None
        shapes = list(zip(sizes[:-1], sizes[1:]))
        if len(weights) != len(shapes) or len(biases) != len(shapes):
            raise ValueError("the number of weight layers does not match layer_sizes")
        for (n_in, n_out), w, b in zip(shapes, weights, biases):
            if w.shape != (n_in, n_out) or b.shape != (n_out,):
                raise ValueError(f"expected weights {n_in}×{n_out} and {n_out} biases, "
                                 f"got {w.shape} and {b.shape}")
            if not (np.isfinite(w).all() and np.isfinite(b).all()):
                raise ValueError("network parameters must be finite numbers")
        self.layer_sizes = sizes
        self.seed = state.get("seed", self.seed)
        self.weights, self.biases = weights, biases
        self._build_names()

    # ---- names -----------------------------------------------------------------
    def _build_names(self) -> None:
        refs = {}
        for layer in range(self.n_layers - 1, -1, -1):
            n_in, n_out = self.layer_sizes[layer], self.layer_sizes[layer + 1]
            for col in range(n_out):
                for row in range(n_in):
                    ref = self._make_ref(layer, row, col)
                    refs[ref.name] = ref
                ref = self._make_ref(layer, None, col)
                refs[ref.name] = ref
        self._refs = refs
        self._index = {name: (r.layer, r.row, r.col) for name, r in refs.items()}
        self._at = {(r.layer, r.row, r.col): r for r in refs.values()}

    def _make_ref(self, layer: int, row: int | None, col: int) -> ParameterRef:
        symbol = "b" if row is None else "w"
        # A layer with 10 or more units on either side separates every pair of
        # indices (w1_12, and then also w1_1), so no two names can coincide.
        wide = max(self.layer_sizes[layer], self.layer_sizes[layer + 1]) >= 10
        indices: tuple[int, ...]
        if self.n_hidden_layers >= 2:
            number = layer + 1      # the notes' layer superscript: w^[1] feeds layer 1
            indices = (col + 1,) if row is None else (row + 1, col + 1)
            name = f"{symbol}[{number}]_{_joined(indices, '_', wide)}"
            label = f"{symbol}⁽{superscript(number)}⁾{_sub(indices, wide)}"
            latex = f"{symbol}^{{[{number}]}}_{{{_joined(indices, ',', wide)}}}"
        else:
            is_output = layer == self.n_layers - 1
            if is_output:
                indices = () if row is None else (row + 1,)
            else:
                indices = (col + 1,) if row is None else (row + 1, col + 1)
            name = symbol + _joined(indices, "_", wide)
            label = symbol + _sub(indices, wide)
            latex = symbol + (f"_{{{_joined(indices, ',', wide)}}}" if indices else "")
        return ParameterRef(name=name, layer=layer, row=row, col=col, label=label, latex=latex)

    def parameter_names(self) -> list[str]:
        """All parameter names, output layer first, unit by unit (see module doc)."""
        return list(self._refs)

    def parameter_refs(self) -> list[ParameterRef]:
        """``parameter_ref`` of every name, in ``parameter_names`` order."""
        return list(self._refs.values())

    def parameter_ref(self, name: str) -> ParameterRef:
        """Where parameter ``name`` lives, with its Unicode and LaTeX labels."""
        try:
            return self._refs[name]
        except KeyError:
            raise KeyError(f"{self!r} has no parameter {name!r}") from None

    def ref_at(self, layer: int, row: int | None, col: int) -> ParameterRef:
        """The ParameterRef of weights[layer][row, col] (row None: biases[layer][col])."""
        return self._at[layer, row, col]

    def parameter(self, name: str) -> float:
        """The current value of parameter ``name`` (e.g. ``"w12"`` = weights[0][0, 1])."""
        layer, row, col = self._where(name)
        return float(self.biases[layer][col] if row is None else self.weights[layer][row, col])

    def set_parameter(self, name: str, value: float) -> None:
        """Set parameter ``name`` to ``value`` (must be a finite number)."""
        value = float(value)
        if not np.isfinite(value):
            raise ValueError(f"{name} must be a finite number, not {value}")
        layer, row, col = self._where(name)
        if row is None:
            self.biases[layer][col] = value
        else:
            self.weights[layer][row, col] = value

    def _where(self, name):
        try:
            return self._index[name]
        except KeyError:
            raise KeyError(f"{self!r} has no parameter {name!r}") from None

    def parameter_bytes(self) -> bytes:
        """The raw bytes of every weight and bias: equal bytes, equal network.
        Views compare them to skip redrawing when a step left the weights alone."""
        return b"".join(w.tobytes() for w in self.weights) + \
            b"".join(b.tobytes() for b in self.biases)

    def unit_symbol(self, layer: int, unit: int) -> tuple[str, str]:
        """(Unicode, LaTeX) of the activation of ``unit`` in activation layer
        ``layer``: 0 is the input (x₁), ``n_layers`` the output (ŷ)."""
        if layer == 0:
            return f"x{_sub((unit + 1,))}", f"x_{{{unit + 1}}}"
        if layer == self.n_layers:
            return "ŷ", r"\hat{y}"
        return self._hidden_symbol("a", layer, unit)

    def z_symbol(self, layer: int, unit: int) -> tuple[str, str]:
        """(Unicode, LaTeX) of the pre-activation z of ``unit`` in activation layer
        ``layer`` ≥ 1 (z₁ in the hidden layer, z at the output of a 2-H-1 net)."""
        if layer == self.n_layers:
            if self.n_hidden_layers >= 2:
                return f"z⁽{superscript(layer)}⁾", f"z^{{[{layer}]}}"
            return "z", "z"
        return self._hidden_symbol("z", layer, unit)

    def _hidden_symbol(self, symbol, layer, unit):
        if self.n_hidden_layers >= 2:
            return (f"{symbol}⁽{superscript(layer)}⁾{_sub((unit + 1,))}",
                    f"{symbol}^{{[{layer}]}}_{{{unit + 1}}}")
        return f"{symbol}{_sub((unit + 1,))}", f"{symbol}_{{{unit + 1}}}"

    # ---- the maths ---------------------------------------------------------------
    def forward(self, X) -> ForwardPass:
        """z = a_prev @ W + b and a = σ(z) for every layer; X may be one example (1-D)."""
        a = _as_matrix(X, self.layer_sizes[0])
        pre, acts = [], [a]
        for w, b in zip(self.weights, self.biases):
            z = a @ w + b
            a = sigmoid(z)
            pre.append(z)
            acts.append(a)
        return ForwardPass(pre, acts, a[:, 0])

    def predict(self, X) -> np.ndarray:
        """ŷ = σ(z) of the output unit, one value per row of X."""
        return self.forward(X).output

    def loss(self, X, y) -> float:
        """Mean log-loss over the rows (nan for an empty batch)."""
        fp = self.forward(X)
        y = _as_labels(y, len(fp.output))
        if len(y) == 0:
            return float("nan")
        return float(np.mean(_row_losses_from_logits(fp.pre_activations[-1][:, 0], y)))

    def row_losses(self, X, y) -> np.ndarray:
        """L(y_k, ŷ_k) for every row k."""
        fp = self.forward(X)
        y = _as_labels(y, len(fp.output))
        return _row_losses_from_logits(fp.pre_activations[-1][:, 0], y)

    def deltas(self, forward_pass: ForwardPass, y) -> list[np.ndarray]:
        """δ⁽ˡ⁾ = ∂L/∂z⁽ˡ⁾ for every row (not averaged), one (n, units) array per layer.

        δ⁽ᴸ⁾ = ŷ − y at the output (the sigmoid's ŷ(1−ŷ) cancels against ∂L/∂ŷ, so
        it stays exact when ŷ saturates); below it
        δ⁽ˡ⁾ = (δ⁽ˡ⁺¹⁾ W⁽ˡ⁺¹⁾ᵀ) ⊙ a⁽ˡ⁾(1 − a⁽ˡ⁾).
        """
        y = _as_labels(y, len(forward_pass.output))
        acts = forward_pass.activations
        delta = forward_pass.activations[-1] - y[:, None]
        out = [delta]
        for layer in range(self.n_layers - 1, 0, -1):
            a = acts[layer]
            delta = (delta @ self.weights[layer].T) * a * (1.0 - a)
            out.append(delta)
        out.reverse()
        return out

    def gradients(self, X, y) -> Gradients:
        """∂(mean L)/∂W⁽ˡ⁾ = a⁽ˡ⁻¹⁾ᵀ δ⁽ˡ⁾ / n and ∂/∂b⁽ˡ⁾ = Σ_rows δ⁽ˡ⁾ / n (back-propagation)."""
        fp = self.forward(X)
        n = len(fp.output)
        if n == 0:
            raise ValueError("no rows to take the gradient over")
        deltas = self.deltas(fp, y)
        gw = [fp.activations[layer].T @ d / n for layer, d in enumerate(deltas)]
        gb = [d.sum(axis=0) / n for d in deltas]
        return Gradients(gw, gb, self._index)

    def chain_factors(self, x, y, name: str) -> tuple[Factor, ...]:
        """The lecture's chain-rule factors of ∂L/∂(name) for one example.

        2-H-1 hidden weight w_ij: ∂z_j/∂w_ij · ∂a_j/∂z_j · ∂z/∂a_j · ∂ŷ/∂z · ∂L/∂ŷ;
        output weight w_j: ∂z/∂w_j · ∂ŷ/∂z · ∂L/∂ŷ; biases start with ∂z/∂b = 1.
        Deeper layers with several paths to ŷ use ∂z⁽ˡ⁾_j/∂w⁽ˡ⁾_ij · δ⁽ˡ⁾_j.
        The product of the values is the gradient (see ``core.chain_rule`` for how
        ∂L/∂ŷ is kept finite when ŷ saturates).
        """
        return chain_rule.chain_factors(self, x, y, self.parameter_ref(name))

    def train_step(self, X, y, learning_rate: float) -> float:
        """One full-batch gradient-descent update p ← p − α·∂(mean L)/∂p.

        Returns the mean loss before the update.
        """
        X = _as_matrix(X, self.layer_sizes[0])
        y = _as_labels(y, len(X))
        learning_rate = _valid_learning_rate(learning_rate)
        loss = self.loss(X, y)
        grads = self.gradients(X, y)
        with np.errstate(over="ignore", invalid="ignore"):
            new_weights = [w - learning_rate * gw for w, gw in zip(self.weights, grads.weights)]
            new_biases = [b - learning_rate * gb for b, gb in zip(self.biases, grads.biases)]
        if blown_up(new_weights, new_biases):
            raise TrainingOverflow(learning_rate)
        for w, b, new_w, new_b in zip(self.weights, self.biases, new_weights, new_biases):
            np.copyto(w, new_w)
            np.copyto(b, new_b)
        return loss


def train(network: Network, X, y, learning_rate: float, epochs: int, mode: str = "batch") -> np.ndarray:
    """Gradient descent on ``network`` in place; the mean loss after each epoch.

    mode="batch": one update per epoch with the mean gradient over all rows.
    mode="example": one update per row, in row order, as in the lecture.
    ``result[k]`` is the mean loss over all rows at the END of epoch k + 1
    (so it includes that epoch's updates); the loss before training is
    ``network.loss(X, y)``.

    Non-finite word counts, labels or learning rates raise ValueError.  A run
    that blows up (a loss overflows, a parameter leaves ±MAX_ABS_PARAMETER)
    raises TrainingOverflow and leaves the network as it was before the call.
    """
    X = _as_matrix(X, network.layer_sizes[0])
    y = _as_labels(y, len(X))
    learning_rate = _valid_learning_rate(learning_rate)
    epochs = int(epochs)
    if epochs < 0:
        raise ValueError("epochs must be ≥ 0")
    if len(X) == 0:
        raise ValueError("no rows to train on")
    losses = np.empty(epochs)
    before = ([w.copy() for w in network.weights], [b.copy() for b in network.biases])
    with np.errstate(over="ignore", invalid="ignore"):
        if mode == "batch":
            _train_batch(network.weights, network.biases, X, y, float(learning_rate), losses)
        elif mode == "example":
            for epoch in range(epochs):
                for k in range(len(X)):
                    _train_batch(network.weights, network.biases, X[k:k + 1], y[k:k + 1],
                                 float(learning_rate), None)
                losses[epoch] = network.loss(X, y)
        else:
            raise ValueError(f"mode must be 'batch' or 'example', not {mode!r}")
    if not np.isfinite(losses).all() or blown_up(network.weights, network.biases):
        for target, saved in zip(network.weights + network.biases, before[0] + before[1]):
            np.copyto(target, saved)
        raise TrainingOverflow(learning_rate, _first_bad_epoch(network, X, y, learning_rate,
                                                               epochs, mode))
    return losses


def _first_bad_epoch(network: Network, X, y, learning_rate: float, epochs: int,
                     mode: str) -> int:
    """Replays a run that blew up one epoch at a time, on a copy, to name the epoch."""
    replay = network.copy()
    for epoch in range(1, epochs + 1):
        with np.errstate(all="ignore"):
            if mode == "batch":
                losses = np.empty(1)
                _train_batch(replay.weights, replay.biases, X, y, learning_rate, losses)
                loss = losses[0]
            else:
                for k in range(len(X)):
                    _train_batch(replay.weights, replay.biases, X[k:k + 1], y[k:k + 1],
                                 learning_rate, None)
                loss = replay.loss(X, y)
        if not np.isfinite(loss) or blown_up(replay.weights, replay.biases):
            return epoch
    return max(epochs, 1)


def _train_batch(weights, biases, X, y, learning_rate, losses):
    """The hot loop of full-batch training, in place.

    Writes losses[k] after epoch k + 1; with ``losses`` None, one update and no
    loss.  Buffers are allocated once; the loss reuses the 1 + e^(−z) the
    output sigmoid computes anyway: L = ln(1 + e^(−z)) + (1 − y)·z.
    """
    n = X.shape[0]
    n_layers = len(weights)
    last = n_layers - 1
    epochs = 1 if losses is None else len(losses)
    z_buffers = [np.empty((n, w.shape[1])) for w in weights]
    acts = [X] + z_buffers
    one_minus_y = 1.0 - y
    y_column = y[:, None]
    log_buffer = np.empty(n)
    step = learning_rate / n
    matmul, multiply, negative = np.matmul, np.multiply, np.negative
    exp, log, reciprocal = np.exp, np.log, np.reciprocal
    loss = 0.0
    # epochs + 1 forward passes: pass k measures the loss after epoch k's update.
    for epoch in range(epochs + 1):
        if losses is None and epoch == epochs:
            break
        a = X
        for layer in range(n_layers):
            z = matmul(a, weights[layer], out=z_buffers[layer])
            z += biases[layer]
            if layer == last and losses is not None:
                # Σ(1 − y)·z without a BLAS dot: threaded BLAS level-1 calls
                # stall badly when the cores are busy, and this one is cheap.
                z_out = z[:, 0]
                linear = multiply(one_minus_y, z_out, out=log_buffer).sum()
            negative(z, out=z)
            exp(z, out=z)
            z += 1.0
            if layer == last and losses is not None:
                loss = (log(z_out, out=log_buffer).sum() + linear) / n
            reciprocal(z, out=z)
            a = z
        if epoch:
            losses[epoch - 1] = loss
        if epoch == epochs:
            break
        delta = a - y_column
        for layer in range(last, -1, -1):
            below = acts[layer]
            grad_w = below.T @ delta
            grad_b = delta.sum(axis=0)
            if layer:
                # δ of the layer below uses W before this layer's update.
                slope = 1.0 - below
                slope *= below
                delta_below = delta @ weights[layer].T
                delta_below *= slope
            grad_w *= step
            grad_b *= step
            weights[layer] -= grad_w
            biases[layer] -= grad_b
            if layer:
                delta = delta_below


def _validated_sizes(layer_sizes) -> tuple[int, ...]:
    try:
        sizes = tuple(int(s) for s in layer_sizes)
    except (TypeError, ValueError):
        raise ValueError(f"layer sizes must be whole numbers, not {layer_sizes!r}") from None
    if len(sizes) < 2:
        raise ValueError("a network needs at least an input and an output layer")
    if any(s < 1 for s in sizes):
        raise ValueError(f"every layer needs at least one unit: {sizes}")
    if sizes[-1] != 1:
        raise ValueError("the classifier has a single output unit ŷ: the last layer size must be 1")
    return sizes


def _as_matrix(X, n_inputs: int) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[None, :]
    if X.ndim != 2 or X.shape[1] != n_inputs:
        raise ValueError(f"expected rows of {n_inputs} inputs, got an array of shape {X.shape}")
    if not np.isfinite(X).all():
        raise ValueError("the word counts must be finite numbers (no NaN or infinity)")
    return X


def _as_labels(y, n: int) -> np.ndarray:
    y = np.asarray(y, dtype=float).reshape(-1)
    if len(y) != n:
        raise ValueError(f"{n} rows but {len(y)} labels")
    if not np.isfinite(y).all():
        raise ValueError("the labels must be finite numbers (no NaN or infinity)")
    return y


def _joined(indices, separator: str, wide: bool = False) -> str:
    return (separator if wide else "").join(map(str, indices))


def _sub(indices, wide: bool = False) -> str:
    return subscript(_joined(indices, ",", wide))
