"""A paint engine that re-issues a widget's painting on another device in plain terms.

Qt's SVG generator gets four things wrong for a widget tree, and its PDF engine one,
so widgets are painted through ``Forwarder``, which replays each call on a painter
of the real device in a form that device writes correctly:

* **Clipping.** The SVG 1.1 generator writes a clip path in the coordinates the clip
  was given in but applies it outside the drawing's transform, so a table cell's clip
  (set after ``translate``) landed on the window's corner and the cells went blank;
  and ImageMagick 6 applies SVG clip paths inverted. So nothing is clipped by the
  file: each shape is cut to its clip (with the system clip that keeps a child widget
  inside its rectangle) here — fills and text by path intersection, strokes as their
  outlines, pictures by drawing their visible part — and what lies wholly outside
  is dropped.
* **Cosmetic pens** (all of pyqtgraph's) became ``vector-effect="non-scaling-stroke"``
  inside a data-space transform: outside browsers the curves were strokes thousands
  of units wide. Their outlines are mapped to device coordinates and stroked there
  with an ordinary pen of the same width.
* **Pixmap fragments** (pyqtgraph's scatter-marker atlas) lose their source
  rectangle, which drew the whole atlas at every point; the fragment is cut out first.
* **Text** named the font as Qt's alias "Sans Serif" at a size from a 72-dpi device,
  which renderers resolve to other fonts and sizes. With ``text_as_paths`` text is
  written as the outlines of the glyphs Qt laid out, so it looks the same everywhere;
  without it (PDF, which embeds the fonts) it stays text.
* **Gradients** between colours of different specs (Fusion's button bevels) are
  refused by the PDF engine with a warning; their stops are made RGB.
"""
from __future__ import annotations

import functools

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QGradient,
    QGuiApplication,
    QImage,
    QPaintDevice,
    QPaintEngine,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPixmap,
    QPolygonF,
    QRegion,
    QTransform,
)

_Dirty = QPaintEngine.DirtyFlag
_CLIP_FLAGS = _Dirty.DirtyClipPath | _Dirty.DirtyClipRegion | _Dirty.DirtyClipEnabled
_IDENTITY = QTransform()


def _guarded(method):
    """A Python exception escaping a paint-engine override takes the process down
    (Qt carries on with a bad return value): keep the first one for ``render_svg``
    to raise once painting is over, and skip the call."""
    @functools.wraps(method)
    def call(self, *args):
        if self.error is not None:
            return None
        try:
            return method(self, *args)
        except Exception as exc:
            self.error = exc
            return None
    return call


def _rgb_gradient(brush: QBrush) -> QBrush:
    """``brush`` with its gradient's stops in RGB (the PDF engine refuses a gradient
    between colours of different specs, and Fusion's bevels mix them)."""
    gradient = brush.gradient()
    if gradient is None or gradient.type() == QGradient.Type.NoGradient:
        return brush
    stops = gradient.stops()
    if all(colour.spec() == stops[0][1].spec() for _, colour in stops):
        return brush
    copy = type(gradient)(gradient)
    copy.setStops([(position, colour.toRgb()) for position, colour in stops])
    result = QBrush(copy)
    result.setTransform(brush.transform())
    return result


def _faded(brush: QBrush, opacity: float) -> tuple[QBrush, bool]:
    """(``brush`` with the painter's ``opacity`` in its colours, whether it could be):
    shapes then carry no group opacity, which ImageMagick 6 drew translucent white
    as dark grey (the diagram's dimmed weight labels)."""
    if opacity >= 1.0:
        return brush, True
    style = brush.style()
    if style == Qt.BrushStyle.SolidPattern:
        colour = QColor(brush.color())
        colour.setAlphaF(colour.alphaF() * opacity)
        faded = QBrush(brush)
        faded.setColor(colour)
        return faded, True
    gradient = brush.gradient()
    if gradient is not None and gradient.type() != QGradient.Type.NoGradient:
        copy = type(gradient)(gradient)
        stops = []
        for position, colour in gradient.stops():
            colour = QColor(colour)
            colour.setAlphaF(colour.alphaF() * opacity)
            stops.append((position, colour))
        copy.setStops(stops)
        faded = QBrush(copy)
        faded.setTransform(brush.transform())
        return faded, True
    return brush, False


def _region_path(region: QRegion) -> QPainterPath:
    path = QPainterPath()
    path.addRegion(region)
    return path


