"""Test configuration: Qt runs offscreen, whatever the shell says."""
import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402


@pytest.fixture
def theme(qapp):
    from gui.theme import Theme
    return Theme()
