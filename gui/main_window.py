"""The main window: two tabs, menus, presentation mode, shortcuts help, export.

Window-wide commands live here (tab switching, full screen, presentation scale,
theme, export, help). The stepping commands (Space, ←, P, R, …) belong to each tab:
Qt only fires shortcuts of actions on visible widgets, so the open tab gets them.
"""
from __future__ import annotations

import gc
import html

from PySide6.QtCore import QByteArray, QElapsedTimer, QEvent, QRect, QSettings, QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QGuiApplication, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gui.actions import description, make_action, shortcuts_text
from gui.demo_tab import DemoTab
from gui.theme import Theme

SCALES = (1.0, 1.25, 1.5, 2.0, 2.5)
BASE_POINT_SIZE = 10.0
#: the logical size the stage layout needs per unit of scale (1920×1080 at 2×, and
#: 1366×768 at 1.5×, were checked by eye; 2× on a 1366×768 projector crushed the
#: table and the plots and cut the chain-rule panel)
STAGE_UNIT = (910, 512)
RESTORE_CHECK_MS = 50       # leaving presentation: how often the geometry is checked
RESTORE_STABLE_MS = 400     # … how long it must hold before it is let go
RESTORE_GIVE_UP_MS = 3000   # … and the longest it is put back


def presentation_scale(width: int, height: int) -> float:
    """F5's scale for a screen of ``width``×``height`` logical pixels: the largest of
    SCALES whose stage layout fits (2× on 1920×1080, 1.5× on 1366×768, 2.5× from
    2560×1440 on, 1× on 1024×768)."""
    fits = min(width / STAGE_UNIT[0], height / STAGE_UNIT[1])
    return max([s for s in SCALES if s <= fits + 1e-9], default=SCALES[0])


class _LazyPage(QWidget):
    """A tab page whose content is built the first time it is shown or asked for,
    so start-up pays only for the tab on screen."""

    def __init__(self, factory, parent: QWidget | None = None):
        super().__init__(parent)
        self._factory = factory
        self._content: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    @property
    def content(self) -> QWidget:
        if self._content is None:
            self._content = self._factory()
            self.layout().addWidget(self._content)
        return self._content

    def is_built(self) -> bool:
        return self._content is not None

    def showEvent(self, event) -> None:
        self.content  # noqa: B018 - builds the page before it paints
        super().showEvent(event)


