"""Where the classifier's panes sit: sentences and plots left, diagram and chain rule right.

Both the columns' split and the left column's split are ``gui.splitter.ShareSplitter``s,
as in the Newton tab: until the lecturer drags a handle every resize re-applies the
shares (going full screen does not hand all the room to one pane), and a new
presentation scale derives them again.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from gui.classifier.sentence_table import SentenceTable
from gui.splitter import ShareSplitter

LEFT_SHARE = 0.38         # of the tab's width: sentences, try box and plots
STAGE_LEFT_SHARE = 0.24   # … in the stage layout, where the pictures get the room
DIAGRAM_SHARE = 0.5       # of the right column's height: the diagram (the rest: chain rule)
STAGE_DIAGRAM_SHARE = 0.43


def _stack(*widgets: QWidget, stretch: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget, 1 if widget is stretch else 0)
    return box


class _StageSplitter(ShareSplitter):
    """A share splitter that remembers its split while the stage layout has its own."""

    _kept: tuple[list[int], bool] | None = None

    def enter_stage(self) -> None:
        self._kept = (self.sizes(), self._by_hand)
        self._by_hand = False           # the stage shares follow every resize (F5 grows it)
        self.split()

    def leave_stage(self) -> None:
        if self._kept is None:
            return
        sizes, by_hand = self._kept
        self._kept = None
        self._by_hand = by_hand
        if by_hand:
            self.setSizes(sizes)        # the lecturer's own split comes back
        else:
            self.split()


class ClassifierBody(_StageSplitter):
    """The tab's body (and what File ▸ Export writes).

    The left column gives the sentence table and the try box their natural height
    and the plots the rest; the left column takes ~38 % of the width, which its
    table needs at presentation scale.  In the stage layout (``set_stage``) the
    control bar leaves the right column for the top of the tab, and the left column
    narrows to a quarter, so the diagram and the chain rule get two thirds of the tab.
    """

    def __init__(self, table: SentenceTable, try_sentence: QWidget, loss_plot: QWidget,
                 boundary_plot: QWidget, controls: QWidget, diagram: QWidget,
                 chain_panel: QWidget, theme, parent: QWidget | None = None):
        super().__init__(Qt.Orientation.Horizontal, self._shares, parent)
        self.setObjectName("classifierSplitter")
        self.theme = theme
        self.stage = False
        self.controls = controls
        self.table = table
        plots = QSplitter(Qt.Orientation.Vertical)
        plots.addWidget(loss_plot)
        plots.addWidget(boundary_plot)
        plots.setSizes([200, 300])
        self.left_splitter = _StageSplitter(Qt.Orientation.Vertical, self._column_shares)
        self.left_splitter.setObjectName("classifierLeftColumn")
        self.left_splitter.addWidget(_stack(table, try_sentence, stretch=table))
        self.left_splitter.addWidget(plots)
        self.diagram_splitter = _StageSplitter(Qt.Orientation.Vertical, self._diagram_shares)
        self.diagram_splitter.setObjectName("classifierDiagramSplit")
        self.diagram_splitter.addWidget(diagram)
        self.diagram_splitter.addWidget(chain_panel)
        self.addWidget(self.left_splitter)
        self.right_column = _stack(controls, self.diagram_splitter, stretch=self.diagram_splitter)
        self.addWidget(self.right_column)
        theme.changed.connect(self._rescale)
        self._rescale()

    def set_stage(self, on: bool) -> None:
        """Stage layout on or off; the tab moves the control bar (``take_controls``)."""
        if bool(on) == self.stage:
            return
        self.stage = bool(on)
        # the table's rows are new (two lines, fewer columns): the left column re-splits
        for splitter in (self, self.left_splitter, self.diagram_splitter):
            if on:
                splitter.enter_stage()
            else:
                splitter.leave_stage()

    def restore_controls(self) -> None:
        """Put the control bar back at the top of the right column."""
        layout = self.right_column.layout()
        if layout.indexOf(self.controls) < 0:
            layout.insertWidget(0, self.controls, 0)

    def _shares(self) -> tuple[float, float]:
        left = STAGE_LEFT_SHARE if self.stage else LEFT_SHARE
        return left, 1 - left

    def _diagram_shares(self) -> tuple[float, float]:
        top = STAGE_DIAGRAM_SHARE if self.stage else DIAGRAM_SHARE
        return top, 1 - top
    def _column_shares(self) -> tuple[float, float]:
        top = self.left_splitter.widget(0).minimumSizeHint().height() + self.table.extra_height()
        share = min(1.0, top / max(self.left_splitter.height(), 1))
        return share, 1.0 - share

    def _rescale(self) -> None:
        # after the panes' own restyle (connected earlier): their natural heights are new
        self.rescale(self.theme.scale)
        self.left_splitter.rescale(self.theme.scale)
        self.diagram_splitter.rescale(self.theme.scale)
