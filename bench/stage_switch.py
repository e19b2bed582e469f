"""How long View ▸ Focus takes in the classifier: the stage layout on and off.

A 1920×1080 window at scale 2 (as under F5, without the full-screen part the window
manager does), mid-back-propagation (∂L/∂w₁₁: the chain panel's tallest kind of step).
Each sample toggles the Focus action, lets the event loop run and repaints the whole
window; the reference is the same repaint without a toggle, in the same process.
Budget: median ≤ 150 ms each way.  Run: python -m bench.stage_switch
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

BUDGET_MS = 150.0


def measure(toggles: int = 20) -> tuple[list[float], list[float], list[float]]:
    """Seconds per (focus on, focus off, plain repaint)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from core.records import BackwardStep
    from gui import mathtext
    from gui.main_window import MainWindow
    mathtext._load()
    window = MainWindow(restore=False)
    window.resize(1920, 1080)
    window.theme.set_scale(2.0)
    window.show()
    mathtext.notifier.ready.emit()
    tab = window.classifier_tab
    for _ in range(200):
        tab.step()
        current = tab.stepper.current
        if isinstance(current, BackwardStep) and current.parameter.name == "w11":
            break
    app.processEvents()
    on, off, plain = [], [], []
    for k in range(2 * toggles + 2):       # the first round fills the formula caches
        start = time.perf_counter()
        window.focus_action.setChecked(k % 2 == 0)
        app.processEvents()
        window.repaint()
        (on if k % 2 == 0 else off).append(time.perf_counter() - start)
        start = time.perf_counter()
        app.processEvents()
        window.repaint()
        plain.append(time.perf_counter() - start)
    window.focus_action.setChecked(False)
    tab.stop()
    window.close()
    app.processEvents()
    return on[1:], off[1:], plain[2:]


def main(argv=None) -> int:
    import argparse
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--toggles", type=int, default=20)
    args = parser.parse_args(argv)
    on, off, plain = measure(args.toggles)
    reference = statistics.median(plain) * 1000
    ok = True
    for name, samples in (("focus on ", on), ("focus off", off)):
        median = statistics.median(samples) * 1000
        ok &= median <= BUDGET_MS
        print(f"{name}  median {median:6.1f} ms  max {max(samples) * 1000:6.1f} ms  "
              f"= {median / reference:4.1f}× a plain repaint ({reference:.1f} ms)  "
              f"(budget ≤ {BUDGET_MS:.0f} ms) {'OK' if median <= BUDGET_MS else 'OVER BUDGET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
