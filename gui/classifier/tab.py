"""The classifier tab: sentences, the network diagram, the chain rule, the controls.

The tab is wiring and holds no maths.  A ``core.stepper.TrainingStepper`` owns the
network and the walk of micro-steps; commands ask it to move, and the views
subscribe to what it announces, once, here: the diagram, the chain-rule panel, the
table's selected row and the status line follow ``position_changed``; ŷ in the
table, the heat-maps and the try box follow ``weights_changed`` (so the many
micro-steps that leave the weights alone cost nothing there); the loss curve
follows ``losses_changed``.  Playing is ``gui.classifier.player``; the panes'
arrangement ``gui.classifier.layout``; the session format ``gui.classifier.session``.
"""
from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QSignalBlocker
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QVBoxLayout, QWidget

from core.network import Network, TrainingOverflow
from core.records import UpdateStep
from core.stepper import TrainingStepper
from gui.actions import undo_redo_actions
from gui.classifier import session
from gui.classifier.chain_panel import ChainRulePanel
from gui.classifier.controls import ClassifierActions, ControlBar
from gui.classifier.diagram import NetworkDiagram
from gui.classifier.layout import ClassifierBody
from gui.classifier.player import ClassifierPlayer
from gui.classifier.plots import BoundaryPlot, LossPlot
from gui.classifier.sentence_model import SentenceTableModel
from gui.classifier.sentence_table import SentenceTable
from gui.classifier.status import status_parts
from gui.classifier.try_sentence import TrySentence

DEFAULT_SEED = 0
DEFAULT_LEARNING_RATE = 0.5
DEFAULT_HIDDEN = (2,)


