"""Replacing the whole sentence table (load, paste, undo, redo) stays cheap with
thousands of rows, and what the cheaper paths show is what the old ones showed:

- ``count_rows`` counts exactly as ``count_words`` does, row by row;
- undo and redo of a whole table reuse the counts the command already has;
- the narrow columns are sized from the font, never from the rows, and every text a
  cell or header can show fits;
- the boundary plot's markers and point labels are grouped as before (one marker per
  point and mood, one label per point naming its first rows and counting the rest).
"""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHeaderView, QStyle

import gui.classifier.sentence_model as sentence_model
from core.data import Dataset, count_rows, count_table, count_words
from core.limits import MAX_SENTENCE_LENGTH, MAX_SENTENCES
from core.notation import NumberRole, format_number

ROWS = [(f"Aack beep row {k} " + "aack " * (k % 5), "Happy" if k % 2 else "Sad")
        for k in range(MAX_SENTENCES)]


@pytest.mark.parametrize("vocabulary", [("aack", "beep"), ("é", "straße", "x2", "beep")])
def test_count_rows_counts_as_count_words_does(vocabulary):
    sentences = ["Aack, aack! BEEP?", "", "beep_beep aack-aack", "É é e STRASSE Straße",
                 "x2 x22 2x x2.", "  aack\tbeep\nbeep  ", "nothing here"]
    rows = count_rows(sentences, vocabulary)
    assert rows == [tuple(int(c) for c in count_words(s, vocabulary)) for s in sentences]
    assert all(type(c) is int for row in rows for c in row)
    table = count_table(sentences, vocabulary)
    assert table.shape == (len(sentences), len(vocabulary)) and table.dtype == float
    np.testing.assert_array_equal(table, np.array(rows, dtype=float))
    assert count_table([], vocabulary).shape == (0, len(vocabulary))
    with pytest.raises(ValueError, match="must be text"):
        count_rows(["aack", 3], vocabulary)


def test_a_dataset_reads_canonical_and_loose_moods_alike():
    data = Dataset(["aack", "beep", "aack beep"], ["Happy", " sad ", "HAPPY"])
    assert data.moods == ("Happy", "Sad", "Happy")
    np.testing.assert_array_equal(data.labels, [1.0, 0.0, 1.0])
    with pytest.raises(ValueError, match="unknown mood"):
        Dataset(["aack"], ["Glad"])
    with pytest.raises(ValueError, match="unknown mood"):
        Dataset(["aack"], [["Happy"]])


def test_a_datasets_problems_are_found_once_and_handed_out_as_copies():
    data = Dataset(["aack", "aack", "zzz"], ["Happy", "Sad", "Happy"])
    first = data.problems()
    assert any("none of the words" in p for p in first)
    assert any("same word counts" in p for p in first)
    first.clear()
    assert data.problems() and data.problems() == data.problems()


def test_undo_and_redo_of_a_whole_table_do_not_count_its_words_again(classifier_tab,
                                                                    monkeypatch):
    model = classifier_tab.model
    calls = []
    real = sentence_model.count_rows

    def counting(sentences, vocabulary):
        calls.append(len(sentences))
        return real(sentences, vocabulary)
    monkeypatch.setattr(sentence_model, "count_rows", counting)
    before = [model.data(model.index(r, 1)) for r in range(model.rowCount())]
    model.load_rows(ROWS)
    assert calls == [MAX_SENTENCES]                # counted once, when loaded
    for _ in range(2):
        classifier_tab.undo_stack.undo()
        assert model.rowCount() == 4
        assert [model.data(model.index(r, 1)) for r in range(4)] == before
        classifier_tab.undo_stack.redo()
        assert model.rowCount() == MAX_SENTENCES
    assert calls == [MAX_SENTENCES]
    for row in (0, 1, 4, 4999):
        sentence = ROWS[row][0]
        expected = tuple(int(c) for c in count_words(sentence, model.vocabulary))
        assert (model.data(model.index(row, 1)), model.data(model.index(row, 2))) == expected
    np.testing.assert_array_equal(model.dataset().features,
                                  count_table([r[0] for r in ROWS], model.vocabulary))
    np.testing.assert_array_equal(classifier_tab.stepper._X, model.dataset().features)


