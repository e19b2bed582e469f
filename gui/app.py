"""Application start-up: command line, QApplication, the main window, fault handling.

``stepwise [FILE]`` opens a session (a file manager's "Open with" passes it);
``--install-desktop`` / ``--uninstall-desktop`` put the launcher, icons and the
session file type into the user's XDG folders and exit without starting Qt.

Kept light on purpose: SymPy and matplotlib are imported after the window shows,
so start-up costs little more than a bare PySide6 + pyqtgraph window.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from pathlib import Path

log = logging.getLogger("stepwise")


def parse_args(argv: list[str]) -> argparse.Namespace:
    from gui.release import SUMMARY, version_text
    parser = argparse.ArgumentParser(prog="stepwise", description=SUMMARY)
    parser.add_argument("file", nargs="?", metavar="FILE",
                        help="a saved session (.stepwise.json) to open")
    parser.add_argument("--version", action="version", version=version_text())
    parser.add_argument("--tab", choices=("classifier", "newton"),
                        help="the tab to open (default: the one open last time)")
    parser.add_argument("--scale", type=float, metavar="S",
                        help="presentation scale, e.g. 1.5 or 2 (default: last used, or 1)")
    parser.add_argument("--dark", action="store_true", help="dark theme for dark rooms")
    parser.add_argument("--light", action="store_true", help="light high-contrast theme")
    parser.add_argument("--fullscreen", action="store_true", help="start full screen (F11)")
    parser.add_argument("--screenshot", metavar="PNG",
                        help="render the window offscreen at its default size, save it, exit")
    parser.add_argument("--export", metavar="OUT",
                        help="write the view to OUT (.png, .svg or .pdf) offscreen and exit")
    parser.add_argument("--handout", metavar="PDF",
                        help="write a handout of the worked example to PDF offscreen and exit")
    parser.add_argument("--page", choices=("A4", "Letter"), default="A4",
                        help="paper for --handout (default A4)")
    parser.add_argument("--size", metavar="WxH", default=None,
                        help="window size for --screenshot (default 1280x800)")
    parser.add_argument("--quit-after-paint", action="store_true",
                        help=argparse.SUPPRESS)  # bench/startup.py: time to a painted window
    parser.add_argument("--reset-settings", action="store_true",
                        help="forget saved preferences and window layout")
    desktop = parser.add_mutually_exclusive_group()
    desktop.add_argument("--install-desktop", action="store_true",
                         help="add Stepwise to the desktop's menus, with its icon and its "
                              "session file type (in $XDG_DATA_HOME), then exit")
    desktop.add_argument("--uninstall-desktop", action="store_true",
                         help="remove what --install-desktop added, then exit")
    return parser.parse_args(argv)


def log_file() -> Path:
    from PySide6.QtCore import QStandardPaths
    folder = Path(QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.AppLocalDataLocation) or Path.home() / ".stepwise")
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "stepwise.log"


def install_exception_hook(window_getter) -> None:
    """Unexpected exceptions are logged and shown in a dialog; the app carries on."""

    def hook(exc_type, exc, tb):
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        log.error("Unexpected error\n%s", text)
        if os.environ.get("STEPWISE_RAISE"):  # tests want failures loud
            sys.__excepthook__(exc_type, exc, tb)
            return
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox
        box = QMessageBox(window_getter())
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Stepwise — something went wrong")
        box.setTextFormat(Qt.TextFormat.PlainText)   # the message may quote a file's text
        box.setText(f"Stepwise hit an unexpected problem and carried on:\n\n{exc}")
        box.setInformativeText("Your work is untouched. Details were written to the log.")
        box.setDetailedText(text)
        box.show()

    sys.excepthook = hook


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.install_desktop or args.uninstall_desktop:
        from gui.desktop_install import main as desktop_main
        return desktop_main(uninstalling=args.uninstall_desktop)
    batch = args.screenshot or args.export or args.handout    # offscreen, then exit
    if args.file and batch:
        # checked before Qt starts: a script gets one line and status 2, not a window
        from core.session import SessionError, load_session
        try:
            load_session(args.file)
        except SessionError as error:
            print(f"stepwise: {error}", file=sys.stderr)
            return 2
    if batch and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"

    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from gui.icon import app_icon

    QCoreApplication.setOrganizationName("Stepwise")
    QCoreApplication.setApplicationName("Stepwise")
    QApplication.setDesktopFileName("stepwise")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setWindowIcon(app_icon())
    from gui import collector
    collector.install(app)       # cycles are collected between events, never inside Qt

    try:
        logging.basicConfig(filename=str(log_file()), level=logging.INFO,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    except OSError:
        logging.basicConfig(level=logging.INFO)

    from gui.main_window import MainWindow

    if args.reset_settings:
        from PySide6.QtCore import QSettings
        QSettings().clear()
    window = MainWindow(restore=not batch)
    install_exception_hook(lambda: window)
    if batch or args.quit_after_paint:
        window.document.autosave_enabled = False
    if args.tab:
        window.show_tab(args.tab)
    if args.scale:
        window.theme.set_scale(args.scale)
    if args.dark or args.light:
        window.theme.set_dark(args.dark)

    try:
        return _run(app, window, args, batch)
    finally:
        _shut_down(window)


def _run(app, window, args, batch: bool) -> int:
    from PySide6.QtCore import QTimer

    if batch:
        width, height = 1280, 800
        if args.size:
            width, height = (int(v) for v in args.size.lower().split("x"))
        window.resize(width, height)
        window.show()
        if args.file:
            from core.session import SessionError
            try:
                window.open_session(args.file)
            except SessionError as error:   # checked above; restoring can still refuse
                print(f"stepwise: {error}", file=sys.stderr)
                return 2
            if args.tab:
                window.show_tab(args.tab)   # the command line wins over the file's tab
        if args.export:
            from gui.export import export_from_command_line
            return export_from_command_line(window, args.export, args.tab)
        if args.handout:
            return _handout(app, window, args.handout, args.page)
        return _screenshot(app, window, args.screenshot)

    if args.fullscreen:
        window.showFullScreen()
    else:
        window.show()
    if args.quit_after_paint:
        window.repaint()
        QTimer.singleShot(0, app.quit)
    else:
        QTimer.singleShot(0, window.after_show)
        QTimer.singleShot(0, lambda: _open_start_files(window, args.file, args.tab))
    return app.exec()


def _shut_down(window) -> None:
    """End the Newton tab's SymPy child process and the server it was forked from
    (the window may not have been closed: batch modes, a quit from the menu), and
    let the warm-up imports (SymPy, matplotlib) finish rather than be cut off."""
    for tab in window.demo_tabs(build=False):
        tab.stop()
    window.join_warm_ups()
    if "core.parse_service" in sys.modules:
        from core.parse_service import stop_server
        stop_server()


def _open_start_files(window, path: str | None, tab: str | None) -> None:
    """The file named on the command line, then any work a crash left unsaved."""
    if path and window.document.open_interactive(path) and tab:
        window.show_tab(tab)           # the command line wins over the file's tab
    window.document.offer_recovery()


def _finish_start_up(app, window) -> None:
    """Let start-up finish (deferred imports, typeset formulas) before writing."""
    import time

    from gui import mathtext
    window.after_show()
    mathtext._load()
    mathtext.notifier.ready.emit()
    # the Newton tab parses a session's function in its child process: wait for it
    deadline = time.monotonic() + 20.0
    while time.monotonic() < deadline and not window.is_ready():
        app.processEvents()
        time.sleep(0.002)
    for _ in range(5):
        app.processEvents()


def _handout(app, window, path: str, page: str) -> int:
    if not path.lower().endswith(".pdf"):
        print(f"stepwise: a handout is a PDF: name it …pdf, not {Path(path).name[:60]}",
              file=sys.stderr)
        return 2
    _finish_start_up(app, window)
    try:
        window.export_handout(path, page)
    except ValueError as error:          # nothing to print
        print(f"stepwise: no handout: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"stepwise: could not write {path}: {error}", file=sys.stderr)
        return 1
    return 0


def _screenshot(app, window, path: str) -> int:
    """Let start-up finish, then save the window."""
    _finish_start_up(app, window)
    ok = window.grab().save(path)
    if not ok:
        print(f"stepwise: could not write {path}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
