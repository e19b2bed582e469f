"""Latency of one Newton step including the repaint of every view, offscreen.

Each sample triggers the tab's Step action (as a key press would) and then forces
the full repaint: ``QApplication.processEvents()`` and ``tab.repaint()`` paint the
plots, the table and the labels. The lecture example (minimise eˣ − ln x from 0.05)
is stepped; when a run ends the tab is reset and stepping continues, so every
sample is a real step. Target: median ≤ 8 ms, p95 ≤ 16 ms.
Run: python -m bench.newton_latency [--steps N]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def percentile(values, q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def measure(steps: int = 200, preset: int = 0, race: bool = False) -> list[float]:
    """Seconds per step (step action + full repaint) for ``steps`` steps."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from gui.newton.tab import NewtonTab
    from gui.theme import Theme

    theme = Theme()
    tab = NewtonTab(theme)
    tab.resize(1280, 760)
    tab.show()
    tab.load_preset(preset)
    tab.race_check.setChecked(race)
    for _ in range(3):   # settle: first paint, typeset formulas
        app.processEvents()
        tab.repaint()
    times: list[float] = []
    try:
        while len(times) < steps:
            if tab.position >= tab.total_steps():
                tab.reset()          # a run ended: start again (not timed)
                app.processEvents()
                tab.repaint()
            start = time.perf_counter()
            tab.step_action.trigger()
            app.processEvents()
            tab.repaint()
            times.append(time.perf_counter() - start)
    finally:
        tab.close()
        tab.deleteLater()
        app.processEvents()
    return times


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=240)
    parser.add_argument("--race", action="store_true",
                        help="also draw the gradient-descent race")
    args = parser.parse_args(argv)
    times = measure(args.steps, race=args.race)
    median = statistics.median(times) * 1000
    p95 = percentile(times, 95) * 1000
    verdict = "OK" if median <= 8 and p95 <= 16 else "OVER BUDGET"
    print(f"Newton step (step + repaint), n={len(times)}: median {median:.2f} ms, "
          f"p95 {p95:.2f} ms, max {max(times) * 1000:.2f} ms  {verdict}")
    return 0 if verdict == "OK" else 1


if __name__ == "__main__":
    if __package__ in (None, ""):
        sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
