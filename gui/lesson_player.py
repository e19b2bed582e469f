"""Lessons in the window: the dock, its keys, and each caption's state applied to the tabs.

``LessonController(window)`` puts the ``LessonPanel`` in a dock (``lessonPanel``,
View ▸ Lesson panel, Ctrl+L), adds File ▸ Open lesson…, and while the dock is open
lends the presentation clicker's Page Down / Page Up to Next / Previous: those keys
are taken off the tabs' step actions (``tab.commands()``) and given back when it
closes, so no key ever means two things.

A caption's state is applied through the tabs' own widgets and public models, so
every view agrees: the classifier's data set, seed, shape, α and mode through its
controls, then ``epochs`` whole epochs, the example and the micro-step; Newton's
function and settings through ``NewtonTab.apply_settings``. The state reached never
depends on the way there: Previous gives what Next gave. Cheaper routes are taken
only where they give the very same state — a move inside the pass already on show
steps there (or back, through the stepper's exact undo), and networks already
trained for a caption are kept (``TrainingStepper.state``) and restored rather than
trained again. Long work never holds the event loop: epochs are trained in slices
of a few tens of milliseconds, and a caption that needs the Newton tab before SymPy
has loaded waits for it asynchronously. ``applied`` is emitted once a caption's
state is in place and its outline drawn.
"""
from __future__ import annotations

import sys
import time
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMenu

from core.data import DATASETS, DEFAULT_VOCABULARY
from core.lessons import DATASET_KEYS, Caption, ClassifierSetup, MicroStep, NewtonSetup, unit_names
from core.records import BackwardStep, ForwardStep, LossStep, UpdateStep
from gui.actions import make_action
from gui.lesson_overlay import LessonOverlay, locate
from gui.lesson_panel import LessonPanel

PAGE_KEYS = (QKeySequence(Qt.Key.Key_PageDown), QKeySequence(Qt.Key.Key_PageUp))
SLICE_SECONDS = 0.04          # training per event-loop turn
POLL_MS = 25                  # waiting for the Newton tab to be ready
TRAINED_KEPT = 8              # trained networks kept for going back
DOCK_WIDTH = 300              # the dock's width at scale 1, where there is room
DOCK_MIN_WIDTH = 150          # narrower than this (× scale), captions float instead


def check_function_when_loaded(text: str) -> None:
    """Check a lesson's Newton function with the core parser once SymPy is loaded
    (start-up loads it in the background); before that the function box reports a
    bad function when the caption is shown."""
    if "sympy" in sys.modules:
        from core.parser import parse_function
        parse_function(text)


# ---------------------------------------------------------------------------- classifier
def record_matches(record, at: MicroStep, layer_sizes: tuple[int, ...]) -> bool:
    """Is ``record`` (a core.records step) the micro-step ``at`` names?"""
    if at.stage == "forward" and isinstance(record, ForwardStep):
        if at.name == "yhat":
            return record.is_output
        names = unit_names(layer_sizes)
        index = names.index(at.name) - layer_sizes[0]   # among the computed units
        return not record.is_output and \
            sum(layer_sizes[1:record.layer + 1]) + record.unit == index
    if at.stage == "loss":
        return isinstance(record, LossStep)
    if at.stage == "backward" and isinstance(record, BackwardStep):
        return record.parameter.name == at.name
    return at.stage == "update" and isinstance(record, UpdateStep)


def dataset_shown(tab, key: str) -> bool:
    model = tab.model
    rows = list(zip(model.sentences(), model.moods()))
    return rows == [tuple(r) for r in DATASETS[DATASET_KEYS[key]]] and \
        tuple(model.vocabulary) == DEFAULT_VOCABULARY


def configure_classifier(tab, setup: ClassifierSetup) -> None:
    """Data set, seed, shape, α and mode through the tab's own controls (each
    control's handler updates the stepper as a person's change would)."""
    tab.pause()
    if not dataset_shown(tab, setup.dataset):
        tab.model.load_dataset(DATASET_KEYS[setup.dataset])
    controls = tab.controls
    controls.seed_spin.setValue(setup.seed)
    controls.hidden_layers_spin.setValue(len(setup.hidden))
    controls.hidden_units_spin.setValue(setup.hidden[0])
    controls.learning_rate_spin.setValue(setup.learning_rate)
    controls.set_mode(setup.mode)
    if tab.stepper.learning_rate != setup.learning_rate:   # finer than the spin box
        tab.stepper.learning_rate = setup.learning_rate


def fingerprint(tab) -> tuple:
    """What the classifier shows, cheaply: equal fingerprints, equal states."""
    stepper = tab.stepper
    network = stepper.network
    return (id(network), tuple(w.tobytes() for w in network.weights),
            tuple(b.tobytes() for b in network.biases), id(stepper.steps), stepper.index,
            stepper.example, stepper.epoch, len(stepper.epoch_losses), stepper.learning_rate,
            stepper.mode, tuple(tab.model.sentences()), tuple(tab.model.moods()))


