"""Session files: exact round trip, atomic writes, and files nobody can break —
pipes, devices, symlinks, huge or deep files, permissions, stale temporaries."""
import fcntl
import json
import os
import stat
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import core.session as session_module
from core.session import (
    FORMAT,
    MAX_BYTES,
    VERSION,
    Session,
    SessionError,
    file_fingerprint,
    load_session,
    save_session,
    session_document,
)

FIXTURE = Path(__file__).parent / "data" / "session_v1.json"


def _real() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def _gui_document() -> dict:
    """What the main window hands over: the tabs' state() dicts, NumPy arrays and all."""
    real = _real()
    classifier = dict(real["classifier"], weights=[np.array(w) for w in real["classifier"]["weights"]])
    return session_document(classifier, real["newton"], real["view"])


def _in_time(function, seconds=1.0):
    """function()'s exception or result, failing (not hanging) if it takes too long."""
    outcome: dict = {}

    def run():
        try:
            outcome["result"] = function()
        except BaseException as error:  # noqa: B036 — handed to the test thread
            outcome["error"] = error

    worker = threading.Thread(target=run, daemon=True)
    started = time.perf_counter()
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"still running after {seconds} s"
    return outcome, time.perf_counter() - started


# ---- round trip -------------------------------------------------------------------------
def test_the_version_1_file_from_today_opens_with_the_same_values():
    session = load_session(FIXTURE)
    assert isinstance(session, Session)
    assert session.to_json() == _real()
    assert session.classifier.sentences[0] == "Aack aack aack!"
    assert session.newton.function == "exp(x) - ln(x)" and session.newton.step == 2


def test_round_trip_of_a_real_document_is_exact(tmp_path):
    path = save_session(tmp_path / "demo.stepwise.json", _gui_document())
    assert json.loads(path.read_text(encoding="utf-8")) == _real()
    assert load_session(path).to_json() == _real()
    again = save_session(tmp_path / "again.json", load_session(path))
    assert again.read_bytes() == path.read_bytes()


def test_a_bad_document_is_refused_on_save_and_the_old_file_stays(tmp_path):
    path = save_session(tmp_path / "s.json", _gui_document())
    before = path.read_text()
    for bad in (dict(_gui_document(), oops=object()),
                session_document(_real()["classifier"], dict(_real()["newton"], x0=float("nan")))):
        with pytest.raises(SessionError):
            save_session(path, bad)
    with pytest.raises(SessionError, match="newton.x0"):
        save_session(path, session_document(_real()["classifier"],
                                            dict(_real()["newton"], x0=float("nan"))))
    assert path.read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.json"]


# ---- reading files nobody can break ----------------------------------------------------------
@pytest.mark.parametrize("content, words", [
    (b"", "damaged"),
    (b'{"format": "stepwise-session", "version": 1, "classifier": {', "damaged"),
    (b"\xff\xfe\x00binary", "not a text file"),
    (b'{"hello": "world"}', "not a Stepwise session"),
    (b"[1, 2, 3]", "not a Stepwise session"),
    (json.dumps({"format": FORMAT, "version": VERSION + 1, "classifier": {},
                 "newton": {}}).encode(), "newer Stepwise"),
    (json.dumps({"format": FORMAT, "version": "1", "classifier": {},
                 "newton": {}}).encode(), "version"),
    (json.dumps({"format": FORMAT, "version": 1, "classifier": {}}).encode(), "newton: missing"),
    (b"[" * 100_000 + b"]" * 100_000, "deeper"),
    (b"[" * 70 + b"]" * 70, "deeper"),
    (b'{"n": 1' + b"0" * 5000 + b"}", "too long"),
])
def test_bad_files_are_refused_with_a_message(tmp_path, content, words):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(SessionError, match=words):
        load_session(path)


