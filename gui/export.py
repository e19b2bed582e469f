"""Export a view or one panel for slides: PNG (pixels), SVG and PDF (vectors), the clipboard.

The suffix picks the format and nothing else is written: an unknown suffix is refused
with a message that names the file. Every format draws the same painting: pyqtgraph's
items are put in export mode first, so scatter markers are drawn as shapes rather than
copied from a pixmap atlas. SVG goes through ``gui.export_svg`` (so browsers, librsvg
and ImageMagick draw it alike); PDF is Qt's PDF engine, which clips and keeps text as
text.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QMarginsF, QMimeData, QPoint, QSize, QSizeF
from PySide6.QtGui import QGuiApplication, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import QGraphicsView, QWidget

from gui.export_paint import ForwardingDevice
from gui.export_svg import render_svg

#: suffix → the file dialog's name for it, in the dialog's order
FORMATS = {".png": "PNG image", ".svg": "SVG drawing", ".pdf": "PDF document"}
DEFAULT_SCALE = 2.0      # PNG pixels per screen pixel: sharp on a projector


class ExportError(ValueError):
    """A file name Stepwise cannot export to (the message names the file)."""


def file_filters() -> str:
    """The Save dialog's filter list, e.g. ``PNG image (*.png);;SVG drawing (*.svg)``."""
    return ";;".join(f"{name} (*{suffix})" for suffix, name in FORMATS.items())


def suffix_for_filter(name_filter: str) -> str:
    """The suffix a Save dialog filter stands for (``.png`` if none matches)."""
    for suffix, name in FORMATS.items():
        if name_filter.startswith(name):
            return suffix
    return ".png"


def check_path(path: str | Path) -> Path:
    """``path`` if its suffix is one Stepwise writes; raises ExportError otherwise."""
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        kinds = ", ".join(FORMATS)
        got = f"“{path.suffix}”" if path.suffix else "no suffix"
        raise ExportError(f"Cannot export to {path.name}: it has {got}; the name must end "
                          f"in {kinds} to choose the format.")
    return path


@contextmanager
def export_mode(widget: QWidget) -> Iterator[None]:
    """pyqtgraph items inside ``widget`` paint for export while the block runs
    (markers as shapes, no hover buttons), and for the screen again after it."""
    from pyqtgraph import GraphicsItem

    views = widget.findChildren(QGraphicsView)
    if isinstance(widget, QGraphicsView):
        views.append(widget)
    items = [item for view in views if view.scene() is not None
             for item in view.scene().items() if isinstance(item, GraphicsItem)]
    for item in items:
        item.setExportMode(True, {"antialias": True})
    try:
        yield
    finally:
        for item in items:
            item.setExportMode(False)


def _render(widget: QWidget, painter: QPainter) -> None:
    # the window colour behind everything, as on screen: gaps between panels are
    # not see-through on a slide whatever its background
    painter.fillRect(widget.rect(), widget.palette().window())
    with export_mode(widget):
        # QWidget's, not QGraphicsView's scene render (a panel may be a view)
        QWidget.render(widget, painter, QPoint(0, 0))


def paint_through(widget: QWidget, target, text_as_paths: bool) -> None:
    """Paint ``widget`` (in export mode) on ``target`` through the forwarding engine
    of ``gui.export_paint``, so every format gets the same shapes: lines keep their
    on-screen width relative to the picture, curves are cut at their plot's edge.
    Raises OSError if painting failed."""
    device = ForwardingDevice(target, widget.size(), widget.logicalDpiX(), text_as_paths)
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("could not start painting")
    try:
        _render(widget, painter)
    finally:
        painter.end()
    error = device.paintEngine().error
    if error is not None:
        raise OSError(f"could not draw the view: {error}") from error


def render_image(widget: QWidget, scale: float = DEFAULT_SCALE) -> QImage:
    """``widget`` as pixels, ``scale`` × its size, on the window colour."""
    size = QSize(round(widget.width() * scale), round(widget.height() * scale))
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(scale)
    image.fill(widget.palette().window().color())
    paint_through(widget, image, text_as_paths=False)
    return image


