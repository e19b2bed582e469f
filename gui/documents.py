"""The session as a document: its file, whether it has unsaved changes, recent files,
autosave and recovery, and the Save / Discard / Cancel question.

``Document`` belongs to the main window and knows the tabs only through
``gui.demo_tab.DemoTab`` (``state``/``restore_state``): it watches every tab's
widgets, models and core signals, and after any of them fires it compares the tabs'
``state()`` with the state last saved or opened. A difference sets the window's
modified mark (``name.json[*] — Stepwise``) and starts a debounced autosave; saving
clears it. Once modified the document stays so until saved, so a long play costs
nothing here but the 2-second autosave.

The questions (unsaved changes, overwrite a file changed on disk, recover) are
asked without blocking (``gui.document_dialogs``): the box opens window-modal and
the command carries on from its answer. Recent files are ``gui.recent_files``,
the autosave slot ``gui.autosave``, Reset's undo ``gui.reset_undo``.
"""
from __future__ import annotations

import copy
import logging
import os
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QMenu,
    QWidget,
)

from core.signals import Signal as CoreSignal
from gui import document_dialogs as dialogs
from gui.demo_tab import DemoTab
from gui.document_dialogs import Choice, display_name, window_title
from gui.recent_files import RecentFiles, menu_labels

if TYPE_CHECKING:
    from gui.autosave import AutosaveSlot, Orphan

log = logging.getLogger(__name__)

AUTOSAVE_DELAY_MS = 2000          # after the first change; at most one write per delay
# a long run's session is large (a million epochs' losses: ~20 MB, ~1 s of the autosave
# thread, which the window feels through the GIL): one more delay per this many epochs
AUTOSAVE_EPOCHS_PER_DELAY = 50_000
AUTOSAVE_MAX_DELAY_MS = 60_000
AUTOSAVE_MAX_DEFERRALS = 5        # then build a tab start-up has not built yet
DEFAULT_NAME = "lecture.stepwise.json"


