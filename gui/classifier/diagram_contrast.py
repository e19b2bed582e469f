"""Contrast arithmetic for the network diagram's faded elements (no Qt).

WCAG 2 relative luminance and contrast ratio on ``#rrggbb`` colours, and
``fade``: a colour moved towards the background only as far as a minimum
contrast allows, so what a step does not light recedes but stays readable on a
projector (text ≥ 4.5:1, lines and outlines ≥ 3:1).
"""
from __future__ import annotations

TEXT_CONTRAST = 4.5       # WCAG AA for text
GRAPHIC_CONTRAST = 3.0    # WCAG AA for lines, outlines and other graphics


def _channels(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"expected #rrggbb, got {colour!r}")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def relative_luminance(colour: str) -> float:
    """L = 0.2126 R + 0.7152 G + 0.0722 B of the linearised sRGB channels."""
    def linear(c: int) -> float:
        s = c / 255.0
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """(L_lighter + 0.05) / (L_darker + 0.05), from 1 (same) to 21 (black on white)."""
    la, lb = relative_luminance(a), relative_luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def mix(colour: str, background: str, t: float) -> str:
    """``colour`` a fraction ``t`` of the way to ``background``."""
    a, b = _channels(colour), _channels(background)
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b))


def fade(colour: str, background: str, min_contrast: float, amount: float = 0.7) -> str:
    """``colour`` moved up to ``amount`` of the way to ``background``, but no
    further than keeps ``min_contrast`` against it (a colour already below the
    minimum is left as it is)."""
    if contrast_ratio(colour, background) <= min_contrast:
        return colour
    faded = mix(colour, background, amount)
    if contrast_ratio(faded, background) >= min_contrast:
        return faded
    lo, hi = 0.0, amount          # lo keeps the contrast, hi does not
    for _ in range(20):
        mid = (lo + hi) / 2
        if contrast_ratio(mix(colour, background, mid), background) >= min_contrast:
            lo = mid
        else:
            hi = mid
    result = mix(colour, background, lo)
    # rounding to whole channels may cost a hair of contrast: step back until it holds
    while contrast_ratio(result, background) < min_contrast and lo > 0:
        lo = max(0.0, lo - 0.01)
        result = mix(colour, background, lo)
    return result
