"""gui/play_timer.py: what the classifier's play needs of the shared timer."""
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from gui.play_timer import PlayTimer


def make(qtbot, tick, **kwargs):
    owner = QWidget()
    qtbot.addWidget(owner)
    action = QAction("Play", owner)
    action.setCheckable(True)
    timer = PlayTimer(action, tick, parent=owner, texts=("Play", "Pause"), **kwargs)
    timer.owner = owner       # the widget lives as long as the test holds the timer
    return action, timer


def test_an_explicit_interval_may_be_zero(qtbot):
    ticks = []
    action, timer = make(qtbot, lambda: ticks.append(1) or len(ticks) < 5)
    timer.set_interval(0)                 # as fast as the event loop allows
    assert timer.timer.interval() == 0
    timer.set_speed(1000.0)               # steps per second are capped at ~60 a second
    assert timer.timer.interval() > 0
    timer.set_interval(0)
    timer.play()
    qtbot.waitUntil(lambda: not timer.is_playing(), timeout=2000)
    assert len(ticks) == 5 and action.text() == "Play"


def test_before_play_may_refuse_and_after_pause_hears_the_stop(qtbot):
    paused = []
    allowed = [False]

    def before_play():
        if not allowed[0]:
            timer.pause()

    action, timer = make(qtbot, lambda: True, before_play=before_play,
                         after_pause=lambda: paused.append(1))
    timer.play()
    assert not timer.is_playing() and not action.isChecked() and action.text() == "Play"
    allowed[0] = True
    paused.clear()
    timer.play()
    assert timer.is_playing() and action.text() == "Pause" and paused == []
    timer.pause()
    assert not timer.is_playing() and paused == [1]
