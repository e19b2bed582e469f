"""Every field of a session file declared once: its JSON name, Python type and rule.

A part is a frozen dataclass whose fields carry a *rule* (``Integer``, ``Number``,
``Text`` …) with the range from ``core.limits``; ``Part.from_json`` reads a part with
those rules and then checks what spans fields (shapes, lengths), and ``to_json`` gives
back the layout the tabs' ``state()`` writes. Every refusal is one ``SessionError``
whose message starts with the field's path, e.g.
``classifier.weights[1][0][2]: expected a finite number``.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

import numpy as np

from core.data import MOODS, normalise_vocabulary
from core.limits import (
    CLASSIFIER_SPEED_RANGE,
    HIDDEN_LAYERS_RANGE,
    HIDDEN_UNITS_RANGE,
    LEARNING_RATE_RANGE,
    MAX_ABS_PARAMETER,
    MAX_EPOCH,
    MAX_FUNCTION_LENGTH,
    MAX_ITER_RANGE,
    MAX_MICRO_STEP,
    MAX_SENTENCE_LENGTH,
    MAX_SENTENCES,
    MAX_VOCABULARY,
    MAX_WORD_LENGTH,
    NEWTON_SPEED_RANGE,
    PRESET_INDEX_RANGE,
    RACE_LEARNING_RATE_RANGE,
    RACE_MAX_ITER,
    SEED_RANGE,
    TOLERANCE_RANGE,
    X0_RANGE,
)

FORMAT = "stepwise-session"
VERSION = 1
SHOWN_LENGTH = 40  # a quoted value in a message is at most this many characters

__all__ = ["SessionError", "FORMAT", "VERSION", "Session", "ClassifierPart", "PassPart",
           "NewtonPart", "RacePart", "ViewPart", "shown"]


class SessionError(ValueError):
    """A session that cannot be opened or saved; ``str(error)`` is the message to show."""


def shown(value: Any) -> str:
    """A value as a message quotes it: short, never a traceback-sized dump."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        # escaped, so a newline or control character cannot break the one-line message
        text = json.dumps(value[:SHOWN_LENGTH], ensure_ascii=False)[1:-1]
        text = "".join(c if c.isprintable() or c == " " else f"\\u{ord(c):04x}" for c in text)
        if len(value) > SHOWN_LENGTH - 2 or len(text) > SHOWN_LENGTH - 2:
            text = text[:SHOWN_LENGTH - 3] + "…"
        return f'"{text}"'
    if isinstance(value, int):
        if abs(value) < 10**15:
            return str(value)
        return f"{float(value):g}" if value.bit_length() < 1000 else "a huge number"
    if isinstance(value, float):
        text = f"{value:g}"
        return text + ".0" if text.lstrip("-").isdigit() else text  # 1.0 is not the int 1
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


# ---- rules: one JSON value each ---------------------------------------------------------
_REQUIRED: Any = object()  # a rule's default when the field must be present


class Rule:
    """Reads one JSON value (``read``) and writes it back (``dump``)."""

    def __init__(self, default: Any = _REQUIRED) -> None:
        self.default = default

    def read(self, value: Any, where: str) -> Any:
        raise NotImplementedError

    def dump(self, value: Any) -> Any:
        return value


def _refuse(where: str, expected: str, value: Any) -> SessionError:
    return SessionError(f"{where}: expected {expected}, got {shown(value)}")


def _outside(where: str, value: Any, low: Any, high: Any) -> SessionError:
    if low == high:
        return SessionError(f"{where}: expected {shown(low)}, got {shown(value)}")
    return SessionError(f"{where}: {shown(value)} is outside {_bound(low)} … {_bound(high)}")


def _bound(limit: Any) -> str:
    """A range's end as people write it: 10, not 10.0."""
    return f"{limit:g}" if isinstance(limit, float) else shown(limit)


