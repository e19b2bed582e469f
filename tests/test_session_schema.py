"""The session schema: every malformed field refused with one short message naming it,
and nothing but SessionError whatever JSON lands in whatever field."""
import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import limits
from core.session import VERSION, SessionError, migrate, validate_document
from core.session_schema import ClassifierPart, NewtonPart, Session, ViewPart, shown

FIXTURE = Path(__file__).parent / "data" / "session_v1.json"
REAL = json.loads(FIXTURE.read_text(encoding="utf-8"))
LONG_NAME = "a" * 1000
DELETE = object()  # as a new value: remove the key


def _changed(path: tuple, value):
    """The real document with the value at ``path`` replaced (or removed)."""
    document = copy.deepcopy(REAL)
    *parents, last = path
    holder = document
    for key in parents:
        holder = holder[key]
    if value is DELETE:
        del holder[last]
    else:
        holder[last] = value
    return document


# (path to change, new value, field path the message must name)
MALFORMED = [
    (("version",), 0, "version"),
    (("version",), -1, "version"),
    (("version",), "1", "version"),
    (("version",), True, "version"),
    (("version",), 1.0, "version"),
    (("version",), DELETE, "version"),
    (("version",), VERSION + 1, "version"),
    (("classifier",), DELETE, "classifier"),
    (("newton",), [], "newton"),
    (("view",), "tab 1", "view"),
    (("view", "tab"), 2, "view.tab"),
    ((LONG_NAME,), 1, '"aaaa'),
    (("classifier", "learning_rate"), 1e300, "classifier.learning_rate"),
    (("classifier", "learning_rate"), 0, "classifier.learning_rate"),
    (("classifier", "learning_rate"), "fast", "classifier.learning_rate"),
    (("classifier", "learning_rate"), DELETE, "classifier.learning_rate"),
    (("classifier", "seed"), 10**20, "classifier.seed"),
    (("classifier", "seed"), -1, "classifier.seed"),
    (("classifier", "seed"), 2.5, "classifier.seed"),
    (("classifier", "weights", 1, 0, 0), 1e308, "classifier.weights[1][0][0]"),
    (("classifier", "weights", 0, 1, 1), -1e308, "classifier.weights[0][1][1]"),
    (("classifier", "weights", 0, 0, 1), float("nan"), "classifier.weights[0][0][1]"),
    (("classifier", "weights", 0, 0, 1), "0.5", "classifier.weights[0][0][1]"),
    (("classifier", "weights", 0, 0), [0.1], "classifier.weights[0]"),
    (("classifier", "weights", 1), DELETE, "classifier.weights"),
    (("classifier", "biases", 0), [0.1, 0.2, 0.3], "classifier.biases[0]"),
    (("classifier", "biases", 1, 0), None, "classifier.biases[1][0]"),
    (("classifier", "epoch_losses", 1), float("inf"), "classifier.epoch_losses[1]"),
    (("classifier", "epoch_losses", 0), -0.5, "classifier.epoch_losses[0]"),
    (("classifier", "epoch_losses"), {"0": 1}, "classifier.epoch_losses"),
    (("classifier", "sentences"), "Aack aack aack!", "classifier.sentences"),
    (("classifier", "sentences", 0), 17, "classifier.sentences[0]"),
    (("classifier", "sentences", 0), "x" * (limits.MAX_SENTENCE_LENGTH + 1),
     "classifier.sentences[0]"),
    (("classifier", "moods", 0), "Grumpy", "classifier.moods[0]"),
    (("classifier", "moods", 0), LONG_NAME, "classifier.moods[0]"),
    (("classifier", "moods"), ["Happy"], "classifier.moods"),
    (("classifier", "vocabulary"), ["aack"], "classifier.layer_sizes"),
    (("classifier", "vocabulary", 0), "", "classifier.vocabulary[0]"),
    (("classifier", "vocabulary", 1), "aack", "classifier.vocabulary"),
    (("classifier", "vocabulary", 1), "Beep", "classifier.vocabulary[1]"),
    (("classifier", "vocabulary", 1), "be ep", "classifier.vocabulary[1]"),
    (("classifier", "vocabulary", 1), "w" * 41, "classifier.vocabulary[1]"),
    (("classifier", "layer_sizes"), [2, 2, 3, 1], "classifier.layer_sizes"),
    (("classifier", "layer_sizes"), [2, 9, 1], "classifier.layer_sizes"),
    (("classifier", "layer_sizes"), [2, 1], "classifier.layer_sizes"),
    (("classifier", "layer_sizes"), [2, 2, 2], "classifier.layer_sizes"),
    (("classifier", "layer_sizes"), [2, 3, 1], "classifier.weights[0]"),
    (("classifier", "mode"), "minibatch", "classifier.mode"),
    (("classifier", "example"), 4, "classifier.example"),
    (("classifier", "example"), -1, "classifier.example"),
    (("classifier", "index"), -2, "classifier.index"),
    (("classifier", "index"), None, "classifier.index"),
    (("classifier", "epoch"), -1, "classifier.epoch"),
    (("classifier", "speed"), 8, "classifier.speed"),
    (("classifier", "heatmaps"), "yes", "classifier.heatmaps"),
    (("classifier", "pass"), [], "classifier.pass"),
    (("classifier", "pass", "example"), 9, "classifier.pass.example"),
    (("classifier", "pass", "mode"), DELETE, "classifier.pass.mode"),
    (("classifier", "pass", "weights", 1), [[0.1, 0.2], [0.3, 0.4]],
     "classifier.pass.weights[1]"),
    (("classifier", "pass", "learning_rate"), 11, "classifier.pass.learning_rate"),
    (("classifier", LONG_NAME), 1, '"aaaa'),
    (("newton", "x0"), "abc", "newton.x0"),
    (("newton", "x0"), 1e7, "newton.x0"),
    (("newton", "x0"), DELETE, "newton.x0"),
    (("newton", "function"), None, "newton.function"),
    (("newton", "function"), "x" * (limits.MAX_FUNCTION_LENGTH + 1), "newton.function"),
    (("newton", "mode"), "maximise", "newton.mode"),
    (("newton", "tol"), 0, "newton.tol"),
    (("newton", "tol"), 1, "newton.tol"),
    (("newton", "max_iter"), 0, "newton.max_iter"),
    (("newton", "max_iter"), 10**20, "newton.max_iter"),
    (("newton", "step"), -1, "newton.step"),
    (("newton", "preset"), 11, "newton.preset"),
    (("newton", "race"), True, "newton.race"),
    (("newton", "race", "learning_rate"), 1e300, "newton.race.learning_rate"),
    (("newton", "race", "enabled"), 1, "newton.race.enabled"),
    (("newton", "speed"), 100, "newton.speed"),
]


