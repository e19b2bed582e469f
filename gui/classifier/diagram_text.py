"""How the network diagram writes its names and numbers (no Qt).

A value inside a unit's disc must fit in it: ``node_value_text`` keeps it to about
six characters (``NODE_DECIMALS`` fixed decimals below 1, so a₁ = 2.453×10⁻⁴ reads
0.0002) and the unit's tooltip holds it to ``TOOLTIP_DIGITS`` significant digits.
Weight and bias tags use ``EDGE_DECIMALS`` (2 decimals) to stay short.
"""
from __future__ import annotations

import math

import numpy as np

from gui.classifier.chain_panel import EDGE_DECIMALS, format_number

NODE_DECIMALS = 4         # unit values below 1: 0.0002, 0.9994 (fits the disc)
TOOLTIP_DIGITS = 10       # significant digits of a unit's value in its tooltip


def weight_text(value: float) -> str:
    """A weight or bias as its tag writes it: 2 decimals, never "−0.00"."""
    text = format_number(value, decimals=EDGE_DECIMALS)
    return text.replace("−", "") if text.strip("−0.") == "" else text


def node_value_text(value: float) -> str:
    """A unit's value as written inside its disc, about six characters at most:
    ``NODE_DECIMALS`` fixed decimals below 1 in size (0.0002 rather than
    2.453×10⁻⁴), the panel's significant digits from 1 up, m×10ⁿ from 10⁶."""
    v = float(value)
    if not math.isfinite(v) or v == 0.0 or (v.is_integer() and abs(v) < 1e6):
        return format_number(v)
    a = abs(v)
    if a < 1.0:
        text = f"{a:.{NODE_DECIMALS}f}"
        if text.strip("0.") in ("", "1"):   # 0.0000, 1.0000: rounded, not exactly 0 or 1
            return f"−{text}" if v < 0 and text[0] == "1" else text
        text = text.rstrip("0").rstrip(".")    # 0.5 rather than 0.5000, as the panel
        return f"−{text}" if v < 0 else text
    if a < 1e6:
        return format_number(v)            # 9.21, 123.5, 12346
    return format_number(v, digits=2)      # 1.2×10⁶


def tooltip_text(name: str, value: float) -> str:
    """A unit's value in full, for its tooltip."""
    return f"{name} = {format_number(value, digits=TOOLTIP_DIGITS)}"


def tag_digits(network) -> int:
    """Integer digits of the largest weight or bias as a tag writes it (−123.46: 3)."""
    largest = max((float(np.max(np.abs(p), initial=0.0))
                   for p in list(network.weights) + list(network.biases)), default=0.0)
    if not math.isfinite(largest):
        return 1
    return max(1, len(str(int(round(largest, EDGE_DECIMALS)))))


def widest_number(digits: int) -> str:
    """The widest number a tag may show with ``digits`` integer digits."""
    return "−" + "0" * digits + "." + "0" * EDGE_DECIMALS


def ref_key(ref) -> str:
    """The diagram's item name of a parameter: ``bias:<l>:<j>`` or ``edge:<l>:<i>:<j>``."""
    if ref.is_bias:
        return f"bias:{ref.layer}:{ref.col}"
    return f"edge:{ref.layer}:{ref.row}:{ref.col}"
