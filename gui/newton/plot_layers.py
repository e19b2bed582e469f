"""The pyqtgraph items of one Newton picture, created once and updated with setData.

``TangentLayer`` draws root finding on f (f = g′ in minimise mode): the curve, the
tangent at x_k reaching the axis at x_{k+1}, earlier tangents faded, the iterates
marked and numbered. ``ModelLayer`` draws g with its local quadratic model at x_k and
the model's vertex. ``RaceLayer`` draws gradient descent's iterates beside them.
Every number comes from the core's run; the layers only place it on screen.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from gui.newton.iteration_table import sub
from gui.newton.plot_overlay import LabelSet, Markers, overlay_for

RECENT_LABELS = 4   # the newest places on the plot whose iterates are numbered
POLE_JUMP = 2.0     # a jump over this × the curve's usual range can be a pole


def _finite(v) -> bool:
    return v is not None and np.isfinite(v)


def _curve(**opts) -> pg.PlotCurveItem:
    """A bare curve item: PlotDataItem's wrapper costs ~0.2 ms a setData and the
    data here is already clean (NaN only where ``connect="finite"`` breaks it).
    (Not item-cached: Qt's device-coordinate cache drew a curve stale and shifted
    after the view moved.)"""
    return pg.PlotCurveItem(skipFiniteCheck=True, **opts)


def curve_path(grid: np.ndarray, values: np.ndarray):
    """The (x, y) to draw for a curve sampled on ``grid``: NaN where it is not
    finite, and a NaN inserted between two samples that straddle a pole, so a
    ``connect="finite"`` curve draws no vertical line joining −∞ to +∞.

    A pole shows as one jump far bigger than the curve's usual range (the 3rd–97th
    percentiles of its samples) going against the slope on both sides of it (1/x
    falls on each side and jumps up across 0); a steep but smooth stretch climbs
    with its neighbours, so it is not broken."""
    values = np.where(np.isfinite(values), values, np.nan)
    finite = values[np.isfinite(values)]
    if finite.size < 4:
        return grid, values
    low, high = np.percentile(finite, [3, 97])
    span = max(float(high - low), 1e-300)
    with np.errstate(invalid="ignore"):
        jumps = np.diff(values)
        sign = np.sign(jumps)
        before = np.r_[np.nan, sign[:-1]]
        after = np.r_[sign[1:], np.nan]
        poles = (np.abs(jumps) > POLE_JUMP * span) & (before != sign) & (after != sign)
    where = np.nonzero(poles)[0] + 1
    if where.size == 0:
        return grid, values
    return np.insert(grid, where, np.nan), np.insert(values, where, np.nan)


def domain_segments(grid: np.ndarray, defined: np.ndarray | None, x_range):
    """The x-intervals of the view where ``defined`` holds (runs of grid points),
    as line ends separated by NaN; the whole view when ``defined`` is None."""
    if defined is None:
        return np.array([x_range[0], x_range[1]], dtype=float)
    flags = np.r_[False, defined.astype(bool), False]
    edges = np.flatnonzero(np.diff(flags.astype(np.int8)))
    starts, stops = edges[0::2], edges[1::2] - 1       # inclusive grid indices
    keep = stops > starts                              # a lone point draws nothing
    starts, stops = starts[keep], stops[keep]
    if starts.size == 0:
        return np.zeros(0)
    ends = np.column_stack([grid[starts], grid[stops], np.full(starts.size, np.nan)])
    return ends.ravel()[:-1]


def iterate_points(run, values_of_step, function_of_x):
    """x_0 … x_n of a run and the curve's value at each, as float arrays."""
    steps = run.steps
    if not steps:
        xs = np.array([float(run.x0)])
    else:
        xs = np.array([float(s.x) for s in steps] + [float(steps[-1].x_next)
                      if _finite(steps[-1].x_next) else np.nan])
    ys = np.array([float(values_of_step(s)) if _finite(values_of_step(s)) else np.nan
                   for s in steps] + [np.nan], dtype=float)[:len(xs)]
    if np.isfinite(xs[-1]) and function_of_x is not None:
        with np.errstate(all="ignore"):
            last = np.asarray(function_of_x(np.array([xs[-1]])), dtype=float).ravel()
        ys[-1] = last[0] if last.size else np.nan
    return xs, ys


