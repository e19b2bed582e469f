"""Lessons: a guided walk through the app, one caption at a time, written as data.

A lesson is a TOML file (``resources/lessons/*.toml``) that a lecturer can copy and
edit. Each ``[[caption]]`` has a short text (inline maths between ``$…$``) and sets the
app to a state: which tab, and for that tab the data set, network and micro-step
position (classifier) or the function, mode, x₀ and step (Newton). It can point at
what to look at (a unit, an edge, a plot, a table column), and say where the lecture
notes differ from what is shown.

A caption states only what changes: every setting it leaves out is carried over from
the previous caption of the same tab (or the default below), so "step on to x₄" is
one line. ``load_lesson`` checks the whole file before anything is shown and raises
``LessonError`` naming the first problem with its caption, line and key, e.g.
``caption 3 (line 41): classifier.at: no parameter 'w13' in the 2-2-1 network``.

    title = "The lecture"
    [[caption]]
    text = "The output unit: $z = a_1 w_1 + a_2 w_2 + b$."
    look_at = "unit:yhat"
    [caption.classifier]
    at = "forward yhat"

Nothing here imports Qt or SymPy; pass ``check_function`` (e.g.
``core.parser.parse_function``) to have typed functions parsed as part of the check.
"""
from __future__ import annotations

import difflib
import math
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:                                      # Python 3.10: the same parser, from PyPI
    import tomli as tomllib

from core.data import DATASETS
from core.limits import (
    HIDDEN_LAYERS_RANGE,
    HIDDEN_UNITS_RANGE,
    LEARNING_RATE_RANGE,
    MAX_FUNCTION_LENGTH,
    MAX_ITER_RANGE,
    RACE_LEARNING_RATE_RANGE,
    SEED_RANGE,
    TOLERANCE_EXPONENT_RANGE,
    X0_RANGE,
)

__all__ = ["LessonError", "Lesson", "Caption", "ClassifierSetup", "NewtonSetup", "LookAt",
           "MicroStep", "load_lesson", "parse_lesson", "lesson_files", "LESSON_VERSION",
           "DATASET_KEYS", "LOOK_AT_KINDS"]

LESSON_VERSION = 1
MAX_LESSON_BYTES = 512 * 1024
MAX_CAPTIONS = 200
MAX_CAPTION_CHARS = 2_000
MAX_EPOCHS = 10_000

# Short names a lesson uses for the built-in data sets (core.data.DATASETS).
DATASET_KEYS = {"lecture": "Lecture: aack / beep", "both-words": "Both words needed"}
STAGES = ("start", "forward", "loss", "backward", "update")
TABS = ("classifier", "newton")
NEWTON_MODES = ("root", "minimise")
# What a caption can point at, and the names each kind accepts (units and edges are
# checked against the network instead).
LOOK_AT_KINDS: dict[str, tuple[str, ...]] = {
    "unit": (),
    "edge": (),
    "plot": ("loss", "boundary", "function", "derivative", "error"),
    "panel": ("chain", "table", "arithmetic", "formulas", "outcome", "sentences"),
    "column": ("k", "x", "value", "slope", "step", "dx", "ratio", "digits"),
}


class LessonError(ValueError):
    """A lesson file that cannot be used; ``str(error)`` is the message to show."""


@dataclass(frozen=True)
class MicroStep:
    """A position inside one example's pass: before it ("start"), computing a unit
    (``forward a1``), the loss, ∂L/∂(parameter) (``backward w11``), or the update."""
    stage: str = "start"
    name: str = ""          # unit for forward ("a1", "yhat"), parameter for backward

    def __str__(self) -> str:
        return f"{self.stage} {self.name}".strip()


