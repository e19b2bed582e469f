"""Predict, then reveal (core): the questions follow the computation, answers are
judged within 1 % or three significant digits, nothing is shown before it is asked."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.data import LECTURE_EXAMPLES, MOOD_LABEL, count_words
from core.network import Network
from core.newton import newton_minimize
from core.predict import Quiz, is_close_enough, parse_answer, questions_for
from core.walk import walk

X = np.array([count_words(s) for s, _ in LECTURE_EXAMPLES])
Y = np.array([MOOD_LABEL[m] for _, m in LECTURE_EXAMPLES])


def lecture_pass():
    return list(walk(Network((2, 2, 1), 0), X, Y, 0.5, example=0))


def test_a_forward_step_asks_z_then_a():
    first = lecture_pass()[0]
    z, a = questions_for(first)
    assert (z.label, a.label) == ("z₁", "a₁")
    assert z.value == pytest.approx(0.2667, abs=5e-5) and a.value == pytest.approx(0.5663, abs=5e-5)


def test_a_backward_step_asks_each_factor_then_the_gradient_then_the_new_weight():
    w11 = next(s for s in lecture_pass() if getattr(s, "parameter", None) is not None
               and s.parameter.name == "w11")
    questions = questions_for(w11)
    assert [q.label for q in questions] == ["∂z₁/∂w₁₁", "∂a₁/∂z₁", "∂z/∂a₁", "∂ŷ/∂z", "∂L/∂ŷ",
                                            "∂L/∂w₁₁", "new w₁₁"]
    assert math.prod(q.value for q in questions[:5]) == pytest.approx(questions[5].value)
    assert questions[5].value == pytest.approx(0.1468, abs=5e-5)
    assert questions[6].value == pytest.approx(0.0155, abs=5e-5)


def test_newton_asks_the_derivatives_then_the_next_iterate():
    step = newton_minimize("exp(x) - ln(x)", 0.05).steps[0]
    labels = [(q.label, round(q.value, 4)) for q in questions_for(step, minimise=True)]
    assert labels == [("g′(x₀)", round(step.value, 4)), ("g″(x₀)", round(step.slope, 4)),
                      ("x₁", 0.0972)]


def test_the_update_asks_the_new_loss_and_anything_else_is_no_question():
    update = lecture_pass()[-1]
    assert [(q.key, q.value) for q in questions_for(update)] == [("loss_after", update.loss_after)]
    with pytest.raises(TypeError, match="no questions for a dict"):
        questions_for({"z": 1.0})


def test_the_quiz_hides_exactly_the_values_not_yet_settled():
    quiz = Quiz()
    quiz.start(questions_for(lecture_pass()[0]))
    assert quiz.hidden("z:1:0") and quiz.hidden("a:1:0") and not quiz.hidden("a:1:1")
    verdict = quiz.answer("0.27")                       # z₁ = 0.2667: within 3 digits? no, 1 %? no
    assert not verdict.correct and "0.2667" in verdict.message
    assert not quiz.hidden("z:1:0") and quiz.hidden("a:1:0")
    verdict = quiz.answer("0.566")
    assert verdict.correct and verdict.message.startswith("Right")
    assert quiz.done and not quiz.hidden("a:1:0") and quiz.score == "1 of 2 right"


def test_an_empty_answer_or_space_reveals_without_scoring():
    quiz = Quiz()
    quiz.start(questions_for(lecture_pass()[3]))        # the loss
    verdict = quiz.answer("   ")
    assert verdict.answer is None and not verdict.correct and quiz.done
    assert quiz.asked == 0 and quiz.score == "no answers yet"
    with pytest.raises(ValueError, match="nothing is being asked"):
        quiz.reveal()


def test_a_non_number_leaves_the_question_open():
    quiz = Quiz()
    quiz.start(questions_for(lecture_pass()[3]))
    with pytest.raises(ValueError, match="is not a number"):
        quiz.answer("about half")
    assert quiz.current is not None and quiz.hidden("loss") and quiz.asked == 0


@pytest.mark.parametrize("text, value", [
    ("0.147", 0.147), ("−0.38", -0.38), ("-0.38", -0.38), ("0,5", 0.5), ("1.5e-3", 0.0015),
    ("3/4", 0.75), (" 2 ", 2.0), (".5", 0.5), ("1×10^-2", 0.01),
])
def test_answers_are_read_as_people_type_them(text, value):
    assert parse_answer(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "x", "1+1", "2**3", "1/0", "1e999", "__import__('os')",
                                  "1/2/3", "--1"])
def test_anything_else_is_refused(text):
    with pytest.raises(ValueError):
        parse_answer(text)


@pytest.mark.parametrize("answer, value, right", [
    (0.147, 0.1468, True), (0.15, 0.1468, False), (0.1468, 0.1468, True),
    (0.0, 0.0, True), (0.001, 0.0, False), (-2.11, -2.1101, True), (2.11, -2.1101, False),
    (0.0972, 0.09724758, True), (101.0, 100.0, True), (102.0, 100.0, False),
    (1.23e-9, 1.2345e-9, True),
])
def test_right_means_within_one_percent_or_three_significant_digits(answer, value, right):
    assert is_close_enough(answer, value) is right


@given(st.floats(-1e6, 1e6, allow_nan=False).filter(lambda v: abs(v) > 1e-300))
def test_the_value_itself_and_its_three_digit_rounding_are_always_right(value):
    assert is_close_enough(value, value)
    assert is_close_enough(float(f"{value:.3g}"), value)
    assert not is_close_enough(value * 1.05 + math.copysign(1e-3, value), value)
