"""Session files: the whole demo (data, weights, step position, Newton function and
history, settings) as readable JSON, checked field by field (``core.session_schema``).

Reading opens only regular files, reads a bounded number of bytes, refuses deep
nesting and non-finite numbers, and returns a typed ``Session`` or raises one
``SessionError`` naming the bad field. Writing is atomic (a temporary file in the
target's folder, fsync, ``os.replace``), goes through symlinks to their target, keeps
the target's permission bits, and clears temporaries that interrupted saves left (a save
holds a lock on its own temporary, so the next save tells litter at once).
"""
from __future__ import annotations

import json
import os
import re
import stat
import tempfile
import time
from pathlib import Path
from typing import Any, NamedTuple

try:
    import fcntl
except ImportError:  # not on Windows: stale temporaries are told by their age
    fcntl = None  # type: ignore[assignment]

from core.session_schema import (
    FORMAT,
    VERSION,
    ClassifierPart,
    Integer,
    NewtonPart,
    Session,
    SessionError,
    ViewPart,
    shown,
)

# a session is a few kB, a long run's losses ~20 bytes an epoch (a million epochs of
# fastest play: 19 MB, which the 20 MB of before refused); absurd files before parsing
MAX_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 64                 # a session nests 5 deep; deeper is not a session
STALE_SECONDS = 60             # a temporary this old belongs to an interrupted save
# what mkstemp(prefix=".NAME.", suffix=".tmp") makes for a session NAME ending in .json
_TEMPORARY_NAME = re.compile(r"\..+\.json\.[a-z0-9_]{8}\.tmp", re.DOTALL)

__all__ = ["SessionError", "Session", "FORMAT", "VERSION", "MAX_BYTES", "save_session",
           "load_session", "validate_document", "session_document", "migrate",
           "file_fingerprint", "FileFingerprint"]


class FileFingerprint(NamedTuple):
    """What changes when another program rewrites a file."""

    mtime_ns: int
    size: int
    inode: int


def file_fingerprint(path: str | os.PathLike) -> FileFingerprint | None:
    """(mtime_ns, size, inode) of the file ``path`` names, or None if it cannot be
    read; compare with the one taken at open/save to see "changed on disk"."""
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    return FileFingerprint(status.st_mtime_ns, status.st_size, status.st_ino)


# ---- documents --------------------------------------------------------------------------
def session_document(classifier: dict, newton: dict, view: dict | None = None) -> dict:
    """The JSON document for the two tabs' ``state()`` dicts (not checked here)."""
    return {"format": FORMAT, "version": VERSION, "classifier": classifier,
            "newton": newton, "view": view or {}}


def migrate(document: dict, from_version: int) -> dict:
    """``document`` (a top-level session of ``from_version``) in the current layout.

    Each step ``_UPGRADES[v]`` turns version v into v + 1; then spellings that builds
    of the current version once wrote are normalised. Returns a new dict.
    """
    document = dict(document)
    for version in range(from_version, VERSION):
        document = _UPGRADES[version](document)
    newton = document.get("newton")
    if isinstance(newton, dict) and newton.get("mode") == "minimize":
        # version-1 files written before the one British spelling
        document["newton"] = {**newton, "mode": "minimise"}
    document["version"] = VERSION
    return document


_UPGRADES: dict[int, Any] = {}  # version → function(document) -> document of version + 1


