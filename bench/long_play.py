"""Fastest play for minutes: does a tick cost more after five minutes than at the start?

The classifier plays at "fastest" (as many epochs as fit in 12 ms per tick, the views
redrawn ten times a second).  The benchmark drives the play timer's ``timeout``
signal itself, back to back as the event loop does with a 0 ms timer, and lets the
event loop run after each tick so the views repaint — offscreen, at 1280×800.  The
clock it reports is the sum of the ticks' times (a "simulated" minute is a minute of
ticks; the script's own bookkeeping is not counted).

It prints, for the first and the last 30 s: the ticks, the epochs trained, the stalls
(ticks over 100 ms: the lecturer's clicks would wait) and the median tick; then the
ratio of the last window's median tick to the first's (≈ 1 when nothing degrades).
Run: python -m bench.long_play [--minutes 5]
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

STALL_S = 0.100
WINDOW_S = 30.0


@dataclass
class Window:
    """What happened in one 30-second window of play."""
    start_s: float
    ticks: list[float] = field(default_factory=list)
    first_epoch: int = 0
    last_epoch: int = 0

    @property
    def stalls(self) -> int:
        return sum(t > STALL_S for t in self.ticks)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.ticks) * 1000 if self.ticks else float("nan")

    def line(self, name: str) -> str:
        worst = max(self.ticks, default=0.0) * 1000
        return (f"{name:5s} {self.start_s:6.0f} s  ticks {len(self.ticks):5d}  epochs "
                f"{self.first_epoch:>9,d} → {self.last_epoch:>9,d}  stalls > 100 ms: "
                f"{self.stalls:3d}  median tick {self.median_ms:6.2f} ms  worst {worst:6.1f} ms")


def play(minutes: float) -> list[Window]:
    """Play fastest for ``minutes`` of ticks; one ``Window`` per 30 s."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from gui import mathtext
    mathtext._load()
    mathtext.notifier.ready.emit()
    from gui.classifier.tab import ClassifierTab
    from gui.theme import Theme

    tab = ClassifierTab(Theme())
    tab.resize(1280, 800)
    tab.show()
    app.processEvents()
    slider = tab.controls.speed_slider
    slider.setValue(slider.maximum())
    tab.classifier_actions.play.trigger()          # plays: the player holds, throttles …
    timer = tab.player.timer.timer
    timer.stop()                                    # … but this loop is its event loop
    windows = [Window(0.0, first_epoch=tab.stepper.epoch)]
    clock = 0.0
    while clock < minutes * 60:
        start = time.perf_counter()
        timer.timeout.emit()
        app.processEvents()
        elapsed = time.perf_counter() - start
        clock += elapsed
        windows[-1].ticks.append(elapsed)
        if clock >= minutes * 60:
            break
        if clock >= windows[-1].start_s + WINDOW_S:
            windows[-1].last_epoch = tab.stepper.epoch
            windows.append(Window(windows[-1].start_s + WINDOW_S, first_epoch=tab.stepper.epoch))
        if not tab.classifier_actions.play.isChecked():   # the epoch limit ends a long run
            break
    windows[-1].last_epoch = tab.stepper.epoch
    tab.classifier_actions.play.trigger()
    tab.stop()
    tab.close()
    app.processEvents()
    return [w for w in windows if w.ticks]


def main(argv=None) -> int:
    import argparse
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=5.0,
                        help="simulated minutes of fastest play (default 5)")
    args = parser.parse_args(argv)
    windows = play(args.minutes)
    first, last = windows[0], windows[-1]
    print(f"fastest play for {args.minutes:g} simulated minutes "
          f"({len(windows)} windows of {WINDOW_S:.0f} s)")
    print(first.line("start"))
    print(last.line("end"))
    ratio = last.median_ms / first.median_ms
    print(f"stalls per 30 s: start {first.stalls}, end {last.stalls}")
    print(f"median tick end/start: {ratio:.2f}×  (1 = no degradation)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
