"""One way to make a command: a QAction with an objectName, shortcuts, and a tooltip
that names them — "Step (Space, Right, PgDown)" — so every button teaches its key."""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence


def make_action(parent: QObject, name: str, text: str, keys, tip: str = "",
                checkable: bool = False) -> QAction:
    """A window-wide QAction. ``keys`` is one key or a list (strings or
    QKeySequence.StandardKey). Qt fires a window shortcut only while a widget the
    action was added to is visible, so two tabs may share keys."""
    action = QAction(text, parent)
    action.setObjectName(name)
    if keys is None:
        keys = []
    elif not isinstance(keys, (list, tuple)):
        keys = [keys]
    sequences = [QKeySequence(k) for k in keys]
    action.setShortcuts(sequences)
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.setCheckable(checkable)
    tip = tip or text.replace("&", "")
    names = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences)
    action.setToolTip(f"{tip} ({names})" if names else tip)
    action.setStatusTip(action.toolTip())
    return action
