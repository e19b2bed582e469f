"""Render the README's screenshots offscreen.

    python docs/make_screenshots.py [OUTDIR] [--size WxH] [--scale S] [--dark] [--stage]
        the classifier mid-back-propagation (∂L/∂w₁₁ of “Aack aack aack!”) and the
        Newton tab three steps into the lecture example (classifier.png, newton.png)
    python docs/make_screenshots.py --lecture-hall [OUTDIR]
        the lecture-hall set (docs/lecture-hall/): the classifier mid-backward and at
        the update, Newton step 3 with the race on, at 1024×768 (scale 1), 1366×768
        (1.5) and 1920×1080 (2, presentation layout), light and dark — 18 pictures

Re-run after visible changes.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

#: (name, size, scale, stage layout) of the screens lecturers use
SCREENS = (("1024x768", (1024, 768), 1.0, False), ("1366x768", (1366, 768), 1.5, False),
           ("1920x1080", (1920, 1080), 2.0, True))


def _settle(app, rounds: int = 5) -> None:
    for _ in range(rounds):
        app.processEvents()


def _window(app, size, scale: float, dark: bool, stage: bool):
    from gui import mathtext
    from gui.main_window import MainWindow
    window = MainWindow(restore=False)
    window.resize(*size)
    window.theme.set_scale(scale)
    window.theme.set_dark(dark)
    window.focus_action.setChecked(stage)
    window.show()
    mathtext.notifier.ready.emit()
    _settle(app)
    return window


def _classifier_at(window, app, stop) -> None:
    """Step the classifier from the start until ``stop(record)`` holds."""
    window.tabs.setCurrentIndex(0)
    tab = window.classifier_tab
    tab.reset()
    while True:
        tab.step()
        current = tab.stepper.current
        if current is None or stop(current):
            break
    _settle(app)


def _at_w11(record) -> bool:
    from core.records import BackwardStep
    return isinstance(record, BackwardStep) and record.parameter.name == "w11"


def _at_update(record) -> bool:
    from core.records import UpdateStep
    return isinstance(record, UpdateStep)


def _newton_step_3(window, app, race: bool) -> None:
    window.tabs.setCurrentIndex(1)
    newton = window.newton_tab
    newton.wait_parsed()
    newton.load_preset(0)
    newton.wait_parsed()
    newton.race_check.setChecked(race)
    for _ in range(3):
        newton.step()
    if race:
        import time
        deadline = time.monotonic() + 10
        while newton.player.race_pending and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
    _settle(app)


def lecture_hall(app, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for dark in (False, True):
        theme = "dark" if dark else "light"
        for name, size, scale, stage in SCREENS:
            window = _window(app, size, scale, dark, stage)
            if stage:                      # presentation: full screen on the projector
                window.setGeometry(0, 0, *size)
                _settle(app)
            for view in ("classifier-backward", "classifier-update", "newton-race"):
                if view == "newton-race":
                    _newton_step_3(window, app, race=True)
                else:
                    _classifier_at(window, app, _at_w11 if view.endswith("backward") else _at_update)
                path = out / f"{view}_{name}_{theme}.png"
                window.grab().save(str(path))
                written.append(path)
            window.close()
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("outdir", nargs="?", default=None)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--stage", action="store_true", help="the presentation (focus) layout")
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--suffix", default="")
    parser.add_argument("--lecture-hall", action="store_true")
    args = parser.parse_args(argv)

    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication
    QCoreApplication.setOrganizationName("StepwiseScreenshots")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from gui import mathtext
    mathtext._load()

    if args.lecture_hall:
        out = Path(args.outdir or ROOT / "docs" / "lecture-hall")
        written = lecture_hall(app, out)
        print(f"wrote {len(written)} pictures to {out}")
        return 0

    out = Path(args.outdir or ROOT / "docs")
    out.mkdir(parents=True, exist_ok=True)
    width, height = (int(v) for v in args.size.split("x"))
    window = _window(app, (width, height), args.scale, args.dark, args.stage)
    _classifier_at(window, app, _at_w11)
    window.grab().save(str(out / f"classifier{args.suffix}.png"))
    _newton_step_3(window, app, race=False)
    window.grab().save(str(out / f"newton{args.suffix}.png"))
    print(f"wrote {out}/classifier{args.suffix}.png and newton{args.suffix}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