def _style_markers(markers, palette, fill: str, width: float, size: float,
                   symbol: str | None = None) -> None:
    """Iterate-like markers: a foreground outline around a coloured fill."""
    if symbol is not None:
        markers.setSymbol(symbol)
    markers.setPen(pg.mkPen(palette.foreground, width=width))
    markers.setBrush(pg.mkBrush(fill))
    markers.setSize(size)


class _Labels:
    """Numbers the newest iterates (x₀, x₁, …) without letting them overlap.

    Only the iterates at the RECENT_LABELS newest places are numbered (the older
    ones stay markers), so a run that converged reads "x₉" at its limit rather than a pile
    of "x₉ = x₈ = …". An iterate on the very spot of the next one is that one's
    limit and is left unnamed; one on the spot of a later, non-adjacent iterate
    shares its label ("x₂ = x₀"), which is how a cycle shows. x₀ alone is not
    numbered: the dashed x₀ line through it carries the name."""

    def __init__(self, plot):
        self.plot = plot
        self._font_px = 13.0
        self.item = LabelSet(overlay_for(plot))

    def place(self, xs, ys, shown, x_range, colour, avoid=None):
        """``avoid``: a marker (x, y) just above an iterate (the model's vertex
        over x_k) sends that iterate's label below its point instead."""
        view_box = self.plot.getViewBox()
        px, py = (max(abs(float(v)), 1e-300) for v in view_box.viewPixelSize())
        char_w, line_h = 0.62 * self._font_px, 1.3 * self._font_px
        # [cx, cy, half_width, the ks named, the oldest k seen on the spot]
        placed: list[list] = []
        spots = 0                                   # distinct places looked at
        for k in range(shown, -1, -1):
            x, y = xs[k], ys[k]
            if not (np.isfinite(x) and np.isfinite(y)) or not x_range[0] <= x <= x_range[1]:
                continue
            cx, cy = x / px, y / py
            same = next((p for p in placed
                         if abs(p[0] - cx) < 3 and abs(p[1] - cy) < 3), None)
            if same is not None:
                if same[4] > k + 1:                 # a return, not a standstill
                    same[3].append(k)
                same[4] = k                         # (x₈ under x₉ is x₉'s limit)
                continue
            if spots == RECENT_LABELS:
                break
            if k == 0:               # the dashed x₀ line through it is labelled already
                continue
            spots += 1
            half = 0.5 * char_w * (2 + len(str(k)))
            if any(abs(p[0] - cx) < p[2] + half + 4 and abs(p[1] - cy) < line_h
                   for p in placed):
                continue
            placed.append([cx, cy, half, [k], k])
        labels = []
        ax, ay = (np.nan, np.nan) if avoid is None else (avoid[0] / px, avoid[1] / py)
        bottom = float(view_box.viewRange()[1][0]) / py
        for cx, cy, half, ks, _oldest in placed:
            text = " = ".join(f"x{sub(k)}" for k in ks[:2]) + (" = …" if len(ks) > 2 else "")
            # below only if the marker is just above (on the point itself it
            # covers only the point) and the view has room under the point
            below = bool(abs(ax - cx) < half + 8 and 4 < ay - cy < 2.2 * line_h
                         and cy - 1.8 * line_h > bottom)
            labels.append((float(xs[ks[0]]), float(ys[ks[0]]), text, below))
        self.item.set_labels(labels, colour)

    def texts(self) -> list[str]:
        return [label[2] for label in self.item.labels()]

    def below(self) -> list[str]:
        """The labels drawn under their points."""
        return [label[2] for label in self.item.labels() if label[3]]

    def set_font(self, font):
        self._font_px = font.pointSizeF() * 96 / 72
        overlay_for(self.plot).set_font(font)

    def set_visible(self, visible):
        self.item.set_visible(visible)


