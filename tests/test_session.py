"""Session files: round trip, atomic writes, and refusal of bad files."""
import json

import numpy as np
import pytest

from core.session import FORMAT, VERSION, SessionError, load_session, save_session, session_document


def _doc():
    return session_document({"sentences": ["Aack!"], "weights": [np.eye(2)]},
                            {"function": "exp(x) - ln(x)", "x0": 0.05}, {"tab": 1})


def test_round_trip_keeps_everything(tmp_path):
    path = save_session(tmp_path / "demo.stepwise.json", _doc())
    loaded = load_session(path)
    assert loaded["format"] == FORMAT and loaded["version"] == VERSION
    assert loaded["classifier"]["weights"] == [[[1.0, 0.0], [0.0, 1.0]]]
    assert loaded["newton"] == {"function": "exp(x) - ln(x)", "x0": 0.05}
    assert loaded["view"] == {"tab": 1}


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = save_session(tmp_path / "s.json", _doc())
    before = path.read_text()
    bad = _doc()
    bad["classifier"]["oops"] = object()
    with pytest.raises(SessionError):
        save_session(path, bad)
    assert path.read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.json"]


def test_non_finite_numbers_are_refused_on_save(tmp_path):
    bad = _doc()
    bad["newton"]["x0"] = float("nan")
    with pytest.raises(SessionError):
        save_session(tmp_path / "s.json", bad)


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
    (json.dumps({"format": FORMAT, "version": 1, "classifier": {}}).encode(), "newton"),
    (b'{"format": "stepwise-session", "version": 1, "classifier": {"x": NaN}, "newton": {}}',
     "NaN"),
])
def test_bad_files_are_refused_with_a_message(tmp_path, content, words):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(SessionError, match=words):
        load_session(path)


def test_missing_file_is_a_session_error(tmp_path):
    with pytest.raises(SessionError, match="could not be read"):
        load_session(tmp_path / "nope.json")
