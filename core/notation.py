"""How the app writes indices (x₁, a⁽²⁾, 10⁻⁴) and numbers, in every view.

One module for the core's labels and every view's numbers.  ``format_number`` is the
only place that decides how many digits a number shows; the digits follow the *kind
of quantity* (its ``NumberRole``), never the widget, so a quantity reads the same
wherever it appears: ŷ in the sentence table and in the diagram's output unit, a
weight on its edge and in the chain-rule panel, L on the diagram, in the panel and
in the status line, xₖ in the iteration table, the arithmetic and the messages.

==========  ===================================================  =====================
role        digits                                               for
==========  ===================================================  =====================
VALUE       4 decimals below 1 (0.3788, 0.0934, 0.0000 when a    the network's values:
            nonzero value rounds to 0); 4 significant digits     x, z, a, ŷ, L, w, b, α
            from 1 (2.718, 123.5), every integer digit below     (at most 7 characters
            10⁶ (12346), m×10ⁿ from 10⁶                          below 10⁶: fits a unit)
DERIVATIVE  as VALUE from 0.01 up; below 0.01 4 significant      ∂L/∂p, chain factors,
            digits as m×10ⁿ, so a small one never reads as 0     δ, finite differences;
                                                                 Newton's f, f′, steps
ITERATE     6 significant digits (0.0972476, 0.567143), m×10ⁿ    Newton's xₖ, x₀, x*
            below 10⁻³ and from 10⁶: digit doubling shows
            (0.55785, 0.56706, 0.567143: 1, 3, 6 digits right)
FULL        the shortest text that reads back as the same float  tooltips, typed answers
==========  ===================================================  =====================

Trailing zeros are dropped (0.5, not 0.5000) except where dropping them would claim
a whole number the value is not (0.99997 → 1.0000, 2.99996 → 3.000).  Zero and −0
are "0", NaN is "undefined", ±∞ are ∞ and −∞, and a missing value (None) is "—".

The ``Notation`` says how the digits are written: ``TEXT`` (the default) with a real
minus sign (U+2212) and m×10ⁿ; ``COMPACT`` for narrow table cells, m.me−n with
fewer mantissa digits (6.6e−9) outside the role's plain range (the tooltip keeps the
value in full); ``LATEX`` for mathtext, with an ASCII minus and m \\times 10^{n}.
"""
from __future__ import annotations

import enum
import math

__all__ = ["MINUS", "VALUE_DECIMALS", "Notation", "NumberRole", "format_factor", "format_iterate",
           "format_number",
           "subscript", "superscript"]

_SUBSCRIPT = str.maketrans("0123456789-", "₀₁₂₃₄₅₆₇₈₉₋")
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
MINUS = "\u2212"


def subscript(value: int | str) -> str:
    """Digits (and a minus sign) as subscripts: 12 → ₁₂."""
    return str(value).translate(_SUBSCRIPT)


def superscript(value: int | str) -> str:
    """Digits (and a minus sign) as superscripts: -4 → ⁻⁴."""
    return str(value).translate(_SUPERSCRIPT)


class NumberRole(enum.Enum):
    """What kind of quantity a number is; it decides the digits (see the module table)."""
    VALUE = "value"
    DERIVATIVE = "derivative"
    ITERATE = "iterate"
    FULL = "full"


class Notation(enum.Enum):
    """How the digits are written: running text, a narrow table cell, or LaTeX."""
    TEXT = "text"
    COMPACT = "compact"
    LATEX = "latex"


VALUE_DECIMALS = 4     # a VALUE below 1: 0.3788 (what a view may round to before comparing)

# role: (significant digits, decimals below 1 or None, smallest exponent written plainly)
_DIGITS = {
    NumberRole.VALUE: (4, VALUE_DECIMALS, None),        # None: below 1 always as decimals
    NumberRole.DERIVATIVE: (4, VALUE_DECIMALS, -2),     # 0.01 … as decimals, below as m×10ⁿ
    NumberRole.ITERATE: (6, None, -3),
}
_LARGEST_PLAIN = 6                          # from 10⁶ as m×10ⁿ (COMPACT: from 10^digits)
_UNDEFINED = {Notation.TEXT: "undefined", Notation.COMPACT: "undef.",
              Notation.LATEX: r"\mathrm{undefined}"}