class _IterateLayer:
    """What the tangent and the model layer share: a run, its iterates as points
    with number labels, and how many of its steps are shown.  A subclass makes
    ``iterates``, ``labels`` and ``_items`` and sets ``run``, ``xs``, ``ys``, ``shown``."""

    def set_visible(self, visible: bool) -> None:
        for item in self._items:
            item.setVisible(visible)
        self.labels.set_visible(visible)

    def _take_run(self, run, values_of_step, function_of_x) -> None:
        self.run = run
        self.shown = min(self.shown, len(run.steps))   # a new run may be shorter
        self.xs, self.ys = iterate_points(run, values_of_step, function_of_x)

    def _show_iterates(self, shown: int) -> None:
        self.shown = shown
        xs, ys = self.xs[:shown + 1], self.ys[:shown + 1]
        ok = np.isfinite(xs) & np.isfinite(ys)
        self.iterates.setData(xs[ok], ys[ok])

    def current_step(self):
        if self.run is None or self.shown < 1:
            return None
        return self.run.steps[self.shown - 1]


class TangentLayer(_IterateLayer):
    """f, the x-axis, the tangent at x_k and where it meets the axis (x_{k+1})."""

    def __init__(self, plot):
        self.plot = plot
        self.axis = pg.InfiniteLine(pos=0.0, angle=0, movable=False)
        self.curve = _curve(connect="finite")
        self.faded = _curve(connect="finite")       # earlier tangents
        self.drops = _curve(connect="finite")       # axis → curve at x_k
        self.tangent = _curve(connect="finite")     # the current tangent
        for z, item in enumerate((self.axis, self.curve, self.faded, self.drops,
                                  self.tangent)):
            item.setZValue(z)
            plot.addItem(item)
        overlay = overlay_for(plot)
        self.iterates = Markers(overlay, z=5)
        self.landing = Markers(overlay, z=6)         # x_{k+1} on the axis
        self.labels = _Labels(plot)
        self._items = (self.axis, self.curve, self.faded, self.drops, self.tangent,
                       self.iterates, self.landing)
        self.run = None
        self.xs = self.ys = np.zeros(0)
        self.shown = 0
        self._faded_xy = (np.zeros(0), np.zeros(0))
        self._drops_xy = (np.zeros(0), np.zeros(0))
        self._final_tangent = None
        self._defined = None        # where the curve may be drawn (None: everywhere)

    def set_run(self, run) -> None:
        """Precompute every segment of the run once; stepping then slices arrays."""
        self._take_run(run, lambda s: s.value, run.function)
        faded_x, faded_y = [], []
        for s, x_next in zip(run.steps, self.xs[1:]):
            if _finite(s.x) and _finite(x_next):
                t = np.array([float(s.x), float(x_next)])
                with np.errstate(all="ignore"):
                    y = np.asarray(s.tangent(t), dtype=float)
                faded_x += [t[0], t[1], np.nan]
                faded_y += [y[0], y[1], np.nan]
            else:
                faded_x += [np.nan] * 3
                faded_y += [np.nan] * 3
        self._faded_xy = (np.array(faded_x, dtype=float), np.array(faded_y, dtype=float))
        drops_x = np.repeat(self.xs, 3)
        drops_y = np.column_stack([np.zeros_like(self.ys), self.ys,
                                   np.full_like(self.ys, np.nan)]).ravel()
        drops_x[2::3] = np.nan
        self._drops_xy = (drops_x, drops_y)
        # A run that stopped on a zero derivative has no step record for the
        # failing point: its horizontal tangent is drawn at the end from the core.
        self._final_tangent = None
        if run.outcome.name == "ZERO_DERIVATIVE" and _finite(run.x_final):
            from core.newton import tangent_at
            self._final_tangent = tangent_at(run.function, run.derivative, run.x_final)

    def show(self, shown: int) -> None:
        """Draw the state after ``shown`` Newton steps (0 … len(steps))."""
        n = shown
        # earlier tangents: steps 0 … shown−2; the current one (shown−1) is drawn whole
        upto = 3 * max(0, n - 1)
        self.faded.setData(self._faded_xy[0][:upto], self._faded_xy[1][:upto])
        self.drops.setData(self._drops_xy[0][:3 * (n + 1)], self._drops_xy[1][:3 * (n + 1)])
        self._show_iterates(n)
        if n >= 1 and np.isfinite(self.xs[n]):
            self.landing.setData([self.xs[n]], [0.0])
        else:
            self.landing.setData([], [])

    def draw_curve(self, grid: np.ndarray, defined: np.ndarray | None = None) -> np.ndarray:
        """Evaluate f on the visible grid (only when the x-range or run changes);
        ``defined`` masks it (g′ is drawn only where g itself is finite). Returns
        the values on the grid (NaN where not drawn), for the view's y-range."""
        with np.errstate(all="ignore"):
            values = np.asarray(self.run.function(grid), dtype=float) \
                if self.run is not None else np.full_like(grid, np.nan)
        self._defined = defined
        if defined is not None:
            values = np.where(defined, values, np.nan)
        values = np.where(np.isfinite(values), values, np.nan)
        self.curve.setData(*curve_path(grid, values))
        return values

    def draw_step(self, grid, x_range, label_colour) -> None:
        """The current tangent across the view (where the curve is defined), and
        the iterate numbers."""
        step = self.current_step()
        ends = domain_segments(grid, self._defined, x_range)
        line = None
        with np.errstate(all="ignore"):
            if self._final_tangent is not None and self.shown == len(self.run.steps):
                slope, intercept = self._final_tangent
                line = slope * ends + intercept
            elif step is not None and _finite(step.x) and _finite(step.slope):
                line = np.asarray(step.tangent(ends), dtype=float)
        if line is not None and ends.size and np.isfinite(line[np.isfinite(ends)]).all():
            self.tangent.setData(ends, line)
        else:                       # a line needs both ends (the item skips the check)
            self.tangent.setData([], [])
        self.labels.place(self.xs, self.ys, self.shown, x_range, label_colour)

    def focus_values(self) -> list[float]:
        """y-values the view must include: the axis and the shown iterates."""
        ys = [0.0] + [y for y in self.ys[:self.shown + 1] if np.isfinite(y)]
        return ys

    def restyle(self, palette, width, font, symbol_size):
        self.axis.setPen(pg.mkPen(palette.muted, width=width))
        self.curve.setPen(pg.mkPen(palette.positive, width=2 * width))
        self.faded.setPen(pg.mkPen(palette.faded, width=width))
        self.drops.setPen(pg.mkPen(palette.muted, width=width, style=Qt.PenStyle.DotLine))
        self.tangent.setPen(pg.mkPen(palette.negative, width=2 * width))
        _style_markers(self.iterates, palette, palette.highlight, width, symbol_size)
        _style_markers(self.landing, palette, palette.negative, width, symbol_size * 1.3, "t1")
        self.labels.set_font(font)