def step_to(tab, at: MicroStep) -> None:
    """From the start of a pass (no record shown), step to ``at``."""
    stepper = tab.stepper
    if at.stage == "start":
        return
    sizes = stepper.network.layer_sizes
    for _ in range(10_000):
        record = stepper.step()
        if record is None or record_matches(record, at, sizes):
            return
    raise RuntimeError(f"the pass has no micro-step {at}")


def move_in_pass(tab, at: MicroStep) -> bool:
    """Step forward or back inside the pass on show to ``at`` (back through the
    stepper's exact undo); False if ``at`` is not in it (then nothing moved)."""
    stepper = tab.stepper
    if not stepper.steps:                       # at the start of a pass
        step_to(tab, at)
        return True
    sizes = stepper.network.layer_sizes
    target = -1 if at.stage == "start" else next(
        (i for i, r in enumerate(stepper.steps) if record_matches(r, at, sizes)), None)
    if target is None:
        return False
    with stepper.held():
        for _ in range(stepper.index - target):
            stepper.step_back()
        for _ in range(target - stepper.index):
            stepper.step()
    return True


class ClassifierJob(QObject):
    """Brings the classifier tab to a caption's state; ``done`` when there."""

    done = Signal()

    def __init__(self, controller: LessonController, setup: ClassifierSetup):
        super().__init__(controller)
        self._controller = controller
        self._tab = controller.window.classifier_tab
        self._setup = setup
        self._left = 0
        self._chunk = 5
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._train_slice)
        self.finished = False

    def start(self) -> None:
        controller, tab, setup = self._controller, self._tab, self._setup
        tab.pause()
        previous = controller._classifier_shown
        same_pass = previous is not None and previous[1] == fingerprint(tab) and \
            replace(previous[0], at=MicroStep()) == replace(setup, at=MicroStep())
        if same_pass and move_in_pass(tab, setup.at):
            self._finish()
            return
        stepper = tab.stepper
        with stepper.held():
            configure_classifier(tab, setup)
            stepper.example = 0        # epochs start from the first row
            tab.reset()
            trained = controller._trained.get(self._key())
            if trained is not None:
                stepper.set_state(trained)
                self._left = 0
            else:
                self._left = setup.epochs
        if self._left:
            controller.window.statusBar().showMessage(f"Training {setup.epochs} epochs…")
            self._timer.start()
        else:
            self._at_position()

    def cancel(self) -> None:
        self._timer.stop()
        self.finished = True

    def _key(self) -> tuple:
        s = self._setup
        return (s.dataset, s.seed, s.hidden, s.learning_rate, s.mode, s.epochs)

    def _train_slice(self) -> None:
        if self.finished:
            return
        begun = time.perf_counter()
        n = min(self._chunk, self._left)
        self._tab.stepper.run_epochs(n)
        self._left -= n
        took = time.perf_counter() - begun
        # aim at SLICE_SECONDS a slice, whatever the machine and the network
        self._chunk = max(1, min(500, round(n * SLICE_SECONDS / max(took, 1e-4))))
        if self._left > 0:
            self._timer.start()
            return
        self._controller.window.statusBar().clearMessage()
        self._controller.keep_trained(self._key(), self._tab.stepper.state())
        self._at_position()

    def _at_position(self) -> None:
        stepper, setup = self._tab.stepper, self._setup
        with stepper.held():
            stepper.example = setup.example - 1
            step_to(self._tab, setup.at)
        self._finish()

    def _finish(self) -> None:
        self.finished = True
        self._controller._classifier_shown = (self._setup, fingerprint(self._tab))
        self.done.emit()


class NewtonJob(QObject):
    """Brings the Newton tab to a caption's state once the tab can parse (SymPy
    loaded), without waiting on the GUI thread."""

    done = Signal()

    def __init__(self, controller: LessonController, setup: NewtonSetup):
        super().__init__(controller)
        self._controller = controller
        self._setup = setup
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self.finished = False

    def start(self) -> None:
        tab = self._controller.window.newton_tab
        if tab.can_apply():
            self._apply()
            return
        tab.after_show()            # loads the parser; SymPy comes in on its worker
        self._controller.window.statusBar().showMessage("Loading Newton's method…")
        self._timer.start()

    def cancel(self) -> None:
        self._timer.stop()
        self.finished = True

    def _poll(self) -> None:
        if self._controller.window.newton_tab.can_apply():
            self._timer.stop()
            self._controller.window.statusBar().clearMessage()
            self._apply()

    def _apply(self) -> None:
        """Hand the tab the caption's function and settings; ``done`` once they are
        in place (the function parsed in the tab's child process, never waited for)."""
        from core.newton import NewtonMode
        s = self._setup
        tab = self._controller.window.newton_tab
        tab.apply_settings(s.function, position=s.step, mode=NewtonMode(s.mode), x0=s.x0,
                           tol=10.0 ** -s.tolerance_exponent, max_iter=s.max_iter,
                           race=s.race, learning_rate=s.race_learning_rate,
                           then=self._applied)

    def _applied(self, _applied: bool) -> None:
        if self.finished:           # cancelled meanwhile: another caption is coming
            return
        self.finished = True
        self.done.emit()


