"""Export for slides (issue 10 §2): SVG that librsvg and ImageMagick draw like the PNG,
PDF, single panels, the clipboard, Ctrl+E from a text box, ``--export``.

Pixel comparisons use the PNG export (2× the widget) and the SVG rasterised by
rsvg-convert at the same size. Thresholds, from measurements of these two views:
a faithful SVG differs from the PNG only along glyph and line edges (antialiasing:
mean |Δ| ≤ 1.2 of 255, ≤ 0.8 % of pixels off by more than 64 levels, no 128-px tile
over 3.5 % such pixels or a mean |Δ| over 5.1); the SVG Qt wrote before this work
measured mean 6.5 / 3.8 % / 15.5 % / 27 on the classifier and 145 / 99 % on the
Newton view (its strokes covered the plot). The limits sit between the two.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QKeyCombination, QObject, QSettings, Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QWidget

from core.records import BackwardStep
from gui import export_dialogs
from gui.export import ExportError, export_from_command_line, export_widget, render_image
from gui.main_window import MainWindow

RSVG = shutil.which("rsvg-convert")


def _imagemagick() -> str | None:
    """ImageMagick's convert, or None: some machines have a stand-in by that name
    that only prints PNGs, which is not the renderer this test is about."""
    path = shutil.which("convert")
    if path is None:
        return None
    try:
        probe = subprocess.run([path, "-version"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return path if "ImageMagick" in probe.stdout else None


MAGICK = _imagemagick()
GHOSTSCRIPT = shutil.which("gs")
BROWSER = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))),
               None)
NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


# ---------------------------------------------------------------- the two views
@pytest.fixture
def window(qtbot):
    QSettings().clear()
    win = MainWindow(restore=False)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    for tab in win.demo_tabs(build=False):
        tab.stop()


def classifier_mid_backward(win):
    """The README's view: the first example's backward pass, at ∂L/∂w₁₁."""
    tab = win.classifier_tab
    while True:
        tab.step()
        current = tab.stepper.current
        if current is None or (isinstance(current, BackwardStep)
                               and current.parameter.name == "w11"):
            break
    QGuiApplication.processEvents()
    return tab


def newton_step_3(win, qtbot):
    """The lecture example three Newton steps in."""
    win.show_tab("newton")
    tab = win.newton_tab
    tab.after_show()
    qtbot.waitUntil(tab.is_ready, timeout=20_000)
    tab.load_preset(0)
    assert tab.wait_parsed()
    for _ in range(3):
        tab.step()
    for _ in range(5):
        QGuiApplication.processEvents()
    return tab


@pytest.fixture(params=["classifier", "newton"])
def view(request, window, qtbot) -> QWidget:
    if request.param == "classifier":
        return classifier_mid_backward(window).export_widget()
    return newton_step_3(window, qtbot).export_widget()


# ---------------------------------------------------------------- helpers
def pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    width, height = image.width(), image.height()
    data = np.frombuffer(image.constBits(), np.uint8).reshape(height, image.bytesPerLine())
    return data[:, :width * 4].reshape(height, width, 4)[:, :, :3].astype(float)


def difference(a: QImage, b: QImage, tile: int = 128) -> dict[str, float]:
    assert (a.width(), a.height()) == (b.width(), b.height())
    delta = np.abs(pixels(a) - pixels(b))
    strong = delta.max(axis=2) > 64
    h, w = strong.shape
    corners = [(y, x) for y in range(0, h - tile + 1, tile) for x in range(0, w - tile + 1, tile)]
    return {"mean": float(delta.mean()), "strong": float(strong.mean()),
            "worst_tile_strong": max(float(strong[y:y + tile, x:x + tile].mean())
                                     for y, x in corners),
            "worst_tile_mean": max(float(delta[y:y + tile, x:x + tile].mean())
                                   for y, x in corners)}


def assert_same_picture(a: QImage, b: QImage, loose: float = 1.0) -> None:
    d = difference(a, b)
    assert d["mean"] < 2.5 * loose, d
    assert d["strong"] < 0.015 * loose, d
    assert d["worst_tile_strong"] < 0.08 * loose, d
    assert d["worst_tile_mean"] < 12 * loose, d


def rasterise_svg(svg, png, width: int, height: int) -> QImage:
    subprocess.run([RSVG, "--background-color=white", "-w", str(width), "-h", str(height),
                    "-o", str(png), str(svg)], check=True, timeout=120)
    return QImage(str(png))


def on_white(image: QImage) -> QImage:
    out = QImage(image.size(), QImage.Format.Format_RGB32)
    out.fill(Qt.GlobalColor.white)
    from PySide6.QtGui import QPainter
    painter = QPainter(out)
    painter.drawImage(0, 0, image)
    painter.end()
    return out


def drawn_bounds(svg_text: str) -> list[tuple[float, float, float, float]]:
    """The device-space bounds of every path and image in a Stepwise SVG (Qt writes
    absolute coordinates under one ``matrix`` transform per group)."""
    root = ET.fromstring(svg_text)
    bounds = []

    def walk(node, matrix):
        transform = node.get("transform")
        if transform:
            a, b, c, d, e, f = (float(v) for v in re.findall(NUMBER, transform))
            m = matrix
            matrix = (m[0] * a + m[2] * b, m[1] * a + m[3] * b, m[0] * c + m[2] * d,
                      m[1] * c + m[3] * d, m[0] * e + m[2] * f + m[4], m[1] * e + m[3] * f + m[5])
        tag = node.tag.split("}")[-1]
        points = []
        if tag == "path":
            numbers = [float(v) for v in re.findall(NUMBER, node.get("d", ""))]
            points = list(zip(numbers[0::2], numbers[1::2], strict=False))
        elif tag == "image":
            x, y = float(node.get("x", 0)), float(node.get("y", 0))
            w, h = float(node.get("width")), float(node.get("height"))
            points = [(x, y), (x + w, y + h), (x + w, y), (x, y + h)]
        if points:
            xs = [matrix[0] * x + matrix[2] * y + matrix[4] for x, y in points]
            ys = [matrix[1] * x + matrix[3] * y + matrix[5] for x, y in points]
            bounds.append((min(xs), min(ys), max(xs), max(ys)))
        if tag not in ("defs", "clipPath", "linearGradient", "radialGradient"):
            for child in node:
                walk(child, matrix)

    walk(root, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
    return bounds


# ---------------------------------------------------------------- SVG
def test_svg_has_nothing_renderers_disagree_on(view, tmp_path):
    path = export_widget(view, tmp_path / "view.svg")
    text = path.read_text(encoding="utf-8")
    root = ET.fromstring(text)              # well-formed XML
    assert text.lstrip().startswith("<?xml")
    assert (root.get("width"), root.get("height")) == (str(view.width()), str(view.height()))
    assert "non-scaling-stroke" not in text   # blobs outside browsers
    assert "clip-path" not in text            # ImageMagick 6 inverts clip paths
    assert "<text" not in text                # glyph outlines: no font substitution
    assert "Sans Serif" not in text
    # no rotated groups: ImageMagick 6 left out the rotated axis titles
    for matrix in re.findall(r'transform="matrix\(([^)]*)\)"', text):
        a, b, c, d, e, f = (float(v) for v in matrix.split(","))
        assert b == 0 and c == 0, matrix


def test_svg_draws_nothing_outside_the_view(view, tmp_path):
    """Curves are cut where their plot ends (the Newton curve used to run far out)."""
    text = export_widget(view, tmp_path / "view.svg").read_text(encoding="utf-8")
    bounds = drawn_bounds(text)
    assert len(bounds) > 50
    slack = 1.5
    outside = [b for b in bounds if b[0] < -slack or b[1] < -slack
               or b[2] > view.width() + slack or b[3] > view.height() + slack]
    assert not outside, outside[:5]


@pytest.mark.skipif(RSVG is None, reason="rsvg-convert (librsvg2-bin) is not installed")
def test_svg_rasterised_by_rsvg_matches_the_png(view, tmp_path):
    png = export_widget(view, tmp_path / "view.png")
    svg = export_widget(view, tmp_path / "view.svg")
    expected = QImage(str(png))
    assert (expected.width(), expected.height()) == (2 * view.width(), 2 * view.height())
    rendered = rasterise_svg(svg, tmp_path / "rsvg.png", expected.width(), expected.height())
    assert_same_picture(on_white(expected), rendered)


@pytest.mark.skipif(RSVG is None, reason="rsvg-convert (librsvg2-bin) is not installed")
def test_svg_has_no_see_through_gaps(view, tmp_path):
    """The gaps between panels have the window's colour, so a dark slide does not
    show through them."""
    svg = export_widget(view, tmp_path / "view.svg")
    out = tmp_path / "alpha.png"
    subprocess.run([RSVG, "-o", str(out), str(svg)], check=True, timeout=120)
    image = QImage(str(out)).convertToFormat(QImage.Format.Format_ARGB32)
    data = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    alpha = data[:, :image.width() * 4].reshape(image.height(), image.width(), 4)[:, :, 3]
    assert alpha.min() == 255


@pytest.mark.skipif(BROWSER is None, reason="no Chromium to render the SVG as a browser does")
def test_svg_rendered_by_a_browser_matches_the_png(view, tmp_path):
    png = QImage(str(export_widget(view, tmp_path / "view.png")))
    svg = export_widget(view, tmp_path / "view.svg")
    shot = tmp_path / "browser.png"
    subprocess.run([BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--force-device-scale-factor=2", "--default-background-color=ffffffff",
                    f"--window-size={view.width()},{view.height()}", f"--screenshot={shot}",
                    svg.as_uri()], capture_output=True, timeout=180, check=True)
    assert_same_picture(on_white(png), QImage(str(shot)))


@pytest.mark.skipif(RSVG is None, reason="rsvg-convert (librsvg2-bin) is not installed")
def test_every_panel_rasterised_by_rsvg_matches_its_png(window, qtbot, tmp_path):
    classifier_mid_backward(window)
    found = export_dialogs.panels(window.classifier_tab)
    newton = newton_step_3(window, qtbot)
    found += export_dialogs.panels(newton)
    assert {p.key for p in found} == {"networkDiagram", "chainRulePanel", "lossPlot",
                                      "boundaryPlot", "newtonPlot", "derivativePlot"}
    for panel in found:
        png = QImage(str(export_widget(panel.widget, tmp_path / f"{panel.key}.png")))
        svg = export_widget(panel.widget, tmp_path / f"{panel.key}.svg")
        rendered = rasterise_svg(svg, tmp_path / f"{panel.key}-rsvg.png", png.width(), png.height())
        assert_same_picture(on_white(png), rendered)


def test_boundary_markers_are_shapes_not_the_marker_atlas(window, tmp_path):
    """pyqtgraph's scatter markers came from one atlas pixmap whose source rectangle
    the SVG lost, so every point showed every marker; now each is a path."""
    tab = classifier_mid_backward(window)
    text = export_widget(tab.boundary_plot, tmp_path / "b.svg").read_text(encoding="utf-8")
    images = re.findall(r"<image [^>]*>", text)
    assert len(images) <= 3          # the ŷ heat map and the colour bar's gradient
    assert len(re.findall(r"<path ", text)) > 20


@pytest.mark.skipif(MAGICK is None, reason="ImageMagick is not installed")
def test_imagemagick_renders_the_svg_without_errors(view, tmp_path):
    svg = export_widget(view, tmp_path / "view.svg")
    out = tmp_path / "magick.png"
    result = subprocess.run([MAGICK, "-background", "white", str(svg), "-flatten", str(out)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower(), result.stderr
    rendered = QImage(str(out))
    assert (rendered.width(), rendered.height()) == (view.width(), view.height())
    # ImageMagick's renderer is cruder (no subpixel antialiasing), so compare loosely
    # with a 1× export: missing panels or blobs would still be far outside this
    expected = on_white(render_image(view, 1.0))
    d = difference(expected, rendered, tile=64)
    # measured: classifier 7.2 / 21.6, Newton 2.0 / 12.7; with the dimmed labels
    # drawn dark grey (group opacity) the classifier's worst tile measured 53
    assert d["mean"] < 10, d
    assert d["worst_tile_mean"] < 32, d


# ---------------------------------------------------------------- PNG and PDF
def test_png_export_is_the_screen(window):
    """The export's engine paints what the window shows (checked at 1×)."""
    tab = classifier_mid_backward(window)
    widget = tab.export_widget()
    shown = widget.grab().toImage()
    assert_same_picture(on_white(render_image(widget, 1.0)), on_white(shown), loose=1.5)


