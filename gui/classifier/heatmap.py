"""Small activation heat-maps: what one hidden unit computes over the (x₁, x₂) plane.

The values come from ``network.forward`` on a grid (the core does the maths); this
module only turns them into a round, tinted image that fits inside a node of the
diagram.  Images are cached per (weights, biases, extent, colours, size), so a
micro-step that does not change the first layer costs a dictionary lookup.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath

GRID = 32   # samples per axis: smooth enough for a node of ~50 px


def _rgb(color: str) -> np.ndarray:
    c = QColor(color)
    return np.array([c.red(), c.green(), c.blue()], dtype=float)


def activation_grid(network, x_max: float, y_max: float, n: int = GRID) -> np.ndarray:
    """First-hidden-layer activations on an n×n grid, shape (n, n, units).

    Row 0 is the top of the picture (largest x₂), column 0 the left (x₁ = 0).
    """
    xs = np.linspace(0.0, float(x_max), n)
    ys = np.linspace(float(y_max), 0.0, n)
    gx, gy = np.meshgrid(xs, ys)
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    hidden = np.asarray(network.forward(grid).activations[1], dtype=float)
    return hidden.reshape(n, n, -1)


def tinted_disc(values: np.ndarray, size: int, low: str, high: str,
                background: str) -> QImage:
    """A round image of ``values`` (in [0, 1]) coloured low → background → high.

    The colours are blended towards the background so the node's name stays legible
    on top of the map.
    """
    v = np.clip(np.asarray(values, dtype=float), 0.0, 1.0)[..., None]
    lo, hi, bg = _rgb(low), _rgb(high), _rgb(background)
    # Below 0.5 fade from the "Sad" colour to the background, above it to "Happy".
    t = np.abs(v - 0.5) * 2.0
    colour = np.where(v < 0.5, lo, hi)
    rgb = bg + (colour - bg) * (0.75 * t)
    h, w = v.shape[:2]
    argb = np.empty((h, w), dtype=np.uint32)
    rgb8 = np.clip(rgb, 0, 255).astype(np.uint32)
    argb[:] = (0xFF << 24) | (rgb8[..., 0] << 16) | (rgb8[..., 1] << 8) | rgb8[..., 2]
    small = QImage(argb.tobytes(), w, h, 4 * w, QImage.Format.Format_ARGB32).copy()
    disc = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    disc.fill(Qt.GlobalColor.transparent)
    painter = QPainter(disc)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    clip = QPainterPath()
    clip.addEllipse(QRectF(0, 0, size, size))
    painter.setClipPath(clip)
    painter.drawImage(QRectF(0, 0, size, size), small)
    painter.end()
    return disc


class HeatmapCache:
    """Remembers the last images so unchanged weights cost nothing."""

    def __init__(self, max_entries: int = 8):
        self._entries: dict[tuple, list[QImage]] = {}
        self._max = max_entries

    def images(self, network, x_max: float, y_max: float, size: int, low: str,
               high: str, background: str) -> list[QImage]:
        key = (np.asarray(network.weights[0]).tobytes(),
               np.asarray(network.biases[0]).tobytes(),
               float(x_max), float(y_max), int(size), low, high, background)
        found = self._entries.get(key)
        if found is not None:
            return found
        grid = activation_grid(network, x_max, y_max)
        images = [tinted_disc(grid[:, :, j], size, low, high, background)
                  for j in range(grid.shape[2])]
        if len(self._entries) >= self._max:
            self._entries.pop(next(iter(self._entries)))
        self._entries[key] = images
        return images
