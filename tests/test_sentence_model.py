"""The sentence table model: derived counts, undoable edits, predictions, Qt contract."""
import numpy as np
import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QUndoStack

from core.data import BOTH_WORDS_EXAMPLES, LECTURE_EXAMPLES, Dataset
from gui.classifier.sentence_model import SentenceTableModel

EDIT = Qt.ItemDataRole.EditRole
DISPLAY = Qt.ItemDataRole.DisplayRole


@pytest.fixture
def model(qapp):
    return SentenceTableModel(QUndoStack())


def cell(model, row, column, role=DISPLAY):
    return model.data(model.index(row, column), role)


def test_lecture_rows_and_derived_counts(model):
    assert model.rowCount() == 4
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)] == [
        "Sentence", "aack", "beep", "Mood", "ŷ", "✓"]
    counts = [(cell(model, r, 1), cell(model, r, 2)) for r in range(4)]
    assert counts == [(3, 0), (0, 2), (1, 3), (2, 1)]
    assert [cell(model, r, 3) for r in range(4)] == ["Happy", "Sad", "Sad", "Happy"]
    expected = Dataset.from_examples(LECTURE_EXAMPLES)
    np.testing.assert_array_equal(model.dataset().features, expected.features)
    np.testing.assert_array_equal(model.dataset().labels, expected.labels)


def test_correct_header_is_short_and_explained_in_its_tooltip(model):
    """A one-character header, so the column does not squeeze the sentences."""
    column = model.correct_column
    header = model.headerData(column, Qt.Orientation.Horizontal)
    assert header == "✓"
    tip = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "correct" in tip and "ŷ ≥ 0.5 means Happy" in tip
    # no wider than the other small headers
    assert all(len(header) <= len(model.headerData(c, Qt.Orientation.Horizontal))
               for c in range(1, column))


def test_counts_and_predictions_are_read_only(model):
    assert not model.flags(model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(0, model.prediction_column)) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index(0, model.mood_column)) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(model.index(0, 1), 7, EDIT)
    assert cell(model, 0, 1) == 3


def test_editing_a_sentence_recounts_and_undo_restores(model, qtbot):
    with qtbot.waitSignals([model.dataChanged, model.training_data_changed]):
        assert model.setData(model.index(0, 0), "beep BEEP, aack? beeps", EDIT)
    assert (cell(model, 0, 1), cell(model, 0, 2)) == (1, 2)
    assert model.undo_stack.count() == 1
    model.undo_stack.undo()
    assert cell(model, 0, 0) == "Aack aack aack!"
    assert (cell(model, 0, 1), cell(model, 0, 2)) == (3, 0)
    model.undo_stack.redo()
    assert cell(model, 0, 0) == "beep BEEP, aack? beeps"


def test_mood_edits_accept_only_moods(model):
    assert not model.setData(model.index(1, model.mood_column), "Angry", EDIT)
    assert model.setData(model.index(1, model.mood_column), "Happy", EDIT)
    assert model.dataset().labels[1] == 1.0
    model.undo_stack.undo()
    assert model.dataset().labels[1] == 0.0


def test_an_unchanged_value_pushes_no_command(model):
    assert model.setData(model.index(0, 0), "Aack aack aack!", EDIT)
    assert model.undo_stack.count() == 0


def test_add_and_delete_rows_are_undoable(model):
    row = model.add_row("aack", "Sad")
    assert row == 4 and model.rowCount() == 5
    assert model.dataset().labels[4] == 0.0
    model.remove_rows([0, 2])
    assert model.sentences() == ["Beep beep!", "Aack beep aack!", "aack"]
    model.undo_stack.undo()
    assert model.sentences()[:4] == [s for s, _ in LECTURE_EXAMPLES]
    model.undo_stack.undo()
    assert model.rowCount() == 4


def test_vocabulary_edit_changes_columns_and_is_undoable(model):
    model.set_vocabulary(["beep", "aack", "hmm"])
    assert model.columnCount() == 7
    assert model.headerData(3, Qt.Orientation.Horizontal) == "hmm"
    assert (cell(model, 2, 1), cell(model, 2, 2), cell(model, 2, 3)) == (3, 1, 0)
    with pytest.raises(ValueError):
        model.set_vocabulary(["two words"])
    assert model.vocabulary == ("beep", "aack", "hmm")
    model.undo_stack.undo()
    assert model.vocabulary == ("aack", "beep") and model.columnCount() == 6


def test_load_dataset_replaces_rows_in_one_undo(model):
    model.load_dataset("Both words needed")
    assert model.rowCount() == len(BOTH_WORDS_EXAMPLES)
    model.undo_stack.undo()
    assert model.rowCount() == 4


def test_predictions_and_correctness(model, qtbot):
    with qtbot.waitSignal(model.dataChanged):
        model.set_predictions([0.9, 0.2, 0.7, 0.4])
    assert cell(model, 0, model.prediction_column) == "0.9"       # a VALUE: 0.3788, 0.9
    assert [cell(model, r, model.correct_column) for r in range(4)] == ["✓", "✓", "✗", "✗"]
    model.setData(model.index(2, model.mood_column), "Happy", EDIT)
    assert cell(model, 2, model.correct_column) == "✓"
    model.set_predictions(None)
    assert cell(model, 0, model.prediction_column) is None


def test_empty_table(model):
    model.remove_rows(range(4))
    assert model.rowCount() == 0
    assert model.dataset().problems()
    model.set_predictions([])  # nothing to show, nothing to crash
    assert model.data(model.index(0, 0)) is None


def test_qt_model_contract(model, qtmodeltester):
    model.set_predictions([0.9, 0.2, 0.7, 0.4])
    qtmodeltester.check(model, force_py=True)
    # the tester stays connected and checks every later change's signals
    model.add_row("beep", "Sad")
    model.setData(model.index(0, 0), "aack beep", EDIT)
    model.set_vocabulary(["aack"])
    model.remove_rows([0, 2])
    model.undo_stack.undo()
    model.remove_rows(range(model.rowCount()))
    assert model.rowCount() == 0


def test_invalid_index_and_parent(model):
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.columnCount(model.index(0, 0)) == 0
    assert model.data(QModelIndex()) is None
    assert not model.setData(QModelIndex(), "x", EDIT)
