"""Start-up to a painted window: Stepwise against a bare PySide6 + pyqtgraph window.

Both are started as fresh processes, interleaved, several times, in this one run
(absolute times drift on these machines; the ratio is what we track). Target:
Stepwise ≤ 1.3 × the bare window. Run: python -m bench.startup [--repeats N]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTabWidget
import pyqtgraph as pg
import numpy as np
app = QApplication(sys.argv)
window = QMainWindow()
tabs = QTabWidget()
plot = pg.PlotWidget()
plot.plot(np.arange(10.0), np.arange(10.0) ** 2)
tabs.addTab(plot, "Plot")
window.setCentralWidget(tabs)
window.resize(1280, 800)
window.show()
window.repaint()
QTimer.singleShot(0, app.quit)
app.exec()
"""


def _time(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    # An installed app runs from cached bytecode, as site-packages does; a shell that
    # forbids writing it would make every run recompile our sources (~60 ms).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    bare_cmd = [sys.executable, "-c", BARE]
    app_cmd = [sys.executable, str(ROOT / "main.py"), "--quit-after-paint"]
    _time(bare_cmd, env), _time(app_cmd, env)  # warm the file cache
    bare, ours = [], []
    for _ in range(args.repeats):
        bare.append(_time(bare_cmd, env))
        ours.append(_time(app_cmd, env))
    b, o = statistics.median(bare), statistics.median(ours)
    print(f"bare PySide6 + pyqtgraph window: median {b * 1000:7.0f} ms  (min {min(bare) * 1000:.0f})")
    print(f"Stepwise main window:            median {o * 1000:7.0f} ms  (min {min(ours) * 1000:.0f})")
    print(f"ratio Stepwise / bare: {o / b:.2f}  (target <= 1.30)")
    return 0


if __name__ == "__main__":
    if __package__ in (None, ""):
        sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
