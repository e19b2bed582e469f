"""Issue 10 item 4: quitting at any moment — while SymPy is still loading, the
mathtext warm-up runs, the first function is being parsed in its child process —
prints no traceback and leaves no child process behind."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import sys
from PySide6.QtCore import QTimer
import gui.app as app

delay, tab = int(sys.argv[1]), sys.argv[2]
run = app._run

def quitting(qapp, window, args, batch):
    # as a person closing the window (Ctrl+Q) right after start
    QTimer.singleShot(delay, window.quit_action.trigger)
    return run(qapp, window, args, batch)

app._run = quitting
sys.exit(app.main(["--tab", tab]))
"""

#: 20 quits, from the first event-loop turn to after the warm-ups, half on each tab
DELAYS = [0, 0, 1, 5, 10, 20, 40, 60, 80, 120, 160, 200, 260, 320, 400, 500, 650, 800,
          1000, 1400]


def _start(delay: int, tab: str) -> subprocess.Popen:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONFAULTHANDLER="1")
    env.pop("STEPWISE_RAISE", None)
    return subprocess.Popen([sys.executable, "-c", CHILD, str(delay), tab], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_twenty_quick_quits_print_no_traceback():
    problems = []
    for pair in range(0, len(DELAYS), 2):          # two at a time: the machine has 2 cores
        children = [(d, _start(d, tab)) for d, tab in zip(DELAYS[pair:pair + 2],
                                                          ("classifier", "newton"))]
        for delay, child in children:
            try:
                out, err = child.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                child.kill()
                out, err = child.communicate()
                problems.append((delay, "did not quit within 60 s", err[-2000:]))
                continue
            noise = [line for line in err.splitlines()
                     if "propagateSizeHints" not in line and line.strip()]
            if child.returncode != 0 or any(word in err for word in
                                            ("Traceback", "Error", "Fatal", "Warning: ")):
                problems.append((delay, child.returncode, "\n".join(noise)[-2000:]))
    assert not problems, problems
