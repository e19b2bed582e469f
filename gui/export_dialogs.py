"""File ▸ Export view… / Export panel… and Edit ▸ Copy view: the dialogs around ``gui.export``.

The window's actions call these with the window. The last folder and format are
remembered between exports; a name without a suffix gets the chosen format's, and a
name with a suffix Stepwise does not write (``view.txt``) is refused, not changed.
"""
from __future__ import annotations

import html
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from gui.export import (
    FORMATS,
    ExportError,
    check_path,
    copy_to_clipboard,
    export_widget,
    file_filters,
    render_image,
)

# (object name, what the user is offered) for each tab's panels, in reading order
_PANELS = {
    "classifier": (("networkDiagram", "Network diagram"), ("chainRulePanel", "Chain-rule panel"),
                   ("lossPlot", "Loss plot"), ("boundaryPlot", "Decision boundary")),
    "newton": (("newtonPlot", "Function plot"), ("derivativePlot", "Derivative plot")),
}


@dataclass(frozen=True)
class Panel:
    name: str          # what the Export panel list shows
    key: str           # for file names: "networkDiagram" → stepwise-networkDiagram.png
    widget: QWidget


def _plot_title(widget: QWidget, fallback: str) -> str:
    """A Newton plot's name from its axis title (g(x) / g′(x), f(x) / f′(x))."""
    from pyqtgraph import PlotWidget
    if isinstance(widget, PlotWidget):
        text = widget.getPlotItem().getAxis("left").labelText
        if text:
            return f"{fallback}: {text}"
    return fallback


def panels(tab) -> list[Panel]:
    """The panels of ``tab`` one can export alone (shown ones only)."""
    found = []
    for key, name in _PANELS.get(tab.session_key, ()):
        widget = tab.findChild(QWidget, key)
        if widget is not None and widget.isVisible() and not widget.size().isEmpty():
            if tab.session_key == "newton":    # its plots change with the mode
                name = _plot_title(widget, name)
            found.append(Panel(name, key, widget))
    return found


def _warn(window: QWidget, title: str, text: str) -> None:
    """A warning whose text (file names, error messages) shows as typed: given to the
    box as rich text with every character escaped, so a name such as "<b>a</b>.txt"
    can neither turn bold nor vanish (a bare string is guessed to be rich text)."""
    lines = [html.escape(line) for line in text.splitlines()] or [""]
    QMessageBox.warning(window, title, "<p>" + "<br>".join(lines) + "</p>")


def _settings_folder() -> str:
    return QSettings().value("export/folder", str(Path.home()), type=str)


def ask_path(window: QWidget, title: str, stem: str) -> Path | None:
    """The Save dialog; None if cancelled or refused (the user was told why)."""
    settings = QSettings()
    suffix = settings.value("export/suffix", ".png", type=str)
    if suffix not in FORMATS:
        suffix = ".png"
    filters = file_filters().split(";;")
    chosen = next(f for f in filters if f.endswith(f"(*{suffix})"))
    start = str(Path(_settings_folder()) / f"{stem}{suffix}")
    name, selected = QFileDialog.getSaveFileName(window, title, start, ";;".join(filters), chosen)
    if not name:
        return None
    path = Path(name)
    if not path.suffix:
        from gui.export import suffix_for_filter
        path = path.with_name(path.name + suffix_for_filter(selected or chosen))
    try:
        check_path(path)
    except ExportError as exc:
        _warn(window, "Not exported", str(exc))
        return None
    settings.setValue("export/folder", str(path.parent))
    settings.setValue("export/suffix", path.suffix.lower())
    return path


class _PngWriter(QObject):
    """Encodes and writes a rendered PNG on a worker thread: at presentation size the
    encoding takes ~0.45 s, which would freeze the window (painting, ~0.1 s, has to
    stay on the GUI thread). The file appears whole (written beside it, then renamed)."""

    done = Signal(str, str)          # path, error ("" when written)

    def __init__(self, window, image: QImage, path: Path):
        super().__init__(window)
        self._image, self._path = image, path
        self.done.connect(self._report)
        _writers.add(self)
        threading.Thread(target=self._run, name="stepwise-png-export", daemon=True).start()

    def _run(self) -> None:
        partial = self._path.with_name(f".{self._path.name}.partial")
        error = ""
        try:
            if not self._image.save(str(partial), "PNG"):
                raise OSError("the image could not be written there")
            os.replace(partial, self._path)
        except OSError as exc:
            error = exc.strerror or str(exc)
            partial.unlink(missing_ok=True)
        self.done.emit(str(self._path), error)

    def _report(self, path: str, error: str) -> None:
        _writers.discard(self)
        window = self.parent()
        if error:
            _warn(window, "Export failed", f"Could not write {path}:\n{error}")
        else:
            window.statusBar().showMessage(f"Saved {path}", 5000)
        self.deleteLater()


_writers: set[_PngWriter] = set()     # alive until they report


def _write(window, widget: QWidget, path: Path) -> bool:
    try:
        if path.suffix.lower() == ".png":
            _PngWriter(window, render_image(widget), path)
            window.statusBar().showMessage(f"Saving {path}…", 5000)
            return True
        export_widget(widget, path)
    except (OSError, ExportError) as exc:
        _warn(window, "Export failed", f"Could not write {path}:\n{exc}")
        return False
    window.statusBar().showMessage(f"Saved {path}", 5000)
    return True


def export_view(window) -> Path | None:
    """File ▸ Export view… (Ctrl+E): the current tab's view as PNG, SVG or PDF."""
    tab = window.current_tab()
    path = ask_path(window, "Export view", f"stepwise-{tab.session_key}")
    if path is None or not _write(window, tab.export_widget(), path):
        return None
    return path


def export_panel(window) -> Path | None:
    """File ▸ Export panel…: one panel of the current tab (the diagram, a plot…)."""
    tab = window.current_tab()
    choices = panels(tab)
    if not choices:
        QMessageBox.information(window, "Export panel", "This tab shows no panel to export.")
        return None
    names = [p.name for p in choices]
    name, ok = QInputDialog.getItem(window, "Export panel", "Panel to export:", names, 0, False)
    if not ok or name not in names:
        return None
    panel = choices[names.index(name)]
    path = ask_path(window, f"Export {panel.name}", f"stepwise-{panel.key}")
    if path is None or not _write(window, panel.widget, path):
        return None
    return path


def copy_view(window) -> None:
    """Edit ▸ Copy view (Ctrl+Shift+C): the current view on the clipboard."""
    copy_to_clipboard(window.current_tab().export_widget())
    window.statusBar().showMessage("The view is on the clipboard (image and SVG)", 5000)
