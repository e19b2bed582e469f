"""How the lecture writes indices: Unicode sub- and superscripts (x₁, a⁽²⁾, 10⁻⁴).

One table for the core's labels and every view's numbers."""
from __future__ import annotations

_SUBSCRIPT = str.maketrans("0123456789-", "₀₁₂₃₄₅₆₇₈₉₋")
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def subscript(value: int | str) -> str:
    """Digits (and a minus sign) as subscripts: 12 → ₁₂."""
    return str(value).translate(_SUBSCRIPT)


def superscript(value: int | str) -> str:
    """Digits (and a minus sign) as superscripts: -4 → ⁻⁴."""
    return str(value).translate(_SUPERSCRIPT)