def test_pdf_is_one_page_of_vectors_and_text(window, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    tab = classifier_mid_backward(window)
    widget = tab.export_widget()
    path = export_widget(widget, tmp_path / "view.pdf")
    reader = pypdf.PdfReader(str(path))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(widget.width() * 0.75, abs=1)
    assert float(box.height) == pytest.approx(widget.height() * 0.75, abs=1)
    text = reader.pages[0].extract_text()
    assert "Back-propagation" in text and "0.1468" in text     # text, not pictures


@pytest.mark.skipif(GHOSTSCRIPT is None, reason="Ghostscript is not installed")
def test_pdf_rasterised_by_ghostscript_matches_the_png(view, tmp_path):
    png = QImage(str(export_widget(view, tmp_path / "view.png")))
    pdf = export_widget(view, tmp_path / "view.pdf")
    out = tmp_path / "gs.png"
    subprocess.run([GHOSTSCRIPT, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=png16m",
                    "-r192", "-dTextAlphaBits=4", "-dGraphicsAlphaBits=4",
                    f"-sOutputFile={out}", str(pdf)], check=True, timeout=120)
    rendered = QImage(str(out)).copy(0, 0, png.width(), png.height())
    assert_same_picture(on_white(png), rendered, loose=2.0)


# ---------------------------------------------------------------- file names
@pytest.mark.parametrize("name", ["view.txt", "view", "view.svg.bak"])
def test_an_unknown_suffix_is_refused_and_nothing_is_written(window, tmp_path, name):
    with pytest.raises(ExportError, match=re.escape(name)):
        export_widget(window.classifier_tab.export_widget(), tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_the_dialog_adds_the_chosen_suffix_and_refuses_txt(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QMessageBox
    answers = iter([(str(tmp_path / "slide"), "SVG drawing (*.svg)"),
                    (str(tmp_path / "view.txt"), "PNG image (*.png)")])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: next(answers))
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a[2]))
    assert export_dialogs.export_view(window) == tmp_path / "slide.svg"
    assert (tmp_path / "slide.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert export_dialogs.export_view(window) is None
    assert warnings and "view.txt" in warnings[0]
    assert not (tmp_path / "view.txt").exists() and not (tmp_path / "view.png").exists()


def test_export_panel_writes_the_chosen_panel(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QInputDialog
    classifier_mid_backward(window)
    offered = []

    def choose(_parent, _title, _label, names, *_args, **_kw):
        offered.extend(names)
        return "Network diagram", True

    monkeypatch.setattr(QInputDialog, "getItem", choose)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "diagram.png"), "PNG image (*.png)"))
    assert export_dialogs.export_panel(window) == tmp_path / "diagram.png"
    assert offered == ["Network diagram", "Chain-rule panel", "Loss plot", "Decision boundary"]
    # encoded off the GUI thread; the file appears whole, then the status bar says so
    qtbot.waitUntil(lambda: "Saved" in window.statusBar().currentMessage(), timeout=10_000)
    assert [p.name for p in tmp_path.iterdir()] == ["diagram.png"]
    image = QImage(str(tmp_path / "diagram.png"))
    diagram = window.classifier_tab.diagram
    assert (image.width(), image.height()) == (2 * diagram.width(), 2 * diagram.height())


