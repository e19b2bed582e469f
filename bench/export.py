"""How long an export keeps the window busy, per format, against a plain screen grab.

The classifier mid-backward and the Newton tab three steps in, at presentation size
(1920×1080, scale 2). For each: ``widget.grab()`` (Qt painting the widgets once, the
reference), the PNG render (the GUI-thread part: encoding runs on a worker from the
dialogs), SVG and PDF. Median of --repeat runs, in ms and as a ratio to the grab.
Run: python -m bench.export
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))


def _median_ms(call, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--scale", type=float, default=2.0)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication
    QCoreApplication.setOrganizationName("StepwiseBench")
    app = QApplication.instance() or QApplication(sys.argv[:1])

    from core.records import BackwardStep
    from gui import mathtext
    from gui.export import render_image, svg_bytes, write_pdf
    from gui.main_window import MainWindow
    mathtext._load()
    window = MainWindow(restore=False)
    window.resize(*(int(v) for v in args.size.split("x")))
    window.theme.set_scale(args.scale)
    window.show()
    mathtext.notifier.ready.emit()
    tab = window.classifier_tab
    while not (isinstance(tab.stepper.current, BackwardStep)
               and tab.stepper.current.parameter.name == "w11"):
        tab.step()
    for _ in range(5):
        app.processEvents()
    views = [("classifier", tab.export_widget())]
    window.show_tab("newton")
    newton = window.newton_tab
    newton.after_show()
    deadline = time.monotonic() + 20
    while not newton.is_ready() and time.monotonic() < deadline:
        app.processEvents()
    newton.load_preset(0)
    for _ in range(3):
        newton.step()
    for _ in range(5):
        app.processEvents()
    views.append(("newton", newton.export_widget()))

    folder = Path(tempfile.mkdtemp(prefix="stepwise-bench-export-"))
    for name, widget in views:
        grab = _median_ms(widget.grab, args.repeat)
        print(f"{name}: {widget.width()}×{widget.height()} px; reference widget.grab() "
              f"{grab:.1f} ms")
        for label, call in (("PNG render (2×)", lambda w=widget: render_image(w)),
                            ("SVG document", lambda w=widget: svg_bytes(w)),
                            ("PDF file", lambda w=widget: write_pdf(w, folder / "b.pdf"))):
            ms = _median_ms(call, args.repeat)
            print(f"  {label:<16} {ms:7.1f} ms  ({ms / grab:4.1f}× the grab)")
        image = render_image(widget)
        encode = _median_ms(lambda i=image: i.save(str(folder / "b.png"), "PNG"), args.repeat)
        print(f"  {'PNG encoding':<16} {encode:7.1f} ms  (on a worker thread from the dialogs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
