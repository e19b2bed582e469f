"""The function line edit: parses as you type, marks errors where they are.

Parsing (SymPy: the function, f′, f″, their LaTeX and lambdify) waits for a short
pause in typing (a 150 ms single-shot QTimer), then runs in a child process watched
by a worker thread (``gui.newton.parse_worker``), so neither a keystroke nor a costly
function ever waits on SymPy, and a function too costly to prepare within 2 s is
refused as too complicated. Typing again drops the answer still being computed; only the
latest text's answer is used. A parse still running after 150 ms shows a quiet
"parsing…" at the right end of the line edit (drawn over it: showing it moves no
other widget, so the plots are not laid out and repainted for it). A malformed function leaves
the last valid one in
use: the error appears under the line edit with the bad character highlighted,
and nothing else changes.

``set_text`` (presets, sessions, lessons) shows the text and hands it to the same
worker without waiting; ``answered`` then carries the answer with its request
number (``gui.newton.function_feed`` applies a preset's other settings on it).
Nothing here waits on the worker from the GUI thread except ``wait_parsed``, for
tests and the command line's batch modes, which spins the event loop meanwhile.
"""
from __future__ import annotations

import html
import time

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from gui.newton.parse_worker import ParseFailure, ParseWorker

DEBOUNCE_MS = 150
SLOW_PARSE_MS = 150        # a parse running longer than this says "parsing…"
WAIT_TIMEOUT = 30.0        # seconds wait_parsed waits (first use starts SymPy: ~1 s)


def error_html(text: str, message: str, column: int | None, colour: str) -> str:
    """The message, then the text with the character at ``column`` in red,
    underlined and pointed at with a caret (not colour alone)."""
    head = f"⚠ {html.escape(message, quote=False)}"
    if column is None or not 0 <= column <= len(text):
        return head
    bad = text[column:column + 1] or " "
    shown = (html.escape(text[:column])
             + f"<span style='color:{colour}; text-decoration:underline; "
               f"font-weight:bold; background:rgba(213,94,0,0.18)'>"
             + html.escape(bad).replace(" ", "&nbsp;") + "</span>"
             + html.escape(text[column + 1:]))
    caret = "&nbsp;" * column + f"<span style='color:{colour}'>^</span>"
    return (f"{head}<br><span style='font-family:monospace; white-space:pre'>{shown}"
            f"<br>{caret}</span>")


PAGE_KEYS = (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)


class _Edit(QLineEdit):
    """Esc hands the keyboard back to the step actions (Space, arrows). Page Up and
    Page Down, which a one-line edit has no use for, are never claimed: they stay
    the presentation clicker's step back / step keys even while typing here."""

    def event(self, event):
        if (event.type() == QEvent.Type.ShortcutOverride and event.key() in PAGE_KEYS
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier):
            event.ignore()          # not ours: the step actions' shortcuts fire
            return False
        return super().event(event)

    def keyPressEvent(self, event):
        if event.key() == Qt.Key.Key_Escape:
            self.clearFocus()
            target = self.window()
            if target is not None:
                target.setFocus(Qt.FocusReason.ShortcutFocusReason)
            event.accept()
            return
        if event.key() in PAGE_KEYS:
            event.ignore()          # up to the tab rather than swallowed
            return
        super().keyPressEvent(event)