def test_newton_panels_are_named_after_their_axes(window, qtbot):
    names = [p.name for p in export_dialogs.panels(newton_step_3(window, qtbot))]
    assert names == ["Function plot: g(x)", "Derivative plot: g′(x)"]


# ---------------------------------------------------------------- clipboard, keys
@pytest.fixture
def clipboard():
    """The clipboard, emptied afterwards: a QMimeData still on the offscreen
    platform's clipboard when the test process ends crashes it on the way out
    (PySide6 6.11, even for plain text set that way; not so under X11)."""
    board = QGuiApplication.clipboard()
    board.clear()
    yield board
    board.clear()


def test_copy_view_puts_an_image_and_svg_on_the_clipboard(window, clipboard):
    tab = classifier_mid_backward(window)
    window.copy_view_action.trigger()
    data = clipboard.mimeData()
    assert data.hasImage()
    image = QImage(data.imageData())
    widget = tab.export_widget()
    assert (image.width(), image.height()) == (2 * widget.width(), 2 * widget.height())
    assert bytes(data.data("image/svg+xml")).lstrip().startswith(b"<?xml")


class ClaimsCtrlE(QObject):
    """What a QLineEdit does on X11, where Ctrl+E is in its "end of line" bindings
    (the offscreen platform has none): accept the ShortcutOverride, so the window's
    shortcut does not fire and the key moves the cursor instead."""

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and \
                event.keyCombination() == QKeyCombination(Qt.KeyboardModifier.ControlModifier,
                                                          Qt.Key.Key_E):
            event.accept()
            watched.end(False)
            return True
        return False


