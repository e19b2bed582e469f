"""Typeset LaTeX formulas as Qt images with matplotlib's mathtext (no TeX needed).

matplotlib takes ~0.9 s to import, so it is loaded lazily: ``warm_up()`` starts the
import on a worker thread once the window is showing, and ``MathLabel`` shows the
formula as plain text until the typesetter is ready, then re-renders itself.
Rendered formulas are cached, so a step that re-shows a formula costs a lookup.
"""
from __future__ import annotations

import threading
from functools import lru_cache

import numpy as np
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy

_parser = None
_lock = threading.Lock()
_warm_up_thread: threading.Thread | None = None


class _Notifier(QObject):
    ready = Signal()


notifier = _Notifier()


def _load():
    global _parser
    with _lock:
        if _parser is None:
            from matplotlib.mathtext import MathTextParser
            _parser = MathTextParser("agg")
    return _parser


def warm_up() -> None:
    """Import matplotlib's typesetter off the GUI thread; emit ``notifier.ready``."""
    global _warm_up_thread
    if _parser is not None or _warm_up_thread is not None:
        return

    def work():
        try:
            _load()
        except Exception:  # pragma: no cover - a broken matplotlib falls back to text
            return
        try:
            notifier.ready.emit()
        except RuntimeError:    # quitting: the notifier is gone, nobody is listening
            pass

    _warm_up_thread = threading.Thread(target=work, name="mathtext-warm-up", daemon=True)
    _warm_up_thread.start()


def join_warm_up(timeout: float = 5.0) -> None:
    """Quitting: let a warm-up still importing matplotlib finish (a daemon thread cut
    off mid-import by the interpreter's exit can print errors of its own)."""
    thread = _warm_up_thread
    if thread is not None and thread.is_alive():
        thread.join(timeout)


def is_ready() -> bool:
    return _parser is not None


@lru_cache(maxsize=2048)
def _coverage(latex: str, point_size: float, dpi: float) -> np.ndarray | None:
    from matplotlib.font_manager import FontProperties
    parser = _load()
    try:
        parsed = parser.parse(f"${latex}$", dpi=dpi, prop=FontProperties(size=point_size))
    except (ValueError, RuntimeError):
        return None
    return np.ascontiguousarray(np.asarray(parsed.image, dtype=np.uint8))


def render(latex: str, point_size: float = 14.0, color: str | QColor = "#000000",
           device_pixel_ratio: float = 1.0) -> QImage | None:
    """The formula as a transparent ARGB image in ``color``; None if mathtext
    cannot typeset it (the caller then shows plain text)."""
    dpi = 96.0 * device_pixel_ratio
    cover = _coverage(latex, float(point_size), dpi)
    if cover is None or cover.size == 0:
        return None
    return _tinted(cover, QColor(color).rgb() & 0xFFFFFF, device_pixel_ratio)


def _tinted(cover: np.ndarray, rgb: int, dpr: float) -> QImage:
    h, w = cover.shape
    argb = (cover.astype(np.uint32) << 24) | np.uint32(rgb)
    image = QImage(argb.tobytes(), w, h, 4 * w, QImage.Format.Format_ARGB32).copy()
    image.setDevicePixelRatio(dpr)
    return image


class MathLabel(QLabel):
    """A label showing one LaTeX formula; ``set_latex(latex, fallback_text)``."""

    def __init__(self, latex: str = "", fallback: str = "", point_size: float = 14.0,
                 parent=None):
        super().__init__(parent)
        self._latex = latex
        self._fallback = fallback
        self._point_size = point_size
        self._color = QColor("#000000")
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        notifier.ready.connect(self._refresh)
        self._refresh()

    def latex(self) -> str:
        return self._latex

    def set_latex(self, latex: str, fallback: str = "") -> None:
        if latex == self._latex and fallback == self._fallback:
            return
        self._latex, self._fallback = latex, fallback
        self._refresh()

    def set_point_size(self, size: float) -> None:
        self._point_size = size
        self._refresh()

    def set_color(self, color) -> None:
        self._color = QColor(color)
        self._refresh()

    def _refresh(self) -> None:
        image = None
        if self._latex and is_ready():
            image = render(self._latex, self._point_size, self._color,
                           self.devicePixelRatioF() or 1.0)
        if image is None:
            self.setPixmap(QPixmap())
            self.setText(self._fallback or self._latex)
        else:
            self.setText("")
            self.setPixmap(QPixmap.fromImage(image))