def svg_bytes(widget: QWidget) -> bytes:
    """``widget`` as an SVG document (see ``gui.export_svg``)."""
    return render_svg(widget, lambda painter: _render(widget, painter))


def write_pdf(widget: QWidget, path: Path) -> None:
    """One page the size of ``widget`` (its pixels as 1/96 inch), vectors and text,
    painted through ``gui.export_paint.Forwarder`` like the SVG."""
    dpi = widget.logicalDpiX()
    writer = QPdfWriter(str(path))
    writer.setCreator("Stepwise")
    writer.setTitle("Stepwise")
    writer.setResolution(dpi)
    page = QPageSize(QSizeF(widget.width() * 72.0 / dpi, widget.height() * 72.0 / dpi),
                     QPageSize.Unit.Point, "Stepwise view", QPageSize.SizeMatchPolicy.ExactMatch)
    writer.setPageLayout(QPageLayout(page, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    paint_through(widget, writer, text_as_paths=False)


def export_widget(widget: QWidget, path: str | Path, scale: float = DEFAULT_SCALE) -> Path:
    """Write ``widget`` to ``path``; the suffix (.png, .svg or .pdf) picks the format.

    PNGs are ``scale`` × the widget's size so they stay sharp on slides. Raises
    ExportError (a ValueError) for any other suffix, writing nothing, and OSError if
    the file cannot be written.
    """
    path = check_path(path)
    suffix = path.suffix.lower()
    if suffix == ".svg":
        try:
            data = svg_bytes(widget)
        except RuntimeError as exc:
            raise OSError(str(exc)) from exc
        path.write_bytes(data)
    elif suffix == ".pdf":
        write_pdf(widget, path)
    else:
        image = render_image(widget, scale)
        if not image.save(str(path), "PNG"):
            raise OSError(f"could not write {path}")
    if not path.exists() or path.stat().st_size == 0:
        raise OSError(f"could not write {path}")
    return path


def copy_to_clipboard(widget: QWidget, scale: float = DEFAULT_SCALE) -> None:
    """Put ``widget`` on the clipboard as an image (``scale`` × its size, marked with
    that many dots per inch so it pastes at its screen size) and as SVG for programs
    that take vectors. The clipboard owns the data from then on."""
    image = render_image(widget, scale)
    image.setDevicePixelRatio(1.0)
    dots_per_metre = round(widget.logicalDpiX() * scale / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    data = QMimeData()
    data.setImageData(image)
    try:
        data.setData("image/svg+xml", svg_bytes(widget))
    except RuntimeError:
        pass   # the picture alone still pastes
    QGuiApplication.clipboard().setMimeData(data)


def export_from_command_line(window, path: str, tab: str | None = None) -> int:
    """``stepwise --export out.{png,svg,pdf} [--tab classifier|newton]``: let the
    window finish starting (deferred imports, typeset formulas), write the tab's
    view, and return the exit status: 0 written, 2 a file name Stepwise cannot
    export to (nothing is written), 1 the file could not be written. Messages go
    to stderr, one line each, naming the file.

    Call it on a window that has opened any session file, *instead of*
    ``window.after_show()`` (it runs the deferred start-up itself), then quit."""
    import sys
    import time

    from PySide6.QtWidgets import QApplication

    from gui import mathtext
    try:
        target = check_path(path)
    except ExportError as exc:
        print(f"stepwise: {exc}", file=sys.stderr)
        return 2
    if tab is not None:
        window.show_tab(tab)
    if not window.isVisible():
        window.show()
    app = QApplication.instance()
    window.after_show()
    mathtext._load()
    mathtext.notifier.ready.emit()
    deadline = time.monotonic() + 20.0
    while time.monotonic() < deadline and not window.is_ready():
        app.processEvents()
        time.sleep(0.005)
    for _ in range(5):
        app.processEvents()
    try:
        export_widget(window.current_tab().export_widget(), target)
    except OSError as exc:
        print(f"stepwise: could not export {target}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"stepwise: wrote {target}", file=sys.stderr)
    return 0
