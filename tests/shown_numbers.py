"""Read back a number as the panel and the diagram write it (−, m×10⁻ⁿ)."""
import re

_SUPERSCRIPT_DIGITS = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


def parse(text: str) -> float:
    """"−2.453×10⁻⁴" → -0.0002453; "0.5" → 0.5."""
    text = text.strip().replace("−", "-")
    match = re.fullmatch(r"(-?[\d.]+)×10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)", text)
    if match:
        exponent = int(match.group(2).translate(_SUPERSCRIPT_DIGITS))
        return float(f"{match.group(1)}e{exponent}")     # exact: 1.5×10⁻²⁰ is 1.5e-20
    return float(text)


def half_unit(text: str) -> float:
    """Half a unit of the last digit ``text`` writes: "0.0934" → 5e-5, "1.235×10⁻⁵" →
    5e-9, "3" → 0.5 — how far the value it stands for may be from it."""
    mantissa, _, power = text.strip().partition("×10")
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    exponent = int(power.translate(_SUPERSCRIPT_DIGITS)) if power else 0
    return 0.5 * 10.0 ** (exponent - decimals)
