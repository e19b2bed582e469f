"""The stepwise training player and its history (core/stepper.py)."""
import numpy as np
import pytest

from core.data import BOTH_WORDS_EXAMPLES, LECTURE_EXAMPLES, Dataset
from core.network import Network, train
from core.records import BackwardStep, ForwardStep, UpdateStep
from core.stepper import TrainingStepper

LECTURE = Dataset.from_examples(LECTURE_EXAMPLES)
BOTH = Dataset.from_examples(BOTH_WORDS_EXAMPLES)
X, Y = LECTURE.features, LECTURE.labels
PASS_LENGTH = 3 + 1 + 9 + 1      # 2-2-1: units, loss, parameters, update


def stepper(mode="example", data=LECTURE, shape=(2, 2, 1), seed=0, **kwargs):
    return TrainingStepper(Network(shape, seed=seed), data.features, data.labels, mode=mode, **kwargs)


def snapshot(s):
    return ([a.copy() for a in s.network.weights + s.network.biases], s.example, s.index,
            s.epoch, list(s.epoch_losses), s.steps)


def assert_same(before, after):
    for a, b in zip(before[0], after[0]):
        assert np.array_equal(a, b)
    assert before[1:5] == after[1:5]
    assert len(before[5]) == len(after[5])
    for r1, r2 in zip(before[5], after[5]):
        assert type(r1) is type(r2)
        if isinstance(r1, BackwardStep):
            assert (r1.parameter, r1.gradient, r1.factors) == (r2.parameter, r2.gradient, r2.factors)


def correct(network, data):
    return (network.predict(data.features) > 0.5) == (data.labels == 1)


def test_initial_state():
    s = stepper()
    assert s.steps == () and s.index == -1 and s.current is None
    assert s.epoch == 0 and s.epoch_losses == [pytest.approx(s.network.loss(X, Y))]
    assert s.example == 0 and s.learning_rate == 0.5 and s.mode == "example"
    assert not s.can_step_back and s.can_step


def test_micro_steps_walk_one_row_then_move_to_the_next():
    s = stepper()
    before = s.network.copy()
    records = [s.step() for _ in range(PASS_LENGTH)]
    assert [type(r) for r in records[:3]] == [ForwardStep] * 3
    assert isinstance(records[-1], UpdateStep) and s.current is records[-1]
    assert s.index == PASS_LENGTH - 1 and s.example == 0
    for new, old in zip(s.network.weights, before.weights):
        assert not np.array_equal(new, old)          # the update was applied
    np.testing.assert_array_equal(s.network.weights[0], records[-1].new_weights[0])
    nxt = s.step()
    assert isinstance(nxt, ForwardStep) and s.example == 1 and s.index == 0
    assert nxt.inputs == tuple(X[1])


def test_stepping_micro_steps_through_a_pass_equals_step_example():
    a, b = stepper(), stepper()
    for _ in range(3):
        for _ in range(PASS_LENGTH):
            a.step()
        update = b.step_example()
        assert isinstance(update, UpdateStep)
        assert (a.example, a.index, a.epoch) == (b.example, b.index, b.epoch)
        for wa, wb in zip(a.network.weights + a.network.biases, b.network.weights + b.network.biases):
            assert np.array_equal(wa, wb)
    # step_example from mid-pass finishes that pass only.
    a.step()
    a.step()
    assert isinstance(a.step_example(), UpdateStep) and a.example == 3


def test_an_epoch_ends_with_the_last_rows_update():
    s = stepper()
    for _ in range(3):
        s.step_example()
    assert s.epoch == 0 and len(s.epoch_losses) == 1
    s.step_example()
    assert s.epoch == 1 and s.epoch_losses[1] == pytest.approx(s.loss())


def test_step_epoch_from_the_boundary_equals_stepping_every_row():
    a, b = stepper(), stepper()
    loss = a.step_epoch()
    for _ in range(len(X)):
        b.step_example()
    assert a.epoch == b.epoch == 1
    assert loss == pytest.approx(b.epoch_losses[-1], rel=1e-10)
    for wa, wb in zip(a.network.weights + a.network.biases, b.network.weights + b.network.biases):
        np.testing.assert_allclose(wa, wb, rtol=1e-10, atol=1e-14)
    assert a.steps == () and a.example == 0


