"""Import heavy modules (SymPy, matplotlib) on a worker thread after the window shows.

Imports are protected by Python's module locks, so a GUI-thread import of the same
module simply waits for the worker instead of importing twice. ``done`` is emitted in
the GUI thread (queued) when every module is in.
"""
from __future__ import annotations

import importlib
import logging
import threading

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


class Preloader(QObject):
    done = Signal()

    def __init__(self, modules: tuple[str, ...], parent=None):
        super().__init__(parent)
        self._modules = modules
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="stepwise-preload",
                                            daemon=True)
            self._thread.start()

    def _work(self) -> None:
        for name in self._modules:
            try:
                importlib.import_module(name)
            except Exception:  # the GUI-thread import will report it properly
                log.exception("preloading %s failed", name)
        try:
            self.done.emit()
        except RuntimeError:    # quitting: the window that listened is gone
            pass

    def join(self, timeout: float = 5.0) -> None:
        """Quitting: wait for the imports under way (see ``mathtext.join_warm_up``)."""
        if self._thread is not None and self._thread.is_alive():
            self._thread.join(timeout)
