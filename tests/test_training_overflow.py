"""Training never leaves NaN or inf behind (issue 10 §6): bad inputs are refused,
a blown-up run is named ("The loss overflowed: lower α") and undone."""
import math

import numpy as np
import pytest

from core.data import LECTURE_EXAMPLES, Dataset
from core.limits import MAX_ABS_PARAMETER
from core.network import Network, TrainingOverflow, blown_up, train
from core.stepper import TrainingStepper

LECTURE = Dataset.from_examples(LECTURE_EXAMPLES)
X, Y = LECTURE.features, LECTURE.labels


def _parameters(network):
    return [p.copy() for p in network.weights + network.biases]


def _same(a, b):
    return all(np.array_equal(u, v) for u, v in zip(a, b))


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_training_refuses_non_finite_counts_and_labels(bad):
    counts = X.copy()
    counts[0, 0] = bad
    labels = Y.copy()
    labels[1] = bad
    net = Network((2, 2, 1), seed=0)
    before = _parameters(net)
    for mode in ("batch", "example"):
        with pytest.raises(ValueError, match="word counts must be finite"):
            train(net, counts, Y, 0.5, 3, mode)
        with pytest.raises(ValueError, match="labels must be finite"):
            train(net, X, labels, 0.5, 3, mode)
    with pytest.raises(ValueError, match="word counts must be finite"):
        net.train_step(counts, Y, 0.5)
    with pytest.raises(ValueError, match="finite numbers"):
        TrainingStepper(Network((2, 2, 1)), counts, Y)
    assert _same(before, _parameters(net))


@pytest.mark.parametrize("rate", [math.nan, math.inf, 0.0, -1.0, 10 ** 400])
def test_training_refuses_learning_rates_that_are_not_positive_numbers(rate):
    with pytest.raises(ValueError, match="learning rate must be a positive number"):
        train(Network((2, 2, 1)), X, Y, rate, 1)


@pytest.mark.parametrize("mode", ["batch", "example"])
def test_a_learning_rate_of_1e300_is_named_and_leaves_the_network_as_it_was(mode):
    net = Network((2, 2, 1), seed=0)
    before = _parameters(net)
    with pytest.raises(TrainingOverflow) as caught:
        train(net, X, Y, 1e300, 5, mode)
    error = caught.value
    assert str(error).startswith("The loss overflowed: lower α")
    assert error.learning_rate == 1e300 and error.epoch == 1
    assert _same(before, _parameters(net))
    assert not blown_up(net.weights, net.biases)
    with pytest.raises(TrainingOverflow):
        net.train_step(X, Y, 1e300)
    assert _same(before, _parameters(net))


def test_ordinary_training_is_unchanged_by_the_checks():
    net = Network((2, 2, 1), seed=0)
    losses = train(net, X, Y, 0.5, 200, "batch")
    assert np.isfinite(losses).all() and losses[-1] < losses[0]
    assert not blown_up(net.weights, net.biases)


def test_blown_up_means_non_finite_or_beyond_the_session_limit():
    ok = [np.zeros((2, 2))], [np.zeros(2)]
    assert not blown_up(*ok)
    assert blown_up([np.full((2, 2), np.nan)], [np.zeros(2)])
    assert blown_up([np.zeros((2, 2))], [np.array([0.0, np.inf])])
    assert blown_up([np.full((2, 2), 2 * MAX_ABS_PARAMETER)], [np.zeros(2)])


@pytest.mark.parametrize("call", ["step", "step_example", "step_epoch", "run_epochs"])
@pytest.mark.parametrize("mode", ["batch", "example"])
def test_the_stepper_names_a_blow_up_and_undoes_the_call(call, mode):
    stepper = TrainingStepper(Network((2, 2, 1), seed=0), X, Y, learning_rate=0.5, mode=mode)
    stepper.step_example()                            # some history first
    stepper.learning_rate = 1e300
    before = (_parameters(stepper.network), stepper.epoch, list(stepper.epoch_losses),
              stepper.index, stepper.example, len(stepper._history))
    announced = []
    stepper.weights_changed.connect(lambda: announced.append("weights"))
    with pytest.raises(TrainingOverflow, match="The loss overflowed: lower α"):
        if call == "step":
            for _ in range(100):                      # micro-steps up to the update
                stepper.step()
        elif call == "run_epochs":
            stepper.run_epochs(3)
        else:
            getattr(stepper, call)()
    after = (_parameters(stepper.network), stepper.epoch, list(stepper.epoch_losses))
    assert _same(before[0], after[0]) or call == "step"
    assert not blown_up(stepper.network.weights, stepper.network.biases)
    assert all(np.isfinite(stepper.epoch_losses))
    if call != "step":
        assert after[1:] == before[1:3] and len(stepper._history) == before[5]
        assert "weights" not in announced
    # a sensible α carries on from there
    stepper.learning_rate = 0.5
    assert np.isfinite(stepper.run_epochs(2)).all()


# ---------------------------------------------------------------- the tab says it
def test_the_tab_names_a_blown_up_step_and_keeps_its_state(classifier_tab):
    tab = classifier_tab
    tab.classifier_actions.step_example.trigger()
    tab.stepper.learning_rate = 1e300          # beyond the spin box: as a session could
    before = _parameters(tab.stepper.network)
    tab.classifier_actions.step_epoch.trigger()           # must not raise
    assert any("The loss overflowed" in p for p in tab.problems())
    after = _parameters(tab.stepper.network)
    assert all(np.array_equal(a, b) for a, b in zip(before, after))
    tab.controls.learning_rate_spin.setValue(0.3)         # a change clears the message
    assert not any("overflowed" in p for p in tab.problems())


def test_playing_into_a_blow_up_stops_the_play_and_says_why(classifier_tab, qtbot):
    tab = classifier_tab
    tab.stepper.learning_rate = 1e300
    tab.classifier_actions.play.trigger()
    qtbot.waitUntil(lambda: not tab.is_playing(), timeout=5000)
    assert not tab.classifier_actions.play.isChecked()
    assert any("The loss overflowed" in p for p in tab.problems())