class Forwarder(QPaintEngine):
    """Receives a widget's painting and replays it on ``target`` (see the module doc)."""

    def __init__(self, target: QPaintDevice, dpi: float, text_as_paths: bool):
        super().__init__(QPaintEngine.PaintEngineFeature.AllFeatures)
        self._target = target
        self._dpi = dpi
        self._text_as_paths = text_as_paths
        self._out: QPainter | None = None
        self._clip: QPainterPath | None = None    # the painter's clip, device coordinates
        self._clip_on = False
        self.error: Exception | None = None
        screen = QGuiApplication.primaryScreen()
        # QPainterPath.addText lays text out at the primary screen's dpi
        default_dpi = round(screen.logicalDotsPerInchY()) if screen else 96
        self._font_factor = dpi / default_dpi

    def type(self) -> QPaintEngine.Type:
        return QPaintEngine.Type.User

    def begin(self, device) -> bool:
        self._out = QPainter()
        self._clip, self._clip_on = None, False
        return self._out.begin(self._target)

    def end(self) -> bool:
        out, self._out = self._out, None
        return out.end() if out is not None else True

    # ----------------------------------------------------------------- state
    @_guarded
    def updateState(self, state) -> None:
        if not state.state() & _CLIP_FLAGS:
            return
        # QPainter hands a legacy engine each clip as soon as it is set, with the
        # transform in force then: map it now, as later transforms must not move it
        self._clip_on = state.isClipEnabled()
        if state.clipOperation() == Qt.ClipOperation.NoClip:
            self._clip = None
            return
        if state.state() & _Dirty.DirtyClipPath:
            clip = state.clipPath()
        elif state.state() & _Dirty.DirtyClipRegion:
            clip = _region_path(state.clipRegion())
        else:
            return   # clipping switched off or back on: the last clip stands
        clip = state.transform().map(clip)
        if state.clipOperation() == Qt.ClipOperation.IntersectClip and self._clip is not None:
            clip = self._clip.intersected(clip)
        self._clip = clip

    def _device_clip(self) -> QPainterPath | None:
        clip = self._clip if self._clip_on else None
        system = self.systemClip()
        if not system.isEmpty():
            system_path = _region_path(system)
            clip = system_path if clip is None else clip.intersected(system_path)
        return clip

    def _painter(self, transform: QTransform | None, opaque: bool = False) -> QPainter:
        """The target painter with the current opacity (none if ``opaque``: it is in
        the colours) and hints, and ``transform`` (the engine's own when None). It
        never clips: see ``_visible``."""
        out = self._out
        assert out is not None
        state = self.state
        out.setOpacity(1.0 if opaque else state.opacity())
        out.setRenderHints(state.renderHints())
        out.setBrushOrigin(state.brushOrigin())
        out.setTransform(state.transform() if transform is None else transform)
        return out

    def _picture_painter(self, transform: QTransform | None) -> QPainter:
        """The target painter for a picture, with an opaque brush: the PDF engine
        applies the last brush's alpha to images too (a button's frame, drawn
        after a 4 % grey fill, all but vanished)."""
        out = self._painter(transform)
        out.setPen(Qt.PenStyle.NoPen)
        out.setBrush(Qt.GlobalColor.black)
        return out

    def _visible(self, device_bounds: QRectF) -> tuple[bool, QPainterPath | None]:
        """(anything visible, the clip to cut with or None when all of it shows).

        Shapes are cut to the clip here rather than by an SVG clip path, which
        ImageMagick 6 applies inverted (it drew only what lay outside each clip)."""
        clip = self._device_clip()
        if clip is None:
            return True, None
        if not clip.boundingRect().intersects(device_bounds) and not device_bounds.isEmpty():
            return False, None
        if clip.contains(device_bounds):
            return True, None
        whole = QPainterPath()
        whole.addRect(device_bounds)
        if whole.subtracted(clip).boundingRect().isEmpty():
            return True, None    # on the clip's very edge, which contains() leaves out
        return True, clip

    # ----------------------------------------------------------------- shapes
    @_guarded
    def drawPath(self, path: QPainterPath) -> None:
        self._shape(path, fill=True)

    @_guarded
    def drawPolygon(self, points, mode) -> None:
        path = QPainterPath()
        path.addPolygon(QPolygonF(points))
        polyline = mode == QPaintEngine.PolygonDrawMode.PolylineMode
        if not polyline:
            path.closeSubpath()
            path.setFillRule(Qt.FillRule.WindingFill
                             if mode == QPaintEngine.PolygonDrawMode.WindingMode
                             else Qt.FillRule.OddEvenFill)
        self._shape(path, fill=not polyline)

    def _shape(self, path: QPainterPath, fill: bool) -> None:
        state = self.state
        pen, brush = state.pen(), state.brush()
        if fill and brush.style() != Qt.BrushStyle.NoBrush:
            self._fill(path, brush)
        if pen.style() != Qt.PenStyle.NoPen:
            self._stroke(path, pen)

    def _fill(self, path: QPainterPath, brush: QBrush, transform: QTransform | None = None) -> None:
        if transform is None:
            transform = self.state.transform()
        visible, clip = self._visible(transform.mapRect(path.boundingRect()))
        if not visible:
            return
        if clip is not None:
            # cut in the shape's own coordinates, so gradients keep theirs
            inverse, invertible = transform.inverted()
            if not invertible:
                return
            path = path.intersected(inverse.map(clip))
            if path.isEmpty():
                return
        brush, opaque = _faded(_rgb_gradient(brush), self.state.opacity())
        if transform.type().value > QTransform.TransformationType.TxScale.value:
            # rotated (an axis title): in device coordinates, as ImageMagick 6
            # dropped rotated shapes
            path = transform.map(path)
            if brush.style() != Qt.BrushStyle.SolidPattern:
                brush = QBrush(brush)
                brush.setTransform(brush.transform() * transform)
            transform = _IDENTITY
        out = self._painter(transform, opaque)
        out.setPen(Qt.PenStyle.NoPen)
        out.setBrush(brush)
        out.drawPath(path)

    def _stroke(self, path: QPainterPath, pen: QPen) -> None:
        transform = self.state.transform()
        logical = transform
        cosmetic = pen.isCosmetic() or pen.widthF() == 0
        if cosmetic:
            # a cosmetic pen's width is in pixels whatever the transform: stroke the
            # outline mapped to pixels with an ordinary pen of that width
            path = transform.map(path)
            pen = QPen(pen)
            pen.setCosmetic(False)
            if pen.widthF() == 0:
                pen.setWidthF(1.0)
            transform = _IDENTITY
        if pen.brush().gradient() is not None:
            # a gradient pen (Fusion's button rims) as its outline filled with the
            # gradient: the PDF engine drew such strokes as nothing
            brush = QBrush(pen.brush())
            if cosmetic:
                brush.setTransform(brush.transform() * logical)
            self._fill(QPainterPathStroker(pen).createStroke(path), brush, transform)
            return
        reach = pen.widthF() * max(pen.miterLimit(), 1.0) + 1.0
        if not cosmetic:
            reach *= max(abs(transform.m11()) + abs(transform.m21()),
                         abs(transform.m12()) + abs(transform.m22()))
        bounds = transform.mapRect(path.boundingRect()).adjusted(-reach, -reach, reach, reach)
        visible, clip = self._visible(bounds)
        if not visible:
            return
        if clip is None:
            brush, opaque = _faded(pen.brush(), self.state.opacity())
            pen = QPen(pen)
            pen.setBrush(brush)
            out = self._painter(transform, opaque)
            out.setPen(pen)
            out.setBrush(Qt.BrushStyle.NoBrush)
            out.drawPath(path)
            return
        # partly outside its clip (a curve leaving its plot): the stroke's outline,
        # cut to the clip, filled with the pen's colour
        outline = transform.map(QPainterPathStroker(pen).createStroke(path))
        outline = outline.intersected(clip)
        if outline.isEmpty():
            return
        brush, opaque = _faded(pen.brush(), self.state.opacity())
        out = self._painter(_IDENTITY, opaque)
        out.setPen(Qt.PenStyle.NoPen)
        out.setBrush(brush)
        out.drawPath(outline)

    # ----------------------------------------------------------------- pictures
    @_guarded
    def drawPixmap(self, rect: QRectF, pixmap: QPixmap, source: QRectF) -> None:
        self._picture(rect, pixmap.toImage(), source)

    @_guarded
    def drawImage(self, rect: QRectF, image: QImage, source: QRectF, flags=None) -> None:
        self._picture(rect, image, source)

    def _picture(self, rect: QRectF, image: QImage, source: QRectF) -> None:
        transform = self.state.transform()
        device_rect = transform.mapRect(rect)
        visible, clip = self._visible(device_rect)
        if not visible:
            return
        if QRectF(image.rect()) != source:
            # the generator ignores the source rectangle (pyqtgraph's marker atlas)
            image = image.copy(source.toRect())
        if clip is None:
            self._picture_painter(None).drawImage(rect, image, QRectF(image.rect()))
            return
        self._clipped_picture(clip, device_rect,
                              lambda p: p.drawImage(rect, image, QRectF(image.rect())))

    @_guarded
    def drawTiledPixmap(self, rect: QRectF, pixmap: QPixmap, offset: QPointF) -> None:
        device_rect = self.state.transform().mapRect(rect)
        visible, clip = self._visible(device_rect)
        if not visible:
            return
        if clip is None:
            self._picture_painter(None).drawTiledPixmap(rect, pixmap, offset)
            return
        self._clipped_picture(clip, device_rect, lambda p: p.drawTiledPixmap(rect, pixmap, offset))

    def _clipped_picture(self, clip: QPainterPath, device_rect: QRectF, draw) -> None:
        """A picture partly outside its clip: its visible part, painted here at
        twice the pixel density, as one image without a clip path."""
        shown = clip.boundingRect().intersected(device_rect).toAlignedRect()
        if shown.isEmpty():
            return
        density = 2.0
        image = QImage(QSize(max(1, round(shown.width() * density)),
                             max(1, round(shown.height() * density))),
                       QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHints(self.state.renderHints())
        painter.scale(density, density)
        painter.translate(-shown.topLeft())
        painter.setClipPath(clip)
        painter.setTransform(self.state.transform(), combine=True)
        draw(painter)
        painter.end()
        self._picture_painter(_IDENTITY).drawImage(QRectF(shown), image, QRectF(image.rect()))

    # ----------------------------------------------------------------- text
    @_guarded
    def drawTextItem(self, position: QPointF, item) -> None:
        font = QFont(item.font())
        if self._font_factor != 1.0:
            if font.pixelSize() > 0:
                font.setPixelSize(round(font.pixelSize() * self._font_factor))
            else:
                font.setPointSizeF(font.pointSizeF() * self._font_factor)
        path = QPainterPath()
        path.addText(position, font, item.text())
        if not self._text_as_paths:
            transform = self.state.transform()
            bounds = transform.mapRect(path.boundingRect()).adjusted(-1, -1, 1, 1)
            visible, clip = self._visible(bounds)
            if not visible:
                return
            if clip is None:     # wholly shown: real text (cut text is cut outlines)
                out = self._painter(None)
                # a fresh font: the item's may carry another device's resolution
                # (rich text came out at 72 dpi, three quarters of its size)
                fresh = QFont()
                fresh.fromString(item.font().toString())
                out.setFont(fresh)
                out.setPen(self.state.pen())
                out.drawText(position, item.text())
                return
        self._fill(path, self.state.pen().brush())


class ForwardingDevice(QPaintDevice):
    """A paint device the size of the widget whose engine forwards to ``target``."""

    def __init__(self, target: QPaintDevice, size: QSize, dpi: float, text_as_paths: bool):
        super().__init__()
        self._size = size
        self._dpi = dpi
        self._engine = Forwarder(target, dpi, text_as_paths)

    def paintEngine(self) -> QPaintEngine:
        return self._engine

    def metric(self, metric) -> int:
        m = QPaintDevice.PaintDeviceMetric
        dpi = round(self._dpi)
        values = {
            m.PdmWidth: self._size.width(), m.PdmHeight: self._size.height(),
            m.PdmWidthMM: round(self._size.width() * 25.4 / self._dpi),
            m.PdmHeightMM: round(self._size.height() * 25.4 / self._dpi),
            m.PdmDpiX: dpi, m.PdmDpiY: dpi, m.PdmPhysicalDpiX: dpi, m.PdmPhysicalDpiY: dpi,
            m.PdmDepth: 32, m.PdmNumColors: 0x7FFFFFFF, m.PdmDevicePixelRatio: 1,
            # the target scales (a 2× PNG): painting here is in the widget's pixels
            m.PdmDevicePixelRatioScaled: round(QPaintDevice.devicePixelRatioFScale()),
        }
        return values.get(metric, 0)