class ModelLayer(_IterateLayer):
    """g, its quadratic model at x_k, and the model's vertex (which is x_{k+1})."""

    def __init__(self, plot):
        self.curve = _curve(connect="finite")
        self.model = _curve(connect="finite")
        self.drop = _curve()                   # vertex → g(x_{k+1})
        for z, item in enumerate((self.curve, self.model, self.drop)):
            item.setZValue(z + 1)
            plot.addItem(item)
        overlay = overlay_for(plot)
        self.iterates = Markers(overlay, z=4)
        self.vertex = Markers(overlay, z=5)
        self.labels = _Labels(plot)
        self._items = (self.curve, self.model, self.drop, self.iterates, self.vertex)
        self.run = None
        self.xs = self.ys = np.zeros(0)
        self.shown = 0
        self.vertex_xy = (np.nan, np.nan)
        self.defined = None         # where g is finite on the grid: g′, g″ stop there

    def set_run(self, run) -> None:
        self._take_run(run, lambda s: s.objective, run.objective)

    def show(self, shown: int) -> None:
        self._show_iterates(shown)
        step = self.current_step()
        self.vertex_xy = (np.nan, np.nan)
        if step is not None and _finite(step.x_next):
            with np.errstate(all="ignore"):
                vy = float(np.asarray(step.quadratic_model(np.array([float(step.x_next)])),
                                      dtype=float).ravel()[0])
            if np.isfinite(vy):
                self.vertex_xy = (float(step.x_next), vy)
        vx, vy = self.vertex_xy
        if np.isfinite(vx):
            self.vertex.setData([vx], [vy])
            gy = self.ys[shown] if np.isfinite(self.ys[shown]) else vy
            self.drop.setData([vx, vx], [vy, gy])
        else:
            self.vertex.setData([], [])
            self.drop.setData([], [])

    def draw_curve(self, grid) -> np.ndarray:
        """Evaluate g on the visible grid; remembers where it is defined."""
        with np.errstate(all="ignore"):
            values = np.asarray(self.run.objective(grid), dtype=float) \
                if self.run is not None and self.run.objective is not None \
                else np.full_like(grid, np.nan)
        values = np.where(np.isfinite(values), values, np.nan)
        self.defined = np.isfinite(values)
        self.curve.setData(*curve_path(grid, values))
        return values

    def draw_step(self, grid, x_range, label_colour) -> None:
        """The quadratic model of g at x_k over the view (where g is defined), and
        the iterate numbers."""
        step = self.current_step()
        if step is not None and _finite(step.x) and _finite(step.slope):
            with np.errstate(all="ignore"):
                model = np.asarray(step.quadratic_model(grid), dtype=float)
            keep = np.isfinite(model)
            if self.defined is not None and self.defined.shape == keep.shape:
                keep &= self.defined
            self.model.setData(grid, np.where(keep, model, np.nan))
        else:
            self.model.setData([], [])
        vertex = self.vertex_xy if np.isfinite(self.vertex_xy[0]) else None
        self.labels.place(self.xs, self.ys, self.shown, x_range, label_colour, avoid=vertex)

    def focus_values(self) -> list[float]:
        ys = [y for y in self.ys[:self.shown + 1] if np.isfinite(y)]
        if np.isfinite(self.vertex_xy[1]):
            ys.append(self.vertex_xy[1])
        return ys

    def restyle(self, palette, width, font, symbol_size):
        self.curve.setPen(pg.mkPen(palette.positive, width=2 * width))
        self.model.setPen(pg.mkPen(palette.negative, width=2 * width,
                                   style=Qt.PenStyle.DashLine))
        self.drop.setPen(pg.mkPen(palette.muted, width=width, style=Qt.PenStyle.DotLine))
        _style_markers(self.iterates, palette, palette.highlight, width, symbol_size)
        _style_markers(self.vertex, palette, palette.negative, width, symbol_size * 1.4, "d")
        self.labels.set_font(font)


