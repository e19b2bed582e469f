"""Lessons are data: the shipped ones load and say true things; bad files are refused
with a message that names the caption, the line and the key."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core.data import DATASETS, MOOD_LABEL, count_words
from core.lessons import DATASET_KEYS, LessonError, MicroStep, lesson_files, load_lesson, parse_lesson
from core.network import Network, train
from core.newton import newton_minimize, newton_root
from core.parser import parse_function

LESSONS = Path(__file__).resolve().parent.parent / "resources" / "lessons"
SHIPPED = lesson_files(LESSONS)


def test_three_lessons_ship_and_the_lecture_comes_first():
    titles = [load_lesson(p).title for p in SHIPPED]
    assert titles[0] == "The lecture" and len(titles) >= 3
    assert "Why a hidden layer?" in titles and "When Newton fails" in titles


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_caption_of_a_shipped_lesson_reaches_a_state_that_exists(path):
    lesson = load_lesson(path, check_function=parse_function)
    assert lesson.captions
    for caption in lesson.captions:
        assert caption.text and caption.line > 0
        if caption.tab == "newton":
            setup = caption.newton
            solve = newton_minimize if setup.mode == "minimise" else newton_root
            run = solve(setup.function, setup.x0, tol=10.0 ** -setup.tolerance_exponent,
                        max_iter=setup.max_iter)
            # the caption's step is one the run really takes (no clamping hides a typo)
            assert setup.step <= len(run.steps), (caption.line, setup.step, len(run.steps))
        else:
            setup = caption.classifier
            rows = DATASETS[DATASET_KEYS[setup.dataset]]
            assert 1 <= setup.example <= len(rows)


def test_the_lecture_follows_the_five_parts_in_order_and_ends_on_the_worked_example():
    lesson = load_lesson(LESSONS / "01_the_lecture.toml", check_function=parse_function)
    titles = [c.title for c in lesson.captions if c.title]
    assert [t[0] for t in titles] == ["①", "②", "③", "④", "⑤"]
    worked = [c for c in lesson.captions if c.tab == "newton"][-5:]
    assert all(c.newton.function == "exp(x) - ln(x)" and c.newton.x0 == 0.05
               and c.newton.mode == "minimise" for c in worked)
    assert [c.newton.step for c in worked] == [1, 3, 5, 6, 9]
    run = newton_minimize("exp(x) - ln(x)", 0.05)
    shown = [round(s.x_next, 4) for s in run.steps]
    for caption in worked[:-1]:                       # the captions quote the iterates
        assert f"{shown[caption.newton.step - 1]:.4f}" in caption.text
    assert len(run.steps) == 9 and "9 steps" in worked[-1].text


def test_the_lecture_says_where_the_notes_slip():
    lesson = load_lesson(LESSONS / "01_the_lecture.toml")
    remarks = " ".join(c.notes_differ for c in lesson.captions)
    for slip in ("swaps $w_{12}$ and $w_{21}$", "\\lambda", "z = w_1 x_1 + w_2 x_2 + b",
                 "\\partial z/\\partial w_1", "0.447", "(g'(x))^{-1}", "natural logarithm",
                 "stops after 6 steps"):
        assert slip in remarks, slip


def test_the_lecture_backward_captions_name_real_parameters_in_order():
    lesson = load_lesson(LESSONS / "01_the_lecture.toml")
    backward = [c.classifier.at.name for c in lesson.captions
                if c.tab == "classifier" and c.classifier.at.stage == "backward"]
    visited = [name for i, name in enumerate(backward) if i == 0 or backward[i - 1] != name]
    order = Network((2, 2, 1)).parameter_names()
    assert visited == sorted(visited, key=order.index)     # onward through the pass
    assert len(set(visited)) == len(visited)
    assert "w11" in backward and "w12" in backward and "w21" in backward


def _trained(dataset: str, hidden: tuple[int, ...], epochs: int):
    rows = DATASETS[DATASET_KEYS[dataset]]
    X = np.array([count_words(s) for s, _ in rows])
    y = np.array([MOOD_LABEL[m] for _, m in rows])
    network = Network((2, *hidden, 1), 0)
    losses = train(network, X, y, 0.5, epochs, "example")
    accuracy = float(((network.predict(X).ravel() >= 0.5) == (y == 1)).mean())
    return losses[-1], accuracy


def test_why_a_hidden_layer_claims_hold():
    lesson = load_lesson(LESSONS / "02_why_a_hidden_layer.toml")
    one, two = lesson.captions[2].classifier, lesson.captions[4].classifier
    assert (one.hidden, one.epochs, two.hidden, two.epochs) == ((1,), 1000, (2,), 1000)
    loss, accuracy = _trained("both-words", one.hidden, one.epochs)
    assert accuracy == 7 / 8 and 0.27 < loss < 0.31          # "stuck … near 0.29"
    loss, accuracy = _trained("both-words", two.hidden, two.epochs)
    assert accuracy == 1.0 and loss < 0.01


def test_settings_carry_over_from_the_previous_caption_of_the_same_tab():
    lesson = parse_lesson("""