@pytest.mark.parametrize("path, value, field", MALFORMED,
                         ids=[".".join(map(str, p))[:30] for p, _, _ in MALFORMED])
def test_each_malformed_field_is_refused_naming_it(path, value, field):
    with pytest.raises(SessionError) as caught:
        validate_document(_changed(path, value))
    message = str(caught.value)
    assert field in message
    assert "\n" not in message and len(message) <= 160, message
    assert LONG_NAME[:50] not in message  # long names are quoted shortened


def test_there_are_enough_malformed_documents():
    assert len(MALFORMED) >= 30


def test_review_values_give_the_promised_messages():
    assert str(_error(("classifier", "learning_rate"), 1e300)) == \
        "classifier.learning_rate: 1e+300 is outside 0.001 … 10"
    assert str(_error(("newton", "x0"), "abc")) == 'newton.x0: expected a number, got "abc"'
    assert str(_error(("classifier", "weights", 1, 0, 0), float("inf"))) == \
        "classifier.weights[1][0][0]: expected a finite number, got inf"
    assert str(_error(("classifier", "seed"), 10**20)) == \
        "classifier.seed: 1e+20 is outside 0 … 99999"


def _error(path, value) -> SessionError:
    with pytest.raises(SessionError) as caught:
        validate_document(_changed(path, value))
    return caught.value


def test_the_real_document_is_read_into_typed_parts():
    session = validate_document(REAL)
    assert isinstance(session.classifier, ClassifierPart)
    assert isinstance(session.newton, NewtonPart) and isinstance(session.view, ViewPart)
    assert session.classifier.layer_sizes == (2, 2, 1)
    assert session.classifier.pass_ is not None and session.classifier.pass_.mode == "example"
    assert session.newton.race.learning_rate == 0.1 and session.view.tab == 1
    assert session.to_json() == REAL
    assert validate_document(session.to_json()) == session


def test_minimize_from_old_files_is_migrated_to_minimise():
    old = _changed(("newton", "mode"), "minimize")
    assert migrate(old, 1)["newton"]["mode"] == "minimise"
    assert old["newton"]["mode"] == "minimize"  # the caller's document is not changed
    assert validate_document(old).newton.mode == "minimise"


