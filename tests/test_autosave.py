"""Autosave slots between processes: a window that crashed (its process gone, its
lock file left behind) is an orphan to offer; one still running is not."""
import json
import subprocess
import sys
import textwrap
from pathlib import Path

from gui.autosave import AutosaveSlot, orphans

FIXTURE = Path(__file__).parent / "data" / "session_v1.json"
ROOT = Path(__file__).resolve().parent.parent

CHILD = textwrap.dedent("""
    import json, os, sys, time
    from PySide6.QtCore import QCoreApplication
    app = QCoreApplication([])
    from gui.autosave import AutosaveSlot
    slot = AutosaveSlot(__import__("pathlib").Path(sys.argv[1]))
    slot.write(json.load(open(sys.argv[2])), "/lectures/week 1.stepwise.json", None)
    slot.wait()
    print(slot.slot, flush=True)
    if sys.argv[3] == "crash":
        os._exit(9)                 # no clean exit: the lock file stays
    sys.stdin.readline()            # keep running until the test says so
    slot.release()
""")


def _child(folder, how):
    return subprocess.Popen([sys.executable, "-c", CHILD, str(folder), str(FIXTURE), how],
                            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def test_a_crashed_window_leaves_an_orphan_with_its_file_name(qapp, tmp_path):
    with _child(tmp_path, "crash") as child:
        slot = child.stdout.readline().strip()
        assert child.wait(60) == 9
    assert (tmp_path / f"{slot}.lock").exists()          # left behind by the crash
    found = orphans(tmp_path)
    assert [o.slot for o in found] == [slot]
    assert found[0].original == "/lectures/week 1.stepwise.json"
    assert json.loads(found[0].session.read_text()) == json.loads(FIXTURE.read_text())
    found[0].discard()
    assert orphans(tmp_path) == []


def test_a_running_window_is_not_an_orphan_and_a_clean_exit_leaves_nothing(qapp, tmp_path):
    with _child(tmp_path, "run") as child:
        slot = child.stdout.readline().strip()
        assert (tmp_path / f"{slot}.stepwise.json").exists()
        assert orphans(tmp_path) == []                   # its lock is held
        child.stdin.write("\n")
        child.stdin.flush()
        assert child.wait(60) == 0
    assert list(tmp_path.iterdir()) == []                # the clean-exit mark: nothing left


def test_a_write_after_remove_does_not_bring_the_copy_back(qapp, tmp_path):
    slot = AutosaveSlot(tmp_path)
    assert slot.write(json.loads(FIXTURE.read_text()), None, None)
    slot.remove()                    # saved meanwhile: the write in flight is dropped
    slot.wait()
    assert not slot.session_path.exists()
    slot.release()
    assert list(tmp_path.iterdir()) == []
