"""What the main window needs of a tab: one protocol both tabs implement.

The window never probes a tab with ``getattr``/``hasattr``: it saves, restores,
exports, starts and stops each tab through these methods, and lists their commands
in the shortcut help from ``commands()``.
"""
from __future__ import annotations

from typing import Protocol, runtime_checkable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget


@runtime_checkable
class DemoTab(Protocol):
    """A tab of the main window that plays a demo from a Qt-free core model."""

    #: the key used in session files and on the command line ("classifier", "newton")
    session_key: str

    def state(self) -> dict:
        """The demo as JSON-serialisable data, enough to restore it exactly."""
        ...

    def restore_state(self, state: dict) -> None:
        """Restore ``state()``'s output; raise ValueError (changing nothing) if it
        cannot be restored."""
        ...

    def export_widget(self) -> QWidget:
        """The part of the tab that File ▸ Export writes."""
        ...

    def commands(self) -> list[QAction]:
        """The tab's user-visible commands (for the shortcut list), in menu order."""
        ...

    def after_show(self) -> None:
        """Deferred start-up work, run once the window has painted."""
        ...

    def is_ready(self) -> bool:
        """True once deferred start-up work is done (tests, screenshots)."""
        ...

    def set_stage(self, on: bool) -> None:
        """Stage layout (presentation mode and View ▸ Focus): the pictures get the room
        and secondary settings fold into a drawer; ``False`` restores the full layout."""
        ...

    def stop(self) -> None:
        """The window is closing: stop timers and let workers finish."""
        ...
