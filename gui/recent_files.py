"""File ▸ Open Recent: the last sessions opened or saved, kept in QSettings."""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

from gui.document_dialogs import display_name

MAX_RECENT = 10
RECENT_KEY = "files/recent"


class RecentFiles:
    """The last MAX_RECENT sessions opened or saved, newest first (QSettings)."""

    def paths(self) -> list[str]:
        value = QSettings().value(RECENT_KEY, [])
        if isinstance(value, str):
            value = [value]
        return [p for p in (value or []) if isinstance(p, str) and p][:MAX_RECENT]

    def add(self, path: str) -> None:
        path = os.path.abspath(path)
        self._store([path, *[p for p in self.paths() if p != path]])

    def remove(self, path: str) -> None:
        self._store([p for p in self.paths() if p != path])

    def clear(self) -> None:
        self._store([])

    @staticmethod
    def _store(paths: list[str]) -> None:
        QSettings().setValue(RECENT_KEY, paths[:MAX_RECENT])


def menu_labels(paths: list[str]) -> list[str]:
    """"&1 name" per path; names that occur twice get their folder after them."""
    names = [Path(p).name for p in paths]
    labels = []
    for number, (path, name) in enumerate(zip(paths, names), start=1):
        shown = display_name(path)
        if names.count(name) > 1:
            shown += f" — {Path(path).parent.name or Path(path).parent}"
        shown = shown.replace("&", "&&")
        labels.append(f"&{number} {shown}" if number < 10 else f"1&0 {shown}")
    return labels
