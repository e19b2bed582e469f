"""Export a view as PNG (pixels at the screen's ratio) or SVG (vectors) for slides."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget


def export_widget(widget: QWidget, path: str | Path, scale: float = 2.0) -> Path:
    """Write ``widget`` to ``path``; the suffix (.png or .svg) picks the format.

    PNGs are rendered at ``scale`` × the widget's size so they stay sharp on slides.
    Raises OSError if the file cannot be written.
    """
    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg"):
        path = path.with_suffix(".png")
    if path.suffix.lower() == ".svg":
        generator = QSvgGenerator()
        generator.setFileName(str(path))
        generator.setSize(widget.size())
        generator.setViewBox(QRect(0, 0, widget.width(), widget.height()))
        generator.setTitle("Stepwise")
        painter = QPainter(generator)
        widget.render(painter, QPoint(0, 0))
        ok = painter.end()
    else:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QImage
        size = QSize(int(widget.width() * scale), int(widget.height() * scale))
        image = QImage(size, QImage.Format.Format_ARGB32)
        image.setDevicePixelRatio(scale)
        image.fill(Qt.GlobalColor.white)
        painter = QPainter(image)
        widget.render(painter, QPoint(0, 0))
        painter.end()
        ok = image.save(str(path))
    if not ok or not path.exists() or path.stat().st_size == 0:
        raise OSError(f"could not write {path}")
    return path
