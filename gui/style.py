"""A Qt style whose check boxes, arrows, sliders and scroll bars grow with the
presentation scale (fonts alone leave 13-pixel check boxes beside 20-point text),
whose check boxes keep a visible outline in the dark theme, and whose keyboard
focus is a ring anyone can see (Fusion's is a faint tint of the frame)."""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPalette, QPen
from PySide6.QtWidgets import QAbstractItemView, QProxyStyle, QStyle, QStyleFactory

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


#: the focus ring, ≥ 4.5:1 against the window in each theme (tests/test_main_window.py)
FOCUS_LIGHT = "#0b5cad"
FOCUS_DARK = "#6cb8ff"

_P = QStyle.PrimitiveElement
_C = QStyle.ComplexControl
# the frames that get a ring when their widget has the keyboard focus
_RING_PRIMITIVES = frozenset({_P.PE_PanelButtonCommand, _P.PE_PanelButtonTool,
                              _P.PE_FrameLineEdit})
_RING_COMPLEX = frozenset({_C.CC_SpinBox, _C.CC_ComboBox, _C.CC_Slider})


def focus_colour(palette: QPalette) -> QColor:
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 100
    return QColor(FOCUS_DARK if dark else FOCUS_LIGHT)


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


    def _ring(self, option, painter, widget, rounded: bool = True) -> None:
        """The focus ring around ``option.rect``, if ``widget`` has the keyboard focus."""
        if widget is None or not widget.hasFocus():
            return
        painter.save()
        width = max(2.0, 2.0 * self.scale)
        painter.setPen(QPen(focus_colour(option.palette), width))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        half = width / 2
        rect = QRectF(option.rect).adjusted(half, half, -half, -half)
        if rounded:
            painter.drawRoundedRect(rect, 2 * self.scale, 2 * self.scale)
        else:
            painter.drawRect(rect)
        painter.restore()

    def drawControl(self, element, option, painter, widget=None):
        super().drawControl(element, option, painter, widget)
        if element == QStyle.ControlElement.CE_ShapedFrame and \
                isinstance(widget, QAbstractItemView):
            self._ring(option, painter, widget, rounded=False)   # a table with the focus

    def drawComplexControl(self, control, option, painter, widget=None):
        super().drawComplexControl(control, option, painter, widget)
        if control in _RING_COMPLEX and option.state & QStyle.StateFlag.State_HasFocus:
            self._ring(option, painter, widget)

    def drawPrimitive(self, element, option, painter, widget=None):
        if element == QStyle.PrimitiveElement.PE_FrameFocusRect:
            # the item views' current cell and the tab bar's tab: the same ring
            self._ring(option, painter, widget, rounded=False)
            return
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
        if element in _RING_PRIMITIVES and option.state & QStyle.StateFlag.State_HasFocus:
            self._ring(option, painter, widget)
