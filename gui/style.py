"""A Qt style whose check boxes, arrows, sliders and scroll bars grow with the
presentation scale (fonts alone leave 13-pixel check boxes beside 20-point text),
and whose check boxes keep a visible outline in the dark theme."""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPalette, QPen
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


    def drawPrimitive(self, element, option, painter, widget=None):
        super().drawPrimitive(element, option, painter, widget)
        if element == QStyle.PrimitiveElement.PE_IndicatorCheckBox and \
                option.palette.color(QPalette.ColorRole.Window).lightness() < 100:
            # Fusion outlines a check box in the window colour darkened: on a dark
            # window that is all but invisible, so draw it again in the muted text
            # colour (placeholder text), > 3:1 against the dark window
            painter.save()
            width = max(1.0, self.scale)
            painter.setPen(QPen(option.palette.color(QPalette.ColorRole.PlaceholderText), width))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            half = width / 2
            painter.drawRect(QRectF(option.rect).adjusted(half, half, -half, -half))
            painter.restore()
