"""Full-batch training throughput: ``core.network.train`` against a bare NumPy loop.

The reference is the loop one would write by hand for the same maths (2-2-1
sigmoid network, mean log-loss recorded every epoch, mean gradient, one
update per epoch).  Both start from the same weights; runs are interleaved
and the best of several repeats is kept, so machine noise hits both alike.

    python -m bench.core_training        (or python bench/core_training.py)

Prints epochs/s for both and ours/reference (the quality bar is ≥ 0.75,
i.e. "within 1.3×").
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from core.network import Network, train

LEARNING_RATE = 0.5
REPEATS = 7
# (examples, epochs per timed run): each run lasts roughly 0.1–0.3 s here.
CASES = ((4, 20_000), (100_000, 30))


def reference_train(W1, b1, W2, b2, X, y, learning_rate, epochs):
    """The hand-written loop: forward, mean log-loss, back-propagation, update."""
    n = len(X)
    y = y.reshape(-1, 1)
    losses = np.empty(epochs)
    for epoch in range(epochs):
        a1 = 1.0 / (1.0 + np.exp(-(X @ W1 + b1)))
        y_hat = 1.0 / (1.0 + np.exp(-(a1 @ W2 + b2)))
        losses[epoch] = -np.mean(y * np.log(y_hat) + (1.0 - y) * np.log(1.0 - y_hat))
        dz2 = (y_hat - y) / n
        dz1 = (dz2 @ W2.T) * a1 * (1.0 - a1)
        W2 -= learning_rate * (a1.T @ dz2)
        b2 -= learning_rate * dz2.sum(axis=0)
        W1 -= learning_rate * (X.T @ dz1)
        b1 -= learning_rate * dz1.sum(axis=0)
    return losses


def make_data(n: int, seed: int = 0):
    """Word counts 0–3 for (aack, beep); happy when aack outnumbers beep."""
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 4, size=(n, 2)).astype(float)
    y = (X[:, 0] > X[:, 1]).astype(float)
    return X, y


def time_case(n: int, epochs: int, repeats: int = REPEATS):
    X, y = make_data(n)
    start = Network((2, 2, 1), seed=0)
    ours, reference = [], []
    for _ in range(repeats):
        network = start.copy()
        t0 = time.perf_counter()
        train(network, X, y, LEARNING_RATE, epochs, mode="batch")
        ours.append(time.perf_counter() - t0)

        W1, W2 = (w.copy() for w in start.weights)
        b1, b2 = (b.copy() for b in start.biases)
        with np.errstate(over="ignore"):
            t0 = time.perf_counter()
            reference_train(W1, b1, W2, b2, X, y, LEARNING_RATE, epochs)
            reference.append(time.perf_counter() - t0)
    # Same maths, same start: the weights must agree, or the race is unfair.
    if not np.allclose(network.weights[0], W1, rtol=1e-6, atol=1e-9):
        raise AssertionError("train() and the reference loop disagree")
    return epochs / min(ours), epochs / min(reference)


def main() -> int:
    print(f"Full-batch training, 2-2-1 sigmoid network, best of {REPEATS} interleaved runs")
    print(f"{'examples':>10} {'ours epochs/s':>15} {'reference epochs/s':>20} {'ratio':>7}")
    worst = float("inf")
    for n, epochs in CASES:
        ours, reference = time_case(n, epochs)
        ratio = ours / reference
        worst = min(worst, ratio)
        print(f"{n:>10,} {ours:>15,.0f} {reference:>20,.0f} {ratio:>7.2f}")
    print(f"worst ratio ours/reference: {worst:.2f} (target ≥ 0.75)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
