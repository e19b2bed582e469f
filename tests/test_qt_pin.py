"""PySide6 6.12.0 on Python 3.11 drops a reference to None on every Qt call that
returns nothing; after ~100k calls the process aborts (none_dealloc). We pin below
6.12 — this test catches the leak (or any like it) long before it can crash."""
import sys

from PySide6 import __version_info__ as pyside_version
from PySide6.QtWidgets import QLabel


def test_pinned_below_6_12():
    assert tuple(pyside_version[:2]) < (6, 12)


def test_void_qt_calls_keep_none_refcount(qapp):
    label = QLabel("refcount probe")
    before = sys.getrefcount(None)
    for _ in range(200_000):
        label.update()
    after = sys.getrefcount(None)
    # A leak of one reference per call would show as a drop of ~200,000.
    assert abs(after - before) < 100