@pytest.mark.parametrize("box", ["tryInput", "functionInput"])
def test_ctrl_e_exports_even_from_a_text_box(window, qtbot, monkeypatch, box):
    """Checked for real under Xvfb with the xcb platform too: without the fix the
    key moved the cursor to the end and no dialog opened."""
    from PySide6.QtWidgets import QFileDialog, QLineEdit
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: asked.append(a) or ("", ""))
    if box == "functionInput":
        newton_step_3(window, qtbot)
    with qtbot.waitActive(window):
        window.activateWindow()
    edit = window.findChild(QLineEdit, box)
    assert edit is not None and edit.isVisible()
    x11 = ClaimsCtrlE(edit)
    edit.installEventFilter(x11)      # before it has the focus, like the widget's own
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.setText("aack")
    edit.setCursorPosition(0)
    qtbot.keyClick(edit, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert len(asked) == 1                  # the Export dialog opened
    assert (edit.text(), edit.cursorPosition()) == ("aack", 0)   # the box was left alone
    qtbot.keyClick(edit, Qt.Key.Key_End)    # other keys still edit
    qtbot.keyClick(edit, Qt.Key.Key_A)
    assert edit.text() == "aacka"
    edit.removeEventFilter(x11)


def test_the_emulated_text_box_does_swallow_ctrl_e_without_the_fix(window, qtbot, monkeypatch):
    """The check above can fail: with the window's guard off, the box takes the key."""
    from PySide6.QtWidgets import QFileDialog, QLineEdit
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: asked.append(a) or ("", ""))
    monkeypatch.setattr(window._export_keys, "kept", lambda sequence: False)
    with qtbot.waitActive(window):
        window.activateWindow()
    edit = window.findChild(QLineEdit, "tryInput")
    x11 = ClaimsCtrlE(edit)
    edit.installEventFilter(x11)
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.setText("aack")
    edit.setCursorPosition(0)
    qtbot.keyClick(edit, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert asked == [] and edit.cursorPosition() == 4
    edit.removeEventFilter(x11)


def test_export_commands_are_in_the_menus_and_the_shortcut_list(window):
    names = {a.objectName() for a in window.window_commands()}
    assert {"exportAction", "exportPanelAction", "copyViewAction"} <= names
    from PySide6.QtWidgets import QMenu
    menus = {a.objectName() for menu in window.menuBar().findChildren(QMenu)
             for a in menu.actions()}
    assert {"exportAction", "exportPanelAction", "copyViewAction"} <= menus


# ---------------------------------------------------------------- command line
@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
@pytest.mark.parametrize("tab", ["classifier", "newton"])
def test_export_from_command_line(window, tmp_path, capsys, suffix, tab):
    out = tmp_path / f"out{suffix}"
    assert export_from_command_line(window, str(out), tab) == 0
    assert window.current_tab().session_key == tab
    magic = {".png": b"\x89PNG", ".svg": b"<?xml", ".pdf": b"%PDF"}[suffix]
    assert out.read_bytes().startswith(magic)
    assert str(out) in capsys.readouterr().err
    if suffix == ".png":
        image = QImage(str(out))
        widget = window.current_tab().export_widget()
        assert (image.width(), image.height()) == (2 * widget.width(), 2 * widget.height())


def test_export_from_command_line_refuses_a_bad_suffix(window, tmp_path, capsys):
    out = tmp_path / "view.txt"
    assert export_from_command_line(window, str(out), None) == 2
    message = capsys.readouterr().err
    assert "view.txt" in message and ".png" in message and ".svg" in message
    assert message.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_export_from_command_line_reports_an_unwritable_file(window, tmp_path, capsys):
    out = tmp_path / "missing-folder" / "view.png"
    assert export_from_command_line(window, str(out), "classifier") == 1
    assert "view.png" in capsys.readouterr().err
