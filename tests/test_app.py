"""Start-up plumbing: command line, and unexpected errors shown and logged, not fatal."""
import sys

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget

from gui.app import install_exception_hook, parse_args


def test_command_line_options():
    args = parse_args(["--tab", "newton", "--scale", "2", "--dark", "--screenshot", "x.png"])
    assert (args.tab, args.scale, args.dark, args.screenshot) == ("newton", 2.0, True, "x.png")
    with pytest.raises(SystemExit):
        parse_args(["--tab", "nowhere"])


def test_unexpected_error_is_shown_and_logged_and_the_app_carries_on(
        qtbot, monkeypatch, caplog):
    parent = QWidget()
    qtbot.addWidget(parent)
    monkeypatch.delenv("STEPWISE_RAISE", raising=False)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)   # restored after the test
    install_exception_hook(lambda: parent)
    try:
        raise ValueError("boom in a slot")
    except ValueError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    boxes = [b for b in parent.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1
    assert "boom in a slot" in boxes[0].text()
    assert "Traceback" in boxes[0].detailedText()      # details only on request
    assert "Traceback" not in boxes[0].text()
    assert any("boom in a slot" in r.getMessage() for r in caplog.records)
    boxes[0].close()
