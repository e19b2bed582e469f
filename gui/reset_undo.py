"""Reset made undoable from outside the tabs: Ctrl+Z brings back what R threw away.

The tabs' Reset commands are plain QActions. To undo one, the state *before* it is
needed, so a snapshot is taken the moment a Reset is about to fire — when its
shortcut reaches the action (an event filter sees ``QEvent.Shortcut`` before the
action triggers) or its button is pressed — and, once the action has triggered,
one ``QUndoCommand`` holding that snapshot is pushed:

* classifier: onto the tab's own undo stack (the one Ctrl+Z already undoes table
  edits with), restoring the stepper's weights, position and losses;
* Newton: onto a stack of its own, whose Undo/Redo actions are added to the tab
  (Ctrl+Z while the tab is visible), going back to the step the run was at. A
  change of the run's settings clears it: the old step belongs to another run.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QAbstractButton, QToolButton, QWidget

from gui.actions import undo_redo_actions

log = logging.getLogger(__name__)


class _ResetCommand(QUndoCommand):
    """Undo puts ``before`` back; redo resets again (the first redo is the reset
    that already happened)."""

    def __init__(self, text: str, restore, reset) -> None:
        super().__init__(text)
        self._restore, self._reset = restore, reset
        self._done = True

    def undo(self) -> None:
        self._restore()
        self._done = False

    def redo(self) -> None:
        if self._done:
            return
        self._reset()
        self._done = True


class _ResetWatch(QObject):
    """Snapshots before ``action`` fires; pushes an undo command after."""

    def __init__(self, action: QAction, owner: QWidget, snapshot, push) -> None:
        super().__init__(owner)
        self._snapshot, self._push = snapshot, push
        self._before = None
        action.installEventFilter(self)
        for button in owner.findChildren(QToolButton):
            if button.defaultAction() is action:
                button.pressed.connect(self._take)
                button.released.connect(self._drop_later)
        # connected after the tab's own slot, so it runs once the reset is done
        action.triggered.connect(self._after)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Shortcut:
            self._take()
        return False

    def _take(self) -> None:
        try:
            self._before = self._snapshot()
        except Exception:  # a snapshot must never stop the reset itself
            log.exception("could not take the state before Reset")
            self._before = None

    def _drop_later(self) -> None:
        # a press dragged off the button never triggers; a click has triggered by now
        self._before = None

    def _after(self, *_args) -> None:
        before, self._before = self._before, None
        if before is not None:
            self._push(before)


class ClassifierResetUndo:
    """R in the classifier tab, undone by the tab's Ctrl+Z."""

    def __init__(self, tab) -> None:
        self.tab = tab
        self._watch = _ResetWatch(tab.classifier_actions.reset, tab, self._snapshot, self._push)

    def _snapshot(self) -> dict:
        return self.tab.stepper.state()

    def _push(self, before: dict) -> None:
        if before == self.tab.stepper.state():
            return                        # nothing was thrown away
        self.tab.undo_stack.push(_ResetCommand(
            "Reset the network", lambda: self._restore(before), self.tab.reset))

    def _restore(self, before: dict) -> None:
        tab = self.tab
        tab.pause()
        try:
            tab.stepper.set_state(before)
        except ValueError as error:       # the table changed its words meanwhile
            log.warning("could not undo Reset: %s", error)


class NewtonResetUndo:
    """Reset ⟲ in the Newton tab (back to x₀), undone by Ctrl+Z while the tab shows."""

    def __init__(self, tab) -> None:
        self.tab = tab
        self.stack = QUndoStack(tab)
        self.undo_action, self.redo_action = undo_redo_actions(
            self.stack, tab, ("Undo Reset: back to the step before it",
                              "Redo Reset: back to x₀ again"))
        self._watch = _ResetWatch(tab.reset_action, tab, self._snapshot, self._push)
        tab.player.changed.connect(self._on_run_changed)

    def _snapshot(self) -> int:
        return int(self.tab.player.position)

    def _push(self, before: int) -> None:
        if before == self.tab.player.position:
            return
        self.stack.push(_ResetCommand("Reset to x₀", lambda: self._restore(before),
                                      self.tab.reset))

    def _restore(self, before: int) -> None:
        player = self.tab.player
        if 0 <= before <= player.total_steps:
            player.seek(before)

    def _on_run_changed(self, _what=None) -> None:
        self.stack.clear()


def buttons_of(action: QAction, owner: QWidget) -> list[QAbstractButton]:
    """The buttons that show ``action`` (tests press them)."""
    return [b for b in owner.findChildren(QToolButton) if b.defaultAction() is action]
