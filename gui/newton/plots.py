"""The Newton tab's plot area: one plot in root mode, two x-linked plots in minimise mode.

``newtonPlot`` shows f with its tangents (root mode) or g with its quadratic model
(minimise mode); ``derivativePlot`` shows g′ with its tangents (minimise mode only).
A draggable vertical line on each plot is x0; clicking a plot moves x0 there too;
both stay within ``core.limits.X0_RANGE`` (the x₀ spin box's range), so a click far
out on a zoomed-out plot starts from the range's end, and the session saved stays
one the app reopens.
Before the first step the view frames the whole run's path (x_0 to the final x);
then it fits itself to the current step after every step (robust to huge values
and NaN: y follows percentiles of the finite values near the iterates) until the
user zooms with the mouse; "Fit view" hands control back to the automatic fit.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGraphicsItem, QVBoxLayout, QWidget

from core.limits import X0_RANGE
from gui.newton.plot_layers import ModelLayer, RaceLayer, TangentLayer, label_font
from gui.plot_style import label_axis, plain_tick_numbers, readable_ticks

GRID_POINTS = 401        # enough for a smooth curve at any width; cheap to repaint
MIN_WIDTH = 0.5          # never zoom in below this x-span on a fit (x units)
FAR = 50.0               # points this × the focus's width away are left out of it
PATH_SPAN = 10.0         # before the first step, frame iterates this close to x_0
                         # (1e3 squashed atan from 1.5 into a step: x_5 = −1575)


class NewtonPlots(QWidget):
    x0Dragged = Signal(float)     # while the marker moves or after a click

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("newtonPlots")
        self.main = pg.PlotWidget()
        self.main.setObjectName("newtonPlot")
        self.second = pg.PlotWidget()
        self.second.setObjectName("derivativePlot")
        self.second.setXLink(self.main)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.main, 3)
        layout.addWidget(self.second, 2)
        for plot in (self.main, self.second):
            plot.setMenuEnabled(True)
            plot.hideButtons()
            # no grid: pyqtgraph draws it as translucent full-view lines, which
            # costs several ms per repaint offscreen and blows the step budget
            plot.getViewBox().disableAutoRange()
            # The inward ticks reach into the view, so every step's update of the
            # view repainted both axes (~0.2 ms each); cached, they are blitted
            # until their range or style changes (pyqtgraph calls update() then).
            for name in ("left", "bottom"):
                plot.getPlotItem().getAxis(name).setCacheMode(
                    QGraphicsItem.CacheMode.DeviceCoordinateCache)
            plot.getViewBox().sigRangeChangedManually.connect(self._on_manual_zoom)
            plot.scene().sigMouseClicked.connect(
                lambda event, p=plot: self._on_click(p, event))

        self.tangent_main = TangentLayer(self.main.getPlotItem())
        self.model_layer = ModelLayer(self.main.getPlotItem())
        self.tangent_second = TangentLayer(self.second.getPlotItem())
        self.race_main = RaceLayer(self.main.getPlotItem(), "objective")
        self.race_second = RaceLayer(self.second.getPlotItem(), "value")

        self.x0_lines = []
        for plot in (self.main, self.second):
            line = pg.InfiniteLine(pos=0.0, angle=90, movable=True, label="x₀",
                                   labelOpts={"position": 0.95})
            line.setZValue(40)
            line.setBounds(X0_RANGE)         # a drag stops at the spin box's ends
            line.setToolTip("Drag to move x₀ (the run is recomputed as you drag)")
            line.sigPositionChanged.connect(self._on_line_moved)
            plot.addItem(line)
            self.x0_lines.append(line)

        self.main.getViewBox().sigXRangeChanged.connect(self._on_x_range_changed)
        self._minimise = False
        self._run = None
        self._race_visible = False
        self._shown = 0
        self._auto_fit = True
        self._fitting = False
        self._moving_line = False
        self._label_colour = "#111111"
        self._curves_stale = True
        self._grid = np.linspace(-1.0, 1.0, GRID_POINTS)
        self._grid_range = (-1.0, 1.0)
        self._main_values = self._second_values = None
        self._percentile_cache: dict = {}
        self.set_mode(False)

    # -- what the tab drives ---------------------------------------------------
    @property
    def tangent_layer(self) -> TangentLayer:
        """The layer drawing Newton's tangents (on g′ in minimise mode)."""
        return self.tangent_second if self._minimise else self.tangent_main

    def set_mode(self, minimise: bool) -> None:
        self._minimise = minimise
        self.second.setVisible(minimise)
        self.tangent_main.set_visible(not minimise)
        self.model_layer.set_visible(minimise)
        self.tangent_second.set_visible(minimise)
        self.race_second.set_visible(minimise)
        self.race_main.set_visible(minimise)
        for plot, name, text in ((self.main, "left", "g(x)" if minimise else "f(x)"),
                                 (self.second, "left", "g′(x)"), (self.second, "bottom", "x"),
                                 (self.main, "bottom", "" if minimise else "x")):
            label_axis(plot.getPlotItem().getAxis(name), text)

    def set_run(self, run, race=None) -> None:
        self._run = run
        self._shown = min(self._shown, len(run.steps))
        self.tangent_layer.set_run(run)
        if self._minimise:
            self.model_layer.set_run(run)
        self.set_race(race)
        self._curves_stale = True

    def set_race(self, race) -> None:
        self.race_main.set_run(race)
        self.race_second.set_run(race)
        self._race_visible = race is not None and self._minimise

    def show_position(self, shown: int, fit: bool = True) -> None:
        """Draw the state after ``shown`` steps. An automatic view moves only when
        the current step would leave it (or it is far too wide), so most steps
        redraw a few small items and no axis."""
        self._shown = shown
        self.tangent_layer.show(shown)
        if self._minimise:
            self.model_layer.show(shown)
        self.race_main.show(shown, self._race_visible)
        self.race_second.show(shown, self._race_visible)
        if fit and self._auto_fit:
            self._fit(force=False)
        else:
            self._redraw()

    def set_x0(self, x0: float) -> None:
        """Move the x0 markers without emitting a drag."""
        if self._moving_line:
            return
        for line in self.x0_lines:
            line.blockSignals(True)
            line.setValue(float(x0))
            line.blockSignals(False)

    def fit_view(self) -> None:
        """Frame the current step again (and follow it from now on)."""
        self._auto_fit = True
        self._fit(force=True)

    def restyle(self, theme) -> None:
        palette = theme.palette
        width = theme.pen_width(1.0)
        font = label_font(theme.font_size(10.0))
        symbol = 9 * theme.scale
        self._label_colour = palette.foreground
        for plot in (self.main, self.second):
            plot.setBackground(palette.background)
            item = plot.getPlotItem()
            for name in ("left", "bottom"):
                axis = item.getAxis(name)
                axis.setPen(pg.mkPen(palette.foreground, width=width))
                axis.setTextPen(pg.mkPen(palette.foreground))
                axis.setTickFont(font)
                plain_tick_numbers(axis)
                readable_ticks(axis)
                axis.label.setFont(font)
                axis.setStyle(tickLength=round(-6 * theme.scale))
                axis.setWidth(None) if name == "left" else axis.setHeight(None)
                axis.labelStyle = {"color": palette.foreground,
                                   "font-size": f"{theme.font_size(10.0):.0f}pt"}
                axis._updateLabel()
        for line in self.x0_lines:
            line.setPen(pg.mkPen(palette.muted, width=2 * width, style=Qt.PenStyle.DashLine))
            line.setHoverPen(pg.mkPen(palette.highlight, width=3 * width))
            line.label.setColor(palette.foreground)
            line.label.setFont(font)
        for layer in (self.tangent_main, self.tangent_second, self.model_layer):
            layer.restyle(palette, width, font, symbol)
        for race in (self.race_main, self.race_second):
            race.restyle(palette, width, symbol)
        self.set_mode(self._minimise)   # axis labels pick up the new style
        self._curves_stale = True
        if self._run is not None:
            self._redraw()

    # -- ranges ------------------------------------------------------------------
    def _x_focus(self) -> np.ndarray:
        """The iterates the view must show. Before the first step: the whole
        run's path, so the lecture's minimum is on screen from the start. Then
        x_0 … x_{k+1} (the next landing point too, so a step rarely has to move
        the view), or, when earlier ones are far away (a run that diverged back
        and forth), the latest three; and the race's current iterate."""
        if self._shown == 0:
            return self._path()
        xs = self.tangent_layer.xs[:self._shown + 2]
        xs = xs[np.isfinite(xs)]
        if xs.size > 3:
            recent = xs[-3:]
            if np.ptp(xs) > FAR * max(float(np.ptp(recent)), MIN_WIDTH):
                xs = recent
        race = self._race_point(self.race_main)
        if race is not None and xs.size:
            # gradient descent's current iterate too, unless it ran off so far
            # (a too-large α) that Newton's steps would shrink to a dot
            reach = FAR * max(float(np.ptp(xs)), MIN_WIDTH)
            if xs.min() - reach <= race[0] <= xs.max() + reach:
                xs = np.append(xs, race[0])
        return xs

    def _race_point(self, layer: RaceLayer) -> tuple[float, float] | None:
        """The race's current iterate on ``layer``, when the race is drawn."""
        if not self._race_visible or self._shown == 0:
            return None
        return layer.current_point(self._shown)

    def _path(self) -> np.ndarray:
        """x_0 and every finite iterate of the run (and of the race, when it is
        drawn) within PATH_SPAN × the first step's length (at least MIN_WIDTH) of
        x_0: a diverging run's far-flung iterates are left for the steps that
        reach them."""
        xs = self.tangent_layer.xs
        xs = xs[np.isfinite(xs)]
        if self._race_visible:
            # the race's path too: a view that holds both from the start need not
            # jump as gradient descent wanders (each re-frame repaints every axis)
            race = self.race_main.xs
            xs = np.concatenate([xs, race[np.isfinite(race)]])
        if xs.size < 2:
            return xs
        spread = max(abs(float(xs[1] - xs[0])), MIN_WIDTH)
        return xs[np.abs(xs - xs[0]) <= PATH_SPAN * spread]

    @staticmethod
    def _x_range_around(xs) -> tuple[float, float]:
        if xs.size == 0:
            return (-1.0, 1.0)
        lo, hi = float(xs.min()), float(xs.max())
        width = max(hi - lo, MIN_WIDTH, 1e-6 * max(abs(lo), abs(hi)))
        centre = 0.5 * (lo + hi)
        half = 0.5 * width * 1.3
        return (centre - half, centre + half)

    def _near_percentiles(self, values, near):
        """3rd and 97th percentiles of the finite curve values near the iterates
        (cached until the curves are recomputed: the window only changes when the
        run or the range does)."""
        if values is None:
            return None
        key = (id(values), int(np.argmax(near)), int(near.sum()))
        cached = self._percentile_cache.get(key)
        if cached is None:
            window = values[near]
            finite = window[np.isfinite(window)]
            cached = tuple(float(v) for v in np.percentile(finite, [3, 97])) \
                if finite.size else None
            self._percentile_cache[key] = cached
        return cached

    @staticmethod
    def _y_range(percentiles, focus) -> tuple[float, float]:
        """The curve's percentiles near the iterates, widened to the focus points
        (axis, iterates, vertex): huge values and NaN cannot blow it up."""
        focus = [y for y in focus if np.isfinite(y)]
        if percentiles is not None:
            lo, hi = percentiles
        else:
            lo, hi = (min(focus), max(focus)) if focus else (-1.0, 1.0)
        if focus:
            lo, hi = min(lo, min(focus)), max(hi, max(focus))
        if not (np.isfinite(lo) and np.isfinite(hi)):
            lo, hi = -1.0, 1.0
        span = hi - lo
        if span <= 1e-12 * max(1.0, abs(hi)):
            span = max(1.0, abs(hi))
            lo, hi = lo - 0.5 * span, hi + 0.5 * span
            span = hi - lo
        return (lo - 0.08 * span, hi + 0.16 * span)   # headroom for the x_k labels

    @staticmethod
    def _keeps(current, wanted, points, slack: float = 3.0) -> bool:
        """Is the current range still good: the points inside its inner 90 %,
        and not more than ``slack`` × wider than the wanted range?"""
        lo, hi = current
        width = hi - lo
        if not (np.isfinite(width) and width > 0):
            return False
        if width > slack * (wanted[1] - wanted[0]):
            return False
        margin = 0.05 * width
        return all(lo + margin <= p <= hi - margin for p in points if np.isfinite(p))

    def _fit(self, force: bool) -> None:
        if self._run is None:
            return
        main_box, second_box = self.main.getViewBox(), self.second.getViewBox()
        focus_x = self._x_focus()
        wanted_x = self._x_range_around(focus_x)
        x_range = tuple(main_box.viewRange()[0])
        if force or not self._keeps(x_range, wanted_x, focus_x):
            x_range = wanted_x
            self._fitting = True
            try:
                main_box.setXRange(*x_range, padding=0)
            finally:
                self._fitting = False
            self._curves_stale = True
        self._redraw(x_range)
        if self._minimise:
            race_main, race_second = (self._race_point(layer) for layer in
                                      (self.race_main, self.race_second))
            pairs = ((main_box, self._main_values, self.model_layer.focus_values()
                      + ([race_main[1]] if race_main else [])),
                     (second_box, self._second_values, self.tangent_second.focus_values()
                      + ([race_second[1]] if race_second else [])))
        else:
            pairs = ((main_box, self._main_values, self.tangent_main.focus_values()),)
        # y follows the curve near the iterates, not everywhere in view: a pole
        # at the side of the view must not squash the steps being shown
        if focus_x.size:
            margin = max(0.1 * float(np.ptp(focus_x)), 0.02 * (x_range[1] - x_range[0]))
            near = (self._grid >= focus_x.min() - margin) & (self._grid <= focus_x.max() + margin)
        else:
            near = np.ones_like(self._grid, dtype=bool)
        for box, values, focus in pairs:
            wanted_y = self._y_range(self._near_percentiles(values, near), focus)
            current_y = tuple(box.viewRange()[1])
            if force or not self._keeps(current_y, wanted_y, focus, slack=2.0):
                self._fitting = True
                try:
                    box.setYRange(*wanted_y, padding=0)
                finally:
                    self._fitting = False

    def _redraw(self, x_range=None) -> None:
        """Curves (only if the x-range or the run changed), then the step's items."""
        if self._run is None:
            return
        if x_range is None:
            x_range = tuple(self.main.getViewBox().viewRange()[0])
        if self._curves_stale or x_range != self._grid_range:
            self._grid = np.linspace(x_range[0], x_range[1], GRID_POINTS)
            self._grid_range = x_range
            # the cache is keyed by the arrays' ids: a freed array's id can come
            # back for a new one, so entries must not outlive their arrays
            self._percentile_cache.clear()
            if self._minimise:
                self._main_values = self.model_layer.draw_curve(self._grid)
                # g′ (and its tangent) only where g itself is defined: e^x − 1/x
                # means nothing at x < 0, where ln x does not exist
                self._second_values = self.tangent_second.draw_curve(
                    self._grid, self.model_layer.defined)
            else:
                self._main_values = self.tangent_main.draw_curve(self._grid)
                self._second_values = None
            self._curves_stale = False
        layers = ((self.model_layer, self.tangent_second) if self._minimise
                  else (self.tangent_main,))
        for layer in layers:
            layer.draw_step(self._grid, x_range, self._label_colour)

    # -- user input ----------------------------------------------------------------
    def _on_x_range_changed(self, *_):
        if not self._fitting:
            self._redraw()

    def _on_manual_zoom(self, *_):
        self._auto_fit = False

    def _on_line_moved(self, line):
        value = float(line.value())
        self._moving_line = True
        try:
            for other in self.x0_lines:
                if other is not line:
                    other.blockSignals(True)
                    other.setValue(value)
                    other.blockSignals(False)
            self.x0Dragged.emit(value)
        finally:
            self._moving_line = False

    def _on_click(self, plot, event):
        if event.button() != Qt.MouseButton.LeftButton or event.double():
            return
        view_box = plot.getViewBox()
        if not view_box.sceneBoundingRect().contains(event.scenePos()):
            return
        x = float(view_box.mapSceneToView(event.scenePos()).x())
        x = min(max(x, X0_RANGE[0]), X0_RANGE[1])
        self.set_x0(x)
        self.x0Dragged.emit(x)
