"""Sentences to word counts and moods to labels (core/data.py)."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.data import (
    BOTH_WORDS_EXAMPLES,
    DATASETS,
    DEFAULT_VOCABULARY,
    LECTURE_EXAMPLES,
    MOOD_LABEL,
    MOODS,
    Dataset,
    check_trainable,
    count_words,
    normalise_vocabulary,
)


def test_lecture_table_counts_and_labels():
    data = Dataset.from_examples(LECTURE_EXAMPLES)
    assert data.vocabulary == DEFAULT_VOCABULARY == ("aack", "beep")
    np.testing.assert_array_equal(data.features, [[3, 0], [0, 2], [1, 3], [2, 1]])
    np.testing.assert_array_equal(data.labels, [1, 0, 0, 1])
    assert data.moods == ("Happy", "Sad", "Sad", "Happy")
    assert len(data) == 4
    assert data.problems() == []


def test_moods_and_labels():
    assert MOODS == ("Happy", "Sad")
    assert MOOD_LABEL == {"Happy": 1.0, "Sad": 0.0}
    assert set(DATASETS) == {"Lecture: aack / beep", "Both words needed"}
    assert DATASETS["Lecture: aack / beep"] is LECTURE_EXAMPLES


@pytest.mark.parametrize("sentence, counts", [
    ("Aack beep aack!", [2, 1]),
    ("AACK, Beep; bEEp...", [1, 2]),
    ("aacks beeping aack2 xaack", [0, 0]),
    ("", [0, 0]),
    ("beep-beep aack", [1, 2]),
])
def test_count_words_whole_words_any_case(sentence, counts):
    np.testing.assert_array_equal(count_words(sentence), counts)


def test_count_words_other_vocabulary():
    np.testing.assert_array_equal(count_words("Woof meow woof", ("meow", "woof", "moo")), [1, 2, 0])


_tokens = st.lists(st.sampled_from(["aack", "Aack", "BEEP", "beep", "aacks", "boop", "bee"]),
                   max_size=12)
_separators = st.sampled_from([" ", "! ", ", ", " ... ", "\n", "-"])


@given(_tokens, _separators)
def test_count_words_matches_a_direct_count(tokens, separator):
    sentence = separator.join(tokens) + "!"
    lowered = [t.lower() for t in tokens]
    np.testing.assert_array_equal(count_words(sentence),
                                  [lowered.count("aack"), lowered.count("beep")])


def test_normalise_vocabulary():
    assert normalise_vocabulary([" Aack ", "BEEP"]) == ("aack", "beep")
    assert normalise_vocabulary("aack, beep") == ("aack", "beep")
    assert normalise_vocabulary(["aack", "", "  ", "beep"]) == ("aack", "beep")


@pytest.mark.parametrize("words, message", [
    ([], "empty"),
    (["", " "], "empty"),
    (["aack", "AACK"], "twice"),
    (["two words"], "single word"),
    (["aack!"], "single word"),
    ([3], "text"),
    (["a" * 100], "too long"),
])
def test_bad_vocabulary_is_refused_clearly(words, message):
    with pytest.raises(ValueError, match=message):
        normalise_vocabulary(words)


def test_malformed_input_raises():
    with pytest.raises(ValueError, match="unknown mood"):
        Dataset(["Aack!"], ["Angry"])
    with pytest.raises(ValueError, match="2 sentences but 1 moods"):
        Dataset(["Aack!", "Beep!"], ["Happy"])
    with pytest.raises(ValueError, match="text"):
        Dataset([None], ["Happy"])
    with pytest.raises(ValueError):
        Dataset(["Aack!"], ["Happy"], vocabulary=["aack", "aack"])


def test_moods_are_matched_case_insensitively():
    data = Dataset([" aack ", "beep"], ["happy ", "SAD"])
    assert data.moods == ("Happy", "Sad")
    np.testing.assert_array_equal(data.labels, [1, 0])


def test_empty_table_is_accepted_and_reported():
    data = Dataset([], [])
    assert len(data) == 0
    assert data.features.shape == (0, 2)
    assert data.labels.shape == (0,)
    problems = check_trainable(data)
    assert problems and "empty" in problems[0]


def test_single_mood_is_reported():
    data = Dataset(["Aack!", "Aack aack!"], ["Happy", "Happy"])
    assert any("Only one mood present" in p and "always say Happy" in p for p in data.problems())


def test_rows_without_words_and_contradictions_are_reported():
    data = Dataset(["Aack!", "Beep!", "Hello there", "aack"], ["Happy", "Sad", "Sad", "Sad"])
    problems = check_trainable(data)
    assert "Row 3 contains none of the words aack, beep." in problems
    assert any(p.startswith("Rows 1 and 4 have the same word counts") for p in problems)
    assert problems == data.problems()


def test_both_words_set_is_not_linearly_separable():
    # A happy point that is the average of sad points defeats every line:
    # w·x + b > 0 at the average forces w·x + b > 0 at one of the sad points.
    data = Dataset.from_examples(BOTH_WORDS_EXAMPLES)
    happy = data.features[data.labels == 1]
    sad = data.features[data.labels == 0]
    midpoints = {tuple((p + q) / 2) for p in sad for q in sad}
    assert any(tuple(h) in midpoints for h in happy)
    # ... and it is "happy exactly when both words appear".
    both = (data.features > 0).all(axis=1)
    np.testing.assert_array_equal(both, data.labels == 1)
    assert data.problems() == []
