"""The labels above the iteration table, stacked without a layout.

Every Newton step changes the outcome banner ("Step k of n") and the arithmetic
line. In a layout each ``setText`` invalidates the side panel, the splitter and
the tab, which then re-run their layouts (~1 ms a step) although the labels
almost always keep their height. Here the labels are placed by hand and the
stack asks its own layout for a new height only when the text's height changes.
"""
from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QSizePolicy, QStyle, QWidget


class LabelStack(QWidget):
    """QLabels one under the other, full width, each as tall as its text."""

    def __init__(self, labels, parent=None):
        super().__init__(parent)
        self._labels = list(labels)
        for label in self._labels:
            label.setParent(self)
        self._heights: list[int] = []
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def refit(self) -> None:
        """After the labels' texts (or fonts) changed: re-place them, and tell the
        layout only if the stack's height changed."""
        self._place(self.width())

    def _spacing(self) -> int:
        return self.style().pixelMetric(QStyle.PixelMetric.PM_LayoutVerticalSpacing)

    def _label_height(self, label, width: int) -> int:
        if label.isHidden():
            return 0
        if label.hasHeightForWidth() and width > 0:
            return label.heightForWidth(width)
        return label.sizeHint().height()

    def _place(self, width: int) -> None:
        heights = [self._label_height(label, width) for label in self._labels]
        changed = heights != self._heights
        self._heights = heights
        y = 0
        for label, height in zip(self._labels, heights):
            if height:
                label.setGeometry(0, y, width, height)
                y += height + self._spacing()
        if changed:
            self.updateGeometry()

    def _total(self) -> int:
        shown = [h for h in self._heights if h]
        return sum(shown) + self._spacing() * max(0, len(shown) - 1)

    def sizeHint(self) -> QSize:
        if not self._heights:
            self._heights = [self._label_height(label, max(self.width(), 200))
                             for label in self._labels]
        width = max((label.sizeHint().width() for label in self._labels), default=0)
        return QSize(width, self._total())

    def minimumSizeHint(self) -> QSize:
        width = max((label.minimumSizeHint().width() for label in self._labels), default=0)
        return QSize(width, self.sizeHint().height())

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._place(event.size().width())
