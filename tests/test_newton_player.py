"""The Qt-free NewtonPlayer: the lecture's numbers, stepping, signals, sessions, checks."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from core import limits
from core.newton import NewtonMode, parse_function
from core.newton_player import NewtonPlayer, RaceRequest

LECTURE_ITERATES = [0.0972, 0.1832, 0.3205, 0.4773, 0.5578, 0.5671]


class Recorder:
    """Counts every signal a player emits, with its arguments."""

    def __init__(self, player):
        self.changed, self.positions, self.races, self.requests = [], [], 0, []
        player.changed.connect(self.changed.append)
        player.position_changed.connect(self.positions.append)
        player.race_changed.connect(self._race)
        player.race_requested.connect(self.requests.append)

    def _race(self):
        self.races += 1


@pytest.fixture
def player():
    return NewtonPlayer.lecture_example()


@pytest.fixture
def cycle():
    return NewtonPlayer.from_text("x^3 - 2*x + 2", NewtonMode.ROOT, 0.0, max_iter=20)


def test_lecture_numbers_through_the_player_alone(player):
    assert player.position == 0 and player.mode is NewtonMode.MINIMISE
    player.step()
    assert player.position == 1
    assert [round(s.x_next, 4) for s in player.run.steps][:6] == LECTURE_ITERATES
    assert player.run.converged


def test_importing_the_player_imports_no_qt_nor_gui():
    code = ("import sys, core.newton_player\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in "
            "('PySide6', 'pyqtgraph', 'gui', 'shiboken6')]\n"
            "print(bad)\n")
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_step_back_run_to_end_and_reset_move_the_position(player):
    log = Recorder(player)
    n = player.total_steps
    assert player.step_back() is False and player.position == 0     # nothing before x0
    assert player.step() and player.step() and player.position == 2
    assert player.step_back() and player.position == 1
    assert player.run_to_end() and player.position == n and player.at_end
    assert player.step() is False and player.position == n            # nothing after the end
    assert player.run_to_end() is False
    assert player.reset() and player.position == 0
    assert player.reset() is False
    assert log.positions == [1, 2, 1, n, 0]       # one emission per move, none when still
    assert log.changed == [] and log.races == 0


def test_seek_refuses_positions_outside_the_run(player):
    with pytest.raises(ValueError, match="position"):
        player.seek(player.total_steps + 1)
    with pytest.raises(ValueError):
        player.seek(-1)


def test_set_x0_reruns_and_keeps_the_position_clamped():
    root = NewtonPlayer.from_text("x^2 - 2", NewtonMode.ROOT, 1.0)
    root.seek(2)
    log = Recorder(root)
    root.set_x0(3.0)
    assert root.x0 == 3.0 and root.run.x0 == 3.0 and root.run.steps[0].x == 3.0
    assert root.position == 2                      # the same step of the new run
    assert log.changed == [frozenset({"x0"})] and log.positions == []
    root.run_to_end()
    far = root.total_steps
    root.set_x0(1.4142)               # starts next to √2: fewer steps than the position
    assert root.total_steps < far and root.position == root.total_steps


@pytest.mark.parametrize("change", [
    lambda p: p.set_tolerance(1e-3),
    lambda p: p.set_max_iter(3),
    lambda p: p.set_mode(NewtonMode.ROOT),
    lambda p: p.set_function(parse_function("x^2 - 2")),
])
def test_new_function_mode_tolerance_or_cap_start_again(player, change):
    player.seek(3)
    log = Recorder(player)
    change(player)
    assert player.position == 0
    assert len(log.changed) == 1 and log.positions == []


def test_the_same_setting_again_emits_nothing(player):
    log = Recorder(player)
    player.set_x0(player.x0)
    player.set_mode("minimise")           # the string equals the enum
    player.set_tolerance(1e-10)
    assert log.changed == []


def test_update_changes_several_settings_with_one_rerun(player):
    log = Recorder(player)
    what = player.update(mode="root", x0=1.0, function=parse_function("x^2 - 2"),
                         max_iter=20, position=3)
    assert what == {"mode", "x0", "function", "max_iter"}
    assert len(log.changed) == 1 and player.position == 3
    assert player.run.mode is NewtonMode.ROOT and player.run.max_iter == 20
    assert round(player.run.x_final, 6) == 1.414214


def test_race_is_requested_answered_and_dropped_when_stale(player):
    log = Recorder(player)
    player.set_race(True, 0.1)
    assert player.race_pending and len(log.requests) == 1
    first = log.requests[0]
    assert isinstance(first, RaceRequest) and first.learning_rate == 0.1
    assert first.max_iter == limits.RACE_MAX_ITER
    player.set_x0(0.3)                    # the race from 0.05 is now stale
    assert len(log.requests) == 2 and player.race_request.x0 == 0.3
    assert player.set_race_run(first.compute(), request=first) is False
    assert player.race is None and log.races == 0
    assert player.compute_race() is player.race
    assert player.race.mode == "gradient_descent" and player.race.x0 == 0.3
    assert not player.race_pending and log.races == 1
    assert len(player.race.steps) > player.total_steps      # Newton wins the race
    player.set_mode("root")               # the race only minimises: cleared
    assert player.race is None and player.race_request is None and not player.race_active
    assert player.set_race_run(first.compute()) is False     # nothing asked for


def test_a_race_that_fails_reports_its_error(player):
    player.set_race(True)
    assert player.set_race_run(None, "overflow", player.race_request)
    assert player.race is None and player.race_error == "overflow"


def test_state_round_trips_through_json(cycle):
    cycle.set_race(True, 0.5)
    cycle.seek(2)
    state = json.loads(json.dumps(cycle.state()))
    assert state == {"function": "x^3 - 2*x + 2", "mode": "root", "x0": 0.0, "tol": 1e-10,
                     "max_iter": 20, "step": 2,
                     "race": {"enabled": True, "learning_rate": 0.5}}
    other = NewtonPlayer.from_state(state)
    assert other.state() == state
    assert other.position == 2 and other.run.outcome.name == "CYCLE"


def test_lecture_state_has_the_tab_layout(player):
    assert set(player.state()) == {"function", "mode", "x0", "tol", "max_iter", "step",
                                   "race"}
    assert player.state()["mode"] == "minimise"


GOOD = {"function": "x^2 - 2", "mode": "root", "x0": 1.0, "tol": 1e-10, "max_iter": 50,
        "step": 0, "race": {"enabled": False, "learning_rate": 0.1}}


@pytest.mark.parametrize("bad, message", [
    ([], "newton: expected an object"),
    ({}, "newton.function: missing"),
    ({**GOOD, "function": 3}, "newton.function: expected text"),
    ({**GOOD, "function": "x" * (limits.MAX_FUNCTION_LENGTH + 1)}, "newton.function"),
    ({**GOOD, "function": "x +"}, "ends too early"),            # a syntax error
    ({**GOOD, "mode": "sideways"}, "newton.mode: expected \"root\" or \"minimise\""),
    ({**GOOD, "mode": "gradient_descent"}, "newton.mode"),
    ({**GOOD, "x0": "nan"}, "x0"),
    ({**GOOD, "x0": float("inf")}, "x0"),
    ({**GOOD, "x0": limits.X0_RANGE[1] * 2}, "newton.x0: 2e\\+06 is outside"),
    ({**GOOD, "tol": 0}, "newton.tol"),
    ({**GOOD, "tol": 1.0}, "newton.tol"),
    ({**GOOD, "tol": 1e-16}, "newton.tol"),
    ({**GOOD, "max_iter": 0}, "max_iter"),
    ({**GOOD, "max_iter": limits.MAX_ITER_RANGE[1] + 1}, "max_iter"),
    ({**GOOD, "max_iter": 2.5}, "max_iter"),
    ({**GOOD, "max_iter": True}, "max_iter"),
    ({**GOOD, "step": -1}, "step"),
    ({**GOOD, "race": []}, "newton.race: expected an object"),
    ({**GOOD, "race": {"enabled": "yes"}}, "newton.race.enabled"),
    ({**GOOD, "race": {"enabled": True, "learning_rate": 0}}, "newton.race.learning_rate"),
    ({**GOOD, "race": {"enabled": True, "learning_rate": 11.0}}, "newton.race.learning_rate"),
])
def test_bad_state_raises_a_clear_value_error(bad, message):
    with pytest.raises(ValueError, match=message):
        NewtonPlayer.from_state(bad)


@pytest.mark.parametrize("setter, value", [
    ("set_x0", float("nan")), ("set_x0", 2e6), ("set_x0", "1"),
    ("set_tolerance", -1.0), ("set_tolerance", 0.5),
    ("set_max_iter", 0), ("set_max_iter", 1001), ("set_max_iter", 1.0),
    ("set_learning_rate", 0.0), ("set_learning_rate", 1e9),
    ("set_mode", "newton"), ("set_function", "x^2"),
])
def test_bad_setting_raises_and_changes_nothing(player, setter, value):
    player.seek(2)
    before, run = player.state(), player.run
    log = Recorder(player)
    with pytest.raises(ValueError):
        getattr(player, setter)(value)
    assert player.state() == before and player.run is run
    assert log.changed == [] and log.positions == []


def test_update_refuses_unknown_settings(player):
    with pytest.raises(ValueError, match="unknown Newton setting 'speed'"):
        player.update(speed=2.0)


def test_a_player_without_a_function_keeps_settings_and_has_no_run():
    empty = NewtonPlayer()
    assert empty.run is None and empty.total_steps == 0 and empty.step() is False
    empty.set_x0(1.6)
    empty.set_function(parse_function("exp(x) - ln(x)"))
    assert empty.run.x0 == 1.6 and empty.total_steps > 0