@dataclass(frozen=True)
class ClassifierSetup:
    """The classifier tab's state for a caption."""
    dataset: str = "lecture"
    seed: int = 0
    hidden: tuple[int, ...] = (2,)
    learning_rate: float = 0.5
    mode: str = "example"           # "example" (stochastic, as in the notes) or "batch"
    epochs: int = 0                 # whole epochs trained before the position
    example: int = 1                # 1-based row whose pass is shown
    at: MicroStep = MicroStep()

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        return (2, *self.hidden, 1)


@dataclass(frozen=True)
class NewtonSetup:
    """The Newton tab's state for a caption."""
    function: str = "exp(x) - ln(x)"
    mode: str = "minimise"
    x0: float = 0.05
    step: int = 0
    tolerance_exponent: int = 10    # tolerance 1e−10
    max_iter: int = 50
    race: bool = False
    race_learning_rate: float = 0.1


@dataclass(frozen=True)
class LookAt:
    """What to outline while a caption shows: ``kind`` from LOOK_AT_KINDS, ``name``."""
    kind: str
    name: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.name}"


@dataclass(frozen=True)
class Caption:
    text: str
    tab: str
    classifier: ClassifierSetup
    newton: NewtonSetup
    title: str = ""
    look_at: LookAt | None = None
    notes_differ: str = ""          # where the lecture notes say something else
    line: int = 0                   # of the caption's [[caption]] header in the file


@dataclass(frozen=True)
class Lesson:
    title: str
    description: str
    captions: tuple[Caption, ...]
    source: str = ""                # file name, for messages


# ---------------------------------------------------------------------------- loading
def lesson_files(folder: str | Path) -> list[Path]:
    """The ``*.toml`` lessons in ``folder``, sorted by name."""
    return sorted(Path(folder).glob("*.toml"))


def load_lesson(path: str | Path,
                check_function: Callable[[str], object] | None = None) -> Lesson:
    """Read and check a lesson file; raises LessonError with a message for people."""
    path = Path(path)
    try:
        if not path.is_file():
            raise LessonError(f"{path.name} is not a lesson file (not a regular file).")
        with open(path, "rb") as handle:
            raw = handle.read(MAX_LESSON_BYTES + 1)
    except OSError as exc:
        raise LessonError(f"{path.name} could not be read: {exc.strerror or exc}") from exc
    if len(raw) > MAX_LESSON_BYTES:
        raise LessonError(f"{path.name} is too large to be a lesson "
                          f"(at most {MAX_LESSON_BYTES // 1024} kB).")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LessonError(f"{path.name} is not UTF-8 text (byte {exc.start}).") from exc
    return parse_lesson(text, path.name, check_function)


