"""Qt-free signals for the core's models: ``changed = Signal()`` on a class, then
``model.changed.connect(callback)`` and ``model.changed.emit(value)``.

The small part of psygnal's API the models need, without its import cost (psygnal
pulls in ``importlib.metadata``: ~40 ms, a tenth of a bare Qt window's start-up).
As in psygnal, a bound method is held weakly (a view that is gone is not called and
keeps nothing alive), any other callable strongly, and a callback that takes fewer
arguments than the signal sends gets only the first ones, so ``connect(view.redraw)``
works for a signal that sends a value.
"""
from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable
from typing import Any

__all__ = ["Signal", "SignalInstance"]


def _max_args(callback: Callable[..., Any]) -> int | None:
    """How many positional arguments ``callback`` takes (None: any number)."""
    try:
        parameters = inspect.signature(callback).parameters.values()
    except (TypeError, ValueError):      # a builtin without a signature: send everything
        return None
    count = 0
    for p in parameters:
        if p.kind is p.VAR_POSITIONAL:
            return None
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            count += 1
    return count


class SignalInstance:
    """One model's signal: the callbacks connected to it, called in order by ``emit``."""

    def __init__(self) -> None:
        self._slots: list[tuple[Callable[[], Callable[..., Any] | None], int | None]] = []

    def connect(self, callback: Callable[..., Any]) -> Callable[..., Any]:
        """Call ``callback`` on every ``emit``; returns it (usable as a decorator)."""
        if inspect.ismethod(callback):
            ref: Callable[[], Callable[..., Any] | None] = weakref.WeakMethod(callback)
        else:
            def ref(callback=callback):
                return callback
        self._slots.append((ref, _max_args(callback)))
        return callback

    def disconnect(self, callback: Callable[..., Any]) -> None:
        """Stop calling ``callback``; a callback never connected is ignored."""
        self._slots = [(ref, n) for ref, n in self._slots if ref() not in (None, callback)]

    def emit(self, *args: Any) -> None:
        """Call every connected callback now, in the order they were connected."""
        dead = False
        for ref, n in list(self._slots):
            callback = ref()
            if callback is None:
                dead = True
                continue
            callback(*(args if n is None else args[:n]))
        if dead:
            self._slots = [(ref, n) for ref, n in self._slots if ref() is not None]

    def __len__(self) -> int:
        return sum(ref() is not None for ref, _ in self._slots)


class Signal:
    """A class attribute that gives every instance its own ``SignalInstance``.
    ``Signal(int)`` documents what ``emit`` sends; the types are not checked."""

    def __init__(self, *types: Any) -> None:
        self.types = types
        self._name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        signal = SignalInstance()
        setattr(instance, self._name, signal)    # later reads find it in the instance dict
        return signal
