"""How fast the run closes in, on a log scale (issue 9 item 4): ``errorPlot``.

Newton's error |xₖ − x*| (circles) and its residual |F(xₖ)| (F = f, or g′ when
minimising; dashed) against k, up to the step shown, with the race's gradient
descent |xₖ − x*| (squares) on the same axes: quadratic convergence is the curve
that falls off a cliff, linear convergence a straight slope. The numbers come from
``core.convergence.error_curves``; this module only draws them.
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from core.convergence import ErrorCurves, error_curves
from core.newton_player import NewtonPlayer
from gui.newton.plot_layers import label_font
from gui.plot_style import label_axis, plain_tick_numbers, readable_ticks

MIN_DECADES = 4          # the y range spans at least 10⁻⁴ … 1 of the largest value


class ErrorPlot(pg.PlotWidget):
    """Log-scale errors of the player's run (and race) up to its position."""

    def __init__(self, player: NewtonPlayer, parent=None):
        super().__init__(parent)
        self.setObjectName("errorPlot")
        self.player = player
        self.setMenuEnabled(False)
        self.hideButtons()
        self.setMouseEnabled(x=False, y=False)
        item = self.getPlotItem()
        item.setLogMode(x=False, y=True)
        # the key is the title, in the curves' colours: a legend box covered the points
        self.newton = item.plot([], [], symbol="o")
        self.residual = item.plot([], [])
        self.race = item.plot([], [], symbol="s")
        self._palette = None
        self._title_size = "9pt"
        self.note = pg.TextItem("", anchor=(0.5, 0.5))
        self.note.setParentItem(item.getViewBox())
        self.curves: ErrorCurves | None = None
        # the whole run's curves, computed once per run and race; a step only cuts them
        self._whole: tuple[object, object, ErrorCurves] | None = None
        self._key_shown: tuple | None = None
        self.setAccessibleName("Error plot: distance to the root against the step, log scale")
        player.changed.connect(lambda _what: self.refresh())
        player.position_changed.connect(lambda _p: self.refresh())
        player.race_changed.connect(self.refresh)

    def refresh(self) -> None:
        run = self.player.run
        if run is None:
            self.curves = None
            for curve in (self.newton, self.residual, self.race):
                curve.setData([], [])
            return
        race = self.player.race if self.player.race_active else None
        if self._whole is None or self._whole[0] is not run or self._whole[1] is not race:
            self._whole = (run, race, error_curves(run, race))
        self.curves = curves = self._whole[2].upto(self.player.position)
        for curve, pairs in ((self.newton, curves.newton), (self.residual, curves.residuals),
                             (self.race, curves.race)):
            ks = np.array([k for k, _ in pairs], dtype=float)
            values = np.array([v for _, v in pairs], dtype=float)
            curve.setData(ks, values)
        self.race.setVisible(race is not None)
        self.note.setText("" if curves.root is not None else
                          "no root reached: only |F(xₖ)| can be shown")
        self._show_key(race is not None)
        self._frame(curves, len(run.steps))

    def _show_key(self, race: bool) -> None:
        palette = self._palette
        key = (palette, self.player.minimise, race, self._title_size)
        if palette is None or key == self._key_shown:
            return                      # a new title lays the plot out again: only on change
        self._key_shown = key
        f = "g′" if self.player.minimise else "f"
        parts = [f"<span style='color:{palette.positive}'>● Newton</span>",
                 f"<span style='color:{palette.muted}'>- - |{f}(xₖ)|</span>"]
        if race:
            parts.append(f"<span style='color:{palette.accent}'>■ descent</span>")
        self.getPlotItem().setTitle("&nbsp;&nbsp;".join(parts), size=self._title_size)

    def _frame(self, curves: ErrorCurves, steps: int) -> None:
        """k from 0 to the run's last step (the curve fills in as it is stepped), whole
        numbers only; y over every value shown, at least MIN_DECADES decades."""
        values = [v for pairs in (curves.newton, curves.residuals, curves.race) for _, v in pairs]
        item = self.getPlotItem()
        view = item.getViewBox()
        last = max(1, steps)
        every = max(1, math.ceil(last / 8))
        item.getAxis("bottom").setTickSpacing(major=every, minor=1)
        if not values:
            view.setRange(xRange=(0, last), yRange=(-MIN_DECADES, 0), padding=0.04)
        else:
            top, bottom = math.log10(max(values)), math.log10(min(values))
            bottom = min(bottom, top - MIN_DECADES)
            view.setRange(xRange=(0, last), yRange=(bottom - 0.3, top + 0.3), padding=0.04)
        (x0, x1), (y0, y1) = view.viewRange()
        self.note.setPos((x0 + x1) / 2, (y0 + y1) / 2)

    def restyle(self, theme) -> None:
        palette = theme.palette
        width = theme.pen_width(1.5)
        font = label_font(theme.font_size(9.0))
        self.setBackground(palette.background)
        item = self.getPlotItem()
        for name, title in (("left", "|xₖ − x*|"), ("bottom", "step k")):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(palette.foreground, width=theme.pen_width(1.0)))
            axis.setTextPen(pg.mkPen(palette.foreground))
            axis.setTickFont(font)
            label_axis(axis, title, color=palette.foreground,
                       **{"font-size": f"{theme.font_size(9.0):.0f}pt"})
            if name == "bottom":
                plain_tick_numbers(axis)
            readable_ticks(axis)
        size = 7 * theme.scale
        self.newton.setPen(pg.mkPen(palette.positive, width=width))
        self.newton.setSymbolBrush(pg.mkBrush(palette.highlight))
        self.newton.setSymbolPen(pg.mkPen(palette.foreground, width=theme.pen_width(1.0)))
        self.newton.setSymbolSize(size)
        self.residual.setPen(pg.mkPen(palette.muted, width=width, style=Qt.PenStyle.DashLine))
        self.race.setPen(pg.mkPen(palette.accent, width=width, style=Qt.PenStyle.DashDotLine))
        self.race.setSymbolBrush(pg.mkBrush(palette.accent))
        self.race.setSymbolPen(pg.mkPen(palette.foreground, width=theme.pen_width(1.0)))
        self.race.setSymbolSize(size * 0.85)
        self.note.setColor(palette.muted)
        self.note.setFont(font)
        self._palette = palette
        self._title_size = f"{theme.font_size(9.0):.0f}pt"
        self.refresh()
