"""Session files: the whole demo (data, weights, step position, Newton function and
history, settings) as readable JSON.

Writes are atomic (a temporary file in the same folder, then ``os.replace``), so a
crash mid-save never leaves a half-written session. Reading refuses anything that is
not a Stepwise session of a version we understand, with a message for people, and
never returns a partly-read session.
"""
from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

FORMAT = "stepwise-session"
VERSION = 1
MAX_BYTES = 20 * 1024 * 1024  # a session is a few kB; refuse absurd files before parsing

__all__ = ["SessionError", "FORMAT", "VERSION", "save_session", "load_session",
           "session_document"]


class SessionError(ValueError):
    """A session file that cannot be opened; ``str(error)`` is the message to show."""


def session_document(classifier: dict, newton: dict, view: dict | None = None) -> dict:
    """The JSON document for the two tabs' states (each a JSON-serialisable dict)."""
    return {"format": FORMAT, "version": VERSION, "classifier": classifier,
            "newton": newton, "view": view or {}}


def save_session(path: str | os.PathLike, document: dict) -> Path:
    """Write ``document`` to ``path`` atomically; raises OSError or SessionError."""
    path = Path(path)
    try:
        text = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False,
                          default=_jsonable)
    except (TypeError, ValueError) as exc:
        raise SessionError(f"The session could not be written as JSON: {exc}") from exc
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


def load_session(path: str | os.PathLike) -> dict:
    """Read and check a session file; raises SessionError with a clear message."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SessionError(f"{path.name} is {size // 1024 // 1024} MB — far too large "
                               "to be a Stepwise session.")
        raw = path.read_bytes()
    except OSError as exc:
        raise SessionError(f"{path.name} could not be read: {exc.strerror or exc}") from exc
    try:
        document = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
    except UnicodeDecodeError as exc:
        raise SessionError(f"{path.name} is not a text file, so not a Stepwise session.") from exc
    except json.JSONDecodeError as exc:
        raise SessionError(f"{path.name} is damaged or truncated (line {exc.lineno}, "
                           f"column {exc.colno}: {exc.msg}).") from exc
    except ValueError as exc:
        raise SessionError(f"{path.name}: {exc}") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise SessionError(f"{path.name} is not a Stepwise session file.")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise SessionError(f"{path.name} has no valid version number.")
    if version > VERSION:
        raise SessionError(f"{path.name} was saved by a newer Stepwise (session version "
                           f"{version}; this one reads up to {VERSION}). Please update.")
    for key in ("classifier", "newton"):
        if not isinstance(document.get(key), dict):
            raise SessionError(f"{path.name} is missing its '{key}' part.")
    if not isinstance(document.get("view", {}), dict):
        raise SessionError(f"{path.name} has a malformed 'view' part.")
    return document


def _refuse_constant(name: str):
    raise ValueError(f"the file contains {name}, which a session never holds")


def _jsonable(value: Any):
    """NumPy scalars and arrays become plain JSON numbers and lists."""
    tolist = getattr(value, "tolist", None)
    if tolist is not None:
        out = tolist()
        if isinstance(out, float) and not math.isfinite(out):
            raise ValueError("non-finite number")
        return out
    raise TypeError(f"{type(value).__name__} is not JSON-serialisable")
