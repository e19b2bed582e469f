"""Read back a number as the panel and the diagram write it (−, m×10⁻ⁿ)."""
import re

_SUPERSCRIPT_DIGITS = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


def parse(text: str) -> float:
    """"−2.453×10⁻⁴" → -0.0002453; "0.5" → 0.5."""
    text = text.strip().replace("−", "-")
    match = re.fullmatch(r"(-?[\d.]+)×10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)", text)
    if match:
        return float(match.group(1)) * 10.0 ** int(match.group(2).translate(_SUPERSCRIPT_DIGITS))
    return float(text)
