"""Predict, then reveal: the values a micro-step computes, asked for one at a time.

Before a step's numbers appear, the student (or the lecture hall) predicts them.
``questions_for(record)`` lists what a step computes, in the order it is computed — a
unit's z then a; the loss; each chain-rule factor then the gradient and the new
value; Newton's g′(xₖ), g″(xₖ) then xₖ₊₁ — and ``Quiz`` walks through them: the
current question's value stays hidden until it is answered (right or wrong) or
revealed, and a running score counts the answers.

An answer is right within 1 % of the value, or when it agrees with it to three
significant digits (so 0.147 for 0.1468 is right, and 0 for 0 is right).
No Qt here: the views ask ``quiz.hidden(key)`` whether to draw "?" in a value's place.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from core.newton import NewtonStep
from core.notation import NumberRole, format_number, subscript
from core.records import BackwardStep, ForwardStep, LossStep, UpdateStep

__all__ = ["Question", "Verdict", "Quiz", "questions_for", "parse_answer", "is_close_enough",
           "RELATIVE_TOLERANCE"]

RELATIVE_TOLERANCE = 0.01


@dataclass(frozen=True)
class Question:
    """One value to predict. ``key`` names it for the views ("a:1:0", "factor:2",
    "gradient", "x_next", …); ``label`` is how it reads ("a₁", "∂z/∂a₁", "x₄")."""
    key: str
    label: str
    value: float
    hint: str = ""          # the formula it comes from, e.g. "σ(z₁)"


@dataclass(frozen=True)
class Verdict:
    question: Question
    answer: float | None    # None: revealed without an answer
    correct: bool

    @property
    def message(self) -> str:
        """The value as the views write it, after the answer as it was typed."""
        shown = format_number(self.question.value, _ROLES.get(self.question.key.split(":")[0],
                                                              NumberRole.VALUE))
        if self.answer is None:
            return f"{self.question.label} = {shown}"
        if self.correct:
            return f"Right: {self.question.label} = {shown}"
        return (f"Not quite: you said {format_number(self.answer, NumberRole.FULL)}, "
                f"{self.question.label} = {shown}")


def is_close_enough(answer: float, value: float) -> bool:
    """Within 1 % of ``value``, or equal to it at three significant digits."""
    if not (math.isfinite(answer) and math.isfinite(value)):
        return answer == value
    if abs(answer - value) <= RELATIVE_TOLERANCE * abs(value):
        return True
    return f"{answer:.3g}" == f"{value:.3g}" or (
        value != 0 and float(f"{answer:.3g}") == float(f"{value:.3g}"))


_ANSWER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def parse_answer(text: str) -> float:
    """A typed number: "−0.38", "0,147", "1.5e-3", "3/4" (no other arithmetic).
    Raises ValueError with a short message."""
    cleaned = (text.strip().replace("\u2212", "-").replace("\u2013", "-")
               .replace(" ", "").replace("×10^", "e").replace("x10^", "e"))
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")           # a decimal comma
    if not cleaned:
        raise ValueError("type a number, e.g. 0.147")
    parts = cleaned.split("/")
    if len(parts) > 2 or not all(_ANSWER.fullmatch(p) for p in parts):
        raise ValueError(f"“{text.strip()[:20]}” is not a number")
    value = float(parts[0])
    if len(parts) == 2:
        divisor = float(parts[1])
        if divisor == 0:
            raise ValueError("division by zero")
        value /= divisor
    if not math.isfinite(value):
        raise ValueError("that number is too large")
    return value


@dataclass
class Quiz:
    """The questions of the step now shown, and the score so far.

    ``start(questions)`` begins a step; ``current`` is the question asked (None when
    all are answered); ``answer(text)`` / ``reveal()`` settle it and move on;
    ``hidden(key)`` says whether a view must still show "?" for a value.
    """
    questions: tuple[Question, ...] = ()
    position: int = 0
    right: int = 0
    asked: int = 0
    history: list[Verdict] = field(default_factory=list)

    def start(self, questions) -> None:
        self.questions = tuple(questions)
        self.position = 0

    @property
    def current(self) -> Question | None:
        return self.questions[self.position] if self.position < len(self.questions) else None

    @property
    def done(self) -> bool:
        return self.current is None

    def hidden(self, key: str) -> bool:
        """True while the value named ``key`` is still to be predicted."""
        return any(q.key == key for q in self.questions[self.position:])

    def answer(self, text: str) -> Verdict:
        """Check a typed answer (an empty one reveals); raises ValueError if the text
        is not a number, leaving the question open."""
        question = self._require()
        if not text.strip():
            return self.reveal()
        value = parse_answer(text)
        verdict = Verdict(question, value, is_close_enough(value, question.value))
        self.asked += 1
        self.right += verdict.correct
        return self._settle(verdict)

    def reveal(self) -> Verdict:
        """Show the value without an answer (the lecturer's version: the hall guessed
        aloud); it does not count in the score."""
        return self._settle(Verdict(self._require(), None, False))

    @property
    def score(self) -> str:
        return f"{self.right} of {self.asked} right" if self.asked else "no answers yet"

    def _require(self) -> Question:
        question = self.current
        if question is None:
            raise ValueError("nothing is being asked")
        return question

    def _settle(self, verdict: Verdict) -> Verdict:
        self.history.append(verdict)
        self.position += 1
        return verdict


# ---------------------------------------------------------------------------- questions
def questions_for(record, minimise: bool = False) -> tuple[Question, ...]:
    """What ``record`` computes, in order: a classifier step record (core.records) or a
    Newton step (core.newton.NewtonStep)."""
    match record:
        case ForwardStep():
            z_label, unit = record.z_label, record.unit_label
            key = f"{record.layer + 1}:{record.unit}"      # activation layer, as the diagram counts
            return (Question(f"z:{key}", z_label, record.z, "Σ inputs · weights + bias"),
                    Question(f"a:{key}", unit, record.a, f"σ({z_label})"))
        case LossStep():
            return (Question("loss", "L", record.loss, "−y ln ŷ − (1−y) ln(1−ŷ)"),)
        case BackwardStep():
            label = record.parameter.label
            factors = tuple(Question(f"factor:{i}", f.label, f.value, f.expression)
                            for i, f in enumerate(record.factors))
            return factors + (
                Question("gradient", f"∂L/∂{label}", record.gradient, "the product of the factors"),
                Question("new_value", f"new {label}", record.new_value,
                         f"{label} − α · ∂L/∂{label}"))
        case UpdateStep():
            return (Question("loss_after", "L after the update", record.loss_after,
                             "the mean loss with the new parameters"),)
        case NewtonStep():
            k, sub = record.k, subscript(record.k)
            f, df = ("g′", "g″") if minimise else ("f", "f′")
            return (Question("value", f"{f}(x{sub})", record.value),
                    Question("slope", f"{df}(x{sub})", record.slope),
                    Question("x_next", f"x{subscript(k + 1)}", record.x_next,
                             f"x{sub} − {f}(x{sub}) / {df}(x{sub})"))
    raise TypeError(f"no questions for a {type(record).__name__}")


# A question's key (before any ":") → the role of its number; the rest are VALUEs.
_ROLES = {"factor": NumberRole.DERIVATIVE, "gradient": NumberRole.DERIVATIVE,
          "value": NumberRole.DERIVATIVE, "slope": NumberRole.DERIVATIVE,
          "x_next": NumberRole.ITERATE}