def format_number(value: float | None, role: NumberRole = NumberRole.VALUE,
                  notation: Notation = Notation.TEXT) -> str:
    """``value`` written with the digits of its ``role`` in ``notation``:
    format_number(-0.098934, VALUE) = "−0.0989", format_number(1.23456e-5, DERIVATIVE)
    = "1.235×10⁻⁵", format_number(0.0972476470, ITERATE) = "0.0972476"."""
    if value is None:
        return "—"
    v = float(value) + 0.0                  # + 0.0 turns −0 into 0
    latex = notation is Notation.LATEX
    if math.isnan(v):
        return _UNDEFINED[notation]
    if math.isinf(v):
        infinity = r"\infty" if latex else "∞"
        return infinity if v > 0 else ("-" if latex else MINUS) + infinity
    if v == 0.0:
        return "0"
    mantissa, exponent = _digits(v, role, notation)
    if exponent is None:
        text = mantissa
    elif notation is Notation.COMPACT:
        text = f"{mantissa}e{exponent}"
    elif latex:
        return rf"{mantissa} \times 10^{{{exponent}}}"
    else:
        text = f"{mantissa}×10{superscript(exponent)}"
    return text if latex else text.replace("-", MINUS)


ITERATE_MAX_DIGITS = 10     # a converging iterate is written with at most this many


def format_iterate(value: float | None, correct: int,
                   notation: Notation = Notation.TEXT,
                   max_digits: int = ITERATE_MAX_DIGITS) -> str:
    """An iterate written with its ``correct`` digits and one more (at least
    ITERATE's 6, at most ITERATE_MAX_DIGITS), so digit doubling shows in a table:
    x₇ = 0.567143284 (8 correct), x₈ = 0.5671432904 (all correct), where both
    read 0.567143 with six."""
    digits = max(_DIGITS[NumberRole.ITERATE][0], min(max_digits, int(correct) + 1))
    if value is None or digits == _DIGITS[NumberRole.ITERATE][0] or not math.isfinite(value) \
            or value == 0:
        return format_number(value, NumberRole.ITERATE, notation)
    v = float(value) + 0.0
    mantissa, _, power = f"{v:.{digits - 1}e}".partition("e")
    exponent = int(power)
    if -3 <= exponent < _LARGEST_PLAIN:
        text = f"{v:.{max(0, digits - 1 - exponent)}f}"
    elif notation is Notation.LATEX:
        return rf"{mantissa} \times 10^{{{exponent}}}"
    elif notation is Notation.COMPACT:
        text = f"{mantissa}e{exponent}"
    else:
        text = f"{mantissa}×10{superscript(exponent)}"
    return text if notation is Notation.LATEX else text.replace("-", MINUS)


def format_factor(value: float, role: NumberRole = NumberRole.VALUE,
                  notation: Notation = Notation.TEXT) -> str:
    """``format_number`` as a factor of a product: in parentheses when negative,
    so 3 · (−0.5) never reads as a subtraction."""
    text = format_number(value, role, notation)
    return f"({text})" if text.startswith(("-", MINUS)) else text


def _digits(v: float, role: NumberRole, notation: Notation) -> tuple[str, int | None]:
    """(mantissa or plain text with an ASCII minus, power of ten or None)."""
    if role is NumberRole.FULL:
        text = repr(v)                  # the shortest text that reads back as v
        if "e" in text:
            mantissa, power = text.split("e")
            return mantissa, int(power)
        return (text[:-2] if text.endswith(".0") else text), None
    significant, decimals, smallest = _DIGITS[role]
    a = abs(v)
    if decimals is not None and a < 1.0 and (smallest is None or a >= 10.0 ** smallest):
        text = f"{v:.{decimals}f}"
        if text.strip("-0.") == "":
            return "0." + "0" * decimals, None     # rounded, not exactly 0: no sign
        return _trim(text, v), None
    exponent = int(f"{v:.{significant - 1}e}".split("e")[1])   # after rounding
    plain = f"{v:.{max(0, significant - 1 - exponent)}f}"      # every integer digit shown
    largest = significant if notation is Notation.COMPACT else _LARGEST_PLAIN
    if (smallest is None or exponent >= smallest) and abs(float(plain)) < 10.0 ** largest:
        return _trim(plain, v), None
    # Compact cells keep fewer mantissa digits: eight columns must fit a projector.
    places = max(significant - 3, 1) if notation is Notation.COMPACT else significant - 1
    mantissa, exponent_text = f"{v:.{places}e}".split("e")
    exponent = int(exponent_text)
    return _trim(mantissa, v, exponent), exponent


def _trim(text: str, value: float, exponent: int = 0) -> str:
    """Without trailing zeros (0.5 rather than 0.5000), unless that leaves a whole
    number the value is not (0.99997 stays 1.0000; 3.000×10⁵ for 300001)."""
    if "." not in text:
        return text
    short = text.rstrip("0").rstrip(".")
    if "." not in short and float(f"{short}e{exponent}") != value:
        return text
    return short