def test_step_epoch_from_mid_epoch_finishes_through_the_last_row():
    a, b = stepper(), stepper()
    for s in (a, b):
        s.step_example()
        s.step()
    a.step_epoch()
    b.step_example()
    b.step_example()
    b.step_example()
    assert a.epoch == b.epoch == 1 and a.example == 0
    for wa, wb in zip(a.network.weights, b.network.weights):
        np.testing.assert_allclose(wa, wb, rtol=1e-12)


def test_batch_mode_passes_are_epochs():
    s = stepper(mode="batch")
    s.example = 2
    for _ in range(PASS_LENGTH):
        record = s.step()
    assert isinstance(record, UpdateStep) and record.mode == "batch"
    assert s.epoch == 1 and s.example == 2
    twin = Network(seed=0)
    twin.train_step(X, Y, 0.5)
    np.testing.assert_array_equal(s.network.weights[0], twin.weights[0])
    s.step()
    assert s.example == 2 and len(s.steps[0].z_rows) == len(X)
    s.step_epoch()
    assert s.epoch == 2


@pytest.mark.parametrize("mode", ["example", "batch"])
def test_step_back_undoes_every_kind_of_step_exactly(mode):
    s = stepper(mode=mode)
    actions = [s.step, s.step, s.step_example, s.step, s.step_epoch, lambda: s.run_epochs(5),
               s.step, s.step_example, s.step_epoch, s.step]
    states = []
    for action in actions:
        states.append(snapshot(s))
        action()
    for state in reversed(states):
        assert s.step_back()
        assert_same(state, snapshot(s))
    assert not s.step_back() and not s.can_step_back


def test_run_epochs_fast_forwards_and_records_the_losses():
    s = stepper()
    losses = s.run_epochs(50)
    assert losses.shape == (50,) and s.epoch == 50 and len(s.epoch_losses) == 51
    np.testing.assert_array_equal(s.epoch_losses[1:], losses)
    reference = Network(seed=0)
    np.testing.assert_allclose(train(reference, X, Y, 0.5, 50, mode="example"), losses)
    # From mid-epoch the current epoch is completed first and counts as one.
    s.step_example()
    s.run_epochs(2)
    assert s.epoch == 52 and s.example == 0


def test_epoch_losses_decrease_on_the_lecture_table():
    batch = stepper(mode="batch")
    batch.run_epochs(200)
    assert np.all(np.diff(batch.epoch_losses) < 0)
    example = stepper()
    example.run_epochs(200)
    assert example.epoch_losses[-1] < example.epoch_losses[0] / 10


def test_the_lecture_table_is_learned_with_the_defaults():
    s = stepper()
    s.run_epochs(100)
    assert correct(s.network, LECTURE).all()


def test_both_words_needs_the_hidden_layer():
    hidden = stepper(data=BOTH)
    hidden.run_epochs(1500)
    assert correct(hidden.network, BOTH).all()
    logistic = stepper(data=BOTH, shape=(2, 1))
    logistic.run_epochs(1500)
    assert not correct(logistic.network, BOTH).all()
    assert logistic.loss() > 10 * hidden.loss()


def test_changing_the_learning_rate_mid_pass_recomputes_the_update():
    s = stepper()
    for _ in range(5):
        s.step()
    shown = s.current
    s.learning_rate = 0.1
    assert s.index == 4 and s.current.gradient == shown.gradient
    update = s.steps[-1]
    assert update.learning_rate == 0.1
    while not isinstance(s.step(), UpdateStep):
        pass
    twin = Network(seed=0)
    twin.train_step(X[0], Y[0], 0.1)
    np.testing.assert_array_equal(s.network.weights[0], twin.weights[0])
    with pytest.raises(ValueError):
        s.learning_rate = 0.0


def test_changing_the_mode_mid_pass_keeps_the_position():
    s = stepper()
    s.step()
    s.step()
    s.mode = "batch"
    assert s.index == 1 and len(s.current.z_rows) == len(X)
    with pytest.raises(ValueError):
        s.mode = "stochastic"


def test_choosing_another_row_restarts_the_pass():
    s = stepper()
    for _ in range(6):
        s.step()
    s.example = 3
    assert s.steps == () and s.index == -1
    record = s.step()
    assert isinstance(record, ForwardStep) and record.inputs == tuple(X[3]) and s.index == 0
    s.example = 3                      # the same row: nothing restarts
    assert s.index == 0
    with pytest.raises(ValueError):
        s.example = 4


