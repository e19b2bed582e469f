"""The classifier tab: sentences, the network diagram, the chain rule, the controls.

The tab holds no maths.  A ``core.stepper.TrainingStepper`` owns the network and the
walk of micro-steps; every command asks it to move and then ``_refresh`` shows its
state: the current record on the diagram and in the chain-rule panel, ŷ in the
table, the heat-map and the loss curve.  Work that only matters when the weights
change (ŷ of every row, the decision-boundary grid) is skipped on the many
micro-steps that leave them alone, which keeps a step inside its latency budget.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QElapsedTimer, QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from core.data import MOODS
from core.network import Network
from core.notation import format_number
from core.stepper import TrainingStepper
from gui.classifier.chain_panel import ChainRulePanel
from gui.classifier.controls import ClassifierActions, ControlBar
from gui.classifier.diagram import NetworkDiagram
from gui.classifier.plots import BoundaryPlot, LossPlot
from gui.classifier.sentence_model import SentenceTableModel
from gui.classifier.sentence_table import SentenceTable
from gui.classifier.try_sentence import TrySentence

DEFAULT_SEED = 0
DEFAULT_LEARNING_RATE = 0.5
DEFAULT_HIDDEN = (2,)
_TICK_BUDGET_S = 0.012     # fast play: train for at most this long per timer tick
_PLOT_REFRESH_MS = 100     # fast play: redraw the views ten times a second
_LEFT_SHARE = 0.38         # of the tab's width: sentences, try box and plots


class ClassifierTab(QWidget):
    """Tab 1: teach classification by back-propagation, one micro-step at a time."""

    def __init__(self, theme, parent=None):
        super().__init__(parent)
        self.setObjectName("classifierTab")
        self.theme = theme
        self.undo_stack = QUndoStack(self)
        self.model = SentenceTableModel(self.undo_stack, parent=self)
        self.commands = ClassifierActions(self)

        self.table = SentenceTable(self.model, theme)
        self.try_sentence = TrySentence(theme)
        self.loss_plot = LossPlot(theme)
        self.boundary_plot = BoundaryPlot(theme)
        self.controls = ControlBar(self.commands, theme)
        self.diagram = NetworkDiagram(theme)
        self.chain_panel = ChainRulePanel(theme)
        self._build_layout()
        self._build_undo_actions()
        for action in self.commands.all():
            self.addAction(action)

        self._seed = DEFAULT_SEED
        self._hidden = DEFAULT_HIDDEN
        self._trainable = False
        self._weights_signature: bytes | None = None
        self._shown_losses = -1
        self._features = np.zeros((0, len(self.model.vocabulary)))
        self._labels = np.zeros(0)
        with QSignalBlocker(self.controls.seed_spin), \
                QSignalBlocker(self.controls.learning_rate_spin), \
                QSignalBlocker(self.controls.hidden_units_spin):
            self.controls.seed_spin.setValue(self._seed)
            self.controls.learning_rate_spin.setValue(DEFAULT_LEARNING_RATE)
            self.controls.hidden_units_spin.setValue(DEFAULT_HIDDEN[0])
        network = Network(self._layer_sizes(), seed=self._seed)
        dataset = self.model.dataset()
        self.stepper = TrainingStepper(network, dataset.features, dataset.labels,
                                       learning_rate=DEFAULT_LEARNING_RATE,
                                       mode=self.controls.mode())

        self._play_timer = QTimer(self)
        self._play_timer.timeout.connect(self._on_play_tick)
        self._since_refresh = QElapsedTimer()
        self._chunk = 1

        self._connect()
        self._shares_scale: float | None = None
        theme.changed.connect(self._apply_shares)
        self._apply_shares()
        self._on_training_data_changed()
        self.table.select_row(0)

    # ------------------------------------------------------------------ building
    def _build_layout(self) -> None:
        plots = QSplitter(Qt.Orientation.Vertical)
        plots.addWidget(self.loss_plot)
        plots.addWidget(self.boundary_plot)
        plots.setSizes([200, 300])
        left = QSplitter(Qt.Orientation.Vertical)
        left.setObjectName("classifierLeftColumn")
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.table, 1)
        top_layout.addWidget(self.try_sentence)
        left.addWidget(top)
        left.addWidget(plots)
        left.setStretchFactor(0, 0)   # a taller window gives the plots the room
        left.setStretchFactor(1, 1)
        left.setSizes([330, 470])
        self.left_splitter = left
        self.diagram_splitter = QSplitter(Qt.Orientation.Vertical)
        self.diagram_splitter.addWidget(self.diagram)
        self.diagram_splitter.addWidget(self.chain_panel)
        self.diagram_splitter.setSizes([370, 360])
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.controls)
        right_layout.addWidget(self.diagram_splitter, 1)
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.setObjectName("classifierSplitter")
        self.main_splitter.addWidget(left)
        self.main_splitter.addWidget(right)
        self.main_splitter.setStretchFactor(0, 2)
        self.main_splitter.setStretchFactor(1, 3)
        self.main_splitter.setSizes([480, 800])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.main_splitter)

    def _apply_shares(self) -> None:
        """Give each pane its share for the current scale: the left column ~38 % of the
        width (its table needs the room at presentation scale), the table and the try
        box their natural height, the plots the rest.  Only on a change of scale, so
        dark/light keeps where the lecturer dragged the splitters."""
        if self.theme.scale == self._shares_scale or not self.isVisible():
            return   # a hidden tab gets its shares in showEvent, when its size is known
        self._shares_scale = self.theme.scale
        width = self.main_splitter.width()
        left = round(width * _LEFT_SHARE)
        self.main_splitter.setSizes([left, width - left])
        column = self.left_splitter
        top = column.widget(0).minimumSizeHint().height()
        column.setSizes([top, max(column.height() - top, 1)])

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._apply_shares()

    def _build_undo_actions(self) -> None:
        self.undo_action = self.undo_stack.createUndoAction(self, "Undo")
        self.undo_action.setObjectName("undoAction")
        self.undo_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Undo))
        redo_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
        if QKeySequence("Ctrl+Shift+Z") not in redo_keys:
            redo_keys.append(QKeySequence("Ctrl+Shift+Z"))
        self.redo_action = self.undo_stack.createRedoAction(self, "Redo")
        self.redo_action.setObjectName("redoAction")
        self.redo_action.setShortcuts(redo_keys)
        for action, what in ((self.undo_action, "Undo the last edit of the table"),
                             (self.redo_action, "Redo the edit undone last")):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText)
                             for k in action.shortcuts())
            action.setToolTip(f"{what} ({keys})")
            self.addAction(action)

    def _connect(self) -> None:
        c = self.commands
        c.step.triggered.connect(self._manual(self.step))
        c.step_example.triggered.connect(self._manual(self.step_example))
        c.step_epoch.triggered.connect(self._manual(self.step_epoch))
        c.step_back.triggered.connect(self._manual(self.step_back))
        c.step_back_example.triggered.connect(self._manual(self.step_back_example))
        c.reset.triggered.connect(self._manual(self.reset))
        c.play.toggled.connect(self._on_play_toggled)
        bar = self.controls
        bar.seed_spin.valueChanged.connect(self._on_seed_changed)
        bar.learning_rate_spin.valueChanged.connect(self._on_learning_rate_changed)
        bar.mode_combo.currentIndexChanged.connect(self._on_mode_changed)
        bar.hidden_units_spin.valueChanged.connect(self._on_shape_changed)
        bar.hidden_layers_spin.valueChanged.connect(self._on_shape_changed)
        bar.heatmap_check.toggled.connect(self.diagram.set_heatmaps_visible)
        bar.speed_slider.valueChanged.connect(self._on_speed_changed)
        self.model.training_data_changed.connect(self._on_training_data_changed)
        self.table.example_selected.connect(self._on_example_selected)
        self.table.vocabulary_changed_problem.connect(lambda _e: self._show_problems())

    def _manual(self, command):
        """A button or key press: a lecturer stepping by hand wants the play to stop."""
        def run(*_args):
            self.pause()
            command()
        return run

    # ------------------------------------------------------------------ commands
    def step(self) -> None:
        """One micro-step of the walk."""
        if self._trainable:
            self.stepper.step()
            self._refresh()

    def step_example(self) -> None:
        """Finish this example's pass (forward, loss, backward, update)."""
        if self._trainable:
            self.stepper.step_example()
            self._refresh()

    def step_epoch(self) -> None:
        if self._trainable:
            self.stepper.step_epoch()
            self._refresh()

    def step_back(self) -> None:
        """Undo the last step of any size, restoring the earlier state exactly."""
        if self.stepper.step_back():
            self._refresh()

    def step_back_example(self) -> None:
        """Step back to the start of the current pass (or of the previous one)."""
        if self.stepper.step_back():
            # a pass starts right after the previous pass's update (or from rest)
            while self.stepper.can_step_back and self.stepper.current is not None \
                    and self.stepper.current.kind != "update":
                self.stepper.step_back()
            self._refresh()

    def reset(self) -> None:
        """Re-initialise the network from the seed; the data stays."""
        self.pause()
        self.stepper.reset(seed=self._seed, layer_sizes=self._layer_sizes())
        self._after_network_change()

    def toggle_play(self) -> None:
        self.commands.play.toggle()

    def pause(self) -> None:
        if self.commands.play.isChecked():
            self.commands.play.setChecked(False)

    def stop(self) -> None:
        """The window is closing: stop the timer."""
        self.pause()

    def is_playing(self) -> bool:
        return self._play_timer.isActive()

    def export_widget(self) -> QWidget:
        """The area to export as PNG/SVG: diagram, chain rule and plots (the whole tab
        body, since the plots sit in the left column)."""
        return self.main_splitter

    # ------------------------------------------------------------------ play
    def _on_play_toggled(self, playing: bool) -> None:
        self.commands.play.setText("Pause" if playing else "Play")
        if playing and not self._trainable:
            self.commands.play.setChecked(False)
            return
        if playing:
            self._chunk = 1
            self._since_refresh.start()
            self._apply_speed()
        else:
            self._play_timer.stop()
            self._refresh()

    def _on_speed_changed(self, _value: int) -> None:
        if self._play_timer.isActive():
            self._apply_speed()

    def _apply_speed(self) -> None:
        speed = self.controls.speed()
        if speed.is_micro:
            interval = round(1000 / speed.steps_per_second)
        elif speed.epochs_per_second > 0:
            interval = round(1000 / speed.epochs_per_second)
        else:
            interval = 0
        self._play_timer.start(interval)

    def _on_play_tick(self) -> None:
        if not self._trainable:
            self.pause()
            return
        speed = self.controls.speed()
        if speed.is_micro:
            self.stepper.step()
            self._refresh()
            return
        if speed.epochs_per_second > 0:
            self.stepper.run_epochs(1)
        else:
            # as many epochs as fit in the tick's budget, so the event loop stays free
            clock = QElapsedTimer()
            clock.start()
            self.stepper.run_epochs(self._chunk)
            elapsed = max(clock.nsecsElapsed() * 1e-9, 1e-6)
            scale = min(2.0, max(0.5, _TICK_BUDGET_S / elapsed))
            self._chunk = int(max(1, min(100000, self._chunk * scale)))
        if speed.epochs_per_second >= 10 or speed.epochs_per_second == 0:
            if self._since_refresh.elapsed() < _PLOT_REFRESH_MS:
                return
        self._since_refresh.restart()
        self._refresh()

    # ------------------------------------------------------------------ settings
    def _layer_sizes(self) -> tuple[int, ...]:
        return (len(self.model.vocabulary), *self._hidden, 1)

    def _on_seed_changed(self, seed: int) -> None:
        self._seed = int(seed)
        self.reset()

    def _on_learning_rate_changed(self, value: float) -> None:
        self.stepper.learning_rate = float(value)
        self._refresh()

    def _on_mode_changed(self, _index: int) -> None:
        self.stepper.mode = self.controls.mode()
        self._refresh()

    def _on_shape_changed(self, _value: int) -> None:
        self._hidden = (self.controls.hidden_units_spin.value(),) * \
            self.controls.hidden_layers_spin.value()
        self.reset()

    def _on_example_selected(self, row: int) -> None:
        if 0 <= row < len(self._labels) and row != self.stepper.example:
            self.stepper.example = row
            self._refresh()

    # ------------------------------------------------------------------ data
    def _on_training_data_changed(self) -> None:
        dataset = self.model.dataset()
        self._features, self._labels = dataset.features, dataset.labels
        self._trainable = len(self._labels) > 0
        if self.stepper.network.layer_sizes[0] != len(self.model.vocabulary):
            self.pause()  # one input unit per word: set_data re-creates the network
        self.stepper.set_data(self._features, self._labels)
        if self._trainable and self.stepper.example >= len(self._labels):
            self.stepper.example = len(self._labels) - 1
        names = [str(k + 1) for k in range(len(self._labels))]
        self.boundary_plot.set_data(self._features, self._labels, names,
                                    self.model.vocabulary)
        self.diagram.set_heatmap_extent(*self.boundary_plot.extent)
        for action in self.commands.training():
            action.setEnabled(self._trainable)
        if not self._trainable:
            self.pause()
        self._show_problems()
        self._after_network_change()

    def _show_problems(self) -> None:
        problems = list(self.model.dataset().problems())
        error = self.table.vocabulary_error()
        if error:
            problems.insert(0, f"Vocabulary not applied: {error}")
        self.table.show_problems(problems)

    def problems(self) -> list[str]:
        """The warnings the banner shows."""
        return self.table.banner.text().replace("⚠ ", "").split("<br>") \
            if self.table.banner.isVisibleTo(self) else []

    # ------------------------------------------------------------------ showing
    def _after_network_change(self) -> None:
        self._weights_signature = None
        self._shown_losses = -1
        self._refresh()

    def _refresh(self) -> None:
        """Show the stepper's state in every view (cheap parts on every call)."""
        stepper = self.stepper
        network = stepper.network
        current = stepper.current if self._trainable else None
        example = stepper.example if self._trainable else None
        x = self._features[example] if example is not None else None
        self.diagram.set_network(network, self.model.vocabulary, x)
        self.diagram.show_step(current)
        self.chain_panel.show_step(current, stepper.learning_rate)
        signature = network.parameter_bytes()
        if signature != self._weights_signature:
            self._weights_signature = signature
            self._show_predictions(network)
        losses = stepper.epoch_losses
        if len(losses) != self._shown_losses:
            self._shown_losses = len(losses)
            self.loss_plot.set_losses(losses)
        if example is not None and self.table.current_row() != example:
            self.table.select_row(example)   # the table shows which row is walked
        self.controls.status.setText(self._status_text(current))
        self.commands.step_back.setEnabled(stepper.can_step_back)
        self.commands.step_back_example.setEnabled(stepper.can_step_back)

    def _show_predictions(self, network) -> None:
        if len(self._labels):
            self.model.set_predictions(network.predict(self._features))
        else:
            self.model.set_predictions(None)
        if network.layer_sizes[0] == 2:
            self.boundary_plot.set_predictions(network.predict(self.boundary_plot.grid_inputs()))
        else:
            self.boundary_plot.set_predictions(None)
        self.try_sentence.set_network(network, self.model.vocabulary)

    def _status_text(self, current) -> str:
        stepper = self.stepper
        if not self._trainable:
            return "Add sentences to train the network."
        row = stepper.example
        sentence = self.model.sentences()[row] if row < self.model.rowCount() else ""
        mode = "full batch" if stepper.mode == "batch" else f"example {row + 1} “{sentence}”"
        where = "ready" if current is None else _describe(current)
        position = f"step {stepper.index + 1}/{len(stepper.steps)}" if stepper.steps else ""
        loss = stepper.loss()
        loss_text = ("" if loss is None or not np.isfinite(loss)
                     else f" · mean loss {format_number(loss)}")      # a VALUE, like L in the panel
        return (f"Epoch {stepper.epoch} · {mode} · {position} {where}{loss_text}").replace(
            "  ", " ")

    # ------------------------------------------------------------------ session
    def state(self) -> dict:
        """Everything needed to reopen this demo exactly (down to the micro-step),
        JSON-serialisable: the table, the settings and the stepper's state."""
        state = self.stepper.state()   # layer sizes, weights, α, mode, position, losses
        state.update({
            "sentences": self.model.sentences(),
            "moods": self.model.moods(),
            "vocabulary": list(self.model.vocabulary),
            "seed": int(self._seed),
            "speed": int(self.controls.speed_slider.value()),
            "heatmaps": bool(self.controls.heatmap_check.isChecked()),
        })
        return state

    def restore_state(self, state: dict) -> None:
        """Reopen a demo saved by ``state()``; raises ValueError if it cannot be."""
        self.pause()
        sentences, moods = list(state["sentences"]), list(state["moods"])
        if len(sentences) != len(moods) or any(m not in MOODS for m in moods) or \
                any(not isinstance(s, str) for s in sentences):
            raise ValueError("the classifier's sentences and moods do not match")
        sizes = tuple(int(n) for n in state["layer_sizes"])
        vocabulary = list(state["vocabulary"])
        hidden = sizes[1:-1]
        if not hidden or len(hidden) > 3 or len(set(hidden)) != 1 or \
                not 1 <= hidden[0] <= 8 or sizes[0] != len(vocabulary) or sizes[-1] != 1:
            raise ValueError(f"unsupported network shape {sizes}")
        seed = int(state.get("seed", 0))

        self._seed, self._hidden = seed, hidden
        bar = self.controls
        blockers = [QSignalBlocker(w) for w in (
            bar.seed_spin, bar.learning_rate_spin, bar.mode_combo, bar.hidden_units_spin,
            bar.hidden_layers_spin)]
        try:
            bar.seed_spin.setValue(seed)
            bar.learning_rate_spin.setValue(float(state["learning_rate"]))
            bar.set_mode(state["mode"])
            bar.hidden_units_spin.setValue(hidden[0])
            bar.hidden_layers_spin.setValue(len(hidden))
        finally:
            del blockers
        # the table first (the stepper resumes "on the data already set")
        self.model.load_rows(list(zip(sentences, moods)), vocabulary, "Open session")
        self.undo_stack.clear()  # the undo history belonged to the previous session
        if self.stepper.network.layer_sizes != sizes:
            self.stepper.reset(seed=seed, layer_sizes=sizes)
        self.stepper.set_state(state)
        bar.speed_slider.setValue(int(state.get("speed", bar.speed_slider.value())))
        bar.heatmap_check.setChecked(bool(state.get("heatmaps", False)))
        self.table.select_row(self.stepper.example)
        self._after_network_change()


def _describe(step) -> str:
    if step.kind == "forward":
        return f"forward: compute {step.unit_label}"
    if step.kind == "loss":
        return "loss L"
    if step.kind == "backward":
        return f"backward: ∂L/∂{step.parameter.label}"
    return "update every parameter"
