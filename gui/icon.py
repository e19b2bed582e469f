"""Stepwise's window and application icon.

Its own module so that the main window and the start-up code can both use it
without the window importing the start-up module that imports the window."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def app_icon() -> QIcon:
    """The icon with every size in resources/icons/ (stepwise-<size>.png) that exists."""
    icon = QIcon()
    for size in SIZES:
        path = ICONS / f"stepwise-{size}.png"
        if path.exists():
            icon.addFile(str(path))
    return icon
