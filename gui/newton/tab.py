"""Tab 2 — Newton's method: type a function, press Step, watch the tangent.

The tab is wiring around a ``core.newton_player.NewtonPlayer`` (``self.player``),
which holds the settings, the run the core computed and the position: position p
means "p steps taken", so x_0 … x_p are on the plot, the tangent at x_{p−1} meets
the axis at x_p, the table lists steps 0 … p−1, and when p reaches the end of the
run the outcome is named. Widgets edit the player; the player's signals redraw
(``gui.newton.run_view``: once per change, and per step). Nothing here does
Newton's arithmetic.

All SymPy work (parsing, f′, f″, LaTeX, lambdify) runs in the function box's child
process, watched by a worker thread and started late (``gui.newton.function_feed``),
never at start-up; a preset, session or lesson applies its function asynchronously
(``apply_settings``), so the event loop never waits for SymPy. The
gradient-descent race runs on a worker too (``gui.newton.race``). The session part
is ``gui.newton.session``. Implements ``gui.demo_tab.DemoTab``.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import QBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from core.limits import X0_RANGE
from core.newton import NewtonMode
from core.newton_player import NewtonPlayer
from gui.newton import session
from gui.newton.controls import PlaybackControls
from gui.newton.error_plot import ErrorPlot
from gui.newton.function_bar import FunctionBar
from gui.newton.function_feed import FunctionFeed
from gui.newton.plots import NewtonPlots
from gui.newton.presets import LECTURE, PRESETS
from gui.newton.race import RaceRunner
from gui.newton.run_panel import RunPanel
from gui.newton.run_view import RunView
from gui.newton.settings_bar import SettingsBar
from gui.play_timer import PlayTimer
from gui.splitter import ShareSplitter

STAGE_PLOT_SHARE = 0.64     # the plots' share of the width in the stage layout


class NewtonTab(QWidget):
    session_key = "newton"

    def __init__(self, theme, parent=None):
        super().__init__(parent)
        self.setObjectName("newtonTab")
        self.theme = theme
        lecture = PRESETS[LECTURE]
        self.player = NewtonPlayer(None, lecture.mode, lecture.x0, lecture.tol,
                                   lecture.max_iter)
        self._shown_once = False
        self.stage = False
        self._build()
        self.feed = FunctionFeed(self.function_input, self.player, self)
        # An explicit minimum keeps the layout from re-deriving the window's minimum
        # every time a label's text (and so its height) changes: on the offscreen
        # platform each change warns, and on screen it can make the window jump.
        self.setMinimumSize(640, 420)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.race_runner = RaceRunner(self)
        self.play_timer = PlayTimer(self.play_action, self._play_tick, self._rewind_if_done,
                                    self.controls.speed_spin.value(), parent=self)
        self._connect()
        self.function_input.edit.setText(lecture.function)    # parsed once shown
        self.theme.changed.connect(self._restyle)
        self._restyle()
        self.run_view.show_position()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        self.function_bar = FunctionBar(self.player)
        bar = self.function_bar
        self.preset_combo, self.mode_combo = bar.preset_combo, bar.mode_combo
        self.function_input, self.formulas = bar.function_input, bar.formulas
        self.settings_bar = SettingsBar(self.player)
        bar = self.settings_bar
        self.x0_spin, self.tol_spin, self.max_iter_spin = bar.x0_spin, bar.tol_spin, bar.max_iter_spin
        self.race_check, self.gd_rate_spin = bar.race_check, bar.gd_rate_spin

        self.controls = PlaybackControls(self)
        self.step_action = self.controls.step_action
        self.back_action = self.controls.back_action
        self.run_action = self.controls.run_action
        self.reset_action = self.controls.reset_action
        self.play_action = self.controls.play_action
        self.fit_action = self.controls.fit_action

        self.plots = NewtonPlots()
        self.plots.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.run_panel = RunPanel(self.player)
        panel = self.run_panel
        self.outcome_label, self.arithmetic_label = panel.outcome_label, panel.arithmetic_label
        self.table, self.race_label, self.label_stack = panel.table, panel.race_label, panel.label_stack

        # the convergence view under the table: |xₖ − x*| on a log scale
        self.error_plot = ErrorPlot(self.player)
        self.error_plot.setMinimumHeight(80)
        self.right_column = QWidget()
        self.right_column.installEventFilter(self)
        # after the run panel has shown the step (its labels' height changes)
        self.player.position_changed.connect(
            lambda _p: self._fit_error_plot(self.right_column.height()))
        self._column = column = QVBoxLayout(self.right_column)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.run_panel, 3)
        column.addWidget(self.error_plot, 2)

        self.splitter = ShareSplitter(Qt.Orientation.Horizontal, self._shares)
        self.splitter.addWidget(self.plots)
        self.splitter.addWidget(self.right_column)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.function_bar)
        # settings above the step buttons; one line beside them in the stage layout
        self.command_rows = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.command_rows.addWidget(self.settings_bar)
        self.command_rows.addWidget(self.controls)
        layout.addLayout(self.command_rows)
        layout.addWidget(self.splitter, 1)

    def _shares(self) -> tuple[float, float]:
        """Plots and table share the width; at presentation scale the table's
        eight columns grow with the font, so it gets a little more (58 % at 2×).
        On the stage the plots get STAGE_PLOT_SHARE and the table fits itself in."""
        if self.stage:
            return STAGE_PLOT_SHARE, 1.0 - STAGE_PLOT_SHARE
        table = min(0.6, 0.5 + 0.08 * max(0.0, self.theme.scale - 1.0))
        return 1.0 - table, table

    def _connect(self) -> None:
        self.step_action.triggered.connect(self.step)
        self.back_action.triggered.connect(self.step_back)
        self.run_action.triggered.connect(self.run_to_end)
        self.reset_action.triggered.connect(self.reset)
        self.fit_action.triggered.connect(self.plots.fit_view)
        self.settings_bar.drawer_toggled.connect(self._on_drawer_toggled)
        self.controls.speed_spin.valueChanged.connect(self.play_timer.set_speed)
        self.function_bar.preset_chosen.connect(self._on_preset_chosen)
        self.function_bar.mode_chosen.connect(self._on_mode_chosen)
        self.plots.x0Dragged.connect(self._on_x0_dragged)
        self.race_runner.serve(self.player)
        self.run_view = RunView(self.player, self.plots, self.controls, self)
        # Enter in the function box hands the keys back to Step (Space, clicker)
        self.function_input.edit.returnPressed.connect(
            lambda: self.setFocus(Qt.FocusReason.OtherFocusReason))

    # ------------------------------------------------------------------ DemoTab
    def commands(self) -> list[QAction]:
        """Step, back, run, reset, play, fit: in the order of the buttons."""
        return self.controls.actions_list()

    def after_show(self) -> None:
        """Deferred start-up (the main window calls it once it has painted)."""
        self.feed.ensure_loaded()

    def can_apply(self) -> bool:
        """Loaded with a function in use: a preset, session or lesson may be applied
        (an apply still in flight is superseded)."""
        return self.feed.loaded and self.player.run is not None

    def is_ready(self) -> bool:
        """Loaded, a function in use, and no text or apply still being parsed."""
        return self.feed.loaded and self.player.run is not None and not self.feed.has_pending()

    def state(self) -> dict:
        return session.tab_state(self)

    def restore_state(self, state: dict) -> None:
        """Restore ``state()``'s output exactly; raises ValueError (changing nothing)
        if it is malformed."""
        session.restore_tab(self, state)

    def set_stage(self, on: bool) -> None:
        """DemoTab: the stage layout (presentation mode, View ▸ Focus). The plots
        get STAGE_PLOT_SHARE of the width; the demo row, tolerance, max steps, α and
        the speed fold into the settings drawer, and the settings left (x₀, the
        race) share one line with the step buttons; the table shows the current
        row and the few before it. ``False`` restores the full layout."""
        on = bool(on)
        self.stage = on
        self.settings_bar.set_compact(on)     # → _on_drawer_toggled(False) when on
        if not on:
            self._on_drawer_toggled(True)
        self.run_panel.set_compact(on)
        # on the stage the panel keeps its few rows and the error plot takes the rest
        self._column.setStretch(0, 0 if on else 3)
        self._column.setStretch(1, 1 if on else 2)
        self.splitter.rescale((self.theme.scale, on))

    def eventFilter(self, watched, event):
        if watched is self.right_column and event.type() == QEvent.Type.Resize:
            self._fit_error_plot(event.size().height())
        return super().eventFilter(watched, event)

    def _fit_error_plot(self, height: int) -> None:
        """The error plot only where the run panel keeps the height it asks for (its
        labels grow at the end of a run): on a short screen (1366×768 at 1.5×) it
        gave way, and the arithmetic line and the table were cut."""
        spare = height - self.run_panel.sizeHint().height() - self._column.spacing()
        fits = spare >= self.error_plot.minimumHeight()
        if fits != self.error_plot.isVisibleTo(self.right_column):
            self.error_plot.setVisible(fits)

    def _on_drawer_toggled(self, opened: bool) -> None:
        """The drawer shows the full rows again; closed, the stage keeps one line."""
        self.function_bar.set_demo_row_visible(opened)
        self.controls.set_speed_visible(opened)
        one_line = not opened
        self.command_rows.setDirection(QBoxLayout.Direction.LeftToRight if one_line
                                       else QBoxLayout.Direction.TopToBottom)
        # on one line the step buttons follow the settings, the spare width after them
        self.command_rows.setStretch(0, 0)
        self.command_rows.setStretch(1, 1 if one_line else 0)
        self.function_bar.set_compact(self.stage)

    def export_widget(self) -> QWidget:
        return self.plots

    def stop(self) -> None:
        """Stop playing, let a race still computing finish, and end the function
        box's child process (closing, tests): their answers are dropped, and nothing
        is parsed afterwards."""
        self.play_timer.pause()
        self.race_runner.cancel()
        self.function_input.close()
        self.race_runner.wait()
        self.function_input.worker.wait(10.0)

    def showEvent(self, event):
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            # once the window has given focus to its first widget: the keys belong
            # to the step actions, not to the function box
            QTimer.singleShot(0, self._keys_to_steps)
        if not self.feed.loaded:
            QTimer.singleShot(0, self.feed.ensure_loaded)

    def _keys_to_steps(self) -> None:
        """Take the focus back from the function box (after start-up or a preset),
        so the clicker's Space and arrows step instead of editing the text."""
        if self.function_input.edit.hasFocus():
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    # ------------------------------------------------------------------ public API
    @property
    def position(self) -> int:
        return self.player.position

    @property
    def run(self):
        return self.player.run

    @property
    def function(self):
        """The function in use (the one plotted), or None before the first."""
        return self.player.function

    @property
    def x0(self) -> float:
        return self.player.x0

    @property
    def race(self):
        return self.player.race

    def total_steps(self) -> int:
        return self.player.total_steps

    def step(self) -> None:
        gate = getattr(self, "step_gate", None)    # predict mode: the asked value first
        if gate is not None and gate():
            return
        if not self.feed.has_run():
            return
        if not self.player.step() and self.play_timer.is_playing():
            self.play_timer.pause()

    def step_back(self) -> None:
        if self.feed.has_run():
            self.player.step_back()

    def run_to_end(self) -> None:
        if self.feed.has_run():
            self.player.run_to_end()

    def reset(self) -> None:
        self.play_timer.pause()
        if not self.feed.has_run():
            return
        self.plots.fit_view()
        if not self.player.reset():
            self.run_view.show_position()

    def toggle_play(self) -> None:
        self.play_timer.toggle()

    def load_preset(self, index: int) -> None:
        if not 0 <= index < len(PRESETS):
            raise IndexError(f"no preset {index}")
        if self.preset_combo.currentIndex() != index:
            self.preset_combo.setCurrentIndex(index)   # → _on_preset_chosen
        else:
            self._on_preset_chosen(index)

    def set_function_text(self, text: str) -> None:
        """Type ``text`` into the function box and use it once parsed (without
        waiting: ``wait_parsed`` waits, for tests)."""
        self.feed.set_text(text)

    def wait_parsed(self, timeout: float = 30.0) -> bool:
        """Spin the event loop until the function box's latest text is parsed and in
        use (or its error shown) and any preset or session applied; False on
        timeout. For tests and batch modes: the window itself never waits."""
        return self.feed.wait_parsed(timeout)

    # ------------------------------------------------------------------ edits
    def apply_settings(self, text: str, position: int = 0, then=None, **settings) -> None:
        """A preset, session or lesson: show ``text`` and parse it without waiting;
        when it arrives, hand the player every setting at once, so it re-runs and the
        views redraw once (a text that does not parse shows its error, and the other
        settings are applied to the function in use). ``then(applied)`` is called
        afterwards, with False if a newer apply or typing superseded this one."""
        self.play_timer.pause()

        def arrived(function, applied: bool) -> None:
            if applied:
                if function is None:
                    function = self.player.function
                if not self.player.update(function=function, position=position,
                                          **settings):
                    self.run_view.reframe()      # nothing new: still frame it afresh
            else:
                self.function_bar.show_mode(self.player.mode)
            if then is not None:
                then(applied)

        self.feed.apply(text, arrived)      # supersedes an older apply first
        self.function_bar.show_mode(settings["mode"])

    def _on_preset_chosen(self, index: int) -> None:
        if not 0 <= index < len(PRESETS):
            return
        preset = PRESETS[index]
        self.apply_settings(preset.function, mode=preset.mode, x0=preset.x0, tol=preset.tol,
                            max_iter=preset.max_iter)
        self._keys_to_steps()

    def _on_mode_chosen(self, mode: NewtonMode) -> None:
        self.play_timer.pause()
        self.player.set_mode(mode)

    def _on_x0_dragged(self, value: float) -> None:
        """Dragging (or clicking) re-runs from the new x0 at the same step position;
        the view stays still under the mouse."""
        low, high = X0_RANGE
        with self.run_view.view_kept():
            self.player.set_x0(min(max(float(value), low), high))

    def _play_tick(self) -> bool:
        if not self.player.at_end:
            self.step()
        return not self.player.at_end

    def _rewind_if_done(self) -> None:
        if self.feed.has_run() and self.player.at_end:
            self.player.reset()

    # ------------------------------------------------------------------ theme
    def _restyle(self) -> None:
        theme = self.theme
        font = QFont(self.font())
        font.setPointSizeF(theme.font_size(10.0))
        self.setFont(font)
        self.plots.restyle(theme)
        self.run_panel.restyle(theme, font)
        self.error_plot.restyle(theme)
        self.error_plot.setMinimumHeight(round(80 * theme.scale))
        big = QFont(font)
        big.setPointSizeF(theme.font_size(12.0))
        self.function_bar.restyle(theme, big)
        # a new scale: share the width for it again
        self.splitter.rescale((theme.scale, self.stage))
