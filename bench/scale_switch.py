"""How long a lecturer waits when the size changes: a scale switch (Ctrl++ / Ctrl+0)
and entering or leaving presentation mode (F5 / Escape), each until the window has
laid itself out and painted, offscreen, on the tab being shown.

Budget (lecture-hall issue): median ≤ 150 ms. The same run times a reference —
re-laying out and painting the same window after a resize by one pixel, which pays
for the same painting without any restyle — so the figures can be read against
this machine's speed today. Run: python -m bench.scale_switch [--repeats N]
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

BUDGET_MS = 150.0


def _settle(app, window) -> None:
    for _ in range(3):
        app.processEvents()
    window.repaint()


def _timed(app, window, change) -> float:
    start = time.perf_counter()
    change()
    _settle(app, window)
    return time.perf_counter() - start


def measure(window, app, repeats: int) -> dict[str, list[float]]:
    """Seconds per change, for the tab on show: {what: [samples]}."""
    theme = window.theme
    size = window.size()
    out: dict[str, list[float]] = {"reference: relayout + paint": [], "scale 1 → 2": [],
                                   "scale 2 → 1": [], "presentation on": [],
                                   "presentation off": []}
    for i in range(repeats):
        out["reference: relayout + paint"].append(
            _timed(app, window, lambda i=i: window.resize(size.width() - i % 2, size.height())))
        out["scale 1 → 2"].append(_timed(app, window, lambda: theme.set_scale(2.0)))
        out["scale 2 → 1"].append(_timed(app, window, lambda: theme.set_scale(1.0)))
        out["presentation on"].append(
            _timed(app, window, lambda: window.presentation_action.setChecked(True)))
        out["presentation off"].append(
            _timed(app, window, lambda: window.presentation_action.setChecked(False)))
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args(argv)
    if "QT_QPA_PLATFORM" not in os.environ:
        # a 1920×1080 projector, where F5 means 2× (offscreen's own screen is 800×800)
        import json
        import tempfile
        screens = {"screens": [{"name": "projector", "x": 0, "y": 0, "width": 1920,
                                "height": 1080, "logicalDpi": 96, "logicalBaseDpi": 96,
                                "dpr": 1}]}
        config = Path(tempfile.mkdtemp(prefix="stepwise-bench-")) / "screen.json"
        config.write_text(json.dumps(screens), encoding="utf-8")
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication
    QCoreApplication.setOrganizationName("StepwiseBench")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from gui import mathtext
    from gui.main_window import MainWindow
    mathtext._load()
    mathtext.notifier.ready.emit()

    ok = True
    window = MainWindow(restore=False)
    window.resize(1280, 800)
    window.show()
    for index, name in ((0, "classifier"), (1, "Newton")):
        window.tabs.setCurrentIndex(index)
        _settle(app, window)
        measure(window, app, 2)                    # warm: first typesetting, caches
        results = measure(window, app, args.repeats)
        reference = statistics.median(results.pop("reference: relayout + paint")) * 1000
        print(f"{name} tab: reference relayout + paint, median {reference:.1f} ms")
        for what, samples in results.items():
            median = statistics.median(samples) * 1000
            verdict = "OK" if median <= BUDGET_MS else "OVER BUDGET"
            ok &= median <= BUDGET_MS
            print(f"  {what:<18} n={len(samples):3d}  median {median:6.1f} ms  "
                  f"max {max(samples) * 1000:6.1f} ms  ({median / reference:5.1f}× reference)  "
                  f"{verdict}")
    window.close()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
