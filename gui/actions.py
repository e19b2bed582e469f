"""One way to make a command: a QAction with an objectName, shortcuts, and a tooltip
that names them — "Step (Space, Right, PgDown)" — so every button teaches its key."""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QWidget


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
    action.setProperty("description", tip)   # what the shortcut list says it does
    names = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences)
    action.setToolTip(f"{tip} ({names})" if names else tip)
    action.setStatusTip(action.toolTip())
    return action


def undo_redo_actions(stack: QUndoStack, owner: QWidget,
                      tips: tuple[str, str]) -> tuple[QAction, QAction]:
    """Undo and Redo of ``stack`` for ``owner`` (added to it, window-wide): Ctrl+Z
    and Ctrl+Shift+Z besides the platform's own keys; each tooltip is its tip
    followed by the keys."""
    undo = stack.createUndoAction(owner, "Undo")
    undo.setObjectName("undoAction")
    undo.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Undo))
    redo_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
    if QKeySequence("Ctrl+Shift+Z") not in redo_keys:
        redo_keys.append(QKeySequence("Ctrl+Shift+Z"))
    redo = stack.createRedoAction(owner, "Redo")
    redo.setObjectName("redoAction")
    redo.setShortcuts(redo_keys)
    for action, tip in zip((undo, redo), tips):
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText)
                         for k in action.shortcuts())
        action.setToolTip(f"{tip} ({keys})")
        action.setProperty("description", tip)
        owner.addAction(action)
    return undo, redo


_KEY_NAMES = {"Right": "→", "Left": "←", "Up": "↑", "Down": "↓",
              "PgDown": "Page Down", "PgUp": "Page Up", "-": "−"}


def key_text(sequence: QKeySequence) -> str:
    """A shortcut as the help and the README write it: "Ctrl+→", "Page Down"."""
    text = sequence.toString(QKeySequence.SequenceFormat.PortableText)
    keys = text.split("+") if text != "+" and not text.endswith("++") else [*text[:-2].split("+"), "+"]
    return "+".join(_KEY_NAMES.get(k, k) for k in keys if k)


def shortcuts_text(action: QAction) -> str:
    """Every shortcut of ``action``, comma-separated ("Space, →, Page Down")."""
    return ", ".join(key_text(s) for s in action.shortcuts())


def description(action: QAction) -> str:
    """What an action does, in words (its tooltip without the keys)."""
    said = action.property("description")
    if isinstance(said, str) and said:
        return said
    return action.text().replace("&", "").rstrip(" .…")


class _PressOnSpaceOrEnter(QObject):
    """While a button has the keyboard focus, Space and Enter press it (and not the
    window's Space = Step shortcut), as in any dialog."""

    def eventFilter(self, watched, event) -> bool:
        from PySide6.QtCore import QEvent
        if event.type() == QEvent.Type.ShortcutOverride and watched.hasFocus() and \
                event.modifiers() == Qt.KeyboardModifier.NoModifier and \
                event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return True
        if event.type() == QEvent.Type.KeyPress and watched.hasFocus() and \
                event.modifiers() == Qt.KeyboardModifier.NoModifier and \
                event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            watched.animateClick()
            return True
        return False


_PRESSER: _PressOnSpaceOrEnter | None = None


def keyboard_button(button) -> None:
    """Let ``button`` take the focus from Tab (not from a click: a lecturer who
    clicks Reset and then presses Space wants a step, not another reset), and
    press it with Space or Enter while it has the focus."""
    global _PRESSER
    if _PRESSER is None:
        _PRESSER = _PressOnSpaceOrEnter()
    button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    button.installEventFilter(_PRESSER)
