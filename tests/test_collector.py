"""gui/collector.py: Python's cycle collector runs from the GUI thread's event loop
only, never at an allocation inside a Qt call (which hung the suite: see its
docstring), and it still frees cyclic garbage, Qt objects included."""
from __future__ import annotations

import gc
import time
import weakref

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMenu, QWidget

from gui import collector


@pytest.fixture(autouse=True)
def _app_collector(qapp):
    """The tests of this file install the app's collector and take it away after:
    the rest of the suite runs with Python's automatic collector (with the
    collector installed, stall tests late in the suite measured 100-119 ms)."""
    yield
    for safe in qapp.findChildren(collector.SafeCollector):
        safe.stop()
        safe.setParent(None)
        safe.deleteLater()
    gc.enable()


def test_the_app_collects_on_the_timer_not_automatically(qapp):
    assert collector.install(qapp) is collector.install(qapp)     # one per application
    assert not gc.isenabled()
    assert qapp.findChildren(collector.SafeCollector) == [collector.install(qapp)]


def _cyclic_widget() -> weakref.ref:
    widget = QWidget()
    menu = QMenu(widget)
    menu.addAction("an action")
    widget.cycle = widget          # only the collector can free it
    widget.menu = menu
    return weakref.ref(widget)


def test_allocations_alone_never_free_cyclic_garbage(qapp):
    collector.install(qapp)
    gc.collect()
    ref = _cyclic_widget()
    junk = [[object()] for _ in range(50_000)]   # far past the automatic threshold
    del junk
    assert ref() is not None       # an automatic collection would have freed it here


def test_the_timer_frees_cyclic_garbage_and_its_qt_objects(qapp, qtbot):
    safe = collector.install(qapp)
    gc.collect()
    ref = _cyclic_widget()
    destroyed = []
    ref().destroyed.connect(lambda: destroyed.append(True))
    before = safe.runs
    # objects that stay alive push generation 0 past its threshold (freed ones do not)
    kept = [[QObject()] for _ in range(gc.get_threshold()[0] + 10)]
    assert ref() is not None
    qtbot.waitUntil(lambda: ref() is None, timeout=3000)
    assert safe.runs > before and destroyed == [True]
    assert len(kept) > 0


def test_collect_runs_only_the_generations_past_their_thresholds(qapp, monkeypatch):
    safe = collector.install(qapp)
    calls = []
    monkeypatch.setattr(gc, "collect", lambda generation=2: calls.append(generation) or 0)
    t0, t1, t2 = safe.threshold
    monkeypatch.setattr(gc, "get_count", lambda: (t0 - 1, t1 + 5, t2 + 5))
    safe.collect()
    assert calls == []
    monkeypatch.setattr(gc, "get_count", lambda: (t0 + 1, t1 - 1, t2 + 5))
    safe.collect()
    assert calls == [0]
    calls.clear()
    monkeypatch.setattr(gc, "get_count", lambda: (t0 + 1, t1 + 1, t2 + 1))
    monkeypatch.setattr(safe, "_last_full", time.monotonic() - 31.0)
    safe.collect(full_every_s=30.0)
    assert calls == [0, 1, 2]
    calls.clear()
    safe.collect(full_every_s=30.0)    # a full pass at most every 30 s
    assert calls == [0, 1]
    calls.clear()
    monkeypatch.setattr(safe, "_last_full", time.monotonic() - 1000.0)
    safe.collect(full_every_s=None)    # none asked for
    assert calls == [0, 1]


def test_the_app_makes_full_passes_on_its_timer_and_an_owner_may_make_none(qapp):
    app_collector = collector.SafeCollector(None)
    try:
        assert app_collector.full_every_s == collector.FULL_EVERY_S == 30.0
    finally:
        app_collector.stop()
        app_collector.deleteLater()
    assert collector.install(qapp, full_every_s=None).full_every_s is None
