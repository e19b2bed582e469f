"""``stepwise --install-desktop`` / ``--uninstall-desktop``: the launcher, the icon in
every hicolor size and the session file type, in the user's XDG data folder.

Nothing here needs Qt or root: files are copied to ``$XDG_DATA_HOME`` (by default
``~/.local/share``) as the freedesktop.org specifications lay it out —
``applications/stepwise.desktop``, ``icons/hicolor/<n>x<n>/apps/stepwise.png``
(and ``scalable/apps/stepwise.svg``), ``mime/packages/stepwise.xml`` — and then the
desktop's own tools refresh their databases, if they are installed.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
DESKTOP_NAME = "stepwise.desktop"
MIME_NAME = "stepwise.xml"
MIME_TYPE = "application/x-stepwise-session"
ICON_NAME = "stepwise"


def data_home() -> Path:
    """$XDG_DATA_HOME, or ~/.local/share when it is unset or not absolute (the spec)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if value and os.path.isabs(value) else Path.home() / ".local" / "share"


def installed_files(home: Path | None = None) -> list[Path]:
    """Every file ``install`` writes, in the order it writes them."""
    home = home or data_home()
    hicolor = home / "icons" / "hicolor"
    return [home / "applications" / DESKTOP_NAME,
            *(hicolor / f"{n}x{n}" / "apps" / f"{ICON_NAME}.png" for n in SIZES),
            hicolor / "scalable" / "apps" / f"{ICON_NAME}.svg",
            home / "mime" / "packages" / MIME_NAME]


def launch_command() -> list[str]:
    """How the launcher starts this Stepwise: the ``stepwise`` script that is running
    (or on PATH), else this Python with the checkout's main.py or ``-m gui.app``."""
    argv0 = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if argv0 is not None and argv0.name == "stepwise" and os.access(argv0, os.X_OK):
        return [str(argv0.resolve())]
    found = shutil.which("stepwise")
    if found:
        return [str(Path(found).resolve())]
    checkout = RESOURCES.parent / "main.py"
    if checkout.is_file():
        return [sys.executable, str(checkout)]
    return [sys.executable, "-m", "gui.app"]


def exec_quoted(argument: str) -> str:
    """One Exec argument as the Desktop Entry spec quotes it (and then escapes it as a
    string value): double quotes around anything unusual, backslash before
    ``"`` ` $ \\``, ``%`` doubled."""
    argument = argument.replace("%", "%%")
    if argument and not any(c in argument for c in " \t\n\"'\\><~|&;$*?#()`="):
        quoted = argument
    else:
        escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
        quoted = f'"{escaped}"'
    return quoted.replace("\\", "\\\\")   # the string-value escape of the whole line


def desktop_entry(command: list[str]) -> str:
    """resources/stepwise.desktop with Exec and TryExec for ``command``."""
    lines = []
    for line in (RESOURCES / DESKTOP_NAME).read_text(encoding="utf-8").splitlines():
        if line.startswith("Exec="):
            line = "Exec=" + " ".join(exec_quoted(a) for a in command) + " %f"
        elif line.startswith("TryExec="):
            line = "TryExec=" + command[0].replace("\\", "\\\\")
        lines.append(line)
    return "\n".join(lines) + "\n"


def install(home: Path | None = None, refresh: bool = True) -> list[Path]:
    """Write the launcher, icons and MIME type; returns the files written."""
    home = home or data_home()
    files = installed_files(home)
    desktop, *icons, svg, mime = files
    _write(desktop, desktop_entry(launch_command()).encode("utf-8"))
    for size, target in zip(SIZES, icons):
        _write(target, (RESOURCES / "icons" / f"stepwise-{size}.png").read_bytes())
    _write(svg, (RESOURCES / "stepwise.svg").read_bytes())
    _write(mime, (RESOURCES / "stepwise-mime.xml").read_bytes())
    if refresh:
        _refresh(home)
    return files


def uninstall(home: Path | None = None, refresh: bool = True) -> list[Path]:
    """Remove what ``install`` wrote; returns the files that were there."""
    home = home or data_home()
    removed = []
    for path in installed_files(home):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed.append(path)
    if refresh:
        _refresh(home)
    return removed


def _write(path: Path, content: bytes) -> None:
    """Atomically, with the umask's permissions (0644 usually), like any user file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(content)
    os.replace(temporary, path)


def _refresh(home: Path) -> None:
    """Tell the desktop: MIME database, desktop-file cache, icon folder's time stamp."""
    tools = ((["update-mime-database", str(home / "mime")], home / "mime"),
             (["update-desktop-database", "-q", str(home / "applications")],
              home / "applications"))
    for command, folder in tools:
        if folder.is_dir() and shutil.which(command[0]):
            try:
                subprocess.run(command, check=False, timeout=60, capture_output=True)
            except (OSError, subprocess.SubprocessError):
                pass
    hicolor = home / "icons" / "hicolor"
    if hicolor.is_dir():
        os.utime(hicolor)     # icon themes notice new icons by the folder's time stamp


def main(uninstalling: bool) -> int:
    """The command-line entry: one line per file, exit status 0, or 1 with a reason."""
    try:
        files = uninstall() if uninstalling else install()
    except OSError as error:
        print(f"stepwise: could not {'remove' if uninstalling else 'install'} the desktop "
              f"files: {error.strerror or error} ({error.filename or data_home()})",
              file=sys.stderr)
        return 1
    verb = "Removed" if uninstalling else "Installed"
    if not files:
        print("stepwise: nothing to remove: the desktop files were not installed")
    for path in files:
        print(f"{verb} {path}")
    return 0
