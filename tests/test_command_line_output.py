"""`stepwise --export OUT` and `stepwise --handout PDF`: files written offscreen from
the command line, with a one-line message and a status for a bad name."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pypdf = pytest.importorskip("pypdf")


def stepwise(*args, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path),
               XDG_DATA_HOME=str(tmp_path))
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], env=env,
                          capture_output=True, text=True, timeout=120)


def said(done) -> list[str]:
    """Stepwise's own lines on stderr (the offscreen platform adds a note of its own)."""
    return [line for line in done.stderr.splitlines() if line.startswith("stepwise: ")]


def test_export_writes_the_newton_view_as_svg(tmp_path):
    out = tmp_path / "newton.svg"
    done = stepwise("--export", str(out), "--tab", "newton", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    assert text.lstrip().startswith(("<?xml", "<svg")) and "non-scaling-stroke" not in text
    assert said(done) == [f"stepwise: wrote {out}"]


def test_handout_writes_the_lecture_example(tmp_path):
    out = tmp_path / "lecture.pdf"
    done = stepwise("--handout", str(out), "--tab", "newton", "--page", "Letter",
                    tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    reader = pypdf.PdfReader(str(out))
    text = "".join(page.extract_text() for page in reader.pages)
    for value in ("0.0972", "0.1832", "0.3205", "0.4773", "0.5578", "0.5671"):
        assert value in text, value
    assert round(float(reader.pages[0].mediabox.upper_right[0])) == 612


@pytest.mark.parametrize("option, name", [("--export", "view.txt"), ("--handout", "notes.png")])
def test_a_name_stepwise_cannot_write_is_one_line_and_status_2(tmp_path, option, name):
    done = stepwise(option, str(tmp_path / name), tmp_path=tmp_path)
    assert done.returncode == 2
    lines = said(done)
    assert len(lines) == 1 and name in lines[0]
    assert list(tmp_path.glob(name)) == []
