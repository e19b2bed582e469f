"""core.signals: the models' Qt-free signals."""
import gc

from core.signals import Signal


class Model:
    changed = Signal(int)
    other = Signal()


class View:
    def __init__(self):
        self.seen = []

    def on_changed(self, value):
        self.seen.append(value)

    def redraw(self):
        self.seen.append("redraw")


def test_each_instance_has_its_own_signal_and_callbacks_run_in_order():
    a, b, calls = Model(), Model(), []
    a.changed.connect(lambda v: calls.append(("first", v)))
    a.changed.connect(lambda v: calls.append(("second", v)))
    b.changed.connect(lambda v: calls.append(("b", v)))
    a.changed.emit(3)
    assert calls == [("first", 3), ("second", 3)]
    assert a.changed is a.changed and a.changed is not b.changed
    assert len(a.changed) == 2 and len(a.other) == 0


def test_a_callback_taking_fewer_arguments_gets_the_first_ones():
    model, view = Model(), View()
    model.changed.connect(view.redraw)
    model.changed.connect(view.on_changed)
    model.changed.emit(7)
    assert view.seen == ["redraw", 7]


def test_bound_methods_are_held_weakly_and_disconnect_stops_calls():
    model, view = Model(), View()
    model.changed.connect(view.on_changed)
    model.changed.emit(1)
    seen = view.seen
    del view
    gc.collect()
    model.changed.emit(2)               # the view is gone: not called, no error
    assert seen == [1] and len(model.changed) == 0
    calls = []
    def callback(value):
        calls.append(value)
    model.changed.connect(callback)
    model.changed.disconnect(callback)
    model.changed.disconnect(print)     # never connected: ignored
    model.changed.emit(3)
    assert calls == []
