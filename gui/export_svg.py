"""SVG that every renderer draws alike: browsers, librsvg (Inkscape, GNOME) and ImageMagick.

Widgets are painted on Qt's SVG 1.1 generator through ``gui.export_paint.Forwarder``
(no clip paths, no non-scaling strokes, text as glyph outlines, marker fragments cut
out); the document is then sized in pixels and its translucent colours written in a
form ImageMagick's own renderer reads too.
"""
from __future__ import annotations

import re

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget

from gui.export_paint import ForwardingDevice


def render_svg(widget: QWidget, paint, title: str = "Stepwise") -> bytes:
    """An SVG document (bytes) of ``paint(painter)``, which draws ``widget``-sized
    content; the document is sized in the widget's pixels. Raises RuntimeError if
    the painting failed."""
    size = widget.size()
    dpi = float(widget.logicalDpiX())
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator(QSvgGenerator.SvgVersion.Svg11)
    generator.setOutputDevice(buffer)
    generator.setSize(size)
    generator.setViewBox(QRect(0, 0, size.width(), size.height()))
    generator.setResolution(round(dpi))
    generator.setTitle(title)
    generator.setDescription("Exported by Stepwise")
    device = ForwardingDevice(generator, size, dpi, text_as_paths=True)
    painter = QPainter(device)
    try:
        paint(painter)
    finally:
        painter.end()
    buffer.close()
    error = device.paintEngine().error
    if error is not None:
        raise RuntimeError(f"could not draw the SVG: {error}") from error
    return _translucency(_pixel_size(bytes(data.data()), size))


def _pixel_size(svg: bytes, size: QSize) -> bytes:
    """Width and height in pixels: the generator writes millimetres at its dpi,
    which renderers turn into a different number of pixels."""
    head, sep, rest = svg.partition(b"viewBox=")
    head = re.sub(rb'width="[^"]*"', f'width="{size.width()}"'.encode(), head, count=1)
    head = re.sub(rb'height="[^"]*"', f'height="{size.height()}"'.encode(), head, count=1)
    return head + sep + rest


_PAINT = re.compile(rb'(fill|stroke)="#([0-9a-fA-F]{6})" (?:fill|stroke)-opacity="([0-9.eE+-]+)"')
_TAG = re.compile(rb"<g [^>]*>")
# the generator names a font on every group; text is outlines, so they say nothing
_FONT = re.compile(rb'\s*font-(?:family|size|weight|style)="[^"]*"')


def _translucency(svg: bytes) -> bytes:
    """Translucent colours (grid lines, highlight halos, label backgrounds) for every
    renderer: ImageMagick 6's own renderer ignores ``fill-opacity`` and
    ``stroke-opacity`` but reads ``rgba()``, which other renderers take as well.
    Both are written: a ``style`` (which browsers, librsvg and Inkscape prefer to
    attributes) keeps the standard form, and the ``rgba()`` attribute after it is
    what ImageMagick, reading attributes in order, keeps. Font attributes, which
    no element uses (text is outlines), are dropped."""

    def group(match: re.Match) -> bytes:
        tag = match.group(0)
        styles = []

        def paint(m: re.Match) -> bytes:
            kind, colour, opacity = m.group(1).decode(), m.group(2).decode(), float(m.group(3))
            if opacity >= 1.0:
                return m.group(0)
            styles.append(f"{kind}:#{colour};{kind}-opacity:{opacity:.6g}")
            r, g, b = (int(colour[i:i + 2], 16) for i in (0, 2, 4))
            return f'{kind}="rgba({r},{g},{b},{opacity:.6g})"'.encode()

        tag = _PAINT.sub(paint, _FONT.sub(b"", tag))
        if not styles:
            return tag
        return b'<g style="' + ";".join(styles).encode() + b'" ' + tag[3:]

    return _TAG.sub(group, svg)
