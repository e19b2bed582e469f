"""Small pyqtgraph fixes shared by every plot."""
from __future__ import annotations

import math


def plain_tick_numbers(axis) -> None:
    """Show tick values as they are, never rescaled by an SI prefix.

    pyqtgraph 0.14's ``enableAutoSIPrefix(False)`` still rescales an axis whose range
    lies in (0, 1) — a loss axis read 200, 400, 600 for 0.2, 0.4, 0.6 after a restyle —
    so the ranges where prefixes apply are emptied as well.
    """
    axis.setSIPrefixEnableRanges(())
    axis.enableAutoSIPrefix(False)


def label_axis(axis, text: str, **style) -> None:
    """Set an axis title without losing plain tick numbers: pyqtgraph's
    ``AxisItem.setLabel`` resets the SI-prefix ranges, so every title change
    (a theme or scale change, root/minimise) used to bring the prefixes back —
    the linked g′ axis read 0 … 600 for x from 0 to 0.6."""
    axis.setLabel(text, **style)
    plain_tick_numbers(axis)


def readable_ticks(axis) -> None:
    """Space ``axis``'s labelled ticks by its font, not only by its length.

    pyqtgraph picks the tick spacing from the axis's length in pixels, so on a short
    plot at a large scale the numbers overlap (a 35-pixel loss axis at 1.5× printed
    0.2 and 0.4 on top of each other). The major spacing is widened (1, 2, 5 × 10ⁿ)
    until neighbouring labels have room: 1.1 lines apart on a vertical axis, the
    width of "−0.00" and a gap on a horizontal one."""
    from PySide6.QtGui import QFontMetricsF
    default = type(axis).tickSpacing

    def spacing(min_value, max_value, size):
        levels = default(axis, min_value, max_value, size)
        if not levels or size <= 0 or max_value <= min_value:
            return levels
        font = axis.style.get("tickFont") or axis.font()
        metrics = QFontMetricsF(font)
        vertical = axis.orientation in ("left", "right")
        room = 1.1 * metrics.height() if vertical else \
            metrics.horizontalAdvance("−0.00") + metrics.height()
        per_unit = size / (max_value - min_value)
        major, offset = levels[0]
        if major * per_unit >= room:
            return levels
        exponent = math.floor(math.log10(major))
        step = major
        for power in range(exponent, exponent + 40):
            candidates = [m * 10.0 ** power for m in (1, 2, 5) if m * 10.0 ** power > major]
            fitting = [c for c in candidates if c * per_unit >= room]
            if fitting:
                step = fitting[0]
                break
        return [(step, 0.0)] + [level for level in levels if level[0] < step][:1]

    axis.tickSpacing = spacing
    axis.picture = None
    axis.update()