title = "t"
[[caption]]
text = "a"
[caption.classifier]
seed = 7
at = "forward a2"
[[caption]]
text = "b"
[caption.newton]
x0 = 2.0
[[caption]]
text = "c"
tab = "classifier"
""")
    first, second, third = lesson.captions
    assert first.tab == "classifier" and first.classifier.at == MicroStep("forward", "a2")
    assert second.tab == "newton" and second.newton.x0 == 2.0
    assert second.classifier == first.classifier            # untouched, carried
    assert third.tab == "classifier" and third.classifier.seed == 7
    assert third.newton.x0 == 2.0


# ---- malformed lessons: each message names the problem --------------------------------
HEAD = 'title = "t"\n'


def caption(body: str) -> str:
    return HEAD + '[[caption]]\ntext = "x"\n' + body


BAD = [
    ("title = 'x'\n[[caption]\ntext = 'a'", "not valid TOML"),
    ('[[caption]]\ntext = "a"\n', "title: expected text"),
    (HEAD, "at least one [[caption]]"),
    (HEAD + "version = 2\n[[caption]]\ntext='a'\n", "version: this Stepwise reads"),
    (HEAD + 'colour = "red"\n[[caption]]\ntext="a"\n', "colour: unknown key"),
    (HEAD + "[[caption]]\ntitle = 'no text'\n", "caption 1 (line 2): text: expected text"),
    (HEAD + "[[caption]]\ntext = '   '\n", "text: must not be empty"),
    (caption('look_at = "edge:w13"\n'), "no edge \"w13\""),
    (caption('look_at = "w11"\n'), "look_at: expected \"kind:name\""),
    (caption('look_at = "colour:red"\n'), "unknown kind \"colour\""),
    (caption("tab = 'graphs'\n"), "tab: \"graphs\" is not one of classifier, newton"),
    (caption('[caption.classifier]\nat = "backward w13"\n'),
     "no parameter \"w13\" in the 2-2-1 network"),
    (caption('[caption.classifier]\nat = "sideways"\n'), "does not start with one of"),
    (caption('[caption.classifier]\nat = "forward x1"\n'), "no unit to compute \"x1\""),
    (caption('[caption.classifier]\nat = "loss L"\n'), "\"loss\" takes no name"),
    (caption('[caption.classifier]\nseed = -1\n'), "classifier.seed: -1 is outside 0"),
    (caption('[caption.classifier]\nseed = 1.5\n'), "classifier.seed: expected a whole number"),
    (caption('[caption.classifier]\nhidden = [2, 9]\n'), "classifier.hidden[1]: 9 is outside"),
    (caption('[caption.classifier]\nhidden = [2, 2, 2, 2]\n'), "1 to 3 hidden layers"),
    (caption('[caption.classifier]\nhidden = [2, 3]\n'), "same width"),
    (caption('[caption.classifier]\nlearning_rate = "fast"\n'),
     "classifier.learning_rate: expected a number, got \"fast\""),
    (caption('[caption.classifier]\nexample = 5\n'), "classifier.example: 5 is outside 1 … 4"),
    (caption('[caption.classifier]\ndataset = "lectures"\n'), "did you mean 'lecture'"),
    (caption('[caption.classifier]\nlerning_rate = 0.1\n'),
     "classifier.lerning_rate: unknown key (did you mean 'learning_rate'?)"),
    (caption('[caption.newton]\nx0 = 1e9\n'), "newton.x0: 1e+09 is outside"),
    (caption('[caption.newton]\nx0 = nan\n'), "newton.x0: nan is outside"),
    (caption('[caption.newton]\nmode = "minimize"\n'), "did you mean 'minimise'"),
    (caption('[caption.newton]\nstep = 60\n'), "newton.step: 60 is past the iteration cap"),
    (caption('[caption.newton]\nmode = "root"\nrace = true\n'), "races only in mode"),
    (caption('[caption.newton]\nfunction = "exp(x"\n'), "newton.function: \"exp(x\":"),
    (caption('[caption.newton]\nfunction = "import os"\n'), "newton.function"),
    (HEAD + '[[caption]]\ntext = "an $open formula"\n', "not closed"),
    (caption('[caption.newton]\nfunction = "' + "x+" * 600 + 'x"\n'), "at most 1000 characters"),
]


@pytest.mark.parametrize("text, words", BAD, ids=[w[:30] for _, w in BAD])
def test_malformed_lessons_are_refused_with_a_message_naming_the_problem(text, words):
    with pytest.raises(LessonError) as caught:
        parse_lesson(text, "bad.toml", check_function=parse_function)
    message = str(caught.value)
    assert words in message, message
    assert message.startswith("bad.toml") and len(message) < 400


def test_the_line_of_the_bad_caption_is_given():
    text = HEAD + '[[caption]]\ntext = "fine"\n\n\n[[caption]]\ntext = "bad"\nlook_at = "plot:x"\n'
    with pytest.raises(LessonError, match=r"caption 2 \(line 6\): look_at: no plot \"x\""):
        parse_lesson(text, "bad.toml")


def test_files_that_are_not_lessons_are_refused(tmp_path):
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00title")
    with pytest.raises(LessonError, match="not UTF-8"):
        load_lesson(binary)
    with pytest.raises(LessonError, match="not a regular file"):
        load_lesson(tmp_path)
    with pytest.raises(LessonError, match="not a regular file"):
        load_lesson(tmp_path / "missing.toml")
    huge = tmp_path / "huge.toml"
    huge.write_text(HEAD + "# " + "x" * 600_000 + "\n")
    with pytest.raises(LessonError, match="too large"):
        load_lesson(huge)


def test_loading_lessons_imports_neither_qt_nor_sympy():
    code = ("import sys, core.lessons as m; m.load_lesson(m.lesson_files('resources/lessons')[0]);"
            "print(sorted(k for k in ('PySide6', 'pyqtgraph', 'gui', 'sympy') if k in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=LESSONS.parent.parent, check=True).stdout
    assert out.strip() == "[]"
