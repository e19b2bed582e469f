"""Python's cycle collector runs only from the GUI thread's event loop.

Left automatic, the collector runs at whatever allocation crosses its threshold,
including one PySide makes while Qt holds a lock. Caught in gdb on a hung test run:
``QObject::disconnect`` (a pyqtgraph item changing parent) held a signal-slot
mutex and called ``disconnectNotify``; PySide's lookup of a Python override
allocated; the allocation started a collection; the collection freed an old
window's widgets, whose ``~QObject`` waited for the same pool mutex — held by this
very thread, so it waited for ever (Qt's signal-slot mutexes are shared among
objects by address, so any destroyed QObject can hit the one held). The same
allocation on a worker thread would free Qt objects off the GUI thread.

So automatic collection is off and a timer collects instead, generation by
generation as the automatic collector would (the idea of pyqtgraph's
``GarbageCollector``): between events, where Qt holds no lock.
"""
from __future__ import annotations

import gc
import time

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 500      # often enough that garbage never piles up between two ticks
#: A full collection at most this often: an explicit gc.collect(2) skips the automatic
#: collector's own brake (a full pass only once a quarter of the long-lived objects is
#: new), and a full pass over a large heap pauses the window for tens of ms.
FULL_EVERY_S = 30.0


class SafeCollector(QObject):
    """Disables automatic collection; ``collect`` (on a timer in the GUI thread)
    runs the generations whose counts passed their thresholds."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS,
                 full_every_s: float | None = FULL_EVERY_S):
        """``full_every_s``: the least time between two full passes on the timer (None:
        none there; the owner calls ``collect(full_every_s)`` where a pause is
        harmless, as the tests do between two tests)."""
        super().__init__(parent)
        self.full_every_s = full_every_s
        self.threshold = gc.get_threshold()
        self.runs = 0                        # collections made (tests)
        self._last_full = time.monotonic()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(lambda: self.collect(self.full_every_s))
        self._timer.start()

    def collect(self, full_every_s: float | None = None) -> None:
        """Collect the generations past their thresholds; the oldest (a full pass) only
        if ``full_every_s`` seconds have gone by since the last (None: no full pass)."""
        counts = gc.get_count()
        for generation in range(3):
            if counts[generation] <= self.threshold[generation]:
                break
            if generation == 2:
                now = time.monotonic()
                if full_every_s is None or now - self._last_full < full_every_s:
                    break
                self._last_full = now
            gc.collect(generation)
            self.runs += 1

    def stop(self) -> None:
        """Automatic collection back on (the application is going away)."""
        self._timer.stop()
        gc.enable()


def install(app: QCoreApplication, full_every_s: float | None = FULL_EVERY_S
            ) -> SafeCollector:
    """The application's collector (made once; later calls return the same one)."""
    existing = app.findChild(SafeCollector, "safeCollector")
    if existing is not None:
        return existing
    collector = SafeCollector(app, full_every_s=full_every_s)
    collector.setObjectName("safeCollector")
    app.aboutToQuit.connect(collector.stop)
    return collector