class RaceLayer:
    """Gradient descent's iterates on one plot, in the accent colour, with a path."""

    def __init__(self, plot, values_of_step):
        self.path = _curve(connect="finite")
        self.path.setZValue(8)
        plot.addItem(self.path)
        self.points = Markers(overlay_for(plot), z=8)
        self._values_of_step = values_of_step
        self._drawn = False
        self.xs = self.ys = np.zeros(0)

    def set_run(self, run) -> None:
        if run is None:
            self.xs = self.ys = np.zeros(0)
            return
        function = run.objective if self._values_of_step == "objective" else run.function
        self.xs, self.ys = iterate_points(
            run, lambda s: getattr(s, self._values_of_step), function)

    def show(self, shown: int, visible: bool) -> None:
        if not visible or self.xs.size == 0:
            if self._drawn:               # clearing an empty item still costs a repaint
                self.path.setData([], [])
                self.points.setData([], [])
                self._drawn = False
            return
        self._drawn = True
        xs, ys = self.xs[:shown + 1], self.ys[:shown + 1]
        self.path.setData(xs, ys)
        ok = np.isfinite(xs) & np.isfinite(ys)
        self.points.setData(xs[ok], ys[ok])

    def current_point(self, shown: int) -> tuple[float, float] | None:
        """Gradient descent's iterate after ``shown`` steps (its last one when it
        stopped earlier), or None with no race or a point that is not finite."""
        if self.xs.size == 0:
            return None
        k = min(shown, self.xs.size - 1)
        x, y = float(self.xs[k]), float(self.ys[k])
        return (x, y) if np.isfinite(x) and np.isfinite(y) else None

    def set_visible(self, visible: bool) -> None:
        self.path.setVisible(visible)
        self.points.setVisible(visible)

    def restyle(self, palette, width, symbol_size):
        self.path.setPen(pg.mkPen(palette.accent, width=width, style=Qt.PenStyle.DashDotLine))
        _style_markers(self.points, palette, palette.accent, width, symbol_size * 0.8, "s")


def label_font(point_size: float) -> QFont:
    font = QFont()
    font.setPointSizeF(point_size)
    return font
