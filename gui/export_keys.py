"""Window shortcuts that text boxes must not swallow (Ctrl+E: export the view).

A ``QLineEdit`` claims Ctrl+E (on Linux it means "end of line") by accepting the
``ShortcutOverride`` event Qt sends the focus widget before it fires a shortcut, so
File ▸ Export view did nothing while the "Try a sentence" or the function box had
the focus. ``KeepShortcuts`` watches only the widget with the focus (an application
event filter would run Python for every event) and declines the override for the
shortcuts of the actions it keeps; everything else still goes to the text box.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget


class KeepShortcuts(QObject):
    """While a widget of ``window`` has the focus, ``actions``' shortcuts stay theirs."""

    def __init__(self, window: QWidget, actions: list[QAction]):
        super().__init__(window)
        self._window = window
        self._actions = actions
        self._watched: QWidget | None = None
        app = QApplication.instance()
        app.focusChanged.connect(self._on_focus_changed)
        self._watch(app.focusWidget())

    def _on_focus_changed(self, _old, new) -> None:
        try:
            self._watch(new)
        except RuntimeError:      # the window (and this guard) is being deleted
            pass

    def _watch(self, widget: QWidget | None) -> None:
        if self._watched is not None:
            try:
                self._watched.removeEventFilter(self)
            except RuntimeError:      # deleted meanwhile
                pass
            self._watched = None
        if widget is not None and widget.window() is self._window:
            widget.installEventFilter(self)
            self._watched = widget

    def kept(self, sequence: QKeySequence) -> bool:
        return any(action.isEnabled() and sequence in action.shortcuts()
                   for action in self._actions)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and \
                self.kept(QKeySequence(event.keyCombination())):
            event.ignore()      # not the widget's: the window's shortcut fires
            return True
        return False
