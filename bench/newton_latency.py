"""Latency of one Newton step including the repaint of every view, offscreen.

Each sample triggers the tab's Step action (as a key press would) and then forces
the full repaint: ``QApplication.processEvents()`` and ``tab.repaint()`` paint the
plots, the table and the labels. The lecture example (minimise eˣ − ln x from 0.05)
is stepped; when a run ends the tab is reset and stepping continues, so every
sample is a real step. Target: median ≤ 8 ms, p95 ≤ 16 ms.

The machine may be shared, so each sample is timed twice: wall time
(``perf_counter``) and this thread's CPU time (``thread_time``). A reference is
measured in the same process, before and after the steps — a bare pyqtgraph
PlotWidget with one 401-point curve, ``setData`` + ``processEvents`` + ``repaint`` —
and the ratios to it are printed, so a slow or busy machine can be told apart
from a slow tab.
Run: python -m bench.newton_latency [--steps N] [--race] [--preset K]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from bench._stats import summary_ms, verdict, within_budget  # noqa: E402


def _app():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication
    return QApplication.instance() or QApplication(sys.argv[:1])


def _timed(action, repaint, app) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.thread_time()
    action()
    app.processEvents()
    repaint()
    return time.perf_counter() - wall, time.thread_time() - cpu


def measure_both(steps: int = 200, preset: int = 0, race: bool = False):
    """(wall seconds, CPU seconds) per step (step action + full repaint)."""
    app = _app()
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
    walls: list[float] = []
    cpus: list[float] = []
    try:
        while len(walls) < steps:
            if tab.position >= tab.total_steps():
                tab.reset()          # a run ended: start again (not timed)
                app.processEvents()
                tab.repaint()
            wall, cpu = _timed(tab.step_action.trigger, tab.repaint, app)
            walls.append(wall)
            cpus.append(cpu)
    finally:
        tab.stop()
        tab.close()
        tab.deleteLater()
        app.processEvents()
    return walls, cpus


def measure(steps: int = 200, preset: int = 0, race: bool = False) -> list[float]:
    """Wall seconds per step (step action + full repaint) for ``steps`` steps."""
    return measure_both(steps, preset, race)[0]


def measure_reference(steps: int = 200):
    """(wall, CPU) seconds per update of a bare PlotWidget with one curve.
    (Not interleaved with the steps: two windows processing each other's events
    made both figures wrong.)"""
    app = _app()
    import numpy as np
    import pyqtgraph as pg

    plot = pg.PlotWidget()
    plot.resize(640, 400)
    plot.show()
    curve = plot.plot(np.zeros(401))
    x = np.linspace(0.0, 1.0, 401)
    for _ in range(3):
        app.processEvents()
        plot.repaint()
    walls: list[float] = []
    cpus: list[float] = []
    try:
        for i in range(steps):
            wall, cpu = _timed(lambda i=i: curve.setData(x, np.sin(x * 6 + 0.01 * i)),
                               plot.repaint, app)
            walls.append(wall)
            cpus.append(cpu)
    finally:
        plot.close()
        plot.deleteLater()
        app.processEvents()
    return walls, cpus


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=240)
    parser.add_argument("--preset", type=int, default=0)
    parser.add_argument("--race", action="store_true",
                        help="also draw the gradient-descent race")
    args = parser.parse_args(argv)
    # the reference before and after the steps, so a change of load during the
    # run weighs on both figures
    ref_wall, ref_cpu = measure_reference(args.steps // 2)
    walls, cpus = measure_both(args.steps, preset=args.preset, race=args.race)
    later_wall, later_cpu = measure_reference(args.steps - args.steps // 2)
    ref_wall, ref_cpu = ref_wall + later_wall, ref_cpu + later_cpu
    median, p95 = summary_ms(walls)
    cpu_median, cpu_p95 = summary_ms(cpus)
    ref_median, ref_p95 = summary_ms(ref_wall)
    ref_cpu_median, ref_cpu_p95 = summary_ms(ref_cpu)
    print(f"Newton step (step + repaint), n={len(walls)}: median {median:.2f} ms, "
          f"p95 {p95:.2f} ms, max {max(walls) * 1000:.2f} ms  {verdict(median, p95)}")
    print(f"  CPU time: median {cpu_median:.2f} ms, p95 {cpu_p95:.2f} ms")
    print(f"  reference (bare PlotWidget, one curve): wall median {ref_median:.2f} ms, "
          f"p95 {ref_p95:.2f} ms; CPU median {ref_cpu_median:.2f} ms, p95 {ref_cpu_p95:.2f} ms")
    print(f"  ratio to reference: wall median ×{median / ref_median:.2f}, "
          f"CPU median ×{cpu_median / ref_cpu_median:.2f}, "
          f"CPU p95 ×{cpu_p95 / ref_cpu_p95:.2f}")
    return 0 if within_budget(median, p95) else 1


if __name__ == "__main__":
    raise SystemExit(main())
