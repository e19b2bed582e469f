"""The classifier's two plots: loss per epoch, and ŷ over the (word 1, word 2) plane.

Items are created once and updated with ``setData`` / ``setImage``; only the point
labels are rebuilt, and only when the sentences change (not on a training step).
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFont, QFontMetricsF

from gui.plot_style import label_axis, readable_ticks

_GRID = 64  # heat-map resolution: fine enough to look smooth, cheap to predict
#: the labels on the boundary plot's colour bar: ŷ and the mood it means
COLOUR_KEY = ((0.0, "0 Sad"), (0.5, "0.5"), (1.0, "1 Happy"))


def _style_axes(plot: pg.PlotWidget, theme, labels: dict[str, str]) -> None:
    """Colours and sizes from the theme; ``labels`` maps "left"/"bottom" to a title."""
    palette = theme.palette
    plot.setBackground(palette.background)
    font = QFont()
    font.setPointSizeF(theme.font_size(9))
    style = {"color": palette.foreground, "font-size": f"{theme.font_size(9):.1f}pt"}
    for name in ("left", "bottom"):
        axis = plot.getPlotItem().getAxis(name)
        axis.setPen(pg.mkPen(palette.foreground, width=theme.pen_width(1)))
        axis.setTextPen(pg.mkPen(palette.foreground))
        axis.setTickFont(font)
        # "×0.001" on a loss axis confuses more than it helps
        label_axis(axis, labels.get(name, ""), **style)
    # pyqtgraph sizes the axes for its default font; at presentation scale the title
    # would overlap the tick numbers, so make room from the real font metrics
    metrics = QFontMetricsF(font)
    for name in ("left", "bottom"):
        readable_ticks(plot.getPlotItem().getAxis(name))
    plot.getPlotItem().getAxis("left").setWidth(
        int(metrics.horizontalAdvance("−0.00") + 1.3 * metrics.height() + 2 * theme.scale))
    plot.getPlotItem().getAxis("bottom").setHeight(
        int(2.2 * metrics.height() + 2 * theme.scale))
    title_size = f"{theme.font_size(10):.0f}pt"
    plot.getPlotItem().titleLabel.setText(plot.getPlotItem().titleLabel.text,
                                          color=palette.foreground, size=title_size)


MAX_SHOWN_POINTS = 4096   # the loss curve never draws more (a plot is < 2,000 px wide)


class LossPlot(pg.PlotWidget):
    """Mean log-loss over the data after each epoch (epoch 0: the initial network).

    Fast play adds tens of thousands of epochs a second and redraws ten times a
    second, so the curve must not cost more as the run grows: ``set_losses`` appends
    only the epochs it has not seen to its own NumPy buffer, and a long run is drawn
    decimated — for each bucket of k epochs (k a power of two) its highest and lowest
    loss, so spikes of a too-large α stay visible — kept up to date bucket by bucket.
    Re-bucketing when k doubles costs one pass over the buffer, log₂(n) times in all.
    """

    def __init__(self, theme, parent=None):
        super().__init__(parent)
        self.setObjectName("lossPlot")
        self.theme = theme
        item = self.getPlotItem()
        item.setTitle("Loss per epoch")
        item.showGrid(x=True, y=True, alpha=0.25)
        # the axes draw the grid, a translucent line per tick of each level shown: the
        # third level (~60 faint lines) made the grid a mesh and cost ~10 ms a repaint
        for name in ("left", "bottom"):
            item.getAxis(name).setStyle(maxTickLevel=1)
        item.setMenuEnabled(False)
        self.curve = item.plot(np.zeros(0), np.zeros(0))
        item.setLimits(xMin=-0.5)
        self._dots = True
        self._source: object = None              # the list the buffer mirrors
        self._values = np.empty(1024)            # its first ``_n`` entries
        self._n = 0
        self._finite = 0                          # how many of them are finite
        self._bucket = 1                          # epochs per bucket (1: not decimated)
        self._highs = np.empty(0)                 # per complete bucket
        self._lows = np.empty(0)
        self.setMinimumHeight(120)
        theme.changed.connect(self._restyle)
        self._restyle()

    def set_losses(self, losses) -> None:
        """Show ``losses`` (the stepper's list; may have grown, shrunk or been replaced
        since the last call — only what is new is read when it merely grew)."""
        n, held = len(losses), self._n
        same = losses is self._source
        if same and n >= held and (held == 0 or _same(losses[held - 1], self._values[held - 1])):
            if n > held:                                  # grew: read only the new epochs
                self._store(np.asarray(losses[held:], dtype=float))
        elif same and n < held and (n == 0 or _same(losses[n - 1], self._values[n - 1])):
            self._n = n                                   # stepped back: forget the tail
            self._finite = int(np.isfinite(self._values[:n]).sum())
            self._bucket, self._highs, self._lows = 1, np.empty(0), np.empty(0)
        else:                                             # replaced (reset, restore)
            self._source, self._n, self._finite = losses, 0, 0
            self._bucket, self._highs, self._lows = 1, np.empty(0), np.empty(0)
            self._store(np.asarray(losses, dtype=float))
        self._rebucket()
        self._show()

    def _store(self, new: np.ndarray) -> None:
        end = self._n + new.size
        if end > self._values.size:
            grown = np.empty(max(end, 2 * self._values.size))
            grown[:self._n] = self._values[:self._n]
            self._values = grown
        self._values[self._n:end] = new
        self._n = end
        self._finite += int(np.isfinite(new).sum())

    def _rebucket(self) -> None:
        bucket = self._bucket
        while self._n > MAX_SHOWN_POINTS and self._n // bucket > MAX_SHOWN_POINTS // 2:
            bucket *= 2
        if bucket != self._bucket:
            self._bucket, self._highs, self._lows = bucket, np.empty(0), np.empty(0)
        if bucket > 1:
            done = self._highs.size
            complete = (self._n - 1) // bucket     # the last epoch is always drawn as itself
            if complete > done:
                block = self._values[done * bucket:complete * bucket].reshape(-1, bucket)
                # fmax/fmin skip nan (an all-nan bucket stays nan, without a warning)
                self._highs = np.concatenate([self._highs, np.fmax.reduce(block, axis=1)])
                self._lows = np.concatenate([self._lows, np.fmin.reduce(block, axis=1)])

    def _show(self) -> None:
        n = self._n
        # dots while there are few epochs, so the first ones are visible at all
        few = n <= 30
        if few != self._dots:
            self._dots = few
            self._restyle_curve()
        if self._finite == 0:
            # an empty table's loss is nan: pyqtgraph's range of all-nan data warns
            epochs = losses = np.zeros(0)
        elif self._bucket == 1:
            epochs, losses = np.arange(n, dtype=float), self._values[:n].copy()
        else:
            k, buckets = self._bucket, self._highs.size
            starts = np.arange(buckets, dtype=float) * k
            tail = np.arange(buckets * k, n, dtype=float)
            # each bucket's high at its start and its low half-way: a falling curve
            # reads as itself, an oscillating one as its envelope
            epochs = np.concatenate([np.column_stack([starts, starts + k / 2]).ravel(), tail])
            losses = np.concatenate([np.column_stack([self._highs, self._lows]).ravel(),
                                     self._values[buckets * k:n]])
        self.curve.setData(epochs, losses)
        item = self.getPlotItem()
        if losses.size < 5:
            # a lone point would make the auto-range zoom into nothing
            item.disableAutoRange()
            top = float(np.nanmax(losses)) if losses.size and np.isfinite(losses).any() else 1.0
            item.setXRange(0, 5, padding=0.02)
            item.setYRange(0, max(top * 1.1, 0.1), padding=0)
        else:
            item.enableAutoRange()

    def losses(self) -> np.ndarray:
        """Every epoch's loss held (empty when none is finite: nothing is drawn)."""
        return self._values[:self._n].copy() if self._finite else np.zeros(0)

    def shown(self) -> tuple[np.ndarray, np.ndarray]:
        """The (epoch, loss) points the curve draws (decimated for a long run)."""
        x, y = self.curve.getData()
        return (np.zeros(0), np.zeros(0)) if y is None else (np.asarray(x), np.asarray(y))

    def _restyle(self) -> None:
        _style_axes(self, self.theme, {"bottom": "epoch", "left": "mean loss L"})
        self._restyle_curve()

    def _restyle_curve(self) -> None:
        colour = self.theme.palette.positive
        self.curve.setPen(pg.mkPen(colour, width=self.theme.pen_width(2)))
        if self._dots:
            self.curve.setSymbol("o")
            self.curve.setSymbolSize(6 * self.theme.scale)
            self.curve.setSymbolBrush(pg.mkBrush(colour))
            self.curve.setSymbolPen(pg.mkPen(colour))
        else:
            self.curve.setSymbol(None)