class MainWindow(QMainWindow):
    """Stepwise's window. ``MainWindow()`` needs only a QApplication."""

    def __init__(self, restore: bool = True, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("Stepwise")
        from gui.icon import app_icon
        self.setWindowIcon(app_icon())
        self.resize(1280, 800)
        self.theme = Theme(parent=self)
        # scale, dark, full screen, focus layout and the normal geometry from before F5
        self._presentation_backup: tuple[float, bool, bool, bool, QRect] | None = None
        self._restore_geometry: QRect | None = None
        # leaving presentation: the geometry is put back until it has held for
        # RESTORE_STABLE_MS (the new scale's layout and the window manager may still
        # move or resize the window meanwhile), or RESTORE_GIVE_UP_MS have passed
        self._restore_timer = QTimer(self)
        self._restore_timer.setSingleShot(True)
        self._restore_timer.setInterval(RESTORE_CHECK_MS)
        self._restore_timer.timeout.connect(self._check_restored_geometry)
        self._restore_clock = QElapsedTimer()
        self._restore_held_since = -1
        self._style_scale: float | None = None

        from gui.classifier.tab import ClassifierTab
        self.classifier_tab = ClassifierTab(self.theme)
        from gui.accessibility import ClassifierNarrator
        self._narrators: list[object] = [ClassifierNarrator(self.classifier_tab)]
        self._newton_page = _LazyPage(self._build_newton_tab)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.classifier_tab, "Classifier")
        self.tabs.addTab(self._newton_page, "Newton's method")
        self.tabs.setTabToolTip(0, "Back-propagation on the aack/beep sentences (Ctrl+1)")
        self.tabs.setTabToolTip(1, "Newton's method for roots and minima (Ctrl+2)")
        # the tabs, and under them predict mode's bar (gui.predict_controller)
        central = QWidget()
        central.setObjectName("centralArea")
        self._central_layout = QVBoxLayout(central)
        self._central_layout.setContentsMargins(0, 0, 0, 0)
        self._central_layout.setSpacing(0)
        self._central_layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        from gui.documents import Document
        self.document = Document(self)    # the file, unsaved changes, autosave, recent

        self._build_actions()
        self._build_menus()
        from gui.lesson_player import LessonController
        self.lessons = LessonController(self)     # the lesson dock, its menu entries and keys
        from gui.predict_controller import PredictController
        self.predict = PredictController(self, self.predict_action)   # predict, then reveal
        self._central_layout.addWidget(self.predict.bar)
        self.theme.changed.connect(self._on_theme_changed)
        if restore:
            self._restore_settings()
        self._on_theme_changed()
        self.statusBar().showMessage("F1 lists the keyboard shortcuts", 8000)

    def _build_newton_tab(self) -> QWidget:
        from gui.newton.tab import NewtonTab
        tab = NewtonTab(self.theme)
        tab.set_stage(self.focus_action.isChecked())
        from gui.accessibility import NewtonNarrator
        self._narrators.append(NewtonNarrator(tab))
        return tab

    @property
    def newton_tab(self):
        """The Newton tab, built on first use (it is not on screen at start-up)."""
        return self._newton_page.content

    def demo_tabs(self, build: bool = True) -> list[DemoTab]:
        """Both tabs; with ``build=False`` only those already built."""
        tabs: list[DemoTab] = [self.classifier_tab]
        if build or self._newton_page.is_built():
            tabs.append(self.newton_tab)
        return tabs

    # ----------------------------------------------------------------- actions
    def _action(self, name: str, text: str, shortcuts, slot, tip: str = "",
                checkable: bool = False) -> QAction:
        action = make_action(self, name, text, shortcuts, tip, checkable)
        (action.toggled if checkable else action.triggered).connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        a = self._action
        self.show_classifier_action = a("showClassifierAction", "&Classifier", "Ctrl+1",
                                        lambda: self.tabs.setCurrentIndex(0), "Classifier tab")
        self.show_newton_action = a("showNewtonAction", "&Newton's method", "Ctrl+2",
                                    lambda: self.tabs.setCurrentIndex(1), "Newton's method tab")
        self.fullscreen_action = a("fullScreenAction", "&Full screen", "F11",
                                   self.set_full_screen, checkable=True)
        self.presentation_action = a("presentationAction", "&Presentation mode", "F5",
                                     self.set_presentation_mode,
                                     "Big text and lines, full screen", checkable=True)
        self.leave_action = a("leavePresentationAction", "&Leave presentation",
                              "Escape", self.leave_presentation,
                              "Leave presentation mode and full screen")
        self.leave_action.setEnabled(False)
        self.focus_action = a("focusAction", "F&ocus on the pictures", "Ctrl+Shift+F",
                              self.set_focus_layout,
                              "Stage layout: the diagram and plots get the room, settings fold "
                              "into a drawer", checkable=True)
        self.zoom_in_action = a("zoomInAction", "&Bigger", ["Ctrl++", "Ctrl+="],
                                lambda: self._zoom(+1))
        self.zoom_out_action = a("zoomOutAction", "&Smaller", "Ctrl+-", lambda: self._zoom(-1))
        self.zoom_reset_action = a("zoomResetAction", "&Normal size", "Ctrl+0",
                                   lambda: self.theme.set_scale(1.0))
        self.predict_action = a("predictAction", "P&redict, then reveal", "Ctrl+Shift+P",
                                lambda on: self.predict.set_on(on),
                                "Predict, then reveal each value", checkable=True)
        self.predict_action.setStatusTip("Predict, then reveal: each value shows \"?\" until "
                                         "you predict it (Enter checks, Space reveals)")
        self.dark_action = a("darkThemeAction", "&Dark theme", "Ctrl+Shift+D",
                             self.theme.set_dark, "Dark theme for dark rooms", checkable=True)
        self.new_action = a("newSessionAction", "&New session", QKeySequence.StandardKey.New,
                            self.document.new_interactive,
                            "Start afresh: the lecture's data and the first Newton example")
        self.open_action = a("openSessionAction", "&Open session…",
                             QKeySequence.StandardKey.Open, self.open_session_dialog,
                             "Open a saved session")
        self.save_action = a("saveSessionAction", "&Save session",
                             QKeySequence.StandardKey.Save, self.save_session_dialog,
                             "Save data, weights, step position and the Newton run")
        self.save_as_action = a("saveSessionAsAction", "Save session &as…", "Ctrl+Shift+S",
                                lambda: self.save_session_dialog(ask=True),
                                "Save the session under a new name")
        self.export_action = a("exportAction", "&Export view…", "Ctrl+E", self.export_view,
                               "Save the current view as PNG, SVG or PDF")
        from gui import export_dialogs
        self.export_panel_action = a("exportPanelAction", "Export &panel…", "Ctrl+Shift+E",
                                     lambda: export_dialogs.export_panel(self),
                                     "Save one panel (the diagram, the chain rule, a plot) "
                                     "as PNG, SVG or PDF")
        self.copy_view_action = a("copyViewAction", "Cop&y view", "Ctrl+Shift+C",
                                  lambda: export_dialogs.copy_view(self),
                                  "Put the current view on the clipboard, to paste into slides")
        self.handout_action = a("exportHandoutAction", "Export &handout…", "Ctrl+Shift+H",
                                self.export_handout_dialog,
                                "Save the current worked example as a printable PDF")
        from gui.export_keys import KeepShortcuts
        # a text box with the focus must not swallow these (QLineEdit takes Ctrl+E)
        self._export_keys = KeepShortcuts(self, [self.export_action, self.export_panel_action,
                                                 self.copy_view_action, self.handout_action])
        self.quit_action = a("quitAction", "&Quit", QKeySequence.StandardKey.Quit, self.close)
        self.help_action = a("shortcutsAction", "&Keyboard shortcuts", ["F1", "?"],
                             self.show_shortcuts)
        self.about_action = a("aboutAction", "&About Stepwise", None, self.show_about)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(
            lambda: self.document.fill_recent_menu(self.recent_menu))
        self.document.fill_recent_menu(self.recent_menu)
        for action in (self.save_action, self.save_as_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.export_action)
        file_menu.addAction(self.export_panel_action)
        file_menu.addAction(self.handout_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu("&Edit")
        stack = self.classifier_tab.undo_stack
        undo = stack.createUndoAction(self, "&Undo")
        undo.setObjectName("menuUndoAction")
        redo = stack.createRedoAction(self, "&Redo")
        redo.setObjectName("menuRedoAction")
        # The tab owns the Ctrl+Z shortcuts; these menu entries show them only.
        undo.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        undo.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        redo.setShortcut(QKeySequence("Ctrl+Shift+Z"))
        redo.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        edit_menu.addSeparator()
        edit_menu.addAction(self.copy_view_action)
        view_menu = bar.addMenu("&View")
        for action in (self.show_classifier_action, self.show_newton_action):
            view_menu.addAction(action)
        view_menu.addSeparator()
        for action in (self.presentation_action, self.leave_action, self.focus_action,
                       self.predict_action, self.zoom_in_action, self.zoom_out_action,
                       self.zoom_reset_action, self.dark_action, self.fullscreen_action):
            view_menu.addAction(action)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.help_action)
        help_menu.addAction(self.about_action)

    # ----------------------------------------------------------------- commands
    def show_tab(self, name: str) -> None:
        self.tabs.setCurrentIndex(1 if name == "newton" else 0)

    def current_tab(self) -> DemoTab:
        # the Newton tab is built only when it is the one asked for
        return self.newton_tab if self.tabs.currentIndex() == 1 else self.classifier_tab

    def _zoom(self, direction: int) -> None:
        scale = self.theme.scale
        if direction > 0:
            bigger = [s for s in SCALES if s > scale + 1e-9]
            self.theme.set_scale(bigger[0] if bigger else SCALES[-1])
        else:
            smaller = [s for s in SCALES if s < scale - 1e-9]
            self.theme.set_scale(smaller[-1] if smaller else SCALES[0])

    def set_full_screen(self, on: bool) -> None:
        if on and not self.isFullScreen():
            self.showFullScreen()
        elif not on and self.isFullScreen():
            self.showNormal()

    def changeEvent(self, event) -> None:
        # F11's tick follows the window however it went full screen (--fullscreen,
        # the window manager), so the first F11 always toggles
        if event.type() == QEvent.Type.WindowStateChange:
            with QSignalBlocker(self.fullscreen_action):
                self.fullscreen_action.setChecked(self.isFullScreen())
            self._enable_escape()
            if not self.isFullScreen():
                self._apply_restored_geometry()
        super().changeEvent(event)

    def _apply_restored_geometry(self) -> None:
        # after the window manager has taken the window out of full screen and the
        # new scale has been laid out, both of which may move or resize it again:
        # a fixed delay was not enough on a loaded machine (the layout of the old
        # scale still held the window bigger when the last try came)
        if self._restore_geometry is not None:
            self._restore_clock.start()
            self._restore_held_since = -1
            self._restore_timer.start(0)

    def _check_restored_geometry(self) -> None:
        geometry = self._restore_geometry
        if geometry is None:
            return
        now = self._restore_clock.elapsed()
        if self.isFullScreen():
            self._restore_held_since = -1
        elif self.geometry() != geometry:
            self._restore_held_since = -1
            self.setGeometry(geometry)
        elif self._restore_held_since < 0:
            self._restore_held_since = now
        elif now - self._restore_held_since >= RESTORE_STABLE_MS:
            self._forget_restored_geometry()
            return
        if now >= RESTORE_GIVE_UP_MS:
            self._forget_restored_geometry()
            return
        self._restore_timer.start(RESTORE_CHECK_MS)

    def _forget_restored_geometry(self) -> None:
        self._restore_geometry = None
        self._restore_timer.stop()

    def _enable_escape(self) -> None:
        # Escape is the window's only while there is something to leave; otherwise it
        # stays with the widgets (a combo box's popup, an edit)
        self.leave_action.setEnabled(self.isFullScreen() or self.presentation_action.isChecked())

    def leave_presentation(self) -> None:
        """Escape: out of presentation mode and full screen, back to the window as it was."""
        if self.presentation_action.isChecked():
            self.presentation_action.setChecked(False)
        else:
            self.fullscreen_action.setChecked(False)

    def set_presentation_mode(self, on: bool) -> None:
        """Lecture-hall view: full screen, the stage layout and the scale that fits
        the screen; off restores the window's exact earlier geometry, scale, theme
        and full-screen state."""
        if on:
            self._presentation_backup = (self.theme.scale, self.theme.dark, self.isFullScreen(),
                                         self.focus_action.isChecked(), self.geometry())
            self.focus_action.setChecked(True)
            self.theme.set_scale(max(self.presentation_scale(), self.theme.scale))
            self.fullscreen_action.setChecked(True)
        elif self._presentation_backup is not None:
            scale, dark, full, focus, geometry = self._presentation_backup
            self._presentation_backup = None
            self.focus_action.setChecked(focus)
            self.theme.set_scale(scale)
            self.theme.set_dark(dark)
            self.fullscreen_action.setChecked(full)
            if not full:
                self._restore_geometry = geometry
                self.setGeometry(geometry)
                self._apply_restored_geometry()
        self._enable_escape()

    def presentation_scale(self) -> float:
        """The scale F5 uses on the window's screen (see ``presentation_scale``)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        size = screen.geometry().size()
        return presentation_scale(size.width(), size.height())

    def set_focus_layout(self, on: bool) -> None:
        """The stage layout in every tab (built now or later)."""
        for tab in self.demo_tabs(build=False):
            tab.set_stage(on)

    def export_view(self) -> None:
        """File ▸ Export view… (Ctrl+E): PNG, SVG or PDF of the current tab's view."""
        from gui import export_dialogs
        export_dialogs.export_view(self)

    _HANDOUT_FILTERS = {"PDF, A4 (*.pdf)": "A4", "PDF, US Letter (*.pdf)": "Letter"}

    def export_handout(self, path: str, page: str = "A4", tab: DemoTab | None = None) -> None:
        """Write the handout of ``tab`` (the one shown) to ``path``; raises ValueError
        (nothing to print, a bad page size) or OSError (cannot write)."""
        from gui.handout import tab_handout, write_pdf
        write_pdf(tab_handout(tab or self.current_tab()), path, page)

    def export_handout_dialog(self) -> None:
        from PySide6.QtCore import QLocale

        from gui.handout import page_for_locale
        tab = self.current_tab()
        filters = list(self._HANDOUT_FILTERS)
        country = QLocale.territoryToCode(QLocale().territory())
        preferred = next(f for f in filters if self._HANDOUT_FILTERS[f] == page_for_locale(country))
        path, chosen = QFileDialog.getSaveFileName(
            self, "Export handout", f"stepwise-{tab.session_key}-handout.pdf", ";;".join(filters),
            preferred)
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            self.export_handout(path, self._HANDOUT_FILTERS.get(chosen, "A4"), tab)
        except ValueError as exc:
            QMessageBox.information(self, "No handout", str(exc))
            return
        except OSError as exc:
            QMessageBox.warning(self, "Handout not saved", f"Could not write {path}:\n{exc}")
            return
        self.statusBar().showMessage(f"Saved the handout {path}", 5000)

    # ----------------------------------------------------------------- sessions
    def session_state(self) -> dict:
        from core.session import session_document
        parts = {tab.session_key: tab.state() for tab in self.demo_tabs()}
        return session_document(parts["classifier"], parts["newton"],
                                {"tab": self.tabs.currentIndex()})

    def save_session(self, path: str) -> None:
        """Write the whole demo to ``path`` (atomically); raises OSError/SessionError."""
        self.document.save_file(path)

    def open_session(self, path: str) -> None:
        """Restore a saved demo exactly. A bad file raises SessionError and the open
        session is left as it was."""
        self.document.open_file(path)

    def save_session_dialog(self, ask: bool = False) -> None:
        self.document.save(ask=ask)

    def open_session_dialog(self) -> None:
        self.document.open_dialog()

    def window_commands(self) -> list[QAction]:
        """The window's own commands, in menu order (for the shortcut list)."""
        return [self.show_classifier_action, self.show_newton_action, self.presentation_action,
                self.leave_action, self.focus_action, self.predict_action,
                self.zoom_in_action, self.zoom_out_action, self.zoom_reset_action,
                self.dark_action, self.fullscreen_action, self.new_action, self.open_action,
                self.save_action, self.save_as_action, self.export_action,
                self.export_panel_action, self.copy_view_action, self.handout_action,
                self.help_action, self.quit_action, *self.lessons.commands()]

    def shortcut_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The shortcut list, made from the actions themselves: (heading, [(what, keys)])."""
        titles = {"classifier": "Classifier", "newton": "Newton's method"}
        sections = [(titles[tab.session_key], tab.commands()) for tab in self.demo_tabs()]
        files = {self.new_action, self.open_action, self.save_action, self.save_as_action,
                 self.export_action, self.export_panel_action, self.copy_view_action,
                 self.handout_action, self.quit_action}
        lessons = set(self.lessons.commands()) | {self.help_action}
        window = self.window_commands()
        sections.append(("View", [a for a in window if a not in files and a not in lessons]))
        sections.append(("Files", [a for a in window if a in files]))
        sections.append(("Lessons and help", [a for a in window if a in lessons]))
        return [(heading, [(description(a), shortcuts_text(a)) for a in actions
                           if shortcuts_text(a)]) for heading, actions in sections]

    def show_shortcuts(self) -> None:
        sections = []
        for heading, rows in self.shortcut_sections():
            cells = "".join(f"<tr><td width='175' style='padding:1px 6px 1px 0'>"
                            f"{html.escape(what)}</td><td width='105'><b>{html.escape(keys)}"
                            "</b></td></tr>" for what, keys in rows)
            sections.append(f"<h4>{heading}</h4><table>{cells}</table>")
        # three columns of about the same height (classifier; Newton and the view; files,
        # lessons and help): the whole list fits a 1024×768 projector
        columns = (sections[0], "".join(sections[1:-2]), "".join(sections[-2:]))
        parts = ["<table><tr>" + "".join(f"<td valign='top' style='padding-right:14px'>{c}</td>"
                                         for c in columns) + "</tr></table>"]
        # a dialog rather than a QMessageBox, whose width limit stacked the three
        # sections into a column taller than a 768-pixel projector
        box = QDialog(self)
        box.setObjectName("shortcutsDialog")
        box.setWindowTitle("Keyboard shortcuts")
        text = QLabel("<h3>Keyboard and presentation clicker</h3>" + "".join(parts) +
                      "<p>A clicker's forward/back buttons send Page Down / Page Up. While a "
                      "text box has the focus, Space, Backspace and the arrows edit its text.</p>")
        text.setObjectName("shortcutsText")
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setWordWrap(True)
        text.setFixedWidth(text.sizeHint().width())      # the three columns' natural width
        text.setContentsMargins(8, 8, 8, 8)
        # the list at its natural size; on a screen too small for it (or at a big
        # scale) it scrolls inside a dialog that fits the screen
        scroll = QScrollArea()
        scroll.setObjectName("shortcutsScroll")
        scroll.setWidget(text)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(box.close)
        layout = QVBoxLayout(box)
        layout.addWidget(scroll)
        layout.addWidget(buttons)
        content = text.sizeHint().expandedTo(text.minimumSizeHint())
        free = self.screen().availableGeometry().size() if self.screen() else content
        box.resize(min(content.width() + 30, free.width() - 10),
                   min(content.height() + buttons.sizeHint().height() + 50, free.height() - 60))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def show_about(self) -> None:
        from gui.release import about_html
        QMessageBox.about(self, "About Stepwise", about_html())

    # ----------------------------------------------------------------- theme
    def _on_theme_changed(self) -> None:
        app = QApplication.instance()
        font = app.font()
        font.setPointSizeF(BASE_POINT_SIZE * self.theme.scale)
        app.setFont(font)
        self.setFont(font)
        if self._style_scale != self.theme.scale:
            # a fresh style re-polishes every widget with the new metrics
            from gui.style import ScaledStyle
            app.setStyle(ScaledStyle(self.theme.scale))
            self._style_scale = self.theme.scale
        app.setPalette(self._qt_palette())
        self.dark_action.blockSignals(True)
        self.dark_action.setChecked(self.theme.dark)
        self.dark_action.blockSignals(False)
        self.statusBar().showMessage(
            f"Scale {self.theme.scale:.0%}, {'dark' if self.theme.dark else 'light'} theme", 3000)

    def _qt_palette(self) -> QPalette:
        colours = self.theme.palette
        palette = QPalette()
        if not self.theme.dark:
            # high contrast for bright rooms: pure white base, near-black text
            palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
            palette.setColor(QPalette.ColorRole.Text, QColor(colours.foreground))
            palette.setColor(QPalette.ColorRole.WindowText, QColor(colours.foreground))
            return palette
        role = QPalette.ColorRole
        for r, c in ((role.Window, "#1d2026"), (role.WindowText, colours.foreground),
                     (role.Base, colours.background), (role.AlternateBase, "#22252b"),
                     (role.Text, colours.foreground), (role.Button, "#2a2e35"),
                     (role.ButtonText, colours.foreground), (role.ToolTipBase, "#2a2e35"),
                     (role.ToolTipText, colours.foreground), (role.Highlight, "#3a6ea5"),
                     (role.HighlightedText, "#ffffff"), (role.PlaceholderText, colours.muted),
                     (role.BrightText, "#ff6b6b"), (role.Link, colours.positive)):
            palette.setColor(r, QColor(c))
        palette.setColor(QPalette.ColorGroup.Disabled, role.Text, QColor(colours.muted))
        palette.setColor(QPalette.ColorGroup.Disabled, role.ButtonText, QColor(colours.muted))
        palette.setColor(QPalette.ColorGroup.Disabled, role.WindowText, QColor(colours.muted))
        return palette

    # ----------------------------------------------------------------- start-up
    def after_show(self) -> None:
        """Deferred start-up work: heavy imports happen once the window is painted."""
        from gui import mathtext
        from gui.preload import Preloader
        mathtext.warm_up()
        QTimer.singleShot(0, self.classifier_tab.after_show)
        # SymPy takes ~0.5 s to import: bring it in off the GUI thread, then build the
        # Newton tab and let it parse its function (fast once the modules are loaded).
        self._preloader = Preloader(("sympy", "core.newton"), self)
        self._preloader.done.connect(self._after_preload)
        self._preloader.start()

    def join_warm_ups(self, timeout: float = 5.0) -> None:
        """Quitting: let the warm-up imports (SymPy, matplotlib) still under way
        finish, so no daemon thread is cut off mid-import by the interpreter's exit."""
        from gui import mathtext
        preloader = getattr(self, "_preloader", None)
        if preloader is not None:
            preloader.join(timeout)
        mathtext.join_warm_up(timeout)

    def _after_preload(self) -> None:
        self.newton_tab.after_show()
        # Start-up objects (SymPy, matplotlib, Qt wrappers) live as long as the app:
        # moving them out of the collector's sight keeps full collections, which stop
        # every thread, from pausing the window for ~70 ms while a parse runs.
        gc.freeze()

    def is_ready(self) -> bool:
        from gui import mathtext
        if not self._newton_page.is_built() and self.tabs.currentWidget() is self._newton_page:
            return False
        return mathtext.is_ready() and all(t.is_ready() for t in self.demo_tabs(build=False))

    # ----------------------------------------------------------------- settings
    def _restore_settings(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry", QByteArray(), type=QByteArray)
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            self.fit_to_screen()
        state = settings.value("window/state", QByteArray(), type=QByteArray)
        if not state.isEmpty():
            self.restoreState(state)
        self.tabs.setCurrentIndex(settings.value("window/tab", 0, type=int) % 2)
        self.theme.set_scale(settings.value("view/scale", 1.0, type=float))
        self.theme.set_dark(settings.value("view/dark", False, type=bool))

    def fit_to_screen(self) -> None:
        """First start: the usual 1280×800, but never more than 92 % of the screen's
        free area (a 1024×768 projector gets the whole of it), centred on it."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        free = screen.availableGeometry()
        minimum = self.minimumSizeHint()
        width = max(min(1280, round(free.width() * 0.92)), min(minimum.width(), free.width()))
        height = max(min(800, round(free.height() * 0.92)), min(minimum.height(), free.height()))
        self.resize(width, height)
        frame = self.frameGeometry()
        frame.moveCenter(free.center())
        self.move(frame.topLeft())

    def save_settings(self) -> None:
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        settings.setValue("window/tab", self.tabs.currentIndex())
        settings.setValue("view/scale", self.theme.scale)
        settings.setValue("view/dark", self.theme.dark)

    def closeEvent(self, event) -> None:
        if not self.document.may_close():   # asks Save / Discard / Cancel, closes again
            event.ignore()
            return
        for tab in self.demo_tabs(build=False):
            tab.stop()
        self.save_settings()
        self.document.closed()
        super().closeEvent(event)
