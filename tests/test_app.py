"""Start-up plumbing: command line (FILE, --version, --install-desktop), and unexpected
errors shown and logged, not fatal."""
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
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
    assert boxes[0].textFormat() == Qt.TextFormat.PlainText   # <h1> from a file stays text
    assert any("boom in a slot" in r.getMessage() for r in caplog.records)
    boxes[0].close()


# ---- stepwise [FILE] --------------------------------------------------------------------
ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "data" / "session_v1.json"


def _run(*args, env=None, timeout=120):
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})})


def test_a_file_on_the_command_line_is_the_session_to_open():
    args = parse_args(["lecture.stepwise.json", "--tab", "newton"])
    assert args.file == "lecture.stepwise.json" and args.tab == "newton"
    assert parse_args([]).file is None


def test_version_names_the_version_and_the_licence(capsys):
    from gui.release import __version__
    with pytest.raises(SystemExit) as exit_:
        parse_args(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"stepwise {__version__} (MIT licence)"


def test_the_version_is_the_packages_version():
    import tomllib

    from gui.release import __version__
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"]["attr"] == "gui.release.__version__"
    assert __version__.count(".") == 2


def test_screenshot_of_a_session_file_shows_it(tmp_path):
    out = tmp_path / "shot.png"
    result = _run(str(FIXTURE), "--screenshot", str(out), "--size", "1024x768")
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 10_000


@pytest.mark.parametrize("content, words", [
    ('{"format": "stepwise-session", "version": 0, "classifier": {}, "newton": {}}', "version"),
    ("not json", "damaged"),
    (None, "could not be read"),
])
def test_a_bad_session_with_screenshot_is_one_line_and_status_2(tmp_path, content, words):
    path = tmp_path / "bad <b>.stepwise.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    out = tmp_path / "shot.png"
    result = _run(str(path), "--screenshot", str(out))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("stepwise: ") and words in lines[0], lines
    assert not out.exists()


def test_a_named_pipe_with_screenshot_fails_at_once(tmp_path):
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    result = _run(str(pipe), "--screenshot", str(tmp_path / "x.png"), timeout=30)
    assert result.returncode == 2 and "not a regular file" in result.stderr


def test_about_names_version_and_licence(qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from gui.main_window import MainWindow
    from gui.release import __version__
    shown = []
    monkeypatch.setattr(QMessageBox, "about", lambda _p, title, text: shown.append(text))
    window = MainWindow(restore=False)
    qtbot.addWidget(window)
    window.about_action.trigger()
    assert f"Stepwise {__version__}" in shown[0] and "MIT licence" in shown[0]
    assert "Copyright (c) 2026 The Stepwise developers" in shown[0]
    assert "Copyright (c) 2026 The Stepwise developers" in (ROOT / "LICENSE").read_text()


# ---- --install-desktop --------------------------------------------------------------------
def test_install_desktop_puts_launcher_icons_and_mime_type_in_xdg_data_home(tmp_path):
    from gui.desktop_install import SIZES
    home = tmp_path / "share"
    result = _run("--install-desktop", env={"XDG_DATA_HOME": str(home)})
    assert result.returncode == 0, result.stderr
    desktop = home / "applications" / "stepwise.desktop"
    assert f"Installed {desktop}" in result.stdout
    for size in SIZES:
        icon = home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "stepwise.png"
        image = QImage(str(icon))
        assert (image.width(), image.height()) == (size, size)
    assert (home / "icons" / "hicolor" / "scalable" / "apps" / "stepwise.svg").is_file()
    mime = (home / "mime" / "packages" / "stepwise.xml").read_text(encoding="utf-8")
    assert 'type="application/x-stepwise-session"' in mime and 'pattern="*.stepwise.json"' in mime
    entry = desktop.read_text(encoding="utf-8")
    assert "MimeType=application/x-stepwise-session;" in entry
    exec_line = next(line for line in entry.splitlines() if line.startswith("Exec="))
    assert exec_line.endswith(" %f") and "main.py" in exec_line   # run from the checkout
    assert stat.S_IMODE(desktop.stat().st_mode) & 0o044 == 0o044  # readable, not 0600
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True,
                               text=True)
        assert check.returncode == 0 and not check.stdout.strip(), check.stdout
    if shutil.which("update-mime-database"):
        # the database the desktop reads now knows the glob
        globs = (home / "mime" / "globs2").read_text(encoding="utf-8")
        assert "application/x-stepwise-session:*.stepwise.json" in globs

    result = _run("--uninstall-desktop", env={"XDG_DATA_HOME": str(home)})
    assert result.returncode == 0, result.stderr
    assert not desktop.exists() and not (home / "mime" / "packages" / "stepwise.xml").exists()
    assert not list((home / "icons").rglob("stepwise.*"))


def test_the_shipped_desktop_file_validates():
    if not shutil.which("desktop-file-validate"):
        pytest.skip("desktop-file-validate is not installed")
    check = subprocess.run(["desktop-file-validate", str(ROOT / "resources" / "stepwise.desktop")],
                           capture_output=True, text=True)
    assert check.returncode == 0 and not check.stdout.strip(), check.stdout


@pytest.mark.parametrize("argument, quoted", [
    ("/usr/bin/stepwise", "/usr/bin/stepwise"),
    ("/home/ann/my apps/stepwise", '"/home/ann/my apps/stepwise"'),
    ('/odd/"$x`\\/python', '"/odd/\\\\"\\\\$x\\\\`\\\\\\\\/python"'),
    ("/100%/python", "/100%%/python"),
])
def test_exec_arguments_are_quoted_as_the_desktop_entry_spec_says(argument, quoted):
    from gui.desktop_install import exec_quoted
    assert exec_quoted(argument) == quoted


def test_the_wheel_ships_every_package_of_the_app_and_not_the_benchmarks():
    import tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = set(project["tool"]["setuptools"]["packages"])
    assert "bench" not in packages and not any(p.startswith("bench.") for p in packages)
    found = {str(p.parent.relative_to(ROOT)).replace(os.sep, ".")
             for top in ("core", "gui", "resources") for p in (ROOT / top).rglob("__init__.py")}
    assert packages == found
    assert project["tool"]["setuptools"]["license-files"] == ["LICENSE"]
    data = project["tool"]["setuptools"]["package-data"]["resources"]
    assert "*.xml" in data and "*.desktop" in data    # the MIME type and the launcher
