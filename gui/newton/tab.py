"""Tab 2 — Newton's method: type a function, press Step, watch the tangent.

The tab is wiring around a ``core.newton_player.NewtonPlayer`` (``self.player``),
which holds the settings, the run the core computed and the position: position p
means "p steps taken", so x_0 … x_p are on the plot, the tangent at x_{p−1} meets
the axis at x_p, the table lists steps 0 … p−1, and when p reaches the end of the
run the outcome is named. Widgets edit the player; the player's signals redraw
(``_on_player_changed`` once per change, ``_show_position`` per step). Nothing
here does Newton's arithmetic.

All SymPy work (parsing, f′, f″, LaTeX, lambdify) runs on the function box's worker
thread, and SymPy itself (~0.9 s to import) is first imported there, once the tab
is shown (or the first time a public method needs it), never at start-up. The
gradient-descent race runs on a worker too (``gui.newton.race``).
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from core.limits import X0_RANGE
from core.newton import FunctionSyntaxError, NewtonMode, parse_function
from core.newton_player import NewtonPlayer, checked_state
from gui.newton.controls import PlaybackControls
from gui.newton.function_bar import FunctionBar
from gui.newton.plots import NewtonPlots
from gui.newton.presets import LECTURE, PRESETS
from gui.newton.race import RaceRunner
from gui.newton.run_panel import RunPanel
from gui.newton.settings_bar import SettingsBar
from gui.play_timer import PlayTimer
from gui.splitter import ShareSplitter

_REFRAME = frozenset({"function", "mode"})    # a new curve: frame it from scratch


class NewtonTab(QWidget):
    def __init__(self, theme, parent=None):
        super().__init__(parent)
        self.setObjectName("newtonTab")
        self.theme = theme
        lecture = PRESETS[LECTURE]
        self.player = NewtonPlayer(None, lecture.mode, lecture.x0, lecture.tol,
                                   lecture.max_iter)
        self._core_loaded = False
        self._applying = False      # a preset or session being applied: the one guard
        self._parsed = None         # the function parsed while applying
        self._keep_view = False     # x0 dragged: the view stays under the mouse
        self._shown_once = False
        self._build()
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
        self.plots.set_mode(self.player.minimise)
        self.theme.changed.connect(self._restyle)
        self._restyle()
        self._show_position()

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

        self.splitter = ShareSplitter(Qt.Orientation.Horizontal, self._shares)
        self.splitter.addWidget(self.plots)
        self.splitter.addWidget(self.run_panel)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.function_bar)
        layout.addWidget(self.settings_bar)
        layout.addWidget(self.controls)
        layout.addWidget(self.splitter, 1)

    def _shares(self) -> tuple[float, float]:
        """Plots and table share the width; at presentation scale the table's
        eight columns grow with the font, so it gets a little more (58 % at 2×)."""
        table = min(0.6, 0.5 + 0.08 * max(0.0, self.theme.scale - 1.0))
        return 1.0 - table, table

    def _connect(self) -> None:
        self.step_action.triggered.connect(self.step)
        self.back_action.triggered.connect(self.step_back)
        self.run_action.triggered.connect(self.run_to_end)
        self.reset_action.triggered.connect(self.reset)
        self.fit_action.triggered.connect(self.plots.fit_view)
        self.controls.speed_spin.valueChanged.connect(self.play_timer.set_speed)
        self.function_bar.preset_chosen.connect(self._on_preset_chosen)
        self.function_bar.mode_chosen.connect(self._on_mode_chosen)
        self.function_input.parsed.connect(self._on_function_parsed)
        self.plots.x0Dragged.connect(self._on_x0_dragged)
        self.race_runner.serve(self.player)
        self.player.changed.connect(self._on_player_changed)
        self.player.position_changed.connect(lambda _p: self._show_position())
        self.player.race_changed.connect(self._on_race_changed)
        # Enter in the function box hands the keys back to Step (Space, clicker)
        self.function_input.edit.returnPressed.connect(
            lambda: self.setFocus(Qt.FocusReason.OtherFocusReason))

    # ------------------------------------------------------------------ the core
    def _ensure_core(self) -> None:
        """Give the function box its parser the first time it is needed (SymPy itself
        is imported by the first parse, on the worker)."""
        if not self._core_loaded:
            self._core_loaded = True
            self.function_input.set_parser(parse_function, FunctionSyntaxError)
            if self.player.function is None:
                self.function_input.request_parse()
        self.function_input.flush()      # typed text not yet parsed: on its way

    def _ensure_run(self) -> None:
        """Before a step action: with nothing plotted yet (used before start-up has
        finished), wait for the first function rather than ignore the key."""
        self._ensure_core()
        if self.player.run is None:
            self.function_input.wait_parsed()

    def after_show(self) -> None:
        """Deferred start-up (the main window calls it once it has painted)."""
        self._ensure_core()

    def is_ready(self) -> bool:
        return self._core_loaded and self.player.run is not None

    def showEvent(self, event):
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            # once the window has given focus to its first widget: the keys belong
            # to the step actions, not to the function box
            QTimer.singleShot(0, self._keys_to_steps)
        if not self._core_loaded:
            QTimer.singleShot(0, self._ensure_core)

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
        self._ensure_run()
        if not self.player.step() and self.play_timer.is_playing():
            self.play_timer.pause()

    def step_back(self) -> None:
        self._ensure_run()
        self.player.step_back()

    def run_to_end(self) -> None:
        self._ensure_run()
        self.player.run_to_end()

    def reset(self) -> None:
        self._ensure_run()
        self.play_timer.pause()
        self.plots.fit_view()
        if not self.player.reset():
            self._show_position()

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
        """Type ``text`` into the function box and use it: synchronous, like a preset
        (returns once the function is parsed, or its error shown)."""
        self._ensure_core()
        self.function_input.set_text(text)

    def wait_parsed(self, timeout: float = 30.0) -> bool:
        """Block until the function box's latest text is parsed and in use (or its
        error shown); False on timeout. Typing parses on a worker thread."""
        self._ensure_core()
        return self.function_input.wait_parsed(timeout)

    def state(self) -> dict:
        """The demo as JSON-serialisable data (for session files): the player's
        settings, with the function box's text, plus the preset and play speed."""
        return {**self.player.state(), "function": self.function_input.text(),
                "preset": int(self.preset_combo.currentIndex()),
                "speed": float(self.controls.speed_spin.value())}

    def restore_state(self, state: dict) -> None:
        """Restore ``state()``'s output exactly; raises ValueError (changing nothing)
        if it is malformed."""
        s = checked_state(state)
        preset, speed = state.get("preset", LECTURE), state.get("speed", 1.5)
        if isinstance(preset, bool) or not isinstance(preset, int) or not (
                0 <= preset < len(PRESETS)):
            raise ValueError("unknown preset")
        if isinstance(speed, bool) or not isinstance(speed, int | float):
            raise ValueError("the play speed is not a number")
        self.function_bar.show_preset(preset)    # the session's settings, not the preset's
        self.controls.speed_spin.setValue(float(speed))
        self._apply(s["function"], mode=s["mode"], x0=s["x0"], tol=s["tol"],
                    max_iter=s["max_iter"], race=s["race"],
                    learning_rate=s["learning_rate"], position=s["step"])

    def export_widget(self) -> QWidget:
        return self.plots

    def stop(self) -> None:
        """Stop playing and let a race or a parse still computing finish (closing,
        tests): their answers are dropped."""
        self.play_timer.pause()
        self.race_runner.cancel()
        self.function_input.cancel()
        self.race_runner.wait()
        self.function_input.worker.wait(10.0)

    # ------------------------------------------------------------------ edits
    def _apply(self, text: str, position: int = 0, **settings) -> None:
        """A preset or session: parse ``text`` (synchronously), then hand the player
        every setting at once, so it re-runs and the views redraw once."""
        self._ensure_core()
        self.play_timer.pause()
        self._applying, self._parsed = True, None
        try:
            self.function_bar.show_mode(settings["mode"])
            self.function_input.set_text(text)
            function = self.player.function if self._parsed is None else self._parsed
        finally:
            self._applying = False
        if not self.player.update(function=function, position=position, **settings):
            self._on_player_changed(_REFRAME)      # nothing new: still frame it afresh

    def _on_preset_chosen(self, index: int) -> None:
        if self._applying or not 0 <= index < len(PRESETS):
            return
        preset = PRESETS[index]
        self._apply(preset.function, mode=preset.mode, x0=preset.x0, tol=preset.tol,
                    max_iter=preset.max_iter)
        self._keys_to_steps()

    def _on_function_parsed(self, function) -> None:
        if self._applying:
            self._parsed = function
        else:
            self.player.set_function(function)

    def _on_mode_chosen(self, mode: NewtonMode) -> None:
        self.play_timer.pause()
        self.player.set_mode(mode)

    def _on_x0_dragged(self, value: float) -> None:
        """Dragging (or clicking) re-runs from the new x0 at the same step position;
        the view stays still under the mouse."""
        low, high = X0_RANGE
        self._keep_view = True
        try:
            self.player.set_x0(min(max(float(value), low), high))
        finally:
            self._keep_view = False

    def _play_tick(self) -> bool:
        if not self.player.at_end:
            self.step()
        return not self.player.at_end

    def _rewind_if_done(self) -> None:
        self._ensure_run()
        if self.player.at_end:
            self.player.reset()

    # ------------------------------------------------------------------ drawing
    def _on_player_changed(self, what: frozenset) -> None:
        """The one "re-run, then redraw": the player has re-run; show its run."""
        p = self.player
        if "mode" in what:
            self.plots.set_mode(p.minimise)
        self.plots.set_x0(p.x0)
        if p.run is not None:
            self.plots.set_run(p.run, p.race)
        if what & _REFRAME:
            self.plots.fit_view()
        self._show_position(fit=not self._keep_view)

    def _on_race_changed(self) -> None:
        self.plots.set_race(self.player.race)
        self._show_position(fit=False)

    def _show_position(self, fit: bool = True) -> None:
        p, n = self.player.position, self.player.total_steps
        self.plots.show_position(p, fit=fit)
        self.back_action.setEnabled(p > 0)
        self.step_action.setEnabled(self.player.run is None or p < n)
        self.run_action.setEnabled(self.player.run is None or p < n)

    # ------------------------------------------------------------------ theme
    def _restyle(self) -> None:
        theme = self.theme
        font = QFont(self.font())
        font.setPointSizeF(theme.font_size(10.0))
        self.setFont(font)
        self.plots.restyle(theme)
        self.run_panel.restyle(theme, font)
        big = QFont(font)
        big.setPointSizeF(theme.font_size(12.0))
        self.function_bar.restyle(theme, big)
        self.splitter.rescale(theme.scale)      # a new scale: share the width for it again