class ClassifierTab(QWidget):
    """Tab 1: teach classification by back-propagation, one micro-step at a time.
    Implements ``gui.demo_tab.DemoTab``."""

    session_key = "classifier"

    def __init__(self, theme, parent=None):
        super().__init__(parent)
        self.setObjectName("classifierTab")
        self.theme = theme
        self.undo_stack = QUndoStack(self)
        self.model = SentenceTableModel(self.undo_stack, parent=self)
        self.classifier_actions = ClassifierActions(self)

        self.table = SentenceTable(self.model, theme)
        self.try_sentence = TrySentence(theme)
        self.loss_plot = LossPlot(theme)
        self.boundary_plot = BoundaryPlot(theme)
        self.controls = ControlBar(self.classifier_actions, theme)
        self.diagram = NetworkDiagram(theme)
        self.chain_panel = ChainRulePanel(theme)
        self.main_splitter = ClassifierBody(self.table, self.try_sentence, self.loss_plot,
                                            self.boundary_plot, self.controls, self.diagram,
                                            self.chain_panel, theme)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.main_splitter)
        self.stage = False
        for action in [*self.classifier_actions.all(), self.classifier_actions.settings]:
            self.addAction(action)
        self.undo_action, self.redo_action = undo_redo_actions(
            self.undo_stack, self, ("Undo the last edit of the table", "Redo the edit undone last"))

        self.seed = DEFAULT_SEED
        self.hidden = DEFAULT_HIDDEN
        self._features = np.zeros((0, len(self.model.vocabulary)))
        self._network_shown: tuple = (None, -1, None)   # what the diagram's numbers are for
        with QSignalBlocker(self.controls.seed_spin), \
                QSignalBlocker(self.controls.learning_rate_spin), \
                QSignalBlocker(self.controls.hidden_units_spin):
            self.controls.seed_spin.setValue(self.seed)
            self.controls.learning_rate_spin.setValue(DEFAULT_LEARNING_RATE)
            self.controls.hidden_units_spin.setValue(DEFAULT_HIDDEN[0])
        dataset = self.model.dataset()
        self.stepper = TrainingStepper(Network(self.layer_sizes(), seed=self.seed),
                                       dataset.features, dataset.labels,
                                       learning_rate=DEFAULT_LEARNING_RATE,
                                       mode=self.controls.mode())
        self.player = ClassifierPlayer(self.stepper, self.classifier_actions.play,
                                       self.controls.speed, parent=self)
        self._overflow = ""          # the last blown-up run's message, until a change
        # predict mode (gui.predict_controller): asked before Step; True: consumed
        self.step_gate: Callable[[], bool] | None = None
        self._predicting = False
        self._hidden_values: frozenset = frozenset()
        self.player.overflowed.connect(self._on_overflow)
        self._subscribe()
        self._connect()
        self._on_training_data_changed()   # ŷ, the plane and the status for the first time
        self._on_losses_changed()
        self._on_position_changed()
        self.table.select_row(0)

    def _subscribe(self) -> None:
        """The views follow the stepper (napari's style: subscribe once, ``_on_*``)."""
        s = self.stepper
        s.weights_changed.connect(self._on_weights_changed)
        s.losses_changed.connect(self._on_losses_changed)
        s.position_changed.connect(self._on_position_changed)
        s.settings_changed.connect(self._on_settings_changed)

    def _connect(self) -> None:
        c = self.classifier_actions
        c.step.triggered.connect(self._manual(self.step))
        c.step_example.triggered.connect(self._manual(self.step_example))
        c.step_epoch.triggered.connect(self._manual(self.step_epoch))
        c.step_back.triggered.connect(self._manual(self.step_back))
        c.step_back_example.triggered.connect(self._manual(self.step_back_example))
        c.reset.triggered.connect(self._manual(self.reset))
        bar = self.controls
        bar.seed_spin.valueChanged.connect(self._on_seed_changed)
        bar.learning_rate_spin.valueChanged.connect(self._on_learning_rate_changed)
        bar.mode_combo.currentIndexChanged.connect(self._on_mode_changed)
        bar.hidden_units_spin.valueChanged.connect(self._on_shape_changed)
        bar.hidden_layers_spin.valueChanged.connect(self._on_shape_changed)
        bar.heatmap_check.toggled.connect(self.diagram.set_heatmaps_visible)
        bar.speed_slider.valueChanged.connect(lambda _v: self.player.apply_speed())
        self.model.training_data_changed.connect(self._on_training_data_changed)
        self.model.modelReset.connect(self._hide_predictions)   # after the table's layout
        self.table.example_selected.connect(self._on_example_selected)
        self.table.vocabulary_changed_problem.connect(lambda _e: self._show_problems())

    def _manual(self, command):
        """A button or key press: a lecturer stepping by hand wants the play to stop.
        A step that blows up changes nothing (the core undoes it) and says why."""
        def run(*_args):
            self.pause()
            try:
                command()
            except TrainingOverflow as overflow:
                self._on_overflow(str(overflow))
        return run

    def _on_overflow(self, message: str) -> None:
        """Name the blown-up run in the banner until the settings or data change."""
        self._overflow = message
        self._show_problems()

    # ------------------------------------------------------------------ commands
    def step(self) -> None:
        """One micro-step of the walk (in predict mode, first the asked values)."""
        if self.step_gate is not None and self.step_gate():
            return
        self.stepper.step()

    def step_example(self) -> None:
        """Finish this example's pass (forward, loss, backward, update)."""
        self.stepper.step_example()

    def step_epoch(self) -> None:
        self.stepper.step_epoch()

    def step_back(self) -> None:
        """Undo the last step of any size, restoring the earlier state exactly."""
        self.stepper.step_back()

    def step_back_example(self) -> None:
        """Step back to the start of the current pass (or of the previous one)."""
        stepper = self.stepper
        with stepper.held():     # the views are redrawn once, at the start of the pass
            if stepper.step_back():
                # a pass starts right after the previous pass's update (or from rest)
                while stepper.can_step_back and stepper.current is not None \
                        and not isinstance(stepper.current, UpdateStep):
                    stepper.step_back()

    def reset(self) -> None:
        """Re-initialise the network from the seed; the data stays."""
        self.pause()
        self._clear_overflow()
        self.stepper.reset(seed=self.seed, layer_sizes=self.layer_sizes())

    def toggle_play(self) -> None:
        self.player.toggle()

    def pause(self) -> None:
        self.player.pause()

    def is_playing(self) -> bool:
        return self.player.is_playing()

    # ------------------------------------------------------------------ DemoTab
    def commands(self) -> list[QAction]:
        """The stepping commands in the order of the buttons, then undo and redo."""
        return [*self.classifier_actions.all(), self.classifier_actions.settings,
                self.undo_action, self.redo_action]

    def after_show(self) -> None:
        """Nothing is deferred: the classifier is built with the window."""

    def is_ready(self) -> bool:
        return True

    def stop(self) -> None:
        """The window is closing: stop playing."""
        self.pause()

    def set_stage(self, on: bool) -> None:
        """DemoTab: the stage layout (presentation mode, View ▸ Focus).

        The control bar spans the top of the tab with the stepping controls on one
        row; the data-set tools, seed, α, mode, width, depth and heat-maps fold into
        the drawer its "Settings ▾" opens; the sentence table narrows to sentence,
        mood, ŷ and ✓; the diagram and the chain rule get two thirds of the tab.
        ``False`` puts every widget back where it was, with the earlier split."""
        on = bool(on)
        if on == self.stage:
            return
        self.stage = on
        layout = self.layout()
        # the stage's few pixels go to the pictures (the normal margins come back after)
        layout.setContentsMargins(*((4, 2, 4, 2) if on else (4, 4, 4, 4)))
        layout.setSpacing(2 if on else -1)
        if on:
            self.controls.add_to_drawer(self.table.tools)
            layout.insertWidget(0, self.controls)      # leaves the right column
        else:
            self.table.restore_tools()
            layout.removeWidget(self.controls)
            self.main_splitter.restore_controls()
        self.table.set_stage(on)
        self._hide_predictions()         # the table lays its columns out anew
        self.controls.set_stage(on)
        self.main_splitter.set_stage(on)

    def export_widget(self) -> QWidget:
        """The area to export as PNG/SVG: diagram, chain rule and plots (the whole tab
        body, since the plots sit in the left column)."""
        return self.main_splitter

    def state(self) -> dict:
        """Everything needed to reopen this demo exactly (down to the micro-step)."""
        return session.tab_state(self)

    def restore_state(self, state: dict) -> None:
        """Reopen a demo saved by ``state()``; raises ValueError if it cannot be."""
        session.restore_tab(self, state)

    # ------------------------------------------------------------------ settings
    def layer_sizes(self) -> tuple[int, ...]:
        return (len(self.model.vocabulary), *self.hidden, 1)

    def _on_seed_changed(self, seed: int) -> None:
        self.seed = int(seed)
        self.reset()

    def _on_learning_rate_changed(self, value: float) -> None:
        self.stepper.learning_rate = float(value)
        self._clear_overflow()

    def _clear_overflow(self) -> None:
        if self._overflow:
            self._overflow = ""
            self._show_problems()

    def _on_mode_changed(self, _index: int) -> None:
        self.stepper.mode = self.controls.mode()

    def _on_shape_changed(self, _value: int) -> None:
        self.hidden = (self.controls.hidden_units_spin.value(),) * \
            self.controls.hidden_layers_spin.value()
        self.reset()

    def _on_example_selected(self, row: int) -> None:
        if 0 <= row < self.stepper.n_examples:
            self.stepper.example = row

    # ------------------------------------------------------------------ data
    def _on_training_data_changed(self) -> None:
        dataset = self.model.dataset()
        # the banner first: its new height re-lays the column out, and when that came
        # after the plots' updates Qt painted them twice, before and after (~40 ms
        # more for a pasted table of 5,000 rows)
        self._show_problems()
        self._features = dataset.features
        trainable = len(dataset.labels) > 0
        names = [str(k + 1) for k in range(len(dataset.labels))]
        self.boundary_plot.set_data(self._features, dataset.labels, names, self.model.vocabulary)
        self.diagram.set_heatmap_extent(*self.boundary_plot.extent)
        if not trainable or self.stepper.network.layer_sizes[0] != len(self.model.vocabulary):
            self.pause()  # one input unit per word: set_data re-creates the network
        for action in self.classifier_actions.training():
            action.setEnabled(trainable)
        self.stepper.set_data(self._features, dataset.labels)
        # the model forgets ŷ when rows come or go, and the sentences are in the status
        self._show_predictions()
        self._show_status()

    def _show_problems(self) -> None:
        problems = list(self.model.dataset().problems())
        if self._overflow:
            problems.insert(0, self._overflow)
        error = self.table.vocabulary_error()
        if error:
            problems.insert(0, f"Vocabulary not applied: {error}")
        self.table.show_problems(problems)

    def problems(self) -> list[str]:
        """The warnings the banner shows."""
        if not self.table.banner.isVisibleTo(self):
            return []
        return [html.unescape(p) for p in
                self.table.banner.text().replace("⚠ ", "").split("<br>")]

    # ------------------------------------------------------------------ showing
    def _on_weights_changed(self) -> None:
        self._show_network()
        self._show_predictions()
        self._show_status()

    def _on_losses_changed(self) -> None:
        self.loss_plot.set_losses(self.stepper.epoch_losses)

    def _on_position_changed(self) -> None:
        stepper = self.stepper
        shown = self._network_shown
        if shown[0] is not stepper.network or shown[1] != stepper.example or \
                shown[2] is not self._features:
            self._show_network()          # another row's values (the weights have theirs)
        current = stepper.current
        self.diagram.show_step(current)
        self.chain_panel.show_step(current, stepper.learning_rate)
        if stepper.can_step and self.table.current_row() != stepper.example:
            self.table.select_row(stepper.example)   # the table shows which row is walked
        self._show_status()

    def show_hidden_values(self, keys: frozenset, predicting: bool) -> None:
        """Predict mode: "?" for the values ``keys`` names in the diagram and the
        chain rule; ``predicting``: no unit value before the forward pass computes it,
        and the table's ŷ and ✓ columns hidden."""
        self.diagram.set_hidden(keys, predicting)
        self.chain_panel.set_hidden(keys)
        self._predicting = bool(predicting)
        self._hide_predictions()
        if keys != self._hidden_values:
            self._hidden_values = frozenset(keys)
            self._show_status()

    def _hide_predictions(self) -> None:
        """In predict mode the table's ŷ (and whether it is right) would give the
        walked row's ŷ away before the forward pass: those columns are hidden."""
        for column in (self.model.prediction_column, self.model.correct_column):
            if self.table.view.isColumnHidden(column) != self._predicting:
                self.table.view.setColumnHidden(column, self._predicting)

    def _on_settings_changed(self, _what: frozenset) -> None:
        self._on_position_changed()      # the chain rule shows α, the status the mode

    def _show_network(self) -> None:
        """The weights, and the walked example's values, on the diagram."""
        network, example, features = self.stepper.network, self.stepper.example, self._features
        x = features[example] if example < len(features) else None
        self.diagram.set_network(network, self.model.vocabulary, x)
        self._network_shown = (network, example, features)

    def _show_predictions(self) -> None:
        network = self.stepper.network
        features = self._features
        self.model.set_predictions(network.predict(features) if len(features) else None)
        if network.layer_sizes[0] == 2:
            self.boundary_plot.set_predictions(network.predict(self.boundary_plot.grid_inputs()))
        else:
            self.boundary_plot.set_predictions(None)
        self.try_sentence.set_network(network, self.model.vocabulary)

    def _show_status(self) -> None:
        parts = status_parts(self.stepper, self.model.sentences())
        if "loss_after" in self._hidden_values and parts.loss:
            parts = dataclasses.replace(parts, loss="?")   # the update's new loss is asked
        self.controls.status.set_parts(parts)
        can_back = self.stepper.can_step_back
        self.classifier_actions.step_back.setEnabled(can_back)
        self.classifier_actions.step_back_example.setEnabled(can_back)
