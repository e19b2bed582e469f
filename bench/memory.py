"""Resident memory after opening both tabs (target ≤ 300 MB), beside a bare
PySide6 + pyqtgraph window measured the same way. Run: python -m bench.memory"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RSS = "int(open('/proc/self/status').read().split('VmRSS:')[1].split()[0]) / 1024"

BARE = f"""
from PySide6.QtWidgets import QApplication
import pyqtgraph as pg, numpy as np
app = QApplication([])
w = pg.PlotWidget(); w.plot(np.arange(10.0)); w.resize(1280, 800); w.show(); app.processEvents()
print({RSS})
"""

APP = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from PySide6.QtWidgets import QApplication
app = QApplication([])
from gui import mathtext
mathtext._load()
from gui.main_window import MainWindow
w = MainWindow(restore=False); w.resize(1280, 800); w.show(); app.processEvents()
w.tabs.setCurrentIndex(1); app.processEvents()
w.newton_tab.load_preset(0); w.newton_tab.run_to_end()
w.tabs.setCurrentIndex(0); w.classifier_tab.step_epoch()
for _ in range(50):
    w.classifier_tab.step(); app.processEvents()
print({RSS})
"""


def _rss(code: str) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True, timeout=120)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> int:
    bare, ours = _rss(BARE), _rss(APP)
    print(f"bare PySide6 + pyqtgraph window: {bare:6.1f} MB resident")
    print(f"Stepwise, both tabs used:        {ours:6.1f} MB resident "
          f"({ours / bare:.2f}× bare; target ≤ 300 MB)")
    return 0 if ours <= 300 else 1


if __name__ == "__main__":
    raise SystemExit(main())
