"""Small pyqtgraph fixes shared by every plot."""
from __future__ import annotations


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