def test_optional_fields_take_the_gui_defaults():
    document = copy.deepcopy(REAL)
    for key in ("seed", "speed", "heatmaps", "pass"):
        del document["classifier"][key]
    for key in ("tol", "max_iter", "step", "preset", "race", "speed"):
        del document["newton"][key]
    del document["view"]
    session = validate_document(document)
    assert (session.classifier.seed, session.classifier.speed, session.classifier.heatmaps,
            session.classifier.pass_) == (0, 3, False, None)
    newton = session.newton
    assert (newton.tol, newton.max_iter, newton.step, newton.preset, newton.speed) == \
        (1e-10, 50, 0, 0, 1.5)
    assert not newton.race.enabled and session.view.tab is None
    assert session.to_json()["view"] == {}


def test_an_empty_table_may_point_at_any_row():
    document = copy.deepcopy(REAL)
    document["classifier"].update(sentences=[], moods=[], example=3)
    document["classifier"]["pass"] = None
    assert validate_document(document).classifier.example == 3


def test_shown_values_stay_short():
    assert shown(LONG_NAME) == '"' + "a" * 37 + '…"' and len(shown(LONG_NAME)) == 40
    assert shown(10**5000) == "a huge number"
    assert shown("a\nb\u2028c\x00") == '"a\\nb\\u2028c\\u0000"'
    assert "\n" not in shown("\n" * 100) and len(shown("\n" * 100)) == 40
    assert shown(True) == "true" and shown(None) == "null" and shown([1]) == "a list"


def test_limits_match_the_widgets():
    from gui.classifier.controls import DEFAULT_SPEED, SPEEDS
    from gui.newton.presets import PRESETS
    assert limits.CLASSIFIER_SPEED_RANGE == (0, len(SPEEDS) - 1)
    assert limits.PRESET_INDEX_RANGE == (0, len(PRESETS) - 1)
    assert Session.PARTS["classifier"].from_json(REAL["classifier"], "c").speed == 3 == DEFAULT_SPEED


def test_spin_boxes_take_their_ranges_from_the_limits(qtbot, theme):
    from PySide6.QtWidgets import QWidget

    from gui.classifier.controls import ClassifierActions, ControlBar
    from gui.newton.controls import PlaybackControls
    from gui.newton.settings_bar import SettingsBar
    bar = ControlBar(ClassifierActions(), theme)
    qtbot.addWidget(bar)
    for spin, expected in ((bar.seed_spin, limits.SEED_RANGE),
                           (bar.learning_rate_spin, limits.LEARNING_RATE_RANGE),
                           (bar.hidden_units_spin, limits.HIDDEN_UNITS_RANGE),
                           (bar.hidden_layers_spin, limits.HIDDEN_LAYERS_RANGE),
                           (bar.speed_slider, limits.CLASSIFIER_SPEED_RANGE)):
        assert (spin.minimum(), spin.maximum()) == expected, spin.objectName()
    from core.newton_player import NewtonPlayer
    settings = SettingsBar(NewtonPlayer.lecture_example())
    qtbot.addWidget(settings)
    for spin, expected in ((settings.x0_spin, limits.X0_RANGE),
                           (settings.tol_spin, limits.TOLERANCE_EXPONENT_RANGE),
                           (settings.max_iter_spin, limits.MAX_ITER_RANGE),
                           (settings.gd_rate_spin, limits.RACE_LEARNING_RATE_RANGE)):
        assert (spin.minimum(), spin.maximum()) == expected, spin.objectName()
    owner = QWidget()
    qtbot.addWidget(owner)
    controls = PlaybackControls(owner)
    qtbot.addWidget(controls)
    speed = controls.speed_spin
    assert (speed.minimum(), speed.maximum()) == limits.NEWTON_SPEED_RANGE


# ---- whatever JSON lands wherever: only SessionError -----------------------------------
def _paths(value, prefix=()):
    """Every key/index path inside the real document."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


PATHS = [p for p in _paths(REAL) if p]
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=60),
    lambda children: st.lists(children, max_size=4) |
    st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATHS), JSON_VALUES | st.just(DELETE)),
                min_size=1, max_size=3))
def test_random_values_in_random_fields_give_only_session_errors(changes):
    document = copy.deepcopy(REAL)
    for path, value in changes:
        try:
            *parents, last = path
            holder = document
            for key in parents:
                holder = holder[key]
            if value is DELETE:
                del holder[last]
            else:
                holder[last] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed or replaced this path
    try:
        session = validate_document(document)
    except SessionError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert validate_document(session.to_json()) == session