def _narrow_widths(tab) -> list[int]:
    header = tab.table.view.horizontalHeader()
    return [header.sectionSize(c) for c in range(1, tab.model.columnCount())]


def _cell_margin(view) -> int:
    return 2 * (view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1)


def _assert_every_text_fits(tab) -> None:
    view, model = tab.table.view, tab.model
    header = view.horizontalHeader()
    metrics = QFontMetrics(view.font())
    longest_count = "a " * (MAX_SENTENCE_LENGTH // 2)       # 500 words: three digits
    texts = {model.mood_column: ["Happy", "Sad"],
             model.prediction_column: [format_number(v, NumberRole.VALUE)
                                       for v in (0.0, 0.4739, 0.99999, 1.0)],
             model.correct_column: ["✓", "✗"]}
    for column in range(1, model.columnCount()):
        assert header.sectionResizeMode(column) == QHeaderView.ResizeMode.Fixed
        shown = texts.get(column, [str(len(longest_count.split()))])
        for text in shown:
            assert metrics.horizontalAdvance(text) + _cell_margin(view) <= \
                header.sectionSize(column), (column, text)
        assert header.sectionSizeHint(column) <= header.sectionSize(column)
    assert header.sectionResizeMode(0) == QHeaderView.ResizeMode.Stretch


def test_the_narrow_columns_fit_every_text_and_not_the_rows(classifier_tab, qtbot):
    tab = classifier_tab
    _assert_every_text_fits(tab)
    widths = _narrow_widths(tab)
    tab.model.load_rows(ROWS)
    qtbot.wait(20)
    assert _narrow_widths(tab) == widths               # 5,000 rows: the same widths
    tab.classifier_actions.step_example.trigger()      # ŷ shown: still the same
    qtbot.wait(20)
    assert _narrow_widths(tab) == widths
    # a long counted word widens its own column to the header's text
    tab.model.load_rows(ROWS[:10], ("aack", "beepbeepbeepbeepbeep"))
    qtbot.wait(20)
    _assert_every_text_fits(tab)
    header = tab.table.view.horizontalHeader()
    assert header.sectionSize(2) > header.sectionSize(1)
    # a larger scale (a bigger font) widens them all
    small = _narrow_widths(tab)
    tab.theme.set_scale(2.0)
    qtbot.wait(20)
    _assert_every_text_fits(tab)
    assert all(big > s for big, s in zip(_narrow_widths(tab), small))


def test_the_boundary_plots_markers_and_labels_group_the_rows(classifier_tab, qtbot):
    plot = classifier_tab.boundary_plot
    features = np.array([[1, 0], [2, 1], [1, 0], [1, 0], [2, 1], [1, 0], [1, 0], [0, 3]],
                        dtype=float)
    moods = np.array([1, 1, 0, 1, 1, 1, 1, 0], dtype=float)
    names = [str(k + 1) for k in range(len(moods))]
    plot.set_data(features, moods, names, ("aack", "beep"))
    # one marker per (point, mood), in the order the rows first show it
    np.testing.assert_array_equal(plot.point_positions(),
                                  [[1, 0], [2, 1], [1, 0], [0, 3]])
    brushes = [b.color().name() for b in plot.points.data["brush"]]
    palette = classifier_tab.theme.palette
    happy, sad = (plot.theme.palette.positive.lower(), palette.negative.lower())
    assert brushes == [happy, happy, sad, sad]
    labels = [(lab.pos().x(), lab.pos().y(), lab.toPlainText()) for lab in plot._labels]
    assert labels == [(1.0, 0.0, "1, 3, 4, 6 +1"), (2.0, 1.0, "2, 5"), (0.0, 3.0, "8")]
    # fewer points: the extra labels go, the kept ones show the new rows
    plot.set_data(features[:2], moods[:2], names[:2], ("aack", "beep"))
    assert [lab.toPlainText() for lab in plot._labels] == ["1", "2"]
    labelled = [item for item in plot.getPlotItem().items if item in plot._labels]
    assert len(labelled) == 2
    plot.set_data(np.zeros((0, 2)), np.zeros(0), [], ("aack", "beep"))
    assert plot._labels == [] and len(plot.point_positions()) == 0