def parse_lesson(text: str, source: str = "lesson",
                 check_function: Callable[[str], object] | None = None) -> Lesson:
    """Check a lesson's TOML text and resolve every caption's full state."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LessonError(f"{source}: not valid TOML — {exc}") from exc
    lines = _caption_lines(text)
    _known(document, ("title", "description", "version", "caption"), "", source)
    version = document.get("version", LESSON_VERSION)
    if not _is_int(version) or not 1 <= version <= LESSON_VERSION:
        raise LessonError(f"{source}: version: this Stepwise reads lesson version "
                          f"{LESSON_VERSION}, not {_show(version)}")
    title = _text(document.get("title"), f"{source}: title", 200, required=True)
    description = _text(document.get("description", ""), f"{source}: description", 2000)
    raw_captions = document.get("caption")
    if not isinstance(raw_captions, list) or not raw_captions:
        raise LessonError(f"{source}: a lesson needs at least one [[caption]]")
    if len(raw_captions) > MAX_CAPTIONS:
        raise LessonError(f"{source}: at most {MAX_CAPTIONS} captions, not {len(raw_captions)}")
    classifier, newton, tab = ClassifierSetup(), NewtonSetup(), "classifier"
    captions = []
    for number, raw in enumerate(raw_captions, start=1):
        line = lines[number - 1] if number - 1 < len(lines) else 0
        where = f"{source}, caption {number}" + (f" (line {line})" if line else "")
        try:
            caption = _caption(raw, classifier, newton, tab, line, check_function)
        except LessonError as exc:
            raise LessonError(f"{where}: {exc}") from None
        classifier, newton, tab = caption.classifier, caption.newton, caption.tab
        captions.append(caption)
    return Lesson(title, description, tuple(captions), source)


def _caption(raw, classifier: ClassifierSetup, newton: NewtonSetup, tab: str, line: int,
             check_function) -> Caption:
    if not isinstance(raw, Mapping):
        raise LessonError("a caption must be a table of keys")
    _known(raw, ("text", "title", "tab", "look_at", "notes_differ", "classifier", "newton"),
           "", "")
    text = _text(raw.get("text"), "text", MAX_CAPTION_CHARS, required=True)
    _balanced_maths(text)
    title = _text(raw.get("title", ""), "title", 200)
    notes = _text(raw.get("notes_differ", ""), "notes_differ", MAX_CAPTION_CHARS)
    _balanced_maths(notes, "notes_differ")
    if "classifier" in raw:
        classifier = _classifier(raw["classifier"], classifier)
        tab = "classifier"
    if "newton" in raw:
        newton = _newton(raw["newton"], newton, check_function)
        tab = "newton"
    if "tab" in raw:
        tab = _choice(raw["tab"], TABS, "tab")
    look_at = None
    if "look_at" in raw:
        look_at = _look_at(raw["look_at"], tab, classifier)
    return Caption(text, tab, classifier, newton, title, look_at, notes, line)


def _classifier(raw, previous: ClassifierSetup) -> ClassifierSetup:
    if not isinstance(raw, Mapping):
        raise LessonError("classifier: expected a table of keys")
    _known(raw, [f.name for f in fields(ClassifierSetup)], "classifier.", "")
    changes: dict[str, Any] = {}
    if "dataset" in raw:
        changes["dataset"] = _choice(raw["dataset"], tuple(DATASET_KEYS), "classifier.dataset")
    if "seed" in raw:
        changes["seed"] = _integer(raw["seed"], SEED_RANGE, "classifier.seed")
    if "hidden" in raw:
        changes["hidden"] = _hidden(raw["hidden"])
    if "learning_rate" in raw:
        changes["learning_rate"] = _number(raw["learning_rate"], LEARNING_RATE_RANGE,
                                           "classifier.learning_rate")
    if "mode" in raw:
        changes["mode"] = _choice(raw["mode"], ("example", "batch"), "classifier.mode")
    if "epochs" in raw:
        changes["epochs"] = _integer(raw["epochs"], (0, MAX_EPOCHS), "classifier.epochs")
    setup = replace(previous, **changes)
    if "example" in raw:
        rows = len(DATASETS[DATASET_KEYS[setup.dataset]])
        setup = replace(setup, example=_integer(raw["example"], (1, rows), "classifier.example"))
    if "at" in raw:
        setup = replace(setup, at=_micro_step(raw["at"], setup))
    elif changes.keys() & {"hidden"}:
        setup = replace(setup, at=MicroStep())      # the old position names other units
    rows = len(DATASETS[DATASET_KEYS[setup.dataset]])
    if setup.example > rows:
        raise LessonError(f"classifier.example: the {setup.dataset} data set has {rows} rows, "
                          f"not {setup.example}")
    _micro_step(str(setup.at), setup)               # still names a unit of this network
    return setup


def _hidden(value) -> tuple[int, ...]:
    if _is_int(value):
        value = [value]
    if not isinstance(value, list) or not value:
        raise LessonError(f"classifier.hidden: expected units per hidden layer, e.g. [2], "
                          f"got {_show(value)}")
    low, high = HIDDEN_LAYERS_RANGE
    if not low <= len(value) <= high:
        raise LessonError(f"classifier.hidden: {low} to {high} hidden layers, not {len(value)}")
    units = tuple(_integer(v, HIDDEN_UNITS_RANGE, f"classifier.hidden[{i}]")
                  for i, v in enumerate(value))
    if len(set(units)) != 1:
        raise LessonError("classifier.hidden: every hidden layer has the same width here")
    return units


def unit_names(layer_sizes: tuple[int, ...]) -> list[str]:
    """The ASCII names lessons use for units: x1 x2, a1 a2 (a[1]_1 … when deeper), yhat."""
    names = [f"x{i + 1}" for i in range(layer_sizes[0])]
    hidden = layer_sizes[1:-1]
    for layer, width in enumerate(hidden, start=1):
        names += [f"a{j + 1}" if len(hidden) == 1 else f"a[{layer}]_{j + 1}"
                  for j in range(width)]
    return names + ["yhat"]


def parameter_names(layer_sizes: tuple[int, ...]) -> list[str]:
    """The network's parameter names (core.network's), in back-propagation order."""
    from core.network import Network  # NumPy only; imported late to keep this light
    return Network(layer_sizes, 0).parameter_names()


def _micro_step(value, setup: ClassifierSetup) -> MicroStep:
    if not isinstance(value, str):
        raise LessonError(f"classifier.at: expected text like \"backward w11\", got {_show(value)}")
    parts = value.split()
    if not parts or parts[0] not in STAGES:
        raise LessonError(f"classifier.at: {_show(value)} does not start with one of "
                          f"{', '.join(STAGES)}")
    stage, rest = parts[0], parts[1:]
    sizes = setup.layer_sizes
    shape = "-".join(str(n) for n in sizes)
    if stage in ("start", "loss", "update"):
        if rest:
            raise LessonError(f"classifier.at: \"{stage}\" takes no name, got {_show(value)}")
        return MicroStep(stage)
    if len(rest) != 1:
        what = "a unit, e.g. \"forward a1\"" if stage == "forward" else \
            "a parameter, e.g. \"backward w11\""
        raise LessonError(f"classifier.at: \"{stage}\" needs {what}")
    name = rest[0]
    known = unit_names(sizes)[sizes[0]:] if stage == "forward" else parameter_names(sizes)
    if name not in known:
        kind = "unit to compute" if stage == "forward" else "parameter"
        raise LessonError(f"classifier.at: no {kind} {_show(name)} in the {shape} network"
                          f"{_suggest(name, known)}")
    return MicroStep(stage, name)


def _newton(raw, previous: NewtonSetup, check_function) -> NewtonSetup:
    if not isinstance(raw, Mapping):
        raise LessonError("newton: expected a table of keys")
    _known(raw, [f.name for f in fields(NewtonSetup)], "newton.", "")
    changes: dict[str, Any] = {}
    if "function" in raw:
        function = _text(raw["function"], "newton.function", MAX_FUNCTION_LENGTH, required=True)
        if check_function is not None:
            try:
                check_function(function)
            except ValueError as exc:
                raise LessonError(f"newton.function: {_show(function)}: {exc}") from None
        changes["function"] = function
    if "mode" in raw:
        changes["mode"] = _choice(raw["mode"], NEWTON_MODES, "newton.mode")
    if "x0" in raw:
        changes["x0"] = _number(raw["x0"], X0_RANGE, "newton.x0")
    if "step" in raw:
        changes["step"] = _integer(raw["step"], (0, MAX_ITER_RANGE[1]), "newton.step")
    if "tolerance_exponent" in raw:
        changes["tolerance_exponent"] = _integer(raw["tolerance_exponent"],
                                                 TOLERANCE_EXPONENT_RANGE,
                                                 "newton.tolerance_exponent")
    if "max_iter" in raw:
        changes["max_iter"] = _integer(raw["max_iter"], MAX_ITER_RANGE, "newton.max_iter")
    if "race" in raw:
        if not isinstance(raw["race"], bool):
            raise LessonError(f"newton.race: expected true or false, got {_show(raw['race'])}")
        changes["race"] = raw["race"]
    if "race_learning_rate" in raw:
        changes["race_learning_rate"] = _number(raw["race_learning_rate"],
                                                RACE_LEARNING_RATE_RANGE,
                                                "newton.race_learning_rate")
    setup = replace(previous, **changes)
    if setup.step > setup.max_iter:
        raise LessonError(f"newton.step: {setup.step} is past the iteration cap "
                          f"max_iter = {setup.max_iter}")
    if setup.race and setup.mode != "minimise":
        raise LessonError("newton.race: gradient descent races only in mode \"minimise\"")
    return setup


def _look_at(value, tab: str, classifier: ClassifierSetup) -> LookAt:
    if not isinstance(value, str) or value.count(":") != 1:
        raise LessonError(f"look_at: expected \"kind:name\" (e.g. \"edge:w11\"), got {_show(value)}")
    kind, name = value.split(":")
    if kind not in LOOK_AT_KINDS:
        raise LessonError(f"look_at: unknown kind {_show(kind)}; one of "
                          f"{', '.join(LOOK_AT_KINDS)}")
    if kind == "unit":
        known = unit_names(classifier.layer_sizes) + ["L"]
    elif kind == "edge":
        known = parameter_names(classifier.layer_sizes)
    else:
        known = list(LOOK_AT_KINDS[kind])
    if name not in known:
        raise LessonError(f"look_at: no {kind} {_show(name)}{_suggest(name, known)}")
    return LookAt(kind, name)


# ---------------------------------------------------------------------------- checks
_CAPTION_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*caption[ \t]*\]\]", re.MULTILINE)


def _caption_lines(text: str) -> list[int]:
    """Line numbers (1-based) of each [[caption]] header, in order."""
    return [text.count("\n", 0, m.start()) + 1 for m in _CAPTION_HEADER.finditer(text)]


def _known(raw: Mapping, allowed, prefix: str, source: str) -> None:
    for key in raw:
        if key not in allowed:
            where = f"{source}: " if source else ""
            raise LessonError(f"{where}{prefix}{_short(key)}: unknown key"
                              f"{_suggest(str(key), list(allowed))}")


def _suggest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    if close:
        return f" (did you mean {close[0]!r}?)"
    if len(known) <= 12:
        return f" (one of {', '.join(known)})"
    return ""


def _balanced_maths(text: str, key: str = "text") -> None:
    if text.replace(r"\$", "").count("$") % 2:
        raise LessonError(f"{key}: an inline formula is not closed (an odd number of $)")


def _text(value, key: str, limit: int, required: bool = False) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise LessonError(f"{key}: expected text, got {_show(value)}")
    if required and not value.strip():
        raise LessonError(f"{key}: must not be empty")
    if len(value) > limit:
        raise LessonError(f"{key}: at most {limit} characters, not {len(value)}")
    return value.strip()


def _choice(value, choices, key: str) -> str:
    if value not in choices:
        raise LessonError(f"{key}: {_show(value)} is not one of {', '.join(choices)}"
                          f"{_suggest(str(value), list(choices)) if isinstance(value, str) else ''}")
    return value


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _integer(value, bounds, key: str) -> int:
    if not _is_int(value):
        raise LessonError(f"{key}: expected a whole number, got {_show(value)}")
    low, high = bounds
    if not low <= value <= high:
        raise LessonError(f"{key}: {value} is outside {low} … {high}")
    return value


def _number(value, bounds, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise LessonError(f"{key}: expected a number, got {_show(value)}")
    value = float(value)
    low, high = bounds
    if not math.isfinite(value) or not low <= value <= high:
        raise LessonError(f"{key}: {value:g} is outside {low:g} … {high:g}")
    return value


def _short(value, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _show(value) -> str:
    if isinstance(value, str):
        return '"' + _short(value) + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, Mapping):
        return "a table"
    return _short(value)
