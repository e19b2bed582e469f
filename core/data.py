"""The sentence table: words counted into features, moods turned into labels.

The lecture's classifier reads a sentence as the counts of its vocabulary words
(x₁ = number of "aack", x₂ = number of "beep") and predicts its mood
(Happy = 1, Sad = 0).

What raises and what warns: a ``Dataset`` is whatever the user typed, so empty
tables, a single mood, rows without any vocabulary word, or contradictory rows
are accepted and reported by ``Dataset.problems()`` (= ``check_trainable``),
which the GUI shows as warnings (at most ``MAX_ROWS_NAMED`` rows named per kind, so
a pasted table of thousands of rows gets a short banner).  ``ValueError`` is kept for input that is
malformed rather than merely unhelpful: an unknown mood, sentences and moods of
different lengths, a sentence that is not text, or a bad vocabulary.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np

from core.limits import MAX_VOCABULARY, MAX_WORD_LENGTH

__all__ = [
    "DEFAULT_VOCABULARY", "LECTURE_EXAMPLES", "BOTH_WORDS_EXAMPLES", "DATASETS",
    "MOODS", "MOOD_LABEL", "count_words", "count_rows", "count_table", "normalise_vocabulary", "Dataset",
    "check_trainable",
]

DEFAULT_VOCABULARY = ("aack", "beep")

# The table of the lecture notes: x = (aack count, beep count).
LECTURE_EXAMPLES = (
    ("Aack aack aack!", "Happy"),
    ("Beep beep!", "Sad"),
    ("Aack beep beep beep!", "Sad"),
    ("Aack beep aack!", "Happy"),
)

# Happy only when both words appear.  No straight line separates it: the happy
# point (1, 1) is the midpoint of the sad points (2, 0) and (0, 2), so any
# linear score w·x + b that is positive at (1, 1) is positive at one of them.
# A hidden layer can first detect "has aack" and "has beep", then AND them.
BOTH_WORDS_EXAMPLES = (
    ("Aack beep!", "Happy"),
    ("Aack aack!", "Sad"),
    ("Beep beep!", "Sad"),
    ("Aack beep beep!", "Happy"),
    ("Beep!", "Sad"),
    ("Aack!", "Sad"),
    ("Beep aack aack!", "Happy"),
    ("Aack aack aack!", "Sad"),
)

DATASETS = {
    "Lecture: aack / beep": LECTURE_EXAMPLES,
    "Both words needed": BOTH_WORDS_EXAMPLES,
}

MOODS = ("Happy", "Sad")
MOOD_LABEL = {"Happy": 1.0, "Sad": 0.0}

# A word is a run of letters or digits: punctuation and spaces separate words,
# so "aack!" counts as "aack" but "aacks" and "aack2" are different words.
_WORD = re.compile(r"[^\W_]+")
_MAX_WORD_LENGTH = MAX_WORD_LENGTH
#: a warning of one kind names at most this many rows; the rest are counted
MAX_ROWS_NAMED = 5


def _words(sentence: str) -> list[str]:
    return _WORD.findall(sentence.casefold())


def count_words(sentence: str, vocabulary: Sequence[str] = DEFAULT_VOCABULARY) -> np.ndarray:
    """Feature vector x of a sentence: x_i = number of times word i occurs.

    Case-insensitive, whole words only, punctuation ignored:
    ``count_words("Aack beep aack!")`` is ``[2., 1.]``.
    """
    if not isinstance(sentence, str):
        raise ValueError(f"a sentence must be text, not {type(sentence).__name__}")
    vocabulary = normalise_vocabulary(vocabulary)
    position = {word: i for i, word in enumerate(vocabulary)}
    counts = np.zeros(len(vocabulary))
    for word in _words(sentence):
        i = position.get(word)
        if i is not None:
            counts[i] += 1.0
    return counts


def count_rows(sentences: Sequence[str], vocabulary: Sequence[str] = DEFAULT_VOCABULARY
               ) -> list[tuple[int, ...]]:
    """``count_words`` of every sentence as a tuple of ints (the vocabulary checked once,
    not once a row, and counted in plain Python lists: 5,000 rows take ~5 ms, where
    adding into a NumPy row word by word took ~20 ms)."""
    return _count_rows(sentences, normalise_vocabulary(vocabulary))


def count_table(sentences: Sequence[str], vocabulary: Sequence[str] = DEFAULT_VOCABULARY
                ) -> np.ndarray:
    """``count_words`` of every sentence, as an n × d array (see ``count_rows``)."""
    vocabulary = normalise_vocabulary(vocabulary)
    rows = _count_rows(sentences, vocabulary)
    return np.array(rows, dtype=float).reshape(len(rows), len(vocabulary))


def _count_rows(sentences: Sequence[str], vocabulary: tuple[str, ...]) -> list[tuple[int, ...]]:
    """``count_rows`` over a vocabulary already normalised."""
    position = {word: i for i, word in enumerate(vocabulary)}
    width = len(vocabulary)
    find, get = _WORD.findall, position.get
    rows = []
    for sentence in sentences:
        if not isinstance(sentence, str):
            raise ValueError(f"a sentence must be text, not {type(sentence).__name__}")
        row = [0] * width
        for word in find(sentence.casefold()):
            i = get(word)
            if i is not None:
                row[i] += 1
        rows.append(tuple(row))
    return rows


def normalise_vocabulary(words: Iterable[str]) -> tuple[str, ...]:
    """The vocabulary as lower-case, stripped, validated words.

    Raises ``ValueError`` for an empty vocabulary, a word that is not a single
    run of letters/digits (so it could never be counted), a repeated word, or
    more than ``core.limits.MAX_VOCABULARY`` words (one input unit each).
    """
    if isinstance(words, str):
        # "aack, beep" typed in one box: split it rather than count letters.
        words = re.split(r"[,;\s]+", words)
    result: list[str] = []
    for word in words:
        if not isinstance(word, str):
            raise ValueError(f"vocabulary words must be text, not {type(word).__name__}")
        word = word.strip().casefold()
        if not word:
            continue
        if len(word) > _MAX_WORD_LENGTH:
            raise ValueError(f"the word {word[:12]!r}… is too long (at most {_MAX_WORD_LENGTH} letters)")
        if not _WORD.fullmatch(word):
            raise ValueError(f"{word!r} is not a single word: use letters only, no spaces or punctuation")
        if word in result:
            raise ValueError(f"the word {word!r} appears twice in the vocabulary")
        result.append(word)
        if len(result) > MAX_VOCABULARY:
            # one input unit per word: the diagram, the table and a step grow with it
            total = sum(1 for w in words if isinstance(w, str) and w.strip()) \
                if isinstance(words, (list, tuple)) else None
            given = f" ({total:,} given)" if total else ""
            raise ValueError(f"at most {MAX_VOCABULARY} words can be counted, one input "
                             f"unit each{given}")
    if not result:
        raise ValueError("the vocabulary is empty: give at least one word to count")
    return tuple(result)


_MOOD_SET = frozenset(MOODS)


def _mood(value) -> str:
    if isinstance(value, str):
        key = value.strip().casefold()
        for mood in MOODS:
            if mood.casefold() == key:
                return mood
    raise ValueError(f"unknown mood {value!r}: expected one of {', '.join(MOODS)}")


class Dataset:
    """Sentences with moods, as the network sees them.

    ``features[k]`` is ``count_words(sentences[k], vocabulary)`` (an n × d
    array) and ``labels[k]`` is 1.0 for Happy, 0.0 for Sad.
    """

    def __init__(self, sentences: Sequence[str], moods: Sequence[str],
                 vocabulary: Sequence[str] = DEFAULT_VOCABULARY, counts=None):
        """``counts``: ``count_table(sentences, vocabulary)`` if the caller already
        has it (the table's model keeps its counts), so it is not counted twice."""
        sentences = list(sentences)
        moods = list(moods)
        if len(sentences) != len(moods):
            raise ValueError(f"{len(sentences)} sentences but {len(moods)} moods")
        self.vocabulary = normalise_vocabulary(vocabulary)
        # a table's moods are already spelt as MOODS: only others are looked up
        self.moods = tuple(m if type(m) is str and m in _MOOD_SET else _mood(m)
                           for m in moods)
        if counts is None:
            features = count_table(sentences, self.vocabulary)
        else:
            features = np.array(counts, dtype=float)
            if features.size != len(sentences) * len(self.vocabulary):
                raise ValueError(f"{features.size} counts for {len(sentences)} rows of "
                                 f"{len(self.vocabulary)} words")
            features = features.reshape(len(sentences), len(self.vocabulary))
        self.sentences = tuple(sentences)
        self.features = features
        self.labels = np.array([MOOD_LABEL[m] for m in self.moods], dtype=float)
        self._problems: list[str] | None = None

    @classmethod
    def from_examples(cls, examples: Iterable[tuple[str, str]],
                      vocabulary: Sequence[str] = DEFAULT_VOCABULARY) -> Dataset:
        """A Dataset from (sentence, mood) rows such as ``LECTURE_EXAMPLES``."""
        rows = list(examples)
        return cls([s for s, _ in rows], [m for _, m in rows], vocabulary)

    def __len__(self) -> int:
        return len(self.sentences)

    def __repr__(self) -> str:
        return f"Dataset({len(self)} sentences, vocabulary={self.vocabulary})"

    def problems(self) -> list[str]:
        """Human-readable warnings about training on this table (empty if fine)."""
        if self._problems is None:
            self._problems = self._find_problems()
        return list(self._problems)

    def _find_problems(self) -> list[str]:
        if len(self) == 0:
            return ["The table is empty: add sentences of both moods to train the network."]
        warnings = []
        present = [m for m in MOODS if m in self.moods]
        if len(present) == 1:
            only = present[0]
            warnings.append(f"Only one mood present: the network can only learn to always say {only}.")
        words = ", ".join(self.vocabulary)
        empty = np.flatnonzero(~self.features.any(axis=1)).tolist()
        for k in empty[:MAX_ROWS_NAMED]:
            warnings.append(f"Row {k + 1} contains none of the words {words}.")
        if len(empty) > MAX_ROWS_NAMED:
            warnings.append(f"… and {len(empty) - MAX_ROWS_NAMED:,} more rows contain none "
                            "of the words.")
        seen: dict[tuple[float, ...], int] = {}
        clashes = 0
        for k, key in enumerate(map(tuple, self.features.tolist())):
            first = seen.setdefault(key, k)
            if first != k and self.moods[first] != self.moods[k]:
                clashes += 1
                if clashes <= MAX_ROWS_NAMED:
                    warnings.append(
                        f"Rows {first + 1} and {k + 1} have the same word counts but "
                        "different moods: no network can get both right.")
        if clashes > MAX_ROWS_NAMED:
            warnings.append(f"… and {clashes - MAX_ROWS_NAMED:,} more rows have the same "
                            "word counts as an earlier row with the other mood.")
        return warnings


def check_trainable(dataset: Dataset) -> list[str]:
    """Warnings about ``dataset`` for the user; see ``Dataset.problems``."""
    return dataset.problems()
