"""The function line edit: parses as you type, marks errors where they are.

Parsing (SymPy + lambdify, through ``core.newton.parse_function``) waits for a short
pause in typing (a 150 ms single-shot QTimer) so a keystroke never waits on SymPy.
A malformed function leaves the last valid one in use: the error appears under the
line edit with the bad character highlighted, and nothing else changes.
"""
from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

DEBOUNCE_MS = 150


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

    def keyPressEvent(self, event):  # noqa: N802 - Qt's name
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
    """``functionInput`` (QLineEdit) over ``functionError`` (QLabel)."""

    parsed = Signal(object)      # a core Function
    failed = Signal(str)         # the error message

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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.error)

        self._parser = None          # core.newton.parse_function once loaded
        self._error_type = ValueError
        self._pending = False
        self._error_colour = "#D55E00"
        self._last_error: str | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.flush)
        self.edit.textEdited.connect(self._on_edited)
        self.edit.returnPressed.connect(self.flush)

    def set_parser(self, parse, error_type) -> None:
        self._parser = parse
        self._error_type = error_type

    def text(self) -> str:
        return self.edit.text()

    def set_text(self, text: str) -> None:
        """Replace the text (presets, sessions) and parse it now."""
        self._timer.stop()
        if self.edit.text() != text:
            self.edit.setText(text)
        self._pending = True
        self.flush()

    def has_pending(self) -> bool:
        return self._pending

    def error_message(self) -> str | None:
        return self._last_error

    def flush(self) -> None:
        """Parse the current text now, if it changed since the last parse."""
        self._timer.stop()
        if not self._pending or self._parser is None:
            return
        self._pending = False
        text = self.edit.text()
        try:
            function = self._parser(text)
        except self._error_type as exc:
            message = getattr(exc, "message", None) or str(exc)
            column = getattr(exc, "column", None)
            self._show_error(text, message, column)
            self.failed.emit(message)
            return
        self._clear_error()
        self.parsed.emit(function)

    def set_error_colour(self, colour: str) -> None:
        self._error_colour = colour

    def _on_edited(self, _text: str) -> None:
        self._pending = True
        self._timer.start()

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

