"""Latency of one step including the repaint of every view, offscreen.

One classifier micro-step and one Newton step: median and 95th percentile over
≥ 200 steps each. Targets: median ≤ 8 ms, p95 ≤ 16 ms on a 2-core machine.
The same run also times a bare QLabel repaint as a reference, so the figures can
be read against this machine's speed today. Run: python -m bench.gui_latency
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from bench._stats import summary_ms, verdict, within_budget  # noqa: E402


def _reference(steps: int) -> list[float]:
    from PySide6.QtWidgets import QApplication, QLabel
    label = QLabel("0")
    label.resize(200, 40)
    label.show()
    out = []
    for i in range(steps):
        start = time.perf_counter()
        label.setText(str(i))
        QApplication.processEvents()
        label.repaint()
        out.append(time.perf_counter() - start)
    label.close()
    return out


def report(name: str, times: list[float], reference: float) -> tuple[float, float]:
    median, p95 = summary_ms(times)
    print(f"{name:<28} n={len(times):4d}  median {median:6.2f} ms  p95 {p95:6.2f} ms  "
          f"({median / reference:5.1f}× a bare label repaint)  {verdict(median, p95)}")
    return median, p95


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=240)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841
    from gui import mathtext
    mathtext._load()
    mathtext.notifier.ready.emit()

    from bench import classifier_latency, newton_latency
    reference = statistics.median(_reference(args.steps)) * 1000
    print(f"reference: bare QLabel setText + repaint, median {reference:.3f} ms")
    results = {
        "classifier micro-step": classifier_latency.measure(args.steps),
        "Newton step": newton_latency.measure(args.steps),
    }
    ok = True
    for name, times in results.items():
        median, p95 = report(name, times, reference)
        ok &= within_budget(median, p95)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
