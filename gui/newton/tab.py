"""Tab 2 — Newton's method: type a function, press Step, watch the tangent.

The tab plays a run that the core computed (``core.newton``): position p means
"p steps taken", so x_0 … x_p are on the plot, the tangent at x_{p−1} meets the
axis at x_p, the table lists steps 0 … p−1, and when p reaches the end of the run
the outcome is named. Nothing here does Newton's arithmetic.

SymPy (under core.newton) takes ~0.9 s to import, so the core is loaded once the
tab is shown (or the first time a public method needs it), never at start-up; and
all SymPy work (parsing, f′, f″, LaTeX, lambdify) runs on the function box's worker
thread, which hands over Functions whose caches are warm: the tab itself only calls
their NumPy side.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gui.newton.controls import PlaybackControls
from gui.newton.formulas import DerivativeFormulas
from gui.newton.function_input import FunctionInput
from gui.newton.iteration_table import IterationTable, arithmetic_html, number
from gui.newton.label_stack import LabelStack
from gui.newton.outcome import OutcomeBanner
from gui.newton.plots import NewtonPlots
from gui.newton.presets import LECTURE, MINIMISE, PRESETS, ROOT
from gui.newton.race import RaceRunner

MODES = (ROOT, MINIMISE)
MODE_NAMES = ("Find a root", "Minimise")
GD_MAX_ITER = 10_000


class NewtonTab(QWidget):
    def __init__(self, theme, parent=None):
        super().__init__(parent)
        self.setObjectName("newtonTab")
        self.theme = theme
        self._core = None
        self._function = None          # the last valid Function
        self._run = None
        self._race = None
        self._position = 0
        self._x0 = PRESETS[LECTURE].x0
        self._applying = False         # widgets being set programmatically
        self._race_error = ""
        self._build()
        # An explicit minimum keeps the layout from re-deriving the window's minimum
        # every time a label's text (and so its height) changes: on the offscreen
        # platform each change warns, and on screen it can make the window jump.
        self.setMinimumSize(640, 420)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.race_runner = RaceRunner(self)
        self.race_runner.finished.connect(self._on_race_finished)
        self._play_timer = QTimer(self)
        self._play_timer.timeout.connect(self._on_play_tick)
        self._connect()
        self._apply_preset_widgets(PRESETS[LECTURE])
        self.theme.changed.connect(self._restyle)
        self._restyle()
        self._show_position()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        self.preset_combo = QComboBox()
        self.preset_combo.setObjectName("presetCombo")
        for i, preset in enumerate(PRESETS):
            self.preset_combo.addItem(preset.title)
            self.preset_combo.setItemData(i, preset.note, Qt.ItemDataRole.ToolTipRole)
        self.preset_combo.setToolTip("Ready-made demos: the lecture's example and the "
                                     "classic ways Newton's method fails")
        self.mode_combo = QComboBox()
        self.mode_combo.setObjectName("modeCombo")
        self.mode_combo.addItems(MODE_NAMES)
        self.mode_combo.setToolTip("Find a root of f (x ← x − f/f′) or minimise g "
                                   "(x ← x − g′/g″)")
        self.function_label = QLabel("f(x) =")
        self.function_input = FunctionInput()
        self.formulas = DerivativeFormulas()

        self.x0_spin = QDoubleSpinBox()
        self.x0_spin.setObjectName("x0Spin")
        self.x0_spin.setRange(-1e6, 1e6)
        self.x0_spin.setDecimals(6)
        self.x0_spin.setSingleStep(0.05)
        self.x0_spin.setKeyboardTracking(False)
        self.x0_spin.setToolTip("Start x₀ — or drag the dashed x₀ line on the plot, "
                                "or click the plot")
        self.tol_spin = QSpinBox()
        self.tol_spin.setObjectName("tolSpin")
        self.tol_spin.setRange(1, 15)
        self.tol_spin.setPrefix("1e−")
        self.tol_spin.setToolTip("Tolerance: stop when |Δx| is below it")
        self.max_iter_spin = QSpinBox()
        self.max_iter_spin.setObjectName("maxIterSpin")
        self.max_iter_spin.setRange(1, 1000)
        self.max_iter_spin.setToolTip("Iteration cap")
        self.race_check = QCheckBox("Race gradient descent")
        self.race_check.setObjectName("raceCheck")
        self.gd_rate_spin = QDoubleSpinBox()
        self.gd_rate_spin.setObjectName("gdLearningRateSpin")
        self.gd_rate_spin.setRange(0.0001, 10.0)
        self.gd_rate_spin.setDecimals(4)
        self.gd_rate_spin.setSingleStep(0.01)
        self.gd_rate_spin.setValue(0.1)
        self.gd_rate_spin.setPrefix("α = ")
        self.gd_rate_spin.setKeyboardTracking(False)
        self.gd_rate_spin.setToolTip("Gradient descent's learning rate α: x ← x − α g′(x)")

        self.controls = PlaybackControls(self)
        self.step_action = self.controls.step_action
        self.back_action = self.controls.back_action
        self.run_action = self.controls.run_action
        self.reset_action = self.controls.reset_action
        self.play_action = self.controls.play_action
        self.fit_action = self.controls.fit_action

        self.plots = NewtonPlots()
        self.outcome_label = OutcomeBanner()
        self.arithmetic_label = QLabel()
        self.arithmetic_label.setObjectName("arithmeticLabel")
        self.arithmetic_label.setTextFormat(Qt.TextFormat.RichText)
        self.arithmetic_label.setWordWrap(True)
        self.arithmetic_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = IterationTable()
        self.race_label = QLabel()
        self.race_label.setObjectName("raceLabel")
        self.race_label.setWordWrap(True)

        top = QGridLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(QLabel("Demo"), 0, 0)
        top.addWidget(self.preset_combo, 0, 1, 1, 3)
        top.addWidget(self.mode_combo, 0, 4)
        top.addWidget(self.function_label, 1, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.function_input, 1, 1, 1, 4)
        top.addWidget(self.formulas, 2, 1, 1, 4)
        top.setColumnStretch(3, 1)

        settings = QHBoxLayout()
        for label, widget in (("x₀", self.x0_spin), ("tolerance", self.tol_spin),
                              ("max steps", self.max_iter_spin)):
            settings.addWidget(QLabel(label))
            settings.addWidget(widget)
            settings.addSpacing(8)
        settings.addWidget(self.race_check)
        settings.addWidget(self.gd_rate_spin)
        settings.addStretch(1)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        self.label_stack = LabelStack([self.outcome_label, self.arithmetic_label])
        side_layout.addWidget(self.label_stack)
        side_layout.addWidget(self.table, 1)
        side_layout.addWidget(self.race_label)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.plots)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self._split_done = False
        # until the lecturer drags the handle, the split follows the window's size
        # (going full screen must not hand all the new width to the table)
        self._split_by_hand = False
        self.splitter.splitterMoved.connect(self._on_splitter_moved)
        self._split_scale = self.theme.scale
        self.plots.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(settings)
        layout.addWidget(self.controls)
        layout.addWidget(self.splitter, 1)

    def _connect(self) -> None:
        self.step_action.triggered.connect(self.step)
        self.back_action.triggered.connect(self.step_back)
        self.run_action.triggered.connect(self.run_to_end)
        self.reset_action.triggered.connect(self.reset)
        self.play_action.toggled.connect(self._on_play_toggled)
        self.fit_action.triggered.connect(self.plots.fit_view)
        self.controls.speed_spin.valueChanged.connect(self._on_speed_changed)
        self.preset_combo.currentIndexChanged.connect(self._on_preset_chosen)
        self.mode_combo.currentIndexChanged.connect(self._on_mode_changed)
        self.function_input.parsed.connect(self._on_function_parsed)
        self.x0_spin.valueChanged.connect(self._on_x0_spin)
        self.tol_spin.valueChanged.connect(lambda _: self._on_settings_changed())
        self.max_iter_spin.valueChanged.connect(lambda _: self._on_settings_changed())
        self.race_check.toggled.connect(lambda _: self._on_settings_changed(keep=True))
        self.gd_rate_spin.valueChanged.connect(lambda _: self._on_settings_changed(keep=True))
        self.plots.x0Dragged.connect(self._on_x0_dragged)
        # Enter in the function box hands the keys back to Step (Space, clicker)
        self.function_input.edit.returnPressed.connect(
            lambda: self.setFocus(Qt.FocusReason.OtherFocusReason))

    # ------------------------------------------------------------------ the core
    def _ensure_core(self):
        """Import core.newton the first time it is needed (SymPy itself is imported
        by the first parse, on the worker)."""
        if self._core is None:
            from core import newton
            self._core = newton
            self.function_input.set_parser(newton.parse_function, newton.FunctionSyntaxError)
            if self._function is None:
                # on the worker: the first parse also imports SymPy (~1 s)
                self.function_input.request_parse()
        self.function_input.flush()      # typed text not yet parsed: on its way
        return self._core

    def _ensure_run(self) -> None:
        """Before a step action: with nothing plotted yet (used before start-up has
        finished), wait for the first function rather than ignore the key."""
        self._ensure_core()
        if self._run is None:
            self.function_input.wait_parsed()

    def after_show(self) -> None:
        """Deferred start-up (the main window calls it once it has painted)."""
        self._ensure_core()

    def is_ready(self) -> bool:
        return self._core is not None and self._run is not None

    def showEvent(self, event):
        super().showEvent(event)
        if not self._split_done and self.splitter.width() > 100:
            self._split()
            self._split_done = True
            # once the window has given focus to its first widget: the keys
            # belong to the step actions, not to the function box
            QTimer.singleShot(0, self._keys_to_steps)
        if self._core is None:
            QTimer.singleShot(0, self._ensure_core)

    def _on_splitter_moved(self, *_):
        self._split_by_hand = True

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if self._split_done and not self._split_by_hand:
            self._split()

    def _keys_to_steps(self) -> None:
        """Take the focus back from the function box (after start-up or a preset),
        so the clicker's Space and arrows step instead of editing the text."""
        if self.function_input.edit.hasFocus():
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _split(self) -> None:
        """Plots and table share the width; at presentation scale the table's
        eight columns grow with the font, so it gets a little more (58 % at 2×)."""
        total = self.splitter.width()
        share = min(0.6, 0.5 + 0.08 * max(0.0, self.theme.scale - 1.0))
        table = round(total * share)
        with QSignalBlocker(self.splitter):      # not a move by hand
            self.splitter.setSizes([total - table, table])

    # ------------------------------------------------------------------ public API
    @property
    def position(self) -> int:
        return self._position

    @property
    def run(self):
        return self._run

    @property
    def function(self):
        """The last valid function (the one plotted), or None before the first."""
        return self._function

    @property
    def x0(self) -> float:
        return self._x0

    @property
    def race(self):
        return self._race

    def total_steps(self) -> int:
        return len(self._run.steps) if self._run is not None else 0

    def step(self) -> None:
        self._ensure_run()
        if self._position < self.total_steps():
            self._position += 1
            self._show_position()
        elif self._play_timer.isActive():
            self.play_action.setChecked(False)

    def step_back(self) -> None:
        self._ensure_run()
        if self._position > 0:
            self._position -= 1
            self._show_position()

    def run_to_end(self) -> None:
        self._ensure_run()
        self._position = self.total_steps()
        self._show_position()

    def reset(self) -> None:
        self._ensure_run()
        self.play_action.setChecked(False)
        self._position = 0
        self.plots.fit_view()
        self._show_position()

    def toggle_play(self) -> None:
        self.play_action.setChecked(not self.play_action.isChecked())

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
        """The demo as JSON-serialisable data (for session files)."""
        return {
            "function": self.function_input.text(),
            "mode": MODES[self.mode_combo.currentIndex()],
            "x0": float(self._x0),
            "tol": float(f"1e-{self.tol_spin.value()}"),
            "max_iter": int(self.max_iter_spin.value()),
            "step": int(self._position),
            "preset": int(self.preset_combo.currentIndex()),
            "race": {"enabled": bool(self.race_check.isChecked()),
                     "learning_rate": float(self.gd_rate_spin.value())},
            "speed": float(self.controls.speed_spin.value()),
        }

    def restore_state(self, state: dict) -> None:
        """Restore ``state()``'s output exactly; raises ValueError (changing nothing)
        if it is malformed."""
        s = _checked_state(state)
        self._ensure_core()
        self.play_action.setChecked(False)
        self._applying = True
        try:
            self.preset_combo.setCurrentIndex(s["preset"])
            self.mode_combo.setCurrentIndex(MODES.index(s["mode"]))
            self._set_x0_widgets(s["x0"])
            self.tol_spin.setValue(s["tol_exponent"])
            self.max_iter_spin.setValue(s["max_iter"])
            self.race_check.setChecked(s["race_enabled"])
            self.gd_rate_spin.setValue(s["learning_rate"])
            self.controls.speed_spin.setValue(s["speed"])
            self._apply_mode_widgets()
            self._function = None
            self.function_input.set_text(s["function"])
        finally:
            self._applying = False
        self._rerun()
        self._position = min(s["step"], self.total_steps())
        self.plots.fit_view()
        self._show_position()

    def export_widget(self) -> QWidget:
        return self.plots

    # ------------------------------------------------------------------ handlers
    def _on_preset_chosen(self, index: int) -> None:
        if self._applying or not 0 <= index < len(PRESETS):
            return
        preset = PRESETS[index]
        self._ensure_core()
        self.play_action.setChecked(False)
        self._applying = True
        try:
            self._apply_preset_widgets(preset)
            self._function = None
            self.function_input.set_text(preset.function)
        finally:
            self._applying = False
        self._position = 0
        self._rerun()
        self.plots.fit_view()
        self._show_position()
        self._keys_to_steps()

    def _apply_preset_widgets(self, preset) -> None:
        blockers = [self.mode_combo, self.x0_spin, self.tol_spin, self.max_iter_spin]
        for w in blockers:
            w.blockSignals(True)
        self.mode_combo.setCurrentIndex(MODES.index(preset.mode))
        self.tol_spin.setValue(round(-math.log10(preset.tol)))
        self.max_iter_spin.setValue(preset.max_iter)
        self._set_x0_widgets(preset.x0)
        for w in blockers:
            w.blockSignals(False)
        self.function_input.edit.setText(preset.function)
        self._apply_mode_widgets()

    def _apply_mode_widgets(self) -> None:
        minimise = self._minimise()
        self.function_label.setText("g(x) =" if minimise else "f(x) =")
        self.race_check.setEnabled(minimise)
        self.gd_rate_spin.setEnabled(minimise and self.race_check.isChecked())
        self.race_check.setToolTip(
            "Race gradient descent (x ← x − α g′(x)) from the same x₀, drawn in green"
            if minimise else "The race minimises g: choose Minimise to race gradient descent")
        self.plots.set_mode(minimise)

    def _set_x0_widgets(self, x0: float) -> None:
        self._x0 = float(x0)
        self.x0_spin.blockSignals(True)
        self.x0_spin.setValue(self._x0)
        self.x0_spin.blockSignals(False)
        self.plots.set_x0(self._x0)

    def _on_function_parsed(self, function) -> None:
        self._function = function
        self.formulas.show_function(function, self._minimise())
        if self._applying:
            return
        self._position = 0
        self._rerun()
        self.plots.fit_view()
        self._show_position()

    def _on_mode_changed(self, _index: int) -> None:
        if self._applying:
            return
        self.play_action.setChecked(False)
        self._apply_mode_widgets()
        if self._function is not None:
            self.formulas.show_function(self._function, self._minimise())
        self._position = 0
        self._rerun()
        self.plots.fit_view()
        self._show_position()

    def _on_x0_spin(self, value: float) -> None:
        if self._applying:
            return
        self._x0 = float(value)
        self.plots.set_x0(self._x0)
        self._rerun()
        self._show_position()

    def _on_x0_dragged(self, value: float) -> None:
        """Dragging (or clicking) re-runs from the new x0 at the same step position;
        the view stays still under the mouse."""
        self._x0 = float(value)
        self.x0_spin.blockSignals(True)
        self.x0_spin.setValue(self._x0)
        self.x0_spin.blockSignals(False)
        self._rerun()
        self._show_position(fit=False)

    def stop(self) -> None:
        """Stop playing and let a race or a parse still computing finish (closing,
        tests): their answers are dropped."""
        self.play_action.setChecked(False)
        self.race_runner.cancel()
        self.function_input.cancel()
        self.race_runner.wait()
        self.function_input.worker.wait(10.0)

    def _on_settings_changed(self, keep: bool = False) -> None:
        if self._applying:
            return
        self.gd_rate_spin.setEnabled(self._minimise() and self.race_check.isChecked())
        if not keep:
            self._position = 0
        self._rerun()
        self._show_position()

    def _on_play_toggled(self, playing: bool) -> None:
        if playing:
            self._ensure_run()
            if self._position >= self.total_steps():
                self._position = 0
                self._show_position()
            self._on_speed_changed(self.controls.speed_spin.value())
            self._play_timer.start()
            self.play_action.setText("Pause ❚❚")
        else:
            self._play_timer.stop()
            self.play_action.setText("Play ▷")

    def _on_speed_changed(self, speed: float) -> None:
        self._play_timer.setInterval(max(15, round(1000.0 / max(speed, 0.01))))

    def _on_play_tick(self) -> None:
        if self._position >= self.total_steps():
            self.play_action.setChecked(False)
            return
        self.step()
        if self._position >= self.total_steps():
            self.play_action.setChecked(False)

    # ------------------------------------------------------------------ running
    def _minimise(self) -> bool:
        return self.mode_combo.currentIndex() == 1

    def _rerun(self, race: bool = True) -> None:
        """Ask the core for the run from the current settings; the race (gradient
        descent) is asked of a worker thread and drawn when it arrives."""
        if self._core is None or self._function is None:
            return
        core = self._core
        tol = self._tolerance()
        max_iter = int(self.max_iter_spin.value())
        minimise = self._minimise()
        iterate = core.newton_minimize if minimise else core.newton_root
        self._run = iterate(self._function, self._x0, tol=tol, max_iter=max_iter)
        self._position = min(self._position, len(self._run.steps))
        if not (minimise and self.race_check.isChecked()):
            self.race_runner.cancel()
            self._race = None
        elif race:
            function, x0, rate = self._function, self._x0, float(self.gd_rate_spin.value())
            self.race_runner.request(lambda: core.gradient_descent(
                function, x0, rate, tol=tol, max_iter=GD_MAX_ITER))
        self.plots.set_run(self._run, self._race)
        self.table.set_run(self._run.steps, minimise, self._position)

    def _on_race_finished(self, _number: int, result) -> None:
        if isinstance(result, Exception):
            self._race = None
            self._race_error = str(result)
        else:
            self._race, self._race_error = result, ""
        if not (self._minimise() and self.race_check.isChecked()):
            self._race = None
        self.plots.set_race(self._race)
        self._show_position(fit=False)

    def _tolerance(self) -> float:
        return float(f"1e-{self.tol_spin.value()}")

    def _show_position(self, fit: bool = True) -> None:
        p, n = self._position, self.total_steps()
        self.plots.show_position(p, fit=fit)
        self.table.show_steps(p)
        if self._run is None:
            self.outcome_label.show_note("Loading the function parser…")
            self.arithmetic_label.setText("")
        else:
            if p < n:
                self.outcome_label.show_progress(p, n)
            else:
                self.outcome_label.show_outcome(self._run)
            self.arithmetic_label.setText(
                arithmetic_html(self._run.steps[p - 1], self._minimise()) if p >= 1 else
                f"x<sub>0</sub> = {number(self._x0)} — press Step to compute "
                f"x<sub>1</sub>" if n else
                f"x<sub>0</sub> = {number(self._x0)} — no step can be taken from here")
        self.label_stack.refit()
        self.race_label.setText(self._race_text())
        self.race_label.setVisible(self._minimise() and self.race_check.isChecked())
        self.back_action.setEnabled(p > 0)
        self.step_action.setEnabled(self._run is None or p < n)
        self.run_action.setEnabled(self._run is None or p < n)

    def _race_text(self) -> str:
        if not (self._minimise() and self.race_check.isChecked()) or self._run is None:
            return ""
        tol = f"1e−{self.tol_spin.value()}"

        def count(run, label):
            n = len(run.steps)
            if run.outcome.name in ("CONVERGED", "CONVERGED_LINEARLY"):
                return f"{label}: {n} step{'s' * (n != 1)} to tolerance {tol}"
            return f"{label}: {run.outcome.title.lower()} after {n} steps"

        rate = f"{self.gd_rate_spin.value():g}"
        newton = count(self._run, "● Newton")
        if self._race is None:
            gd = (f"■ Gradient descent (α = {rate}): {self._race_error}"
                  if self._race_error else f"■ Gradient descent (α = {rate}): running…")
        else:
            gd = count(self._race, f"■ Gradient descent (α = {rate})")
        return f"{newton}\n{gd}"

    # ------------------------------------------------------------------ theme
    def _restyle(self) -> None:
        theme = self.theme
        palette = theme.palette
        font = QFont(self.font())
        font.setPointSizeF(theme.font_size(10.0))
        self.setFont(font)
        self.plots.restyle(theme)
        self.table.restyle(palette, theme.font_size(10.0))
        self.outcome_label.restyle(palette, theme.font_size(11.0))
        self.formulas.restyle(palette, theme.font_size(12.0))
        self.function_input.set_error_colour(palette.negative, palette.muted)
        big = QFont(font)
        big.setPointSizeF(theme.font_size(12.0))
        self.arithmetic_label.setFont(big)
        self.label_stack.refit()
        self.function_input.edit.setFont(big)
        self.race_label.setStyleSheet(f"color: {palette.accent};")
        if self._split_done and theme.scale != self._split_scale:
            self._split()           # a new scale: share the width for it again
        self._split_scale = theme.scale