def test_set_data_keeps_weights_and_history_but_restarts_the_pass():
    s = stepper()
    s.step_example()
    s.step()
    weights = [w.copy() for w in s.network.weights]
    s.set_data(X[:3], Y[:3])
    assert s.steps == () and s.index == -1 and s.can_step_back
    np.testing.assert_array_equal(s.network.weights[0], weights[0])
    assert s.loss() == pytest.approx(s.network.loss(X[:3], Y[:3]))
    assert s.step_back()             # undoes the micro-step made before the edit
    assert s.steps == () and s.index == -1
    s.set_data(np.empty((0, 2)), [])
    assert not s.can_step and s.step() is None and s.step_epoch() is None
    assert np.isnan(s.loss()) and s.run_epochs(3).shape == (0,)


def test_set_data_with_another_vocabulary_size_reinitialises_the_inputs():
    s = stepper()
    s.step_example()
    s.set_data(np.ones((2, 3)), [1.0, 0.0])
    assert s.network.layer_sizes == (3, 2, 1) and s.epoch == 0 and not s.can_step_back


def test_reset_reinitialises_and_forgets():
    s = stepper()
    s.run_epochs(10)
    s.step()
    s.reset(seed=1)
    assert s.epoch == 0 and len(s.epoch_losses) == 1 and not s.can_step_back
    np.testing.assert_array_equal(s.network.weights[0], Network(seed=1).weights[0])
    s.reset(layer_sizes=(2, 3, 2, 1))
    assert s.network.layer_sizes == (2, 3, 2, 1) and s.network.seed == 1
    assert len(s.step_example().changes) == len(s.network.parameter_names())
    with pytest.raises(ValueError):
        s.reset(layer_sizes=(3, 2, 1))


def test_history_is_capped(monkeypatch):
    monkeypatch.setattr(TrainingStepper, "HISTORY_LIMIT", 5)
    s = stepper()
    for _ in range(8):
        s.step()
    undone = 0
    while s.step_back():
        undone += 1
    assert undone == 5 and s.index == 2


def test_state_of_an_empty_table_is_json_and_resumes():
    # an empty table's loss is nan: the state must still be valid JSON (a session
    # file refuses NaN), or the lecturer could not save after emptying the table
    import json
    s = TrainingStepper(Network((2, 2, 1), seed=0), np.zeros((0, 2)), np.zeros(0))
    s.set_data(X, Y)
    s.step_epoch()
    saved = json.loads(json.dumps(s.state(), allow_nan=False))
    assert saved["epoch_losses"][0] is None and saved["epoch_losses"][1] > 0
    other = stepper(seed=9)
    other.set_state(saved)
    assert np.isnan(other.epoch_losses[0]) and other.epoch_losses[1:] == s.epoch_losses[1:]
    assert other.state() == s.state()


def test_state_resumes_at_the_same_micro_step():
    import json
    s = stepper()
    s.run_epochs(3)
    s.step_example()
    for _ in range(5):
        s.step()
    saved = json.loads(json.dumps(s.state()))
    other = stepper(seed=9)
    other.set_state(saved)
    assert (other.example, other.index, other.epoch, other.epoch_losses) == \
        (s.example, s.index, s.epoch, s.epoch_losses)
    assert other.current.parameter == s.current.parameter
    assert other.current.gradient == s.current.gradient
    for _ in range(12):
        a, b = s.step(), other.step()
        assert type(a) is type(b)
    for wa, wb in zip(s.network.weights + s.network.biases, other.network.weights + other.network.biases):
        assert np.array_equal(wa, wb)
    before = other.state()
    with pytest.raises(ValueError):
        other.set_state({**saved, "index": 99})
    with pytest.raises(ValueError):
        other.set_state({**saved, "layer_sizes": [3, 2, 1]})
    with pytest.raises(ValueError):
        other.set_state({"mode": "example"})
    assert other.state() == before


# ---- signals: views subscribe instead of polling ------------------------------------
class Announcements:
    """Counts what a stepper announces: one entry per emission."""

    NAMES = ("position", "weights", "losses", "settings")

    def __init__(self, s):
        self.log = []
        s.position_changed.connect(lambda: self.log.append("position"))
        s.weights_changed.connect(lambda: self.log.append("weights"))
        s.losses_changed.connect(lambda: self.log.append("losses"))
        s.settings_changed.connect(lambda what: self.log.append(("settings", what)))

    def take(self):
        """The emissions since the last call, and forget them."""
        log, self.log = self.log, []
        return log


