"""The logistic sigmoid, the activation of every unit of the classifier's network.

Its own module because the network and the chain rule both need it, and the chain
rule must not import the network that delegates to it."""
from __future__ import annotations

import numpy as np

__all__ = ["sigmoid"]


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), without overflow warnings for large |z|.

    For z ≪ 0, e^(−z) overflows to inf and 1/inf = 0 is the right limit, so
    only the warning needs silencing; the formula itself keeps full relative
    precision on both tails.
    """
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))
