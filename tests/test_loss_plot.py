"""The loss curve stays cheap however long the run: appended, and decimated past a
few thousand epochs, without hiding a spike."""
import numpy as np

from gui.classifier.plots import MAX_SHOWN_POINTS, LossPlot


def test_a_long_run_is_drawn_decimated_with_its_extremes(qtbot, theme):
    plot = LossPlot(theme)
    qtbot.addWidget(plot)
    rng = np.random.default_rng(0)
    losses = list(0.7 * np.exp(-np.arange(100_000) / 20_000) + 0.01 * rng.random(100_000))
    losses[61_234] = 3.5                       # one too-large-α spike
    losses[77_777] = 0.0001                    # and one dip
    grown = losses[:10]
    plot.set_losses(grown)
    for end in (10, 500, 5_000, 33_333, 100_000):   # the list grows between redraws
        grown.extend(losses[len(grown):end])
        plot.set_losses(grown)
        x, y = plot.shown()
        assert y.size <= MAX_SHOWN_POINTS + 64
        assert y.max() == max(grown) and y.min() == min(grown)
        assert x[0] == 0 and x[-1] == end - 1          # the last epoch is drawn as itself
        assert y[-1] == grown[-1]
        assert np.all(np.diff(x) > 0)
    np.testing.assert_array_equal(plot.losses(), losses)
    assert plot.shown()[1].size > MAX_SHOWN_POINTS // 2   # decimated, not thinned to nothing


def test_step_back_and_replace_are_followed(qtbot, theme):
    plot = LossPlot(theme)
    qtbot.addWidget(plot)
    losses = [1.0 / (k + 1) for k in range(10_000)]
    plot.set_losses(losses)
    del losses[3:]                               # a step back in the same list
    plot.set_losses(losses)
    np.testing.assert_array_equal(plot.shown()[1], [1.0, 0.5, 1 / 3])
    losses.extend([0.2, 0.1])
    plot.set_losses(losses)
    np.testing.assert_array_equal(plot.losses(), [1.0, 0.5, 1 / 3, 0.2, 0.1])
    plot.set_losses([0.9, 0.8])                  # a reset: a new list
    np.testing.assert_array_equal(plot.shown()[1], [0.9, 0.8])
    plot.set_losses([float("nan")])              # an empty table: nothing drawn
    assert plot.shown()[1].size == 0 and plot.losses().size == 0