@pytest.mark.parametrize("text, field", [
    ('"x0": 0.05', "newton.x0"),
])
@pytest.mark.parametrize("bad", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_numbers_in_a_file_are_refused_naming_the_field(tmp_path, text, field, bad):
    path = tmp_path / "s.json"
    original = FIXTURE.read_text(encoding="utf-8")
    assert text in original
    path.write_text(original.replace(text, text.split(":")[0] + ": " + bad), encoding="utf-8")
    with pytest.raises(SessionError, match=f"{field}: expected a finite number"):
        load_session(path)


def test_missing_file_is_a_session_error(tmp_path):
    with pytest.raises(SessionError, match="could not be read"):
        load_session(tmp_path / "nope.json")


def test_a_named_pipe_is_refused_at_once(tmp_path):
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    outcome, seconds = _in_time(lambda: load_session(pipe))
    assert isinstance(outcome.get("error"), SessionError), outcome
    assert "not a regular file" in str(outcome["error"]) and seconds < 1.0


def test_a_symlink_to_dev_zero_is_refused_at_once(tmp_path):
    link = tmp_path / "zero.json"
    link.symlink_to("/dev/zero")
    outcome, _ = _in_time(lambda: load_session(link))
    assert isinstance(outcome.get("error"), SessionError), outcome
    assert "not a regular file" in str(outcome["error"])


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(SessionError, match="not a regular file"):
        load_session(tmp_path)


def test_reading_stops_after_max_bytes_whatever_the_size_says(tmp_path, monkeypatch):
    path = tmp_path / "big.json"
    path.write_bytes(b" " * 5000)
    monkeypatch.setattr(session_module, "MAX_BYTES", 100)
    read_sizes = []
    real_read = os.read

    def counting_read(descriptor, size):
        read_sizes.append(size)
        return real_read(descriptor, size)

    monkeypatch.setattr(session_module.os, "read", counting_read)
    with pytest.raises(SessionError, match="too large"):
        load_session(path)
    assert sum(read_sizes) <= 101


def test_an_oversized_sparse_file_is_refused(tmp_path):
    path = tmp_path / "huge.json"
    with open(path, "wb") as handle:
        handle.truncate(MAX_BYTES + 10)
    with pytest.raises(SessionError, match="too large"):
        load_session(path)


# ---- writing --------------------------------------------------------------------------
def test_saving_through_a_symlink_updates_its_target(tmp_path):
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    save_session(link, _gui_document())
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert json.loads(target.read_text()) == _real()


def test_a_device_node_is_never_replaced(tmp_path):
    link = tmp_path / "null.json"
    link.symlink_to("/dev/null")
    with pytest.raises(SessionError, match="not a regular file"):
        save_session(link, _gui_document())
    assert link.is_symlink() and os.readlink(link) == "/dev/null"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_directory_or_pipe_target_is_refused(tmp_path):
    (tmp_path / "folder.json").mkdir()
    os.mkfifo(tmp_path / "pipe.json")
    for name in ("folder.json", "pipe.json"):
        with pytest.raises(SessionError, match="not a regular file"):
            save_session(tmp_path / name, _gui_document())
    assert (tmp_path / "folder.json").is_dir()
    assert stat.S_ISFIFO(os.stat(tmp_path / "pipe.json").st_mode)


@pytest.mark.parametrize("bits", [0o644, 0o640, 0o600])
def test_an_existing_files_permissions_are_kept(tmp_path, bits):
    path = tmp_path / "s.json"
    path.write_text("{}")
    os.chmod(path, bits)
    save_session(path, _gui_document())
    assert stat.S_IMODE(os.stat(path).st_mode) == bits


@pytest.mark.parametrize("umask, expected", [(0o022, 0o644), (0o027, 0o640)])
def test_a_new_file_follows_the_umask(tmp_path, umask, expected):
    previous = os.umask(umask)
    try:
        save_session(tmp_path / "new.json", _gui_document())
    finally:
        os.umask(previous)
    assert stat.S_IMODE(os.stat(tmp_path / "new.json").st_mode) == expected


def test_stale_temporaries_of_sessions_in_that_folder_are_removed(tmp_path):
    old = time.time() - 3600
    stale = [tmp_path / f".s.json.{tag}.tmp" for tag in ("abcd1234", "x_9y8z7w")] + \
        [tmp_path / ".other.stepwise.json.abcd1234.tmp"]
    fresh = tmp_path / ".s.json.fresh123.tmp"          # a save in progress: locked
    killed = tmp_path / ".s.json.killed12.tmp"         # as young, but nobody holds it
    not_ours = [tmp_path / ".notes.txt.abcd1234.tmp", tmp_path / "s.json.abcd1234.tmp",
                tmp_path / ".s.json.toolong123.tmp"]
    for path in (*stale, fresh, killed, *not_ours):
        path.write_bytes(b"x" * 100)
    for path in (*stale, *not_ours):
        os.utime(path, (old, old))
    with open(fresh, "rb") as saving:
        fcntl.flock(saving, fcntl.LOCK_EX)
        save_session(tmp_path / "s.json", _gui_document())
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(["s.json", fresh.name, *(p.name for p in not_ours)])


def test_interrupted_saves_leave_no_lasting_litter(tmp_path, monkeypatch):
    """300 saves killed between writing and renaming (as kill -9 would) leave their
    temporaries; once they are stale, the next save clears every one."""
    path = tmp_path / "lecture.stepwise.json"
    real_replace = os.replace

    def killed(_src, _dst):
        raise KeyboardInterrupt       # the process dies here; cleanup code cannot run

    monkeypatch.setattr(session_module.os, "replace", killed)
    monkeypatch.setattr(session_module.os, "unlink", lambda _p: None)
    for _ in range(300):
        with pytest.raises(KeyboardInterrupt):
            save_session(path, _gui_document())
    monkeypatch.undo()
    left = list(tmp_path.iterdir())
    assert len(left) == 300
    old = time.time() - 3600
    for temporary in left:
        os.utime(temporary, (old, old))
    assert os.replace is real_replace
    save_session(path, _gui_document())
    assert [p.name for p in tmp_path.iterdir()] == ["lecture.stepwise.json"]


def test_file_fingerprint_tells_a_change_on_disk(tmp_path):
    path = tmp_path / "s.json"
    assert file_fingerprint(path) is None
    save_session(path, _gui_document())
    saved = file_fingerprint(path)
    status = os.stat(path)
    assert saved == (status.st_mtime_ns, status.st_size, status.st_ino)
    load_session(path)
    assert file_fingerprint(path) == saved  # reading changes nothing
    with open(path, "a", encoding="utf-8") as handle:  # another program appends a line
        handle.write("\n")
    assert file_fingerprint(path) != saved
    save_session(path, _gui_document())
    assert file_fingerprint(path).inode != saved.inode  # an atomic save is a new file