class Integer(Rule):
    def __init__(self, low: int, high: int, default: Any = _REQUIRED) -> None:
        super().__init__(default)
        self.low, self.high = low, high

    def read(self, value: Any, where: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise _refuse(where, "a whole number", value)
        if not self.low <= value <= self.high:
            raise _outside(where, value, self.low, self.high)
        return value


class Number(Rule):
    """A finite number in [low, high], or (low, high) where ``open`` says so."""

    def __init__(self, low: float, high: float, default: Any = _REQUIRED,
                 open: bool = False) -> None:
        super().__init__(default)
        self.low, self.high, self.open = low, high, open

    def read(self, value: Any, where: str) -> float:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise _refuse(where, "a number", value)
        try:
            number = float(value)
        except OverflowError:  # an int beyond float's range
            raise _outside(where, value, self.low, self.high) from None
        if not math.isfinite(number):
            raise SessionError(f"{where}: expected a finite number, got {shown(number)}")
        inside = (self.low < number < self.high) if self.open else \
            (self.low <= number <= self.high)
        if not inside:
            raise _outside(where, value, self.low, self.high)
        return number


class Boolean(Rule):
    def read(self, value: Any, where: str) -> bool:
        if not isinstance(value, bool):
            raise _refuse(where, "true or false", value)
        return value


class Text(Rule):
    def __init__(self, max_length: int, min_length: int = 0, default: Any = _REQUIRED) -> None:
        super().__init__(default)
        self.min_length, self.max_length = min_length, max_length

    def read(self, value: Any, where: str) -> str:
        if not isinstance(value, str):
            raise _refuse(where, "text", value)
        if not self.min_length <= len(value) <= self.max_length:
            raise SessionError(f"{where}: {shown(value)} has {len(value)} characters; "
                               f"expected {self.min_length} … {self.max_length}")
        return value


class Word(Text):
    """A vocabulary word exactly as the table keeps it: one lower-case run of letters."""

    def __init__(self) -> None:
        super().__init__(MAX_WORD_LENGTH, 1)

    def read(self, value: Any, where: str) -> str:
        word = super().read(value, where)
        try:
            normalised = normalise_vocabulary([word])
        except ValueError:
            normalised = ()
        if normalised != (word,):
            raise SessionError(f"{where}: {shown(word)} is not one lower-case word")
        return word


class Choice(Rule):
    def __init__(self, options: tuple[str, ...], default: Any = _REQUIRED) -> None:
        super().__init__(default)
        self.options = options

    def read(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or value not in self.options:
            raise _refuse(where, " or ".join(f'"{o}"' for o in self.options), value)
        return value


class ListOf(Rule):
    """A JSON list read into a tuple, each item by ``item``; at most ``max_length``."""

    def __init__(self, item: Rule, max_length: int, default: Any = _REQUIRED) -> None:
        super().__init__(default)
        self.item, self.max_length = item, max_length

    def read(self, value: Any, where: str) -> tuple:
        if not isinstance(value, list):
            raise _refuse(where, "a list", value)
        if len(value) > self.max_length:
            raise SessionError(f"{where}: {len(value)} items; at most {self.max_length}")
        if len(value) > _LONG and self._all_in_range(value):
            return tuple(value)
        return tuple(self.item.read(v, f"{where}[{i}]") for i, v in enumerate(value))

    def _all_in_range(self, value: list) -> bool:
        """Whether a long list of plain floats passes its Number rule, checked at C
        speed: a long run's million losses, read one by one in Python on the autosave
        thread, kept the window waiting for the GIL (stalls of 300 ms). False means
        "read item by item", which names the first bad one."""
        rule = self.item.inner if isinstance(self.item, Nullable) else self.item
        if type(rule) is not Number or rule.open:
            return False
        numbers = np.fromiter(value, dtype=float, count=len(value)) \
            if all(map(float.__instancecheck__, value)) else None
        return numbers is not None and bool(np.all(
            np.isfinite(numbers) & (numbers >= rule.low) & (numbers <= rule.high)))

    def dump(self, value: Any) -> list:
        item = self.item
        if len(value) > _LONG and (type(item) is Number or (
                type(item) is Nullable and type(item.inner) is Number)):
            return list(value)                     # numbers are written as they are
        return [self.item.dump(v) for v in value]


_LONG = 1_000   # lists longer than this are checked with NumPy where they can be


class Nullable(Rule):
    """``null`` (read as None) or a value the inner rule accepts."""

    def __init__(self, inner: Rule, default: Any = _REQUIRED) -> None:
        super().__init__(default)
        self.inner = inner

    def read(self, value: Any, where: str) -> Any:
        return None if value is None else self.inner.read(value, where)

    def dump(self, value: Any) -> Any:
        return None if value is None else self.inner.dump(value)


class Record(Rule):
    """A nested object read as the Part subclass ``part``."""

    def __init__(self, part: type[Part], default: Any = _REQUIRED) -> None:
        super().__init__(default)
        self.part = part

    def read(self, value: Any, where: str) -> Part:
        return self.part.from_json(value, where)

    def dump(self, value: Any) -> dict:
        return value.to_json()


def _field(rule: Rule, name: str | None = None) -> Any:
    """A dataclass field read by ``rule`` from the JSON key ``name`` (default: its own)."""
    return field(metadata={"rule": rule, "name": name})


# ---- parts -----------------------------------------------------------------------------
class Part:
    """Base of the session's parts: generic reading and writing by the fields' rules."""

    @classmethod
    def from_json(cls, data: Any, where: str):
        """The part read from ``data``; raises SessionError naming the bad field."""
        if not isinstance(data, dict):
            raise _refuse(where, "an object", data)
        declared = {f.metadata["name"] or f.name: f for f in fields(cls)}  # type: ignore[arg-type]
        for key in data:
            if key not in declared:
                raise SessionError(f"{where}: unknown field {shown(key)}")
        values = {}
        for key, declared_field in declared.items():
            rule: Rule = declared_field.metadata["rule"]
            path = f"{where}.{key}"
            if key in data:
                values[declared_field.name] = rule.read(data[key], path)
            elif rule.default is not _REQUIRED:
                values[declared_field.name] = rule.default
            else:
                raise SessionError(f"{path}: missing")
        part = cls(**values)
        part._check(where)
        return part

    def to_json(self) -> dict:
        """The part in the layout the tabs' ``state()`` writes."""
        return {(f.metadata["name"] or f.name): f.metadata["rule"].dump(getattr(self, f.name))
                for f in fields(self)}  # type: ignore[arg-type]

    def _check(self, where: str) -> None:
        """Checks that span several fields; none by default."""


Matrix = tuple[tuple[float, ...], ...]
_PARAMETER = Number(-MAX_ABS_PARAMETER, MAX_ABS_PARAMETER)
_LAYERS = HIDDEN_LAYERS_RANGE[1] + 1  # weight matrices: one per hidden layer, plus the output
_WIDEST = max(MAX_VOCABULARY, HIDDEN_UNITS_RANGE[1])
_WEIGHTS = ListOf(ListOf(ListOf(_PARAMETER, _WIDEST), _WIDEST), _LAYERS)
_BIASES = ListOf(ListOf(_PARAMETER, _WIDEST), _LAYERS)
_CLASSIFIER_MODES = ("example", "batch")


def _check_shapes(weights: tuple[Matrix, ...], biases: tuple[tuple[float, ...], ...],
                  layer_sizes: tuple[int, ...], where: str) -> None:
    """weights[l] is n_l × n_(l+1) and biases[l] has n_(l+1) entries."""
    shapes = list(zip(layer_sizes[:-1], layer_sizes[1:]))
    if len(weights) != len(shapes):
        raise SessionError(f"{where}.weights: expected {len(shapes)} matrices for "
                           f"{len(layer_sizes)} layers, got {len(weights)}")
    if len(biases) != len(shapes):
        raise SessionError(f"{where}.biases: expected {len(shapes)} vectors for "
                           f"{len(layer_sizes)} layers, got {len(biases)}")
    for layer, ((n_in, n_out), matrix, vector) in enumerate(zip(shapes, weights, biases)):
        if len(matrix) != n_in or any(len(row) != n_out for row in matrix):
            raise SessionError(f"{where}.weights[{layer}]: expected a {n_in} × {n_out} "
                               f"matrix (layers of {n_in} and {n_out} units)")
        if len(vector) != n_out:
            raise SessionError(f"{where}.biases[{layer}]: expected {n_out} numbers, "
                               f"got {len(vector)}")


@dataclass(frozen=True)
class PassPart(Part):
    """The parameters the current forward-and-backward pass started from."""

    weights: tuple[Matrix, ...] = _field(_WEIGHTS)
    biases: tuple[tuple[float, ...], ...] = _field(_BIASES)
    example: int = _field(Integer(0, MAX_SENTENCES - 1))
    mode: str = _field(Choice(_CLASSIFIER_MODES))
    learning_rate: float = _field(Number(*LEARNING_RATE_RANGE))


@dataclass(frozen=True)
class ClassifierPart(Part):
    """The classifier tab: its table, settings and the stepper's exact position."""

    layer_sizes: tuple[int, ...] = _field(ListOf(Integer(1, _WIDEST), _LAYERS + 1))
    seed: int = _field(Integer(*SEED_RANGE, default=0))
    weights: tuple[Matrix, ...] = _field(_WEIGHTS)
    biases: tuple[tuple[float, ...], ...] = _field(_BIASES)
    learning_rate: float = _field(Number(*LEARNING_RATE_RANGE))
    mode: str = _field(Choice(_CLASSIFIER_MODES))
    example: int = _field(Integer(0, MAX_SENTENCES - 1))
    index: int = _field(Integer(-1, MAX_MICRO_STEP))
    epoch: int = _field(Integer(0, MAX_EPOCH))
    # an epoch over an empty table has no loss (nan), saved as null
    epoch_losses: tuple[float | None, ...] = _field(
        ListOf(Nullable(Number(0.0, math.inf)), MAX_EPOCH + 1))
    pass_: PassPart | None = _field(Nullable(Record(PassPart), default=None), name="pass")
    sentences: tuple[str, ...] = _field(ListOf(Text(MAX_SENTENCE_LENGTH), MAX_SENTENCES))
    moods: tuple[str, ...] = _field(ListOf(Choice(MOODS), MAX_SENTENCES))
    vocabulary: tuple[str, ...] = _field(ListOf(Word(), MAX_VOCABULARY))
    speed: int = _field(Integer(*CLASSIFIER_SPEED_RANGE, default=3))
    heatmaps: bool = _field(Boolean(default=False))

    def _check(self, where: str) -> None:
        if len(self.moods) != len(self.sentences):
            raise SessionError(f"{where}.moods: expected one per sentence "
                               f"({len(self.sentences)}), got {len(self.moods)}")
        if len(set(self.vocabulary)) != len(self.vocabulary):
            raise SessionError(f"{where}.vocabulary: a word is listed twice")
        sizes, hidden = self.layer_sizes, self.layer_sizes[1:-1]
        if len(sizes) < 3 or sizes[0] != len(self.vocabulary) or sizes[-1] != 1:
            raise SessionError(f"{where}.layer_sizes: {list(sizes)} does not fit; expected "
                               f"[{len(self.vocabulary)} (one per word), hidden units …, 1]")
        low, high = HIDDEN_UNITS_RANGE
        if len(set(hidden)) != 1 or not low <= hidden[0] <= high or \
                not HIDDEN_LAYERS_RANGE[0] <= len(hidden) <= HIDDEN_LAYERS_RANGE[1]:
            raise SessionError(f"{where}.layer_sizes: hidden layers must be "
                               f"{HIDDEN_LAYERS_RANGE[0]} … {HIDDEN_LAYERS_RANGE[1]} layers of "
                               f"the same {low} … {high} units")
        _check_shapes(self.weights, self.biases, sizes, where)
        rows = len(self.sentences)
        if rows and self.example >= rows:
            raise SessionError(f"{where}.example: row {self.example} is outside a table "
                               f"of {rows} rows")
        if self.pass_ is None:
            return
        _check_shapes(self.pass_.weights, self.pass_.biases, sizes, f"{where}.pass")
        if rows and self.pass_.example >= rows:
            raise SessionError(f"{where}.pass.example: row {self.pass_.example} is outside "
                               f"a table of {rows} rows")


@dataclass(frozen=True)
class RacePart(Part):
    """Gradient descent racing Newton: on or off, and its learning rate α."""

    enabled: bool = _field(Boolean())
    learning_rate: float = _field(Number(*RACE_LEARNING_RATE_RANGE))


@dataclass(frozen=True)
class NewtonPart(Part):
    """The Newton tab: function, mode, start, stopping rule, position and playback."""

    function: str = _field(Text(MAX_FUNCTION_LENGTH))
    mode: str = _field(Choice(("root", "minimise")))
    x0: float = _field(Number(*X0_RANGE))
    # the spin box offers 1e−1 … 1e−15, and the player accepts exactly those
    tol: float = _field(Number(TOLERANCE_RANGE[0], TOLERANCE_RANGE[1], default=1e-10))
    max_iter: int = _field(Integer(*MAX_ITER_RANGE, default=50))
    step: int = _field(Integer(0, RACE_MAX_ITER, default=0))
    preset: int = _field(Integer(*PRESET_INDEX_RANGE, default=0))
    race: RacePart = _field(Record(RacePart, default=RacePart(enabled=False, learning_rate=0.1)))
    speed: float = _field(Number(*NEWTON_SPEED_RANGE, default=1.5))


@dataclass(frozen=True)
class ViewPart(Part):
    """Which tab was showing (None: leave the window as it is)."""

    tab: int | None = _field(Nullable(Integer(0, 1), default=None))

    def to_json(self) -> dict:
        return {} if self.tab is None else {"tab": self.tab}


@dataclass(frozen=True)
class Session:
    """A whole checked session: what ``load_session`` returns and ``save_session`` writes."""

    classifier: ClassifierPart
    newton: NewtonPart
    view: ViewPart = ViewPart(tab=None)
    PARTS: ClassVar[dict[str, type[Part]]] = {
        "classifier": ClassifierPart, "newton": NewtonPart, "view": ViewPart}

    def to_json(self) -> dict:
        """The current file layout: format, version and the three parts."""
        return {"format": FORMAT, "version": VERSION, "classifier": self.classifier.to_json(),
                "newton": self.newton.to_json(), "view": self.view.to_json()}
