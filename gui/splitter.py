"""A splitter whose panes share its length by a rule until the user drags the handle.

Going full screen must not hand all the new room to one pane, so until the handle
is dragged by hand every resize re-applies the shares; after that the user's split
stays, except on ``rescale`` (a new presentation scale re-derives the shares).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import QSplitter, QWidget

MIN_LENGTH = 100     # below this the splitter is not laid out yet: nothing to share


class ShareSplitter(QSplitter):
    """``shares()`` returns one fraction per pane (summing to 1), read at each split."""

    def __init__(self, orientation: Qt.Orientation, shares: Callable[[], Sequence[float]],
                 parent: QWidget | None = None):
        super().__init__(orientation, parent)
        self._shares = shares
        self._by_hand = False
        self._key: object = None
        self.setChildrenCollapsible(False)
        self.splitterMoved.connect(self._on_moved)

    def split(self) -> None:
        """Apply the shares now (kept in proportion, the last pane takes the rounding)."""
        total = self.width() if self.orientation() == Qt.Orientation.Horizontal else self.height()
        if total < MIN_LENGTH or self.count() == 0:
            return
        sizes = [round(total * share) for share in list(self._shares())[:-1]]
        sizes.append(total - sum(sizes))
        with QSignalBlocker(self):       # not a move by hand
            self.setSizes(sizes)

    def rescale(self, key: object) -> None:
        """Re-split if ``key`` (e.g. the theme's scale) differs from the last one seen."""
        if key != self._key:
            self._key = key
            self.split()

    def _on_moved(self, *_) -> None:
        self._by_hand = True

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if not self._by_hand:
            self.split()