def validate_document(document: Any) -> Session:
    """The typed session in ``document`` (a parsed JSON value), migrated to the
    current version; raises SessionError whose message starts with the field's path."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise SessionError("This is not a Stepwise session file.")
    if "version" not in document:
        raise SessionError("version: missing")
    version = document["version"]
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise SessionError(f"version {shown(version)}: saved by a newer Stepwise (this one "
                           f"reads up to {VERSION}). Please update.")
    Integer(1, VERSION).read(version, "version")
    document = migrate(document, version)
    for key in document:
        if key not in ("format", "version", *Session.PARTS):
            raise SessionError(f"unknown field {shown(key)}")
    for key in ("classifier", "newton"):
        if key not in document:
            raise SessionError(f"{key}: missing")
    return Session(classifier=ClassifierPart.from_json(document["classifier"], "classifier"),
                   newton=NewtonPart.from_json(document["newton"], "newton"),
                   view=ViewPart.from_json(document.get("view", {}), "view"))


# ---- reading ----------------------------------------------------------------------------
def load_session(path: str | os.PathLike) -> Session:
    """Read and check a session file; raises SessionError with one short message."""
    name = shown(Path(path).name)
    raw = _read_regular_file(path, name)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SessionError(f"{name} is not a text file, so not a Stepwise session.") from None
    try:
        # NaN, Infinity and 1e999 become floats here and are refused by field, by name
        document = json.loads(text, parse_constant=float)
    except json.JSONDecodeError as exc:
        raise SessionError(f"{name} is damaged or truncated (line {exc.lineno}, "
                           f"column {exc.colno}: {exc.msg}).") from None
    except RecursionError:
        raise SessionError(f"{name} nests lists deeper than a session ever does.") from None
    except ValueError:  # an integer of thousands of digits
        raise SessionError(f"{name} holds a number too long to be a session's.") from None
    if _depth_exceeds(document, MAX_DEPTH):
        raise SessionError(f"{name} nests lists deeper than a session ever does.")
    return validate_document(document)


def _read_regular_file(path: str | os.PathLike, name: str) -> bytes:
    """At most MAX_BYTES of a regular file. O_NONBLOCK so a named pipe cannot block the
    open, and fstat on the descriptor (not the path) so what is checked is what is read."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | \
        getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "bad name"
        raise SessionError(f"{name} could not be read: {reason}.") from None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise SessionError(f"{name} is not a regular file, so not a Stepwise session.")
        chunks, total = [], 0
        while total <= MAX_BYTES:  # st_size may lie (procfs, growing files): count bytes read
            chunk = os.read(descriptor, min(1 << 20, MAX_BYTES + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise SessionError(f"{name} could not be read: {exc.strerror or 'error'}.") from None
    finally:
        os.close(descriptor)
    if total > MAX_BYTES:
        raise SessionError(f"{name} is over {MAX_BYTES // 1024 // 1024} MB — far too large "
                           "to be a Stepwise session.")
    return b"".join(chunks)


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Whether lists/objects nest deeper than ``limit`` (iterative: no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, dict)):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


# ---- writing ----------------------------------------------------------------------------
def save_session(path: str | os.PathLike, document: Session | dict) -> Path:
    """Check ``document`` and write it to ``path`` atomically; returns ``path``.

    A symlink is written through to its target; an existing target that is not a
    regular file is refused; the target keeps its permission bits (a new file gets
    0666 & ~umask). Raises SessionError (bad document or target) or OSError.
    """
    session = document if isinstance(document, Session) else validate_document(_plain(document))
    text = _json_text(session.to_json()) + "\n"
    target = Path(os.path.realpath(path))
    try:
        status = os.stat(target)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    else:
        if not stat.S_ISREG(status.st_mode):
            raise SessionError(f"{shown(target.name)} is not a regular file; not replaced.")
        mode = stat.S_IMODE(status.st_mode)
    _remove_stale_temporaries(target)
    descriptor, temporary = _locked_temporary(target)
    try:
        os.fchmod(descriptor, mode)  # mkstemp makes 0600; the file keeps its own bits
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
            # renamed while still open, so still locked: a cleaner never takes it
            os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    _sync_folder(target.parent)
    return Path(path)


def _json_text(value: Any, indent: str = "") -> str:
    """JSON indented by two spaces, except that a list of numbers stays on one line:
    a long run's losses one per line made a million epochs 30 MB instead of 19."""
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{json.dumps(key, ensure_ascii=False)}: {_json_text(item, inner)}"
                 for key, item in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and value and not _numbers(value):
        items = [inner + _json_text(item, inner) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + indent + "]"
    if isinstance(value, list) and len(value) > _CHUNK and all(map(_is_float, value)):
        # a long run's losses: repr is JSON's own spelling of a float (the document
        # was checked: all finite), at a third of the json module's cost — on the
        # autosave thread every millisecond of it is one the window waits for the GIL
        return "[" + ", ".join(", ".join(map(float.__repr__, value[i:i + _CHUNK]))
                               for i in range(0, len(value), _CHUNK)) + "]"
    if isinstance(value, list) and len(value) > _CHUNK:
        # in pieces: one C encoder call holds the GIL (an autosave thread's million
        # losses would freeze the window for their whole encoding)
        return "[" + ", ".join(_json_text(value[i:i + _CHUNK])[1:-1]
                               for i in range(0, len(value), _CHUNK)) + "]"
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(", ", ": "))


_CHUNK = 10_000   # numbers encoded per json call


def _numbers(values: list) -> bool:
    """Whether every item is a number or null (floats are told at C speed: a
    million losses checked in a Python loop kept the window waiting for the GIL)."""
    return all(map(_is_float, values)) or all(
        item is None or (isinstance(item, (int, float)) and not isinstance(item, bool))
        for item in values)


_is_float = float.__instancecheck__


def _sync_folder(folder: Path) -> None:
    """fsync the folder so the rename itself survives a power cut (best effort)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some filesystems refuse fsync on folders; the data itself is synced
    finally:
        os.close(descriptor)


def _plain(document: Any) -> Any:
    """``document`` as parsed JSON values (NumPy arrays become lists, tuples lists,
    keys text), non-finite numbers kept so the checker can name their field.

    A walk in Python rather than a ``json`` round trip: the C encoder and decoder
    hold the GIL throughout, so autosaving a long run's million losses on its worker
    thread froze the window for a second.
    """
    try:
        return _plain_value(document, 0)
    except RecursionError:
        raise SessionError("The session nests too deeply to be written.") from None


def _plain_value(value: Any, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise RecursionError
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)):
        return int(value) if isinstance(value, int) else float(value)
    if isinstance(value, dict):
        plain = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise SessionError(f"The session could not be written as JSON: key "
                                   f"{shown(key)} is not text")
            plain[key] = _plain_value(item, depth + 1)
        return plain
    if isinstance(value, (list, tuple)):
        if value and all(map(_is_float, value)):
            return list(value)                     # a long run's losses: no walk per item
        return [_plain_value(item, depth + 1) for item in value]
    tolist = getattr(value, "tolist", None)
    if tolist is not None:
        return _plain_value(tolist(), depth)
    raise SessionError(f"The session could not be written as JSON: "
                       f"{type(value).__name__} is not JSON-serialisable")


def _umask() -> int:
    """The process's umask (read from /proc where possible: setting it is racy)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current


def _locked_temporary(target: Path) -> tuple[int, str]:
    """A new ``.NAME.xxxxxxxx.tmp`` beside ``target``, open and flock-ed for as long as
    this save runs: a process killed mid-save loses its lock with its life, which is how
    the next save tells litter from a save in progress (``_remove_stale_temporaries``).
    A cleaner that took the file between its creation and the lock deleted it: then
    another name is tried."""
    for _attempt in range(8):
        descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                                 dir=target.parent)
        if _try_lock(descriptor) is not False and _names(temporary, descriptor):
            return descriptor, temporary
        os.close(descriptor)
    return tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)


