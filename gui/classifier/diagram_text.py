"""How the network diagram sizes and names its numbers (no Qt).

Every number on the diagram is ``core.notation.format_number`` of its quantity —
``VALUE`` inside a unit's disc and on a weight's or bias's tag (at most seven
characters below 10⁶: 0.0002 rather than 2.453×10⁻⁴), so it reads exactly as in the
chain-rule panel and the sentence table; ``FULL`` in a unit's tooltip.
"""
from __future__ import annotations

import math

import numpy as np

from core.notation import NumberRole, format_number


def tag_digits(network) -> int:
    """Integer digits of the largest weight or bias, as its 4 significant digits
    round it (−123.456: 3; 999999.7 → 1.000×10⁶: 7)."""
    largest = max((float(np.max(np.abs(p), initial=0.0))
                   for p in list(network.weights) + list(network.biases)), default=0.0)
    if not math.isfinite(largest):
        return 1
    return max(1, len(str(int(float(f"{largest:.3e}")))))


def widest_number(digits: int) -> str:
    """The widest text a tag may show for parameters of up to ``digits`` integer
    digits: four decimals below 1 (−0.8888), or the largest such number."""
    below_one = format_number(-0.8888, NumberRole.VALUE)
    largest = format_number(-8.888 * 10.0 ** (digits - 1), NumberRole.VALUE)
    return max(below_one, largest, key=len)


def ref_key(ref) -> str:
    """The diagram's item name of a parameter: ``bias:<l>:<j>`` or ``edge:<l>:<i>:<j>``."""
    if ref.is_bias:
        return f"bias:{ref.layer}:{ref.col}"
    return f"edge:{ref.layer}:{ref.row}:{ref.col}"
