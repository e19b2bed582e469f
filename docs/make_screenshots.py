"""Render the README's screenshots offscreen: python docs/make_screenshots.py [OUTDIR] [--scale S]

The classifier mid-back-propagation (∂L/∂w₁₁ of “Aack aack aack!”) and the Newton tab
three steps into the lecture example. Re-run after visible changes.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("outdir", nargs="?", default=str(ROOT / "docs"))
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--suffix", default="")
    args = parser.parse_args(argv)

    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication
    QCoreApplication.setOrganizationName("StepwiseScreenshots")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from core.records import BackwardStep
    from gui import mathtext
    from gui.main_window import MainWindow
    mathtext._load()

    window = MainWindow(restore=False)
    width, height = (int(v) for v in args.size.split("x"))
    window.resize(width, height)
    window.theme.set_scale(args.scale)
    window.theme.set_dark(args.dark)
    window.show()
    mathtext.notifier.ready.emit()
    for _ in range(5):
        app.processEvents()

    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)
    tab = window.classifier_tab
    stepper = tab.stepper
    while True:                 # into the first example's backward pass, at w11
        tab.step()
        current = stepper.current
        if current is None or (isinstance(current, BackwardStep)
                               and current.parameter.name == "w11"):
            break
    for _ in range(5):
        app.processEvents()
    window.tabs.setCurrentIndex(0)
    app.processEvents()
    window.grab().save(str(out / f"classifier{args.suffix}.png"))

    window.tabs.setCurrentIndex(1)
    newton = window.newton_tab
    newton.load_preset(0)
    for _ in range(3):
        newton.step()
    for _ in range(5):
        app.processEvents()
    window.grab().save(str(out / f"newton{args.suffix}.png"))
    print(f"wrote {out}/classifier{args.suffix}.png and newton{args.suffix}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