def _try_lock(descriptor: int) -> bool | None:
    """Take an exclusive flock without waiting: True if taken, False if another
    process holds it, None where this system or filesystem has no such locks."""
    if fcntl is None:
        return None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError:
        return None
    return True


def _names(path: str, descriptor: int) -> bool:
    """Whether ``path`` still names the file open as ``descriptor``."""
    try:
        return os.stat(path, follow_symlinks=False).st_ino == os.fstat(descriptor).st_ino
    except OSError:
        return False


def _remove_stale_temporaries(target: Path) -> None:
    """Delete the ``.NAME.xxxxxxxx.tmp`` files that saves into ``target``'s folder
    left when they were killed mid-write — of this session or another ``.json`` one
    there. A save in progress holds a lock on its temporary, so one that can be
    locked is litter, however young; where locks are not to be had, one older than
    STALE_SECONDS is (a younger one may be a save in progress)."""
    pattern = _TEMPORARY_NAME
    cutoff = time.time() - STALE_SECONDS
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | \
        getattr(os, "O_CLOEXEC", 0)
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            descriptor = os.open(entry.path, flags)
        except OSError:
            continue  # another process removed it, or we may not: not our business
        try:
            locked = _try_lock(descriptor)
            if locked is False:
                continue                   # a save in progress
            if locked is None and os.fstat(descriptor).st_mtime >= cutoff:
                continue                   # no locks here: only the age tells
            if _names(entry.path, descriptor):
                os.unlink(entry.path)
        except OSError:
            pass
        finally:
            os.close(descriptor)
