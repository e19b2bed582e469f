"""Autosave and crash recovery: a copy of unsaved work in the user's data folder.

Each running window owns one slot in ``QStandardPaths.AppDataLocation``/autosave:
``<id>.stepwise.json`` (a normal session file, written atomically by
``core.session.save_session``), ``<id>.info.json`` (which file it belongs to, and
that file's fingerprint then) and ``<id>.lock`` (a ``QLockFile`` held while the
window runs). A clean exit removes all three: that absence is the clean-exit mark.
On the next start, a session file whose lock nobody holds belongs to a window that
crashed (or was killed), so it is offered for recovery.

Writing happens on a worker thread (JSON, fsync and rename can take a while on a
slow disk); the state is taken on the GUI thread.
"""
from __future__ import annotations

import json
import logging
import os
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QStandardPaths

log = logging.getLogger(__name__)

SESSION_SUFFIX = ".stepwise.json"


def autosave_folder() -> Path:
    """Where autosaves live: the application's data folder (XDG_DATA_HOME on Linux)."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or Path.home() / ".stepwise") / "autosave"


@dataclass(frozen=True)
class Orphan:
    """An autosave left by a window that did not close cleanly."""

    session: Path
    saved_at: float            # seconds since the epoch
    original: str | None       # the file it was a copy of (None: never saved)
    fingerprint: tuple | None  # that file's fingerprint when the copy was made

    @property
    def slot(self) -> str:
        return self.session.name[:-len(SESSION_SUFFIX)]

    def discard(self) -> None:
        """Delete the copy and its info (after recovering it, or on the user's word)."""
        _delete(self.session, self.session.with_name(self.slot + ".info.json"))


def _delete(*paths) -> None:
    """Delete the autosave's files; one already gone is fine, one that will not go is logged."""
    for path in paths:
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as error:
            log.warning("could not delete %s: %s", path, error)


class AutosaveSlot:
    """This window's autosave: ``write`` (asynchronous), ``wait``, ``remove``, ``release``."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or autosave_folder()
        self.slot = uuid.uuid4().hex[:12]
        self.session_path = self.folder / f"{self.slot}{SESSION_SUFFIX}"
        self.info_path = self.folder / f"{self.slot}.info.json"
        self._lock: QLockFile | None = None
        self._thread: threading.Thread | None = None
        self._generation = 0              # bumped by remove(): older writes are dropped
        self._guard = threading.Lock()
        self.last_error: str | None = None

    def busy(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def write(self, document: dict, original: str | None, fingerprint: tuple | None) -> bool:
        """Start writing ``document`` (a session dict) on a worker thread; False if a
        write is still running (try again later) or the folder cannot be used."""
        if self.busy():
            return False
        if not self._hold_lock():
            return False
        info = {"original": original, "fingerprint": list(fingerprint) if fingerprint else None,
                "saved_at": time.time()}
        generation = self._generation
        self._thread = threading.Thread(target=self._write, args=(document, info, generation),
                                        name="stepwise-autosave", daemon=True)
        self._thread.start()
        return True

    def wait(self, timeout: float = 10.0) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def remove(self) -> None:
        """Nothing left to recover (saved, discarded, or opened afresh)."""
        with self._guard:
            self._generation += 1
            _delete(self.session_path, self.info_path)

    def release(self) -> None:
        """A clean exit: remove the copy and give up the lock."""
        self.wait()
        self.remove()
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    # ---- internals -------------------------------------------------------------------
    def _hold_lock(self) -> bool:
        if self._lock is not None:
            return True
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            self.last_error = str(error)
            return False
        lock = QLockFile(str(self.folder / f"{self.slot}.lock"))
        lock.setStaleLockTime(0)          # stale only if its process is gone, however old
        if not lock.tryLock(0):
            self.last_error = "the autosave lock is taken"
            return False
        self._lock = lock
        return True

    def _write(self, document: dict, info: dict, generation: int) -> None:
        from core.session import SessionError, save_session
        try:
            with self._guard:
                if generation != self._generation:
                    return
                _write_json_atomically(self.info_path, info)
                save_session(self.session_path, document)
            self.last_error = None
        except (OSError, SessionError) as error:
            self.last_error = str(error)
            log.warning("autosave failed: %s", error)


def _write_json_atomically(path: Path, value: dict) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(value, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def orphans(folder: Path | None = None) -> list[Orphan]:
    """Autosaves whose window is gone, newest first."""
    folder = folder or autosave_folder()
    try:
        candidates = [p for p in folder.iterdir() if p.name.endswith(SESSION_SUFFIX)]
    except OSError:
        return []
    found = []
    for session in candidates:
        slot = session.name[:-len(SESSION_SUFFIX)]
        lock = QLockFile(str(folder / f"{slot}.lock"))
        lock.setStaleLockTime(0)
        if not lock.tryLock(0):
            continue                      # its window is still running
        lock.unlock()
        info = _read_info(folder / f"{slot}.info.json")
        try:
            saved_at = float(info.get("saved_at") or session.stat().st_mtime)
        except OSError:
            continue
        original = info.get("original")
        fingerprint = info.get("fingerprint")
        found.append(Orphan(session, saved_at, original if isinstance(original, str) else None,
                            tuple(fingerprint) if isinstance(fingerprint, list) else None))
    return sorted(found, key=lambda o: o.saved_at, reverse=True)


def _read_info(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as handle:
            value = json.loads(handle.read(64 * 1024))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}