# ---- the document ----------------------------------------------------------------------------
class Document(QObject):
    """The window's session file and its unsaved-changes state."""

    modified_changed = Signal(bool)

    def __init__(self, window, autosave: AutosaveSlot | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.path: str | None = None
        self.modified = False
        self.recent = RecentFiles()
        # core.session and the autosave slot are imported when first needed: start-up
        # pays ~20 ms for the schema's dataclasses otherwise
        self._autosave = autosave
        self.autosave_enabled = True
        self._autosave_deferred = 0
        self._fingerprint = None           # the file as it was when opened/saved
        self._clean: dict[str, dict] = {}  # tab key → state() when last clean
        self._defaults: dict[str, dict] = {}  # tab key → state() when first watched (New)
        self._tabs: dict[str, DemoTab] = {}
        self._quiet = 0                    # > 0 while the document itself changes the tabs
        self._close_confirmed = False
        self._asking = False               # an unsaved-changes question is open
        self._compare_timer = QTimer(self, singleShot=True, interval=0)
        self._compare_timer.timeout.connect(self._compare)
        self._autosave_timer = QTimer(self, singleShot=True, interval=AUTOSAVE_DELAY_MS)
        self._autosave_timer.timeout.connect(self._autosave_now)
        self._reset_undo: list = []
        for index in range(window.tabs.count()):
            page = window.tabs.widget(index)
            if isinstance(page, DemoTab):
                self._watch(page)
            else:                          # a page that builds its tab when first shown
                page.installEventFilter(self)
        self._update_title()

    @property
    def autosave(self) -> AutosaveSlot:
        if self._autosave is None:
            from gui.autosave import AutosaveSlot
            self._autosave = AutosaveSlot()
        return self._autosave

    @autosave.setter
    def autosave(self, slot: AutosaveSlot) -> None:
        self._autosave = slot

    # ---- watching the tabs --------------------------------------------------------------
    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.ChildAdded and isinstance(event.child(), DemoTab) \
                and isinstance(event.child(), QWidget):
            self._watch(event.child())
        return False

    def _watch(self, tab) -> None:
        key = tab.session_key
        if key in self._tabs:
            return
        self._tabs[key] = tab
        self._defaults[key] = copy.deepcopy(tab.state())
        self._clean.setdefault(key, copy.deepcopy(self._defaults[key]))
        changed = self._on_change
        for widget in tab.findChildren(QWidget):
            if isinstance(widget, QAbstractSpinBox) and hasattr(widget, "valueChanged"):
                widget.valueChanged.connect(changed)
            elif isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(changed)
            elif isinstance(widget, QAbstractSlider):
                widget.valueChanged.connect(changed)
            elif isinstance(widget, QLineEdit):
                widget.textChanged.connect(changed)
            elif isinstance(widget, QAbstractButton) and widget.isCheckable():
                widget.toggled.connect(changed)
        for model in tab.findChildren(QAbstractItemModel):
            for signal in (model.dataChanged, model.rowsInserted, model.rowsRemoved,
                           model.modelReset, model.layoutChanged):
                signal.connect(changed)
        for stack in tab.findChildren(QUndoStack):
            stack.indexChanged.connect(changed)
        for action in tab.actions():
            action.triggered.connect(changed)
        for value in list(vars(tab).values()):     # the core models: stepper, player
            for name, attribute in vars(type(value)).items():
                if isinstance(attribute, CoreSignal):
                    getattr(value, name).connect(self._on_core_change)
        self._install_reset_undo(tab)

    def _install_reset_undo(self, tab) -> None:
        from gui.reset_undo import ClassifierResetUndo, NewtonResetUndo
        kinds = {"classifier": ClassifierResetUndo, "newton": NewtonResetUndo}
        try:
            if tab.session_key in kinds:
                self._reset_undo.append(kinds[tab.session_key](tab))
        except AttributeError as error:   # a tab without the usual reset action
            log.warning("Reset stays without undo in %s: %s", tab.session_key, error)

    def _on_core_change(self, *_args) -> None:
        self._on_change()

    def _on_change(self, *_args) -> None:
        if self._quiet:
            return
        if self.modified:
            if not self._autosave_timer.isActive():
                self._autosave_timer.start()
        elif not self._compare_timer.isActive():
            self._compare_timer.start()

    def _compare(self) -> None:
        if self._quiet or self.modified:
            return
        for key, tab in self._tabs.items():
            if tab.state() != self._clean.get(key):
                self.set_modified(True)
                return

    @contextmanager
    def quiet(self):
        """The document itself changes the tabs (open, new, recover): not an edit."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    def mark_clean(self, states: dict[str, dict] | None = None) -> None:
        """The tabs now show what the file holds (``states``: the parts written/read)."""
        self._compare_timer.stop()
        for key, tab in self._tabs.items():
            state = (states or {}).get(key)
            self._clean[key] = copy.deepcopy(state if state is not None else tab.state())
        self.set_modified(False)

    def set_modified(self, modified: bool) -> None:
        if modified == self.modified:
            return
        self.modified = modified
        self.window.setWindowModified(modified)
        if modified:
            self._autosave_timer.start()
        else:
            self._autosave_timer.stop()
            if self._autosave is not None:
                self.autosave.remove()
        self.modified_changed.emit(modified)

    def _update_title(self) -> None:
        self.window.setWindowTitle(window_title(self.path))
        self.window.setWindowModified(self.modified)

    # ---- files ---------------------------------------------------------------------------
    def open_file(self, path: str) -> None:
        """Show the session in ``path``; a bad file raises SessionError (one short
        message naming the problem) and the tabs are left as they were."""
        from core.session import load_session
        document = load_session(path).to_json()
        self._restore(document, Path(path).name)
        self._set_path(path)
        # what the file holds is the clean state (a tab still applying it later,
        # e.g. parsing its function, is not an edit)
        self.mark_clean(document)

    def _restore(self, document: dict, name: str) -> None:
        from core.session import SessionError
        window = self.window
        tabs = window.demo_tabs()
        backup = [tab.state() for tab in tabs]
        with self.quiet():
            try:
                for tab in tabs:
                    tab.restore_state(document[tab.session_key])
            except ValueError as error:  # a well-formed file with impossible contents
                for tab, state in zip(tabs, backup):
                    tab.restore_state(state)
                reason = str(error).strip() or type(error).__name__
                raise SessionError(f"{name} could not be restored: {reason}") from error
            tab_index = (document.get("view") or {}).get("tab")
            if isinstance(tab_index, int) and 0 <= tab_index < window.tabs.count():
                window.tabs.setCurrentIndex(tab_index)

    def save_file(self, path: str) -> None:
        """Write the session to ``path`` atomically; raises OSError or SessionError."""
        from core.session import save_session
        state = self.window.session_state()
        save_session(path, state)
        self._set_path(path)
        self.mark_clean({key: state[key] for key in self._tabs if key in state})

    def _set_path(self, path: str) -> None:
        from core.session import file_fingerprint
        self.path = os.path.abspath(path)
        self._fingerprint = file_fingerprint(path)
        self.recent.add(self.path)
        self._update_title()

    def changed_on_disk(self) -> bool:
        """Another program rewrote the file since it was opened or saved here."""
        if self.path is None or self._fingerprint is None:
            return False
        from core.session import file_fingerprint
        now = file_fingerprint(self.path)
        return now is not None and tuple(now) != tuple(self._fingerprint)

    def new(self) -> None:
        """A fresh session: every tab as it was when the window opened."""
        with self.quiet():
            for key, tab in self._tabs.items():
                tab.restore_state(copy.deepcopy(self._defaults[key]))
        self.path, self._fingerprint = None, None
        self._update_title()
        self.mark_clean(self._defaults)

    # ---- commands (the File menu) ------------------------------------------------------------
    def save(self, ask: bool = False, then: Callable[[], None] | None = None) -> bool:
        """File ▸ Save (``ask``: Save As). True if written now; a question about a
        file changed on disk answers later, running ``then`` after a good save."""
        path = self.path
        if ask or not path:
            path = dialogs.choose_save_path(self.window, path or self._suggested_path())
            if not path:
                return False
        elif self.changed_on_disk():
            def answered(choice: Choice) -> None:
                if choice is Choice.SAVE:
                    if self._save_to(path) and then:
                        then()
                elif choice is Choice.DISCARD:
                    if self.save(ask=True) and then:
                        then()
            dialogs.ask_overwrite_changed_file(self.window, display_name(path), answered)
            return False
        if not self._save_to(path):
            return False
        if then:
            then()
        return True

    def _suggested_path(self) -> str:
        recent = self.recent.paths()
        folder = Path(recent[0]).parent if recent else Path.home()
        return str(folder / DEFAULT_NAME)

    def _save_to(self, path: str) -> bool:
        from core.session import SessionError
        try:
            self.save_file(path)
        except (OSError, SessionError) as error:
            reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
            dialogs.show_problem(self.window, "Session not saved",
                                 f"Could not save {display_name(path)}: {reason}")
            return False
        self.window.statusBar().showMessage(f"Saved {self.path}", 5000)
        return True

    def open_interactive(self, path: str) -> bool:
        """Open ``path`` and say so, or show one message why not."""
        from core.session import SessionError
        try:
            self.open_file(path)
        except SessionError as error:
            if not os.path.exists(path):
                self.recent.remove(os.path.abspath(path))
            dialogs.show_problem(self.window, "Session not opened", str(error),
                                 "The open session is unchanged.")
            return False
        self.window.statusBar().showMessage(f"Opened {self.path}", 5000)
        return True

    def settle_then(self, verb: str, then: Callable[[], None]) -> None:
        """Run ``then`` once unsaved changes are saved or discarded (asking first)."""
        if not self.modified:
            then()
            return
        if self._asking:
            return                         # Ctrl+Q twice: one question is enough
        self._asking = True

        def answered(choice: Choice) -> None:
            self._asking = False
            if choice is Choice.SAVE:
                self.save(then=then)
            elif choice is Choice.DISCARD:
                then()
        dialogs.ask_unsaved_changes(self.window, display_name(self.path), verb, answered)

    def open_dialog(self) -> None:
        def choose() -> None:
            folder = str(Path(self.path).parent) if self.path else ""
            path = dialogs.choose_open_path(self.window, folder)
            if path:
                self.open_interactive(path)
        self.settle_then("opening another session", choose)

    def open_recent(self, path: str) -> None:
        self.settle_then("opening another session", lambda: self.open_interactive(path))

    def new_interactive(self) -> None:
        self.settle_then("starting a new session", self.new)

    def may_close(self) -> bool:
        """closeEvent: True to close now; False while the question is asked (the
        window is closed again once changes are saved or discarded)."""
        if not self.modified or self._close_confirmed:
            return True

        def confirmed() -> None:
            self._close_confirmed = True
            QTimer.singleShot(0, self.window.close)
        self.settle_then("closing", confirmed)
        return False

    def closed(self) -> None:
        """A clean exit: nothing left to recover."""
        self._autosave_timer.stop()
        if self._autosave is not None:
            self.autosave.release()

    def fill_recent_menu(self, menu: QMenu) -> None:
        """File ▸ Open Recent, rebuilt each time it opens."""
        menu.clear()
        paths = self.recent.paths()
        for path, label in zip(paths, menu_labels(paths)):
            action = QAction(label, menu)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _c=False, p=path: self.open_recent(p))
            menu.addAction(action)
        if not paths:
            empty = menu.addAction("No recent sessions")
            empty.setEnabled(False)
        menu.addSeparator()
        clear = menu.addAction("&Clear list")
        clear.setObjectName("clearRecentAction")
        clear.setEnabled(bool(paths))
        clear.triggered.connect(self.recent.clear)

    # ---- autosave and recovery -----------------------------------------------------------
    def _autosave_now(self) -> None:
        if not (self.modified and self.autosave_enabled):
            return
        if self.autosave.busy():
            self._autosave_timer.start(500)
            return
        window = self.window
        if len(window.demo_tabs(build=False)) < window.tabs.count() and \
                self._autosave_deferred < AUTOSAVE_MAX_DEFERRALS:
            # the session needs every tab's state: building a tab that start-up is
            # still preparing would stall the window now, so wait for it a little
            self._autosave_deferred += 1
            self._autosave_timer.start()
            return
        try:
            state = self.window.session_state()
        except Exception:  # autosave must never take the window down
            log.exception("could not take the session for autosave")
            return
        self.autosave.write(state, self.path, self._fingerprint)
        self._autosave_timer.setInterval(_autosave_delay(state))

    def offer_recovery(self) -> None:
        """At start-up: offer each autosave a crashed window left, newest first."""
        from gui.autosave import orphans
        pending = orphans(self.autosave.folder)
        if pending:
            self._offer(pending)

    def _offer(self, pending: list[Orphan]) -> None:
        orphan, rest = pending[0], pending[1:]
        when = time.strftime("%a %d %b, %H:%M", time.localtime(orphan.saved_at))
        what = f"“{display_name(orphan.original)}” from {when}"

        def answered(choice: Choice) -> None:
            if choice is Choice.SAVE:
                self.settle_then("recovering the unsaved work", lambda: self.recover(orphan))
            elif choice is Choice.DISCARD:
                orphan.discard()
            if rest:
                QTimer.singleShot(0, lambda: self._offer(rest))
        dialogs.ask_recover(self.window, what, answered)

    def recover(self, orphan: Orphan) -> bool:
        """Show an autosave as unsaved changes to its file (or an untitled session)."""
        from core.session import SessionError, load_session
        try:
            session = load_session(orphan.session)
            self._restore(session.to_json(), "The unsaved work")
        except SessionError as error:
            dialogs.show_problem(self.window, "Work not recovered", str(error),
                                 "The copy was damaged and has been removed.")
            orphan.discard()
            return False
        orphan.discard()
        self.path = os.path.abspath(orphan.original) if orphan.original else None
        self._fingerprint = orphan.fingerprint
        self._update_title()
        self._compare_timer.stop()
        for key in self._tabs:   # unsaved: the file (if any) holds something else
            self._clean[key] = {}
        self.set_modified(True)
        self.window.statusBar().showMessage("Recovered the unsaved work", 8000)
        return True


def _autosave_delay(state: dict) -> int:
    """Milliseconds until the next autosave of ``state``: the usual two seconds, more
    for a long run's many losses, so writing them costs the window a few per cent."""
    classifier = state.get("classifier") if isinstance(state, dict) else None
    losses = classifier.get("epoch_losses", ()) if isinstance(classifier, dict) else ()
    delays = 1 + len(losses) // AUTOSAVE_EPOCHS_PER_DELAY
    return min(AUTOSAVE_MAX_DELAY_MS, AUTOSAVE_DELAY_MS * delays)
