"""Where the classifier's panes sit: sentences and plots left, diagram and chain rule right.

Both the columns' split and the left column's split are ``gui.splitter.ShareSplitter``s,
as in the Newton tab: until the lecturer drags a handle every resize re-applies the
shares (going full screen does not hand all the room to one pane), and a new
presentation scale derives them again.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from gui.splitter import ShareSplitter

LEFT_SHARE = 0.38         # of the tab's width: sentences, try box and plots


def _stack(*widgets: QWidget, stretch: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget, 1 if widget is stretch else 0)
    return box


class ClassifierBody(ShareSplitter):
    """The tab's body (and what File ▸ Export writes).

    The left column gives the sentence table and the try box their natural height
    and the plots the rest; the left column takes ~38 % of the width, which its
    table needs at presentation scale.
    """

    def __init__(self, table: QWidget, try_sentence: QWidget, loss_plot: QWidget,
                 boundary_plot: QWidget, controls: QWidget, diagram: QWidget,
                 chain_panel: QWidget, theme, parent: QWidget | None = None):
        super().__init__(Qt.Orientation.Horizontal, lambda: (LEFT_SHARE, 1 - LEFT_SHARE), parent)
        self.setObjectName("classifierSplitter")
        self.theme = theme
        plots = QSplitter(Qt.Orientation.Vertical)
        plots.addWidget(loss_plot)
        plots.addWidget(boundary_plot)
        plots.setSizes([200, 300])
        self.left_splitter = ShareSplitter(Qt.Orientation.Vertical, self._column_shares)
        self.left_splitter.setObjectName("classifierLeftColumn")
        self.left_splitter.addWidget(_stack(table, try_sentence, stretch=table))
        self.left_splitter.addWidget(plots)
        self.diagram_splitter = QSplitter(Qt.Orientation.Vertical)
        self.diagram_splitter.addWidget(diagram)
        self.diagram_splitter.addWidget(chain_panel)
        self.diagram_splitter.setSizes([370, 360])
        self.addWidget(self.left_splitter)
        self.addWidget(_stack(controls, self.diagram_splitter, stretch=self.diagram_splitter))
        theme.changed.connect(self._rescale)
        self._rescale()

    def _column_shares(self) -> tuple[float, float]:
        top = self.left_splitter.widget(0).minimumSizeHint().height()
        share = min(1.0, top / max(self.left_splitter.height(), 1))
        return share, 1.0 - share

    def _rescale(self) -> None:
        # after the panes' own restyle (connected earlier): their natural heights are new
        self.rescale(self.theme.scale)
        self.left_splitter.rescale(self.theme.scale)