# ---------------------------------------------------------------------------- controller
class LessonController(QObject):
    """The lesson dock of ``window`` (a MainWindow) and the captions' effects."""

    applied = Signal(object)        # the Caption whose state is now shown

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.panel = LessonPanel(window.theme)
        self.panel.check_function = check_function_when_loaded
        self.dock = QDockWidget("Lesson", window)
        self.dock.setObjectName("lessonPanel")
        self.dock.setWidget(self.panel)
        self.dock.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea
                                  | Qt.DockWidgetArea.RightDockWidgetArea)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()
        self.overlay = LessonOverlay(window.tabs, window.theme)
        self._job: ClassifierJob | NewtonJob | None = None
        self._classifier_shown: tuple | None = None    # (setup, fingerprint) I left it at
        self._trained: OrderedDict[tuple, dict] = OrderedDict()
        self._lent: dict[int, tuple] = {}              # id(action) → (action, its keys)
        self._floated = False                          # floated for want of room
        self._room: QSize | None = None                # the window's size before the dock

        self.panel_action = self.dock.toggleViewAction()
        self.panel_action.setObjectName("lessonPanelAction")
        self.panel_action.setText("&Lesson panel")
        self.panel_action.setShortcut(QKeySequence("Ctrl+L"))
        self.panel_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        tip = "Lesson panel: a guided walk, one caption at a time"
        self.panel_action.setProperty("description", tip)
        self.panel_action.setToolTip(f"{tip} (Ctrl+L)")
        window.addAction(self.panel_action)
        self.next_action = self.panel.next_action
        self.prev_action = self.panel.prev_action
        self.open_action = make_action(window, "openLessonAction", "Open &lesson…", None,
                                       "Open a lesson file (.toml) of your own")
        self.open_action.triggered.connect(self.open_lesson_dialog)
        window.addAction(self.open_action)
        self._add_to_menus()

        self.panel_action.toggled.connect(self._on_panel_toggled)
        self.panel.caption_shown.connect(self.show_caption)
        window.tabs.currentChanged.connect(self._on_tab_changed)
        window.theme.changed.connect(self._on_theme_changed)

    # ------------------------------------------------------------------ public API
    def commands(self) -> list[QAction]:
        """The lesson's commands for the shortcut list (menu order)."""
        return [self.panel_action, self.next_action, self.prev_action, self.open_action]

    def is_open(self) -> bool:
        return self.panel_action.isChecked()

    def is_applying(self) -> bool:
        return self._job is not None and not self._job.finished

    def open_lesson(self, path: str | Path) -> bool:
        """Show the panel and open the lesson file ``path`` (its message if it is bad)."""
        self.set_open(True)
        return self.panel.add_lesson(path)

    def set_open(self, on: bool) -> None:
        """Show or close the lesson dock (as View ▸ Lesson panel does)."""
        if on != self.is_open():
            self.panel_action.trigger()

    def open_lesson_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Open lesson", "",
                                              "Stepwise lesson (*.toml);;All files (*)")
        if path:
            self.open_lesson(path)

    def show_caption(self, caption: Caption | None) -> None:
        """Apply ``caption``'s state to the tabs, then outline what it points at."""
        if self._job is not None:
            self._job.cancel()
            self._job = None
        self.overlay.clear()
        if caption is None:
            return
        self.window.show_tab(caption.tab)
        self._claim_keys()
        if caption.tab == "classifier":
            job: ClassifierJob | NewtonJob = ClassifierJob(self, caption.classifier)
        else:
            job = NewtonJob(self, caption.newton)
        self._job = job
        job.done.connect(lambda c=caption, j=job: self._on_applied(c, j))
        job.start()

    def outline(self):
        """The outlined rectangle in the tabs' coordinates, or None."""
        return self.overlay.outline()

    def keep_trained(self, key: tuple, state: dict) -> None:
        self._trained[key] = state
        self._trained.move_to_end(key)
        while len(self._trained) > TRAINED_KEPT:
            self._trained.popitem(last=False)

    # ------------------------------------------------------------------ internals
    def _on_applied(self, caption: Caption, job) -> None:
        if job is not self._job:
            return
        self._outline(caption)
        if self._floated and self.dock.isFloating():
            self._place_floating()              # clear of what the caption points at
        self.applied.emit(caption)

    def _outline(self, caption: Caption) -> None:
        def find():
            return locate(self.window, caption) if self.is_open() else None
        self.overlay.point_at(find)

    def _add_to_menus(self) -> None:
        menus = {a.text().replace("&", ""): a.menu() for a in self.window.menuBar().actions()
                 if isinstance(a.menu(), QMenu)}
        file_menu, view_menu = menus.get("File"), menus.get("View")
        if file_menu is not None:
            actions = file_menu.actions()
            before = next((a for a in actions if a.isSeparator()), None)
            file_menu.insertAction(before, self.open_action) if before else \
                file_menu.addAction(self.open_action)
        if view_menu is not None:
            view_menu.addSeparator()
            view_menu.addAction(self.panel_action)

    def _on_panel_toggled(self, on: bool) -> None:
        if on:
            self._claim_keys()
            self._room = self.window.size()      # before the dock is laid out beside the tabs
            self._fit_dock()
            QTimer.singleShot(0, self, self._fit_dock)
            if self.panel.caption is not None:       # the caption on show, outlined again
                self._outline(self.panel.caption)
            self.panel.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            if self._job is not None:
                self._job.cancel()
                self._job = None
            self.overlay.clear()
            self._return_keys()

    def _fit_dock(self) -> None:
        """A readable width for the captions beside the tabs, never more than the
        tabs leave free; where they leave too little (the classifier at 150 % on a
        1366-pixel screen), the panel floats over the window's right-hand side
        instead of pushing the window past the screen's edge."""
        window, dock = self.window, self.dock
        scale = window.theme.scale
        room = self._room if self._room is not None else window.size()
        free = room.width() - window.centralWidget().minimumSizeHint().width() - 8
        if free < max(dock.minimumSizeHint().width(), round(DOCK_MIN_WIDTH * scale)):
            if not dock.isFloating():
                self._floated = True
                dock.setFloating(True)
            self._place_floating()
            return
        if self._floated and dock.isFloating():
            dock.setFloating(False)             # room again: back beside the tabs
        self._floated = False
        if not dock.isFloating():
            width = max(dock.minimumSizeHint().width(), min(round(DOCK_WIDTH * scale), free))
            window.resizeDocks([dock], [width], Qt.Orientation.Horizontal)
            if window.width() > room.width() and not (window.isFullScreen()
                                                      or window.isMaximized()):
                window.resize(room)             # the dock takes room from the tabs
            if window.width() > room.width():   # it could not: float instead
                self._floated = True
                dock.setFloating(True)
                window.resize(room)
                self._place_floating()

    def _place_floating(self) -> None:
        """The floating panel in a corner of the window clear of the outline."""
        window, dock = self.window, self.dock
        scale = window.theme.scale
        width = min(round(DOCK_WIDTH * scale), round(window.width() * 0.32))
        height = round(window.height() * 0.5)
        area = QRect(window.mapToGlobal(QPoint(0, 0)), window.size())
        top = area.top() + round(80 * scale)
        corners = {"top right": QRect(area.right() - width - 16, top, width, height),
                   "bottom right": QRect(area.right() - width - 16, area.bottom() - height - 16,
                                         width, height),
                   "bottom left": QRect(area.left() + 16, area.bottom() - height - 16,
                                        width, height)}
        # over what matters least: the classifier's small plots, the Newton table
        order = ("bottom left", "bottom right", "top right") \
            if window.tabs.currentIndex() == 0 else ("bottom right", "bottom left", "top right")
        spots = [corners[name] for name in order]
        outline = self.overlay.outline()
        if outline is not None:
            outline = QRect(window.tabs.mapToGlobal(outline.topLeft()), outline.size())
        spot = next((r for r in spots if outline is None or not r.intersects(outline)),
                    spots[0])
        dock.setGeometry(spot)

    def _on_theme_changed(self) -> None:
        if self.is_open():                   # another scale: other room beside the tabs
            self._room = None
            QTimer.singleShot(0, self, self._fit_dock)

    def _on_tab_changed(self, _index: int) -> None:
        if self.is_open():
            self._claim_keys()
            QTimer.singleShot(0, self, self._claim_keys)    # a tab built on first show

    def _claim_keys(self) -> None:
        """Take Page Down / Page Up off every built tab's actions (once each)."""
        if not self.is_open():
            return
        for tab in self.window.demo_tabs(build=False):
            for action in tab.commands():
                if id(action) in self._lent:
                    continue
                keys = action.shortcuts()
                kept = [k for k in keys if k not in PAGE_KEYS]
                if len(kept) != len(keys):
                    self._lent[id(action)] = (action, keys)
                    action.setShortcuts(kept)

    def _return_keys(self) -> None:
        for action, keys in self._lent.values():
            action.setShortcuts(keys)
        self._lent.clear()