class FunctionInput(QWidget):
    """``functionInput`` (QLineEdit) over ``functionError`` (QLabel); inside the
    line edit, ``functionStatus`` says "parsing…" while a slow parse runs."""

    parsed = Signal(object)      # a core Function, its derivatives, LaTeX and NumPy warm
    answered = Signal(int, object)   # request number, Function | ParseFailure (first)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.edit = _Edit(self)
        self.edit.setObjectName("functionInput")
        self.edit.setPlaceholderText("type a function of x, e.g. exp(x) - ln(x)")
        self.edit.setToolTip("A function of x: + − * / ^, exp, ln/log, sqrt, cbrt, sin, "
                             "cos, tan, atan, …, constants e and pi. Esc returns the keys "
                             "to the step actions.")
        self.error = QLabel(self)
        self.error.setObjectName("functionError")
        self.error.setTextFormat(Qt.TextFormat.RichText)
        self.error.setWordWrap(True)
        self.error.hide()
        self.status = QLabel("parsing…", self.edit)
        self.status.setObjectName("functionStatus")
        self.status.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.status.hide()
        self.edit.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.error)

        self.worker = ParseWorker(self)
        self.worker.finished.connect(self._on_answer)
        self._pending = False        # typed text not yet handed to the worker
        self._error_colour = "#D55E00"
        self._muted_colour = "#6b6b6b"
        self._last_error: str | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.flush)
        self._slow_timer = QTimer(self)
        self._slow_timer.setSingleShot(True)
        self._slow_timer.setInterval(SLOW_PARSE_MS)
        self._slow_timer.timeout.connect(self._on_slow)
        self.edit.textEdited.connect(self._on_edited)
        self.edit.returnPressed.connect(self.flush)

    def set_parser(self, parse, error_type) -> None:
        """``parse(text)`` returns a Function or raises ``error_type`` (with
        ``message`` and ``column``); it runs in the child process when it pickles
        (a module-level function), else on the worker thread."""
        self.worker.set_parser(parse, error_type)

    def text(self) -> str:
        return self.edit.text()

    def set_text(self, text: str) -> int | None:
        """Replace the text (presets, sessions, lessons) and parse it, without
        waiting: returns the request number ``answered`` will carry (None without a
        parser yet: the text is parsed once there is one)."""
        self._timer.stop()
        if self.edit.text() != text:
            self.edit.setText(text)
        self._pending = True
        return self.flush()

    def request_parse(self) -> int | None:
        """Parse the current text on the worker, without waiting (start-up);
        returns the request number, as ``set_text`` does."""
        self._pending = True
        return self.flush()

    def wait_parsed(self, timeout: float | None = WAIT_TIMEOUT) -> bool:
        """Spin the event loop until the latest text's answer has been emitted;
        False on timeout. For tests and batch modes only: the interactive window
        never calls it."""
        self.flush()
        deadline = None if timeout is None else time.monotonic() + timeout
        app = QCoreApplication.instance()
        while self.has_pending():
            if deadline is not None and time.monotonic() >= deadline:
                return False
            if app is None:
                return self.worker.wait(None if deadline is None
                                        else max(0.0, deadline - time.monotonic()))
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            if self.worker.busy():
                time.sleep(0.002)
        return True

    def has_pending(self) -> bool:
        """True while the text in the box is not yet the function in use (waiting
        for the typing pause, or being parsed)."""
        return self._pending or self.worker.busy()

    def error_message(self) -> str | None:
        return self._last_error

    def is_parsing_shown(self) -> bool:
        return not self.status.isHidden()

    def flush(self) -> int | None:
        """Hand the current text to the worker now, if it changed since; returns the
        request number (None if nothing was handed on)."""
        self._timer.stop()
        if not self._pending or not self.worker.has_parser():
            return None
        self._pending = False
        number = self.worker.request(self.edit.text())
        if not self._slow_timer.isActive() and self.status.isHidden():
            self._slow_timer.start()
        return number

    def cancel(self) -> None:
        """Drop the parse in flight and the queued text."""
        self._timer.stop()
        self._hide_status()
        self.worker.cancel()

    def close(self) -> None:
        """Drop all parsing and end the child process (the tab closes): nothing is
        parsed afterwards."""
        self._timer.stop()
        self._pending = False
        self._hide_status()
        self.worker.close()

    def set_error_colour(self, colour: str, muted: str | None = None) -> None:
        self._error_colour = colour
        if muted is not None:
            self._muted_colour = muted
        self.status.setStyleSheet(f"color: {self._muted_colour}; font-style: italic; "
                                  "background: transparent;")

    def eventFilter(self, watched, event):
        if watched is self.edit and event.type() in (QEvent.Type.Resize,
                                                     QEvent.Type.FontChange):
            self._place_status()
        return super().eventFilter(watched, event)

    def _on_edited(self, _text: str) -> None:
        self._pending = True
        self.worker.cancel()        # the answer being computed is for an older text
        self._timer.start()

    def _on_answer(self, number: int, result) -> None:
        self._hide_status()
        if isinstance(result, BaseException) or result is None:
            # the work itself failed (the child process could not start, …): the
            # box says so, and the function in use stays
            result = ParseFailure(self.edit.text(),
                                  f"Cannot work with this function now ({result})"
                                  if result else "Cannot work with this function now", None)
        self.answered.emit(number, result)
        if isinstance(result, ParseFailure):
            self._show_error(result.text, result.message, result.column)
            return
        self._clear_error()
        self.parsed.emit(result)

    def _on_slow(self) -> None:
        """A parse has run for SLOW_PARSE_MS: say so, quietly, inside the box."""
        if not self.worker.busy():
            return
        self._place_status()
        self.status.show()
        # the text stops short of the note instead of running under it
        self.edit.setTextMargins(0, 0, self.status.width() + 4, 0)

    def _hide_status(self) -> None:
        self._slow_timer.stop()
        if not self.status.isHidden():
            self.status.hide()
            self.edit.setTextMargins(0, 0, 0, 0)

    def _place_status(self) -> None:
        self.status.adjustSize()
        rect = self.edit.rect()
        x = rect.width() - self.status.width() - 8
        self.status.move(max(0, x), (rect.height() - self.status.height()) // 2)

    def _show_error(self, text, message, column) -> None:
        self._last_error = message
        self.error.setText(error_html(text, message, column, self._error_colour))
        self.error.show()
        self.edit.setProperty("invalid", True)
        self.edit.setStyleSheet(f"QLineEdit {{ border: 2px solid {self._error_colour}; }}")

    def _clear_error(self) -> None:
        self._last_error = None
        if self.error.isVisible() or self.error.text():
            self.error.clear()
            self.error.hide()
        if self.edit.property("invalid"):
            self.edit.setProperty("invalid", False)
            self.edit.setStyleSheet("")