def test_a_micro_step_announces_the_position_only_until_the_update():
    s = stepper()
    heard = Announcements(s)
    for _ in range(PASS_LENGTH - 1):
        s.step()
        assert heard.take() == ["position"]
    s.step()                                  # the update of row 1 of 4: no epoch yet
    assert heard.take() == ["weights", "position"]
    for _ in range(2):
        s.step_example()
        assert heard.take() == ["weights", "position"]
    s.step_example()                          # the last row's update ends the epoch
    assert heard.take() == ["weights", "losses", "position"]


def test_an_epoch_of_many_micro_steps_announces_once():
    s = stepper()
    heard = Announcements(s)
    s.step()
    heard.take()
    s.step_epoch()                            # from mid-pass: dozens of micro-steps
    assert heard.take() == ["weights", "losses", "position"]
    s.run_epochs(50)                          # from the boundary: no pass to leave
    assert heard.take() == ["weights", "losses"]
    s.run_epochs(0)
    assert heard.take() == []


def test_a_step_back_announces_what_it_restores():
    s = stepper()
    heard = Announcements(s)
    s.step()
    s.step()
    heard.take()
    s.step_back()                             # a micro-step: the weights stay
    assert heard.take() == ["position"]
    s.step_example()
    heard.take()
    s.step_back()                             # across the update
    assert heard.take() == ["weights", "position"]
    s.run_epochs(3)
    heard.take()
    s.step_back()                             # the losses shrink again
    assert heard.take() == ["weights", "losses", "position"]
    while s.step_back():
        heard.take()
    assert not s.step_back() and heard.take() == []


def test_settings_announce_their_names_and_the_same_value_is_silent():
    s = stepper()
    heard = Announcements(s)
    s.learning_rate = 0.5
    s.mode = "example"
    s.example = 0
    assert heard.take() == []
    s.learning_rate = 0.2                     # at rest: no pass to re-walk
    assert heard.take() == [("settings", frozenset({"learning_rate"}))]
    for _ in range(3):
        s.step()
    heard.take()
    s.mode = "batch"                          # mid-pass: the pass is walked again
    assert heard.take() == ["position", ("settings", frozenset({"mode"}))]
    s.example = 2
    assert heard.take() == ["position"]


def test_data_announces_only_when_the_table_changed():
    s = stepper()
    heard = Announcements(s)
    s.set_data(X, Y)                          # the same rows: nothing to redraw
    assert heard.take() == []
    s.step()
    heard.take()
    s.set_data(X[:3], Y[:3])                  # restarts the pass
    assert heard.take() == ["position", ("settings", frozenset({"data"}))]
    s.set_data(np.ones((2, 3)), [1.0, 0.0])   # a third word: a new network
    assert heard.take() == ["weights", "losses", ("settings", frozenset({"data"}))]


def test_reset_and_set_state_announce_a_new_network_once():
    s = stepper()
    s.run_epochs(2)
    s.step()
    saved = s.state()
    heard = Announcements(s)
    s.reset(seed=3)
    assert heard.take() == ["weights", "losses", "position"]
    s.set_state(saved)
    assert heard.take() == ["weights", "losses", "position"]
    with pytest.raises(ValueError):
        s.set_state({**saved, "index": 99})   # refused: nothing changed, nothing said
    assert heard.take() == []


def test_an_empty_table_steps_silently():
    s = TrainingStepper(Network((2, 2, 1), seed=0), np.zeros((0, 2)), np.zeros(0))
    heard = Announcements(s)
    assert s.step() is None and s.step_example() is None and s.step_epoch() is None
    assert s.run_epochs(4).shape == (0,) and not s.step_back()
    assert heard.take() == []


def test_views_see_a_consistent_state_when_told():
    s = stepper()
    seen = []
    s.weights_changed.connect(lambda: seen.append((s.index, s.epoch, len(s.epoch_losses))))
    s.step_epoch()
    assert seen == [(s.index, 1, 2)]


def test_held_calls_announce_once_what_changed_in_all():
    s = stepper()
    heard = Announcements(s)
    s.hold()
    for _ in range(PASS_LENGTH + 2):          # past an update, into the next pass
        s.step()
    s.learning_rate = 0.3
    s.hold()                                  # holds nest: the outer release speaks
    s.run_epochs(2)
    s.release()
    s.step()
    assert heard.take() == []
    s.release()
    assert heard.take() == ["weights", "losses", "position",
                            ("settings", frozenset({"learning_rate"}))]
    s.release()                               # an extra release is harmless
    with s.held():
        s.step()
        s.step_back()                         # back where it was: nothing to say
    assert heard.take() == []
