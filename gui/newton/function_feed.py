"""The function box feeds the Newton player: parsed off the GUI thread, SymPy loaded late.

SymPy (~0.9 s to import) must stay off the start-up path, so the box gets its parser
only when first needed (the tab is shown, the window has painted, or a public method
asks); the first parse then imports SymPy on the box's worker thread. Typed text
reaches the player as soon as it parses; a preset or a session instead parses its
text synchronously (``parse_now``) and hands the player every setting at once.
"""
from __future__ import annotations

from PySide6.QtCore import QObject

from core.newton import Function, FunctionSyntaxError, parse_function
from core.newton_player import NewtonPlayer
from gui.newton.function_input import FunctionInput


class FunctionFeed(QObject):
    """Connects ``function_input`` (the box) to ``player``."""

    def __init__(self, function_input: FunctionInput, player: NewtonPlayer,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.function_input = function_input
        self.player = player
        self.loaded = False
        self._applying = False     # parse_now under way: keep the answer, do not play it
        self._parsed: Function | None = None
        function_input.parsed.connect(self._on_parsed)

    @property
    def applying(self) -> bool:
        """True while a preset's or session's text is being parsed (the guard against
        choosing another preset meanwhile)."""
        return self._applying

    def ensure_loaded(self) -> None:
        """Give the box its parser the first time it is needed, and send the text
        typed but not yet parsed on its way."""
        if not self.loaded:
            self.loaded = True
            self.function_input.set_parser(parse_function, FunctionSyntaxError)
            if self.player.function is None:
                self.function_input.request_parse()
        self.function_input.flush()

    def ensure_run(self) -> None:
        """Before a step: with nothing plotted yet (a key pressed before start-up has
        finished), wait for the first function rather than ignore the key."""
        self.ensure_loaded()
        if self.player.run is None:
            self.function_input.wait_parsed()

    def parse_now(self, text: str) -> Function | None:
        """Show ``text`` in the box and parse it synchronously, without handing it to
        the player; returns it, or the player's function if ``text`` does not parse
        (the box shows the error)."""
        self.ensure_loaded()
        self._applying, self._parsed = True, None
        try:
            self.function_input.set_text(text)
            return self.player.function if self._parsed is None else self._parsed
        finally:
            self._applying = False

    def set_text(self, text: str) -> None:
        """Type ``text`` and use it (returns once parsed, or its error shown)."""
        self.ensure_loaded()
        self.function_input.set_text(text)

    def wait_parsed(self, timeout: float) -> bool:
        """Block until the box's latest text is parsed and in use; False on timeout."""
        self.ensure_loaded()
        return self.function_input.wait_parsed(timeout)

    def _on_parsed(self, function: Function) -> None:
        if self._applying:
            self._parsed = function
        else:
            self.player.set_function(function)
