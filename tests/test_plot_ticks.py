"""Tick numbers never overlap: pyqtgraph spaces ticks by pixels, the fonts grow with
the scale, so a short plot at 1.5× printed 0.2 and 0.4 on top of each other."""
import pyqtgraph as pg
import pytest
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QApplication

from gui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")


def _labelled_gaps(plot):
    """(axis name, pixels between labelled ticks, font height) for each axis."""
    item = plot.getPlotItem()
    view = item.getViewBox()
    (x0, x1), (y0, y1) = view.viewRange()
    for name, low, high, size in (("left", y0, y1, view.height()),
                                  ("bottom", x0, x1, view.width())):
        axis = item.getAxis(name)
        levels = axis.tickSpacing(low, high, size)
        spacing = levels[0][0]
        font = axis.style.get("tickFont") or axis.font()
        yield name, spacing * size / (high - low), QFontMetricsF(font).height()


@pytest.mark.parametrize("size, scale", [((1024, 768), 1.0), ((1366, 768), 1.5),
                                         ((1920, 1080), 2.0), ((1280, 720), 2.0)])
def test_labelled_ticks_are_at_least_a_line_apart(qtbot, size, scale):
    window = MainWindow(restore=False)
    qtbot.addWidget(window)
    window.resize(*size)
    window.theme.set_scale(scale)
    window.show()
    qtbot.waitExposed(window)
    for index in (0, 1):
        window.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        plots = [p for p in window.tabs.currentWidget().findChildren(pg.PlotWidget)
                 if p.isVisible() and p.getPlotItem().getViewBox().height() > 0]
        assert plots
        for plot in plots:
            for name, gap, line in _labelled_gaps(plot):
                if name == "left":
                    assert gap >= 1.05 * line, (plot.objectName(), name, gap, line)
                else:
                    assert gap >= 2.5 * line, (plot.objectName(), name, gap, line)
    window.classifier_tab.stop()
