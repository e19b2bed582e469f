"""The forwarding paint engine behind every export (gui.export_paint): what a painter
does through it lands on the target as it would directly, without the SVG features
that renderers disagree on."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen

from gui.export_paint import ForwardingDevice
from gui.export_svg import render_svg

SIZE = QSize(160, 120)


def scene(p: QPainter) -> None:
    """Clips set under transforms, switched off and on, saved and restored,
    intersected; cosmetic and scaled pens; translucency; a picture; rotated text."""
    p.fillRect(QRectF(0, 0, 160, 120), QColor("white"))
    p.save()
    p.translate(20, 10)
    p.setClipRect(QRect(0, 0, 60, 40))        # a table cell's clip, after translate
    p.fillRect(QRectF(-20, -10, 200, 200), QColor("#3070c0"))
    p.restore()
    p.save()
    p.setClipRect(QRectF(90, 10, 60, 50))
    p.setClipRect(QRectF(100, 0, 80, 40), Qt.ClipOperation.IntersectClip)
    p.scale(4.0, 0.5)                          # a plot's data transform
    pen = QPen(QColor("#c03020"), 2.0)
    pen.setCosmetic(True)
    p.setPen(pen)
    p.drawLine(QPointF(0, 0), QPointF(40, 240))   # leaves the clip
    p.setClipping(False)
    p.setClipping(True)                        # the last clip comes back
    p.drawLine(QPointF(40, 0), QPointF(0, 240))
    p.restore()
    p.setOpacity(0.5)
    p.fillRect(QRectF(10, 70, 50, 40), QColor("#20a040"))
    p.setOpacity(1.0)
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    image.fill(QColor("#e0a000"))
    p.drawImage(QRectF(70, 70, 32, 32), image)
    p.save()
    p.translate(130, 110)
    p.rotate(-90)
    p.setPen(QColor("black"))
    font = QFont()
    font.setPixelSize(14)
    p.setFont(font)
    p.drawText(QPointF(0, 0), "axis")
    p.restore()


def pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    data = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return data[:, :image.width() * 4].reshape(image.height(), image.width(), 4)[:, :, :3].astype(float)


def painted(direct: bool, text_as_paths: bool = False) -> QImage:
    image = QImage(SIZE, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.white)
    device = image if direct else ForwardingDevice(image, SIZE, 96.0, text_as_paths)
    painter = QPainter(device)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scene(painter)
    painter.end()
    if not direct:
        assert device.paintEngine().error is None
    return image


@pytest.mark.parametrize("text_as_paths", [False, True])
def test_forwarded_painting_equals_direct_painting(qapp, text_as_paths):
    direct, forwarded = pixels(painted(True)), pixels(painted(False, text_as_paths))
    delta = np.abs(direct - forwarded).max(axis=2)
    # the clipped cell, the cut strokes, the faded fill and the picture: same pixels
    # but for antialiasing along the edges (and the glyphs' hinting, as outlines)
    assert (delta > 64).mean() < 0.01, (delta > 64).mean()
    blue = [0xC0, 0x70, 0x30]                           # (B, G, R): #3070c0
    assert np.allclose(forwarded[30, 50], blue, atol=2)  # inside the translated cell
    assert np.allclose(forwarded[5, 5], 255)             # outside it: the clip held
    assert forwarded[24, 128, 2] > 150 > forwarded[24, 128, 0]   # the red line, in its clip
    assert np.allclose(forwarded[48, 96], 255, atol=8)   # and cut where the clip ends
    assert np.allclose(forwarded[80, 30], direct[80, 30], atol=3)   # 50 % green


def test_the_svg_of_the_scene_has_no_clip_paths_or_rotations(qapp):
    from PySide6.QtWidgets import QWidget
    widget = QWidget()
    widget.resize(SIZE)
    svg = render_svg(widget, scene).decode()
    assert "clip-path" not in svg and "non-scaling-stroke" not in svg and "<text" not in svg
    assert "matrix(0,-1" not in svg and "opacity=\"0.5\"" not in svg
    assert 'width="160" height="120"' in svg.replace("\n", " ").replace("  ", " ")


def test_a_failure_inside_the_engine_is_reported_not_a_crash(qapp, monkeypatch):
    from PySide6.QtWidgets import QWidget

    from gui import export_paint

    def broken(*_args, **_kwargs):
        raise ValueError("boom")
    monkeypatch.setattr(export_paint.Forwarder, "_shape", broken)
    widget = QWidget()
    widget.resize(SIZE)
    with pytest.raises(RuntimeError, match="boom"):
        render_svg(widget, scene)
