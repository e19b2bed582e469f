"""The function box feeds the Newton player: parsed off the GUI thread, SymPy loaded late.

SymPy (~0.9 s to import) must stay off the start-up path, so the box gets its parser
only when first needed (the tab is shown, the window has painted, or a public method
asks); the first parse then starts the box's child process, which imports SymPy.
Typed text reaches the player as soon as it parses. A preset, a session or a lesson
instead calls ``apply``: the box shows the text at once, and when its answer arrives
the callback hands the player every setting at once (with the function, or with the
function already in use if the text was refused: its error is shown, and no other
setting is lost). Nothing waits: a newer apply, or typing, supersedes an apply still
in flight, whose callback is then told so.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from core.newton import Function, FunctionSyntaxError, parse_function
from core.newton_player import NewtonPlayer
from gui.newton.function_input import FunctionInput
from gui.newton.parse_worker import ParseFailure

# then(function, applied): the parsed Function (None if the text was refused) and
# True, or (None, False) when a newer apply or typing superseded this one
Then = Callable[[Function | None, bool], None]


class FunctionFeed(QObject):
    """Connects ``function_input`` (the box) to ``player``."""

    def __init__(self, function_input: FunctionInput, player: NewtonPlayer,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.function_input = function_input
        self.player = player
        self.loaded = False
        self._apply: tuple[int | None, Then] | None = None    # (request, then) in flight
        function_input.answered.connect(self._on_answered)
        function_input.edit.textEdited.connect(self._supersede)

    @property
    def applying(self) -> bool:
        """True while a preset's, session's or lesson's text is being parsed."""
        return self._apply is not None

    def ensure_loaded(self) -> None:
        """Give the box its parser the first time it is needed, and send the text
        typed but not yet parsed on its way."""
        if not self.loaded:
            self.loaded = True
            self.function_input.set_parser(parse_function, FunctionSyntaxError)
            if self.player.function is None or self._apply is not None:
                number = self.function_input.request_parse()
                if self._apply is not None:
                    self._apply = (number, self._apply[1])
        self.function_input.flush()

    def has_run(self) -> bool:
        """Before a step: is there a run to step through? (A key pressed before
        start-up has parsed the first function does nothing; nothing waits.)"""
        self.ensure_loaded()
        return self.player.run is not None

    def apply(self, text: str, then: Then) -> None:
        """Show ``text`` in the box and parse it without waiting; ``then`` is called
        once, on the GUI thread, when its answer arrives or it is superseded. The
        answer is not handed to the player: ``then`` does that."""
        self._supersede()
        self.function_input.cancel()        # an older text's answer is of no use now
        if not self.loaded:
            self.function_input.edit.setText(text)
            self._apply = (None, then)
            self.ensure_loaded()
            return
        self._apply = (self.function_input.set_text(text), then)

    def set_text(self, text: str) -> None:
        """Type ``text`` and use it once parsed (without waiting)."""
        self._supersede()
        self.ensure_loaded()
        self.function_input.set_text(text)

    def has_pending(self) -> bool:
        """True while the box's text, or an apply, is not yet in use."""
        return self._apply is not None or self.function_input.has_pending()

    def wait_parsed(self, timeout: float) -> bool:
        """Spin the event loop until the box's latest text is parsed and in use, and
        any apply done; False on timeout (tests, batch modes)."""
        self.ensure_loaded()
        if not self.function_input.wait_parsed(timeout):
            return False
        return self._apply is None

    def _supersede(self) -> None:
        apply, self._apply = self._apply, None
        if apply is not None:
            apply[1](None, False)

    def _on_answered(self, number: int, result) -> None:
        apply = self._apply
        function = None if isinstance(result, ParseFailure) else result
        if apply is not None and apply[0] == number:
            self._apply = None
            apply[1](function, True)
            return
        if apply is not None:       # an answer to another request: the apply is stale
            self._supersede()
        if function is not None:
            self.player.set_function(function)
