"""The Newton plots and step commands follow the player: its run, its race, its position.

Subscribed once to ``core.newton_player.NewtonPlayer``'s signals: a re-run (new
settings or function) redraws the curves once, a step only moves the position, a
race that arrives is laid over the plot. The step commands are enabled as far as
the run goes (with no run yet, a step waits for the first function).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject

from core.newton_player import NewtonPlayer
from gui.newton.controls import PlaybackControls
from gui.newton.plots import NewtonPlots

REFRAME = frozenset({"function", "mode"})    # a new curve: frame it from scratch


class RunView(QObject):
    """Shows ``player`` on ``plots`` and enables ``controls``' step actions."""

    def __init__(self, player: NewtonPlayer, plots: NewtonPlots, controls: PlaybackControls,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.player = player
        self.plots = plots
        self.controls = controls
        self._keep_view = False
        # may a race that arrives move the view? Not after x₀ was dragged: the
        # race for the new x₀ arrives while the mouse may still be holding the line
        self._race_may_fit = True
        plots.set_mode(player.minimise)
        player.changed.connect(self._on_player_changed)
        player.position_changed.connect(self._on_position_changed)
        player.race_changed.connect(self._on_race_changed)

    @contextmanager
    def view_kept(self) -> Iterator[None]:
        """Changes made inside do not move the view (x₀ dragged: it stays under the mouse)."""
        self._keep_view = True
        try:
            yield
        finally:
            self._keep_view = False

    def reframe(self) -> None:
        """Draw the run again and frame it afresh (a preset chosen again)."""
        self._on_player_changed(REFRAME)

    def show_position(self, fit: bool = True) -> None:
        p, n = self.player.position, self.player.total_steps
        self.plots.show_position(p, fit=fit)
        c, unfinished = self.controls, self.player.run is None or p < n
        c.back_action.setEnabled(p > 0)
        c.step_action.setEnabled(unfinished)
        c.run_action.setEnabled(unfinished)

    def _on_position_changed(self, _position: int) -> None:
        self._race_may_fit = True
        self.show_position()

    def _on_player_changed(self, what: frozenset) -> None:
        """The one "re-run, then redraw": the player has re-run; show its run."""
        p = self.player
        self._race_may_fit = not self._keep_view
        if "mode" in what:
            self.plots.set_mode(p.minimise)
        self.plots.set_x0(p.x0)
        if p.run is not None:
            self.plots.set_run(p.run, p.race)
        if what & REFRAME:
            self.plots.fit_view()
        self.show_position(fit=not self._keep_view)

    def _on_race_changed(self) -> None:
        """The race arrived: frame it too (it is part of the work), unless x₀ is
        being dragged."""
        self.plots.set_race(self.player.race)
        self.show_position(fit=self._race_may_fit)