def _same(a, b) -> bool:
    """Equal floats, nan equal to nan (an empty table's losses are nan)."""
    a, b = float(a), float(b)
    return a == b or (a != a and b != b)


class BoundaryPlot(pg.PlotWidget):
    """ŷ as a heat-map over the plane of the first two word counts, with the
    sentences as points (circle = Happy, square = Sad) and the ŷ = 0.5 line."""

    def __init__(self, theme, parent=None):
        super().__init__(parent)
        self.setObjectName("boundaryPlot")
        self.theme = theme
        item = self.getPlotItem()
        # short: the title sets the plot column's minimum width, and a longer one
        # pushed the colour bar out of a narrow pane at presentation scale
        item.setTitle("Decision boundary")
        item.setMenuEnabled(False)
        item.setAspectLocked(False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setZValue(-10)
        item.addItem(self.image)
        self.isocurve = pg.IsocurveItem(level=0.5, axisOrder="row-major")
        self.isocurve.setParentItem(self.image)
        self.points = pg.ScatterPlotItem()
        item.addItem(self.points)
        # the key to the colours: the map alone does not say which end is Happy
        self.colorbar = pg.ColorBarItem(values=(0.0, 1.0), interactive=False,
                                        colorMapMenu=False)
        self.colorbar.setObjectName("boundaryColorBar")
        item.layout.addItem(self.colorbar, 2, 5)   # right of the plot, like insert_in
        item.layout.setColumnFixedWidth(4, 5)
        # the title spans the plot and its colour key: over the plot alone its width
        # became the plot's least width, and a narrow (stage) column clipped the key
        item.layout.removeItem(item.titleLabel)
        item.layout.addItem(item.titleLabel, 0, 1, 1, 5)
        self.message = pg.TextItem(anchor=(0.5, 0.5))
        item.addItem(self.message)
        self.message.setVisible(False)
        self._labels: list[pg.TextItem] = []
        self._extent = (4.0, 4.0)
        self._features = np.zeros((0, 2))
        self._moods = np.zeros(0)
        self._names: list[str] = []
        self._grid: np.ndarray | None = None
        self._axis_names = ("x₁", "x₂")
        self._labelled: tuple[str, ...] = ()      # the names the axes show
        self._usable = True
        self.setMinimumHeight(160)
        theme.changed.connect(self._restyle)
        self._restyle()

    # -- public ------------------------------------------------------------------
    @property
    def extent(self) -> tuple[float, float]:
        return self._extent

    def set_data(self, features, labels, names, axis_names) -> None:
        """The sentences (counts, 1 = Happy / 0 = Sad, row labels); call on data edits."""
        features = np.asarray(features, dtype=float)
        if features.ndim != 2:
            features = features.reshape(len(labels), -1)
        self._usable = features.shape[1] == 2
        self._axis_names = tuple(axis_names[:2]) if len(axis_names) >= 2 else ("x₁", "x₂")
        self._features = features[:, :2] if self._usable else np.zeros((0, 2))
        self._moods = np.asarray(labels, dtype=float) if self._usable else np.zeros(0)
        self._names = list(names) if self._usable else []
        top = self._features.max(axis=0) if len(self._features) else np.zeros(2)
        self._extent = (max(4.0, float(top[0]) + 1.0), max(4.0, float(top[1]) + 1.0))
        self._rebuild_points()
        self.getPlotItem().setXRange(-0.5, self._extent[0], padding=0)
        self.getPlotItem().setYRange(-0.5, self._extent[1], padding=0)
        if self._axis_names != self._labelled:
            self._label_axes()      # restyling the axes re-lays the plot out: only for new words
        self._show_message(None if self._usable else
                           "The plane needs exactly two counted words")

    def grid_inputs(self) -> np.ndarray:
        """The (G·G, 2) points of the plane where ŷ is shown, row-major from the bottom."""
        xs = np.linspace(-0.5, self._extent[0], _GRID)
        ys = np.linspace(-0.5, self._extent[1], _GRID)
        gx, gy = np.meshgrid(xs, ys)
        return np.column_stack([gx.ravel(), gy.ravel()])

    def set_predictions(self, y_hat_grid) -> None:
        """ŷ on ``grid_inputs()`` (flat or G×G), or None when there is no plane."""
        if y_hat_grid is None or not self._usable:
            self.image.setVisible(False)
            self.isocurve.setVisible(False)
            self._grid = None
            return
        grid = np.asarray(y_hat_grid, dtype=float).reshape(_GRID, _GRID)
        self._grid = grid
        self.image.setVisible(True)
        self.isocurve.setVisible(True)
        self.image.setImage(grid, autoLevels=False, levels=(0.0, 1.0))
        # the image's pixels span the plane of grid_inputs() (needs an image to apply)
        self.image.setRect(QRectF(-0.5, -0.5, self._extent[0] + 0.5, self._extent[1] + 0.5))
        self.isocurve.setData(grid)

    def heatmap(self) -> np.ndarray | None:
        return self._grid

    def point_positions(self) -> np.ndarray:
        x, y = self.points.getData()
        return np.column_stack([np.asarray(x), np.asarray(y)]) if x is not None else np.zeros((0, 2))

    # -- internals -----------------------------------------------------------------
    def _show_message(self, text: str | None) -> None:
        self.message.setVisible(text is not None)
        if text is not None:
            self.message.setText(text, color=self.theme.palette.foreground)
            self.message.setPos(self._extent[0] / 2, self._extent[1] / 2)

    def _label_axes(self) -> None:
        self._labelled = self._axis_names
        _style_axes(self, self.theme, {"bottom": f"x₁ = count of “{self._axis_names[0]}”",
                                       "left": f"x₂ = count of “{self._axis_names[1]}”"})

    def _rebuild_points(self) -> None:
        palette = self.theme.palette
        size = 14 * self.theme.scale
        outline = pg.mkPen(palette.foreground, width=self.theme.pen_width(1.5))
        # one marker per distinct (point, mood), in the rows' order, and one label per
        # point naming its rows ("1, 3"): thousands of pasted rows share a few count
        # pairs, and pyqtgraph draws each spot itself. Grouped with NumPy (a point is
        # one complex number): a Python pass over 5,000 rows took ~7 ms.
        happy = self._moods >= 0.5
        points = self._features[:, 0] + 1j * self._features[:, 1]
        _unique, first, inverse = np.unique(points, return_index=True, return_inverse=True)
        inverse = inverse.ravel()
        _keys, marker_rows = np.unique(inverse * 2 + happy, return_index=True)
        marker_rows = np.sort(marker_rows)
        marker_happy = happy[marker_rows].tolist()
        brushes = [pg.mkBrush(palette.positive if h else palette.negative) for h in marker_happy]
        symbols = ["o" if h else "s" for h in marker_happy]
        self.points.setData(self._features[marker_rows, 0], self._features[marker_rows, 1],
                            brush=brushes, symbol=symbols, size=size, pen=outline)
        members = np.argsort(inverse, kind="stable")          # rows by point, in row order
        sizes = np.bincount(inverse, minlength=first.size)
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(int)
        groups = []
        for g in np.argsort(first).tolist():                   # points in the rows' order
            rows = members[starts[g]:starts[g] + min(int(sizes[g]), MAX_LABEL_NAMES)].tolist()
            row = int(first[g])
            groups.append((float(self._features[row, 0]), float(self._features[row, 1]),
                           _label_text([self._names[r] for r in rows], int(sizes[g]))))
        font = QFont()
        font.setPointSizeF(self.theme.font_size(9))
        font.setBold(True)
        # the label items are kept and re-used (a new pyqtgraph TextItem costs ~0.6 ms)
        for label in self._labels[len(groups):]:
            self.getPlotItem().removeItem(label)
        del self._labels[len(groups):]
        while len(self._labels) < len(groups):
            label = pg.TextItem("", anchor=(-0.25, 1.0))
            self.getPlotItem().addItem(label)
            self._labels.append(label)
        for label, (x, y, text) in zip(self._labels, groups):
            label.setText(text, color=palette.foreground)
            label.setFont(font)
            label.setPos(x, y)

    def _restyle(self) -> None:
        palette = self.theme.palette
        self._label_axes()
        # Sad (ŷ = 0) in the negative colour, Happy (ŷ = 1) in the positive one,
        # washed out towards the middle so the points stay readable on top
        # (as strong as the diagram's unit heat-maps, so the two read alike)
        colours = [_blend(palette.negative, palette.background, 0.75),
                   QColor(palette.background),
                   _blend(palette.positive, palette.background, 0.75)]
        colour_map = pg.ColorMap([0.0, 0.5, 1.0], colours)
        self.image.setLookupTable(colour_map.getLookupTable(nPts=256, alpha=False))
        self._restyle_colorbar(colour_map)
        self.isocurve.setPen(pg.mkPen(palette.foreground, width=self.theme.pen_width(2)))
        self._rebuild_points()
        if self.message.isVisible():
            self._show_message(self.message.toPlainText())

    def _restyle_colorbar(self, colour_map) -> None:
        palette, scale = self.theme.palette, self.theme.scale
        bar = self.colorbar
        bar.setColorMap(colour_map)
        font = QFont()
        font.setPointSizeF(self.theme.font_size(9))
        metrics = QFontMetricsF(font)
        pen = pg.mkPen(palette.foreground, width=self.theme.pen_width(1))
        for name in ("left", "right", "top", "bottom"):
            bar.getAxis(name).setPen(pen)
        bar.axis.setTextPen(pg.mkPen(palette.foreground))
        bar.axis.setTickFont(font)
        bar.axis.setTicks([list(COLOUR_KEY)])
        # the widest label, the gap before it and a margin: pyqtgraph sizes the axis
        # for its default font, which would clip "Happy" at presentation scale
        widest = max(metrics.horizontalAdvance(text) for _value, text in COLOUR_KEY)
        bar.axis.setWidth(int(widest + 16 * scale + 8))
        bar.layout.setColumnFixedWidth(1, int(12 * scale))
        bar.setTitle("ŷ", color=palette.foreground, size=f"{self.theme.font_size(9):.0f}pt")


MAX_LABEL_NAMES = 4   # a point's label names at most this many rows, then counts the rest


def _label_text(names: list[str], total: int) -> str:
    """"1, 3" for the rows at one point; "1, 3, 5, 8 +996" when a thousand share it
    (``names``: the first rows' names, ``total``: how many rows are there)."""
    shown = names[:MAX_LABEL_NAMES]
    if total <= len(shown):
        return ", ".join(shown)
    return ", ".join(shown) + f" +{total - len(shown):,}"


def _blend(colour: str, background: str, amount: float) -> QColor:
    """``amount`` of ``colour`` over ``background``."""
    a, b = QColor(colour), QColor(background)
    return QColor(int(a.red() * amount + b.red() * (1 - amount)),
                  int(a.green() * amount + b.green() * (1 - amount)),
                  int(a.blue() * amount + b.blue() * (1 - amount)))
