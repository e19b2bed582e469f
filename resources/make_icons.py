"""Render stepwise.svg to the PNG sizes desktops ask for (run after editing the SVG)."""
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def main() -> int:
    app = QGuiApplication(sys.argv)  # noqa: F841 - fonts and painting need it
    here = Path(__file__).resolve().parent
    renderer = QSvgRenderer(str(here / "stepwise.svg"))
    (here / "icons").mkdir(exist_ok=True)
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        image.save(str(here / "icons" / f"stepwise-{size}.png"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
