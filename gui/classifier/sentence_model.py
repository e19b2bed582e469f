"""The sentence table as a Qt model: Sentence · one count per word · Mood · ŷ · correct.

The "correct" column's header is a bare "✓" (its meaning in the header's tooltip):
the word "correct" was the widest of the narrow columns and, at presentation scale,
squeezed the Sentence column into "Aack beep beep …".

Only the sentence text and the mood are stored; the counts are derived from the text
with ``core.data.count_words`` (so they are never typed), and ŷ / correct come from the
current network through ``set_predictions``.  Every user edit goes through a
``QUndoCommand`` on the shared ``QUndoStack`` — ``setData`` included, so an edit made
in the view's cell editor is undoable exactly like one made from code.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QUndoCommand, QUndoStack

from core.data import (
    DATASETS,
    DEFAULT_VOCABULARY,
    LECTURE_EXAMPLES,
    MOODS,
    Dataset,
    count_rows,
    count_words,
    normalise_vocabulary,
)
from core.notation import VALUE_DECIMALS, NumberRole, format_number, subscript

ROLE = Qt.ItemDataRole
_EDIT = ROLE.EditRole
_DISPLAY = ROLE.DisplayRole
_ROOT = QModelIndex()      # the invisible root: Qt passes it for "the whole table"
CORRECT_HEADER = "✓"
CORRECT_TOOLTIP = ("Is the prediction correct? ŷ ≥ 0.5 means Happy (1), ŷ < 0.5 means Sad (0); "
                   "✓ when that matches the mood, ✗ when it does not")


def _rows_of(examples) -> list[list[str]]:
    """Built-in rows may carry counts too; the model keeps only (sentence, mood)."""
    rows = []
    for example in examples:
        sentence, mood = example[0], example[-1]
        rows.append([str(sentence), str(mood)])
    return rows


class SentenceTableModel(QAbstractTableModel):
    """Rows of (sentence, mood) over a vocabulary, with live predictions."""

    #: sentences, moods or vocabulary changed (not emitted for new predictions)
    training_data_changed = Signal()

    def __init__(self, undo_stack: QUndoStack | None = None, rows=None,
                 vocabulary=None, parent=None):
        super().__init__(parent)
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        self._rows: list[list[str]] = _rows_of(LECTURE_EXAMPLES if rows is None else rows)
        self._vocabulary: tuple[str, ...] = tuple(
            normalise_vocabulary(DEFAULT_VOCABULARY if vocabulary is None else vocabulary))
        self._counts: list[tuple[int, ...]] = self._count_all(self._rows)
        self._dataset: Dataset | None = None    # built once per change of the table
        self._predictions: np.ndarray | None = None
        self._colours = {"correct": QColor("#009E73"), "wrong": QColor("#D55E00")}

    # -- columns ---------------------------------------------------------------
    @property
    def vocabulary(self) -> tuple[str, ...]:
        return self._vocabulary

    @property
    def mood_column(self) -> int:
        return 1 + len(self._vocabulary)

    @property
    def prediction_column(self) -> int:
        return 2 + len(self._vocabulary)

    @property
    def correct_column(self) -> int:
        return 3 + len(self._vocabulary)

    def is_count_column(self, column: int) -> bool:
        return 1 <= column <= len(self._vocabulary)

    def widest_texts(self, column: int) -> tuple[str, ...]:
        """The widest texts a cell of ``column`` (not the Sentence column) can show, so
        the view sizes the narrow columns without reading thousands of rows: a count
        has at most three digits (a sentence of ``MAX_SENTENCE_LENGTH`` characters
        holds at most 500 words), ŷ lies in [0, 1] with ``VALUE_DECIMALS`` decimals."""
        if self.is_count_column(column):
            return ("000",)
        if column == self.mood_column:
            return tuple(MOODS)
        if column == self.prediction_column:
            return (format_number(0.0, NumberRole.VALUE), format_number(1.0, NumberRole.VALUE),
                    "0." + "0" * VALUE_DECIMALS)
        if column == self.correct_column:
            return ("✓", "✗")
        return ("",)

    # -- read-only Qt API ------------------------------------------------------
    def rowCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else 4 + len(self._vocabulary)

    def headerData(self, section, orientation, role=_DISPLAY):
        if role == _DISPLAY:
            if orientation == Qt.Orientation.Vertical:
                return str(section + 1)
            if section == 0:
                return "Sentence"
            if self.is_count_column(section):
                return self._vocabulary[section - 1]
            return {self.mood_column: "Mood", self.prediction_column: "ŷ",
                    self.correct_column: CORRECT_HEADER}.get(section)
        if role == ROLE.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            if self.is_count_column(section):
                word = self._vocabulary[section - 1]
                return f"x{subscript(section)}: how often “{word}” appears (derived from the text)"
            if section == self.prediction_column:
                return "ŷ: the network's probability that the sentence is Happy"
            if section == self.correct_column:
                return CORRECT_TOOLTIP
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in (0, self.mood_column):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index, role=_DISPLAY):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row, column = index.row(), index.column()
        if role in (_DISPLAY, _EDIT):
            if column == 0:
                return self._rows[row][0]
            if self.is_count_column(column):
                return self._counts[row][column - 1]
            if column == self.mood_column:
                return self._rows[row][1]
            if column == self.prediction_column:
                y_hat = self._prediction(row)
                # as the diagram's output unit writes it
                return None if y_hat is None else format_number(y_hat, NumberRole.VALUE)
            if column == self.correct_column:
                right = self._is_correct(row)
                return None if right is None else ("✓" if right else "✗")
            return None
        if role == ROLE.TextAlignmentRole and column != 0:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == ROLE.ForegroundRole and column == self.correct_column:
            right = self._is_correct(row)
            if right is not None:
                return self._colours["correct" if right else "wrong"]
        if role == ROLE.ToolTipRole:
            if column == 0 and not any(self._counts[row]):
                return "This sentence contains none of the counted words"
            if column == self.correct_column and self._is_correct(row) is not None:
                return "correct" if self._is_correct(row) else "wrong"
        return None

    # -- edits (undoable) ------------------------------------------------------
    def setData(self, index, value, role=_EDIT) -> bool:
        if role != _EDIT or not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return False
        column = index.column()
        if column == 0:
            field = 0
            value = "" if value is None else str(value)
        elif column == self.mood_column:
            field = 1
            value = str(value)
            if value not in MOODS:
                return False
        else:
            return False
        old = self._rows[index.row()][field]
        if old == value:
            return True
        what = "sentence" if field == 0 else "mood"
        self.undo_stack.push(_EditCell(self, index.row(), field, old, value,
                                       f"Edit {what} of row {index.row() + 1}"))
        return True

    def add_row(self, sentence: str = "", mood: str = MOODS[0], row: int | None = None) -> int:
        """Insert a row (at the end by default) as one undoable edit; returns its index."""
        row = len(self._rows) if row is None else max(0, min(row, len(self._rows)))
        self.undo_stack.push(_InsertRows(self, row, [[sentence, mood]], "Add row"))
        return row

    def remove_rows(self, rows) -> None:
        rows = sorted({r for r in rows if 0 <= r < len(self._rows)})
        if rows:
            text = f"Delete row {rows[0] + 1}" if len(rows) == 1 else f"Delete {len(rows)} rows"
            self.undo_stack.push(_RemoveRows(self, rows, text))

    def set_vocabulary(self, words) -> None:
        """Change the counted words; raises ValueError (with a message) if invalid."""
        vocabulary = tuple(normalise_vocabulary(words))
        if vocabulary != self._vocabulary:
            self.undo_stack.push(_Replace(self, self._rows, vocabulary, "Edit vocabulary"))

    def load_rows(self, rows, vocabulary=None, text: str = "Load data set") -> None:
        """Replace every row (and optionally the vocabulary) as one undoable edit."""
        vocabulary = self._vocabulary if vocabulary is None else tuple(
            normalise_vocabulary(vocabulary))
        self.undo_stack.push(_Replace(self, _rows_of(rows), vocabulary, text))

    def load_dataset(self, name: str) -> None:
        self.load_rows(DATASETS[name], DEFAULT_VOCABULARY, f"Load “{name}”")

    # -- training data ---------------------------------------------------------
    def sentences(self) -> list[str]:
        return [r[0] for r in self._rows]

    def moods(self) -> list[str]:
        return [r[1] for r in self._rows]

    def dataset(self) -> Dataset:
        """The table as the network sees it (the same object until the table changes:
        the tab asks several times per edit, and a pasted table has thousands of rows)."""
        if self._dataset is None:
            self._dataset = Dataset(self.sentences(), self.moods(), self._vocabulary,
                                    counts=self._counts)
        return self._dataset

    def set_predictions(self, y_hat) -> None:
        """Show ŷ for every row (None clears); repaints only the ŷ and correct columns."""
        new = None if y_hat is None else np.asarray(y_hat, dtype=float).ravel()
        if new is not None and new.shape[0] != len(self._rows):
            new = None
        old = self._predictions
        if old is None and new is None:
            return
        # ŷ is shown with VALUE_DECIMALS decimals: the same text needs no repaint
        if old is not None and new is not None and old.shape == new.shape and np.array_equal(
                np.round(old, VALUE_DECIMALS), np.round(new, VALUE_DECIMALS)):
            self._predictions = new
            return
        self._predictions = new
        if self._rows:
            self.dataChanged.emit(self.index(0, self.prediction_column),
                                  self.index(len(self._rows) - 1, self.correct_column),
                                  [_DISPLAY])

    def set_colours(self, correct: str, wrong: str) -> None:
        self._colours = {"correct": QColor(correct), "wrong": QColor(wrong)}

    # -- internals used by the undo commands -----------------------------------
    def _count(self, sentence: str) -> tuple[int, ...]:
        return tuple(int(c) for c in count_words(sentence, self._vocabulary))

    def _count_all(self, rows: list[list[str]]) -> list[tuple[int, ...]]:
        return count_rows([r[0] for r in rows], self._vocabulary)

    def _prediction(self, row: int) -> float | None:
        if self._predictions is None or row >= self._predictions.shape[0]:
            return None
        return float(self._predictions[row])

    def _is_correct(self, row: int) -> bool | None:
        y_hat = self._prediction(row)
        if y_hat is None:
            return None
        return (y_hat >= 0.5) == (self._rows[row][1] == MOODS[0])

    def _set_field(self, row: int, field: int, value: str) -> None:
        self._dataset = None
        self._rows[row][field] = value
        if field == 0:
            self._counts[row] = self._count(value)
            first, last = 0, len(self._vocabulary)
        else:
            first = last = self.mood_column
        self.dataChanged.emit(self.index(row, first), self.index(row, last),
                              [_DISPLAY, _EDIT])
        if field == 1:  # the mood decides whether ŷ is correct
            self.dataChanged.emit(self.index(row, self.correct_column),
                                  self.index(row, self.correct_column), [_DISPLAY])
        self.training_data_changed.emit()

    def _insert(self, row: int, rows: list[list[str]]) -> None:
        self._dataset = None
        self.beginInsertRows(QModelIndex(), row, row + len(rows) - 1)
        for offset, (sentence, mood) in enumerate(rows):
            self._rows.insert(row + offset, [sentence, mood])
            self._counts.insert(row + offset, self._count(sentence))
        self._predictions = None
        self.endInsertRows()
        self.training_data_changed.emit()

    def _remove(self, row: int, count: int) -> None:
        self._dataset = None
        self.beginRemoveRows(QModelIndex(), row, row + count - 1)
        del self._rows[row:row + count]
        del self._counts[row:row + count]
        self._predictions = None
        self.endRemoveRows()
        self.training_data_changed.emit()

    def _replace(self, rows: list[list[str]], vocabulary: tuple[str, ...],
                 counts: list[tuple[int, ...]] | None = None) -> list[tuple[int, ...]]:
        """Every row anew; ``counts``: the rows' word counts if already known (an undo
        or redo of a whole table). Returns the counts, for the next time."""
        self._dataset = None
        self.beginResetModel()
        self._rows = [list(r) for r in rows]
        self._vocabulary = tuple(vocabulary)
        if counts is None:
            counts = self._count_all(self._rows)
        self._counts = list(counts)      # the model's own: later edits change it, not these
        self._predictions = None
        self.endResetModel()
        self.training_data_changed.emit()
        return counts

    def _snapshot(self) -> list[list[str]]:
        return [list(r) for r in self._rows]



class _EditCell(QUndoCommand):
    def __init__(self, model, row, field, old, new, text):
        super().__init__(text)
        self._model, self._row, self._field = model, row, field
        self._old, self._new = old, new

    def redo(self):
        self._model._set_field(self._row, self._field, self._new)

    def undo(self):
        self._model._set_field(self._row, self._field, self._old)


class _InsertRows(QUndoCommand):
    def __init__(self, model, row, rows, text):
        super().__init__(text)
        self._model, self._row, self._rows = model, row, [list(r) for r in rows]

    def redo(self):
        self._model._insert(self._row, self._rows)

    def undo(self):
        self._model._remove(self._row, len(self._rows))


class _RemoveRows(QUndoCommand):
    """Delete possibly non-contiguous rows; undo puts each back where it was."""

    def __init__(self, model, rows, text):
        super().__init__(text)
        self._model = model
        self._saved = [(r, list(model._rows[r])) for r in rows]

    def redo(self):
        for row, _ in reversed(self._saved):
            self._model._remove(row, 1)

    def undo(self):
        for row, values in self._saved:
            self._model._insert(row, [values])


class _Replace(QUndoCommand):
    """A whole new table. Both sides' word counts are kept once known: undoing and
    redoing a pasted 5,000-row table does not count its words again."""

    def __init__(self, model, rows, vocabulary, text):
        super().__init__(text)
        self._model = model
        self._old = (model._snapshot(), model.vocabulary)
        self._old_counts: list[tuple[int, ...]] = list(model._counts)
        self._new = ([list(r) for r in rows], tuple(vocabulary))
        self._new_counts: list[tuple[int, ...]] | None = None

    def redo(self):
        self._new_counts = self._model._replace(*self._new, self._new_counts)

    def undo(self):
        self._old_counts = self._model._replace(*self._old, self._old_counts)