def _checked_state(state) -> dict:
    """Validate a session's Newton part before anything is changed."""
    if not isinstance(state, dict):
        raise ValueError("the Newton state is not an object")
    try:
        function = state["function"]
        mode = state["mode"]
        x0 = float(state["x0"])
    except KeyError as exc:
        raise ValueError(f"the Newton state has no {exc.args[0]!r}") from None
    except (TypeError, ValueError):
        raise ValueError("the Newton state's x0 is not a number") from None
    if not isinstance(function, str) or len(function) > 1000:
        raise ValueError("the Newton function is not a short text")
    if mode not in MODES:
        raise ValueError(f"unknown Newton mode {mode!r}")
    if not math.isfinite(x0) or abs(x0) > 1e6:
        raise ValueError("x0 is out of range")
    tol = float(state.get("tol", 1e-10))
    if not (0 < tol < 1):
        raise ValueError("the tolerance must lie between 0 and 1")
    race = state.get("race", {})
    if not isinstance(race, dict):
        raise ValueError("the race settings are not an object")
    step = state.get("step", 0)
    max_iter = state.get("max_iter", 50)
    preset = state.get("preset", LECTURE)
    for name, value in (("step", step), ("max_iter", max_iter), ("preset", preset)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"the Newton {name} is not a whole number")
    if not 0 <= preset < len(PRESETS):
        raise ValueError("unknown preset")
    return {
        "function": function, "mode": mode, "x0": x0,
        "tol_exponent": min(15, max(1, round(-math.log10(tol)))),
        "max_iter": min(1000, max(1, max_iter)), "step": step, "preset": preset,
        "race_enabled": bool(race.get("enabled", False)),
        "learning_rate": float(race.get("learning_rate", 0.1)),
        "speed": float(state.get("speed", 1.5)),
    }
