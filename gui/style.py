"""A Qt style whose check boxes, arrows, sliders and scroll bars grow with the
presentation scale (fonts alone leave 13-pixel check boxes beside 20-point text)."""
from __future__ import annotations

from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleFactory

_SCALED = frozenset({
    QStyle.PixelMetric.PM_IndicatorWidth, QStyle.PixelMetric.PM_IndicatorHeight,
    QStyle.PixelMetric.PM_ExclusiveIndicatorWidth,
    QStyle.PixelMetric.PM_ExclusiveIndicatorHeight,
    QStyle.PixelMetric.PM_ScrollBarExtent, QStyle.PixelMetric.PM_ScrollBarSliderMin,
    QStyle.PixelMetric.PM_SliderThickness, QStyle.PixelMetric.PM_SliderLength,
    QStyle.PixelMetric.PM_SliderControlThickness,
    QStyle.PixelMetric.PM_SmallIconSize, QStyle.PixelMetric.PM_ButtonIconSize,
    QStyle.PixelMetric.PM_ToolBarIconSize, QStyle.PixelMetric.PM_MenuButtonIndicator,
    QStyle.PixelMetric.PM_SplitterWidth, QStyle.PixelMetric.PM_TabBarIconSize,
})


class ScaledStyle(QProxyStyle):
    """Fusion, with the pixel metrics above multiplied by ``scale``."""

    def __init__(self, scale: float = 1.0):
        super().__init__(QStyleFactory.create("Fusion"))
        self.scale = scale

    def pixelMetric(self, metric, option=None, widget=None):
        value = super().pixelMetric(metric, option, widget)
        if metric in _SCALED and self.scale != 1.0:
            return round(value * self.scale)
        return value
