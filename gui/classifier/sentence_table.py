"""The sentence table view with its toolbar: add / delete rows, data set, vocabulary.

The view edits through ``SentenceTableModel.setData`` (hence through the undo stack);
Mood is picked from a combo box.  A sentence too long for its cell loses whole words
from its end ("Aack beep…"), never half a word.  A warning banner above the table names anything
that makes the data untrainable or surprising (empty table, one mood only, a sentence
with none of the words, an invalid vocabulary).
"""
from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QItemSelectionModel, QRect, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from core.data import DATASETS, MOODS
from gui.classifier.sentence_model import SentenceTableModel


class MoodDelegate(QStyledItemDelegate):
    """A combo box of the moods for the Mood column."""

    def createEditor(self, parent, option, index):
        editor = QComboBox(parent)
        editor.setObjectName("moodEditor")
        editor.addItems(list(MOODS))
        # Commit as soon as a mood is picked: one pick, one undoable edit.
        editor.activated.connect(lambda _i, e=editor: self.commitData.emit(e))
        return editor

    def setEditorData(self, editor, index):
        value = index.data(Qt.ItemDataRole.EditRole)
        position = editor.findText(str(value))
        editor.setCurrentIndex(max(position, 0))

    def setModelData(self, editor, model, index):
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


def elide_words(text: str, metrics: QFontMetrics, width: int, lines: int = 1) -> str:
    """``text`` if it fits ``lines`` lines of ``width`` pixels, else its first words
    and "…" (the first word alone, cut by Qt, when not even one word fits)."""
    def fits(candidate: str) -> bool:
        if lines == 1:
            return metrics.horizontalAdvance(candidate) <= width
        box = metrics.boundingRect(QRect(0, 0, max(width, 1), 100_000),
                                   int(Qt.TextFlag.TextWordWrap), candidate)
        # a wrapped box is a little taller than its lines' spacing: half a line of slack
        return box.height() <= (lines + 0.5) * metrics.lineSpacing() and box.width() <= width

    if fits(text):
        return text
    words = text.split()
    for count in range(len(words) - 1, 0, -1):
        shorter = " ".join(words[:count]).rstrip(",;:") + "…"
        if fits(shorter):
            return shorter
    return metrics.elidedText(words[0] if words else text, Qt.TextElideMode.ElideRight, width)


class SentenceDelegate(QStyledItemDelegate):
    """The Sentence column: elided at a word boundary, on ``lines`` lines (two in the
    stage layout's narrow table); the full text in the tooltip."""

    lines = 1

    def initStyleOption(self, option, index):
        super().initStyleOption(option, index)
        margin = 2 * (option.widget.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin,
                                                         None, option.widget) + 1) \
            if option.widget is not None else 6
        option.text = elide_words(option.text, option.fontMetrics, option.rect.width() - margin,
                                  self.lines)
        if self.lines > 1:
            option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText

    def helpEvent(self, event, view, option, index):
        if event.type() == QEvent.Type.ToolTip and not index.data(Qt.ItemDataRole.ToolTipRole):
            text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
            shown = QStyleOptionViewItem(option)
            self.initStyleOption(shown, index)
            if text and shown.text != text:
                QToolTip.showText(event.globalPos(), text, view)
                return True
        return super().helpEvent(event, view, option, index)


class SentenceTable(QWidget):
    """Toolbar + warning banner + table; emits ``example_selected(row)``."""

    example_selected = Signal(int)
    #: the vocabulary text was applied: "" if valid, else the error message
    vocabulary_changed_problem = Signal(str)

    def __init__(self, model: SentenceTableModel, theme, parent=None):
        super().__init__(parent)
        self.model = model
        self.theme = theme
        self._vocabulary_error = ""

        self.add_button = QPushButton("Add row")
        self.add_button.setObjectName("addRowButton")
        self.add_button.setToolTip("Add a sentence at the end of the table")
        self.delete_button = QPushButton("Delete row")
        self.delete_button.setObjectName("deleteRowButton")
        self.delete_button.setToolTip("Delete the selected sentences")
        self.dataset_combo = QComboBox()
        self.dataset_combo.setObjectName("datasetCombo")
        self.dataset_combo.setToolTip("Load a built-in data set (undoable)")
        # as narrow as its "Data set…" (the popup still shows the longest name), so the
        # tools row does not set the window's least width
        self.dataset_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.dataset_combo.setMinimumContentsLength(len("Data set…"))
        self.dataset_combo.addItem("Data set…")
        self.dataset_combo.addItems(list(DATASETS))
        self.vocabulary_edit = QLineEdit(", ".join(model.vocabulary))
        self.vocabulary_edit.setObjectName("vocabularyEdit")
        self.vocabulary_edit.setToolTip(
            "The counted words, separated by commas or spaces; one input unit per word. "
            "Press Enter to apply.")
        self.vocabulary_edit.setPlaceholderText("words to count")

        # the data-set tools: one widget, so the stage layout can move it to its drawer
        self.tools = QWidget()
        self.tools.setObjectName("dataSetTools")
        tools_box = QVBoxLayout(self.tools)
        tools_box.setContentsMargins(0, 0, 0, 0)
        tools = QHBoxLayout()
        tools.setContentsMargins(0, 0, 0, 0)
        tools.addWidget(self.add_button)
        tools.addWidget(self.delete_button)
        tools.addWidget(self.dataset_combo, 1)
        words = QHBoxLayout()
        words.setContentsMargins(0, 0, 0, 0)
        caption = QLabel("Counted words:")
        caption.setBuddy(self.vocabulary_edit)
        words.addWidget(caption)
        words.addWidget(self.vocabulary_edit, 1)
        tools_box.addLayout(tools)
        tools_box.addLayout(words)

        self.banner = QLabel()
        self.banner.setObjectName("warningBanner")
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)

        self.view = QTableView()
        self.view.setObjectName("sentenceTable")
        self.view.setModel(model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.view.setAlternatingRowColors(True)
        # Tab leaves the table (arrow keys move inside it), as in any form
        self.view.setTabKeyNavigation(False)
        self.view.verticalHeader().setVisible(False)
        self._mood_delegate = MoodDelegate(self.view)
        self._sentence_delegate = SentenceDelegate(self.view)
        self.view.setItemDelegateForColumn(0, self._sentence_delegate)
        self.view.setTextElideMode(Qt.TextElideMode.ElideNone)   # the delegate elides
        self._stage = False
        self._extra_height = 0
        self._apply_column_layout()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tools)
        layout.addWidget(self.banner)
        layout.addWidget(self.view, 1)

        self.add_button.clicked.connect(self._on_add)
        self.delete_button.clicked.connect(self._on_delete)
        self.dataset_combo.activated.connect(self._on_dataset)
        self.vocabulary_edit.editingFinished.connect(self._on_vocabulary)
        model.modelReset.connect(self._apply_column_layout)
        model.modelReset.connect(self._on_model_reset)
        self.view.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._emit_selected(current.row()))
        theme.changed.connect(self._restyle)
        self._restyle()

    # -- public ------------------------------------------------------------------
    def show_problems(self, problems: list[str]) -> None:
        """Show the warnings in the banner (hidden when there are none)."""
        # the problems quote the user's own words: shown as text, never as markup
        self.banner.setText("⚠ " + "<br>⚠ ".join(html.escape(p) for p in problems)
                            if problems else "")
        self.banner.setVisible(bool(problems))

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.view.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)

    def set_stage(self, on: bool) -> None:
        """Stage layout: the word counts' columns hide (the diagram's input nodes show
        the walked row's counts) and a sentence may take two lines, so a narrow column
        still reads the sentences whole."""
        self._stage = bool(on)
        self._sentence_delegate.lines = 2 if self._stage else 1
        self._apply_column_layout()
        self._restyle()

    def extra_height(self) -> int:
        """How much taller than its least height the table shows every row it should."""
        return self._extra_height

    def restore_tools(self) -> None:
        """Take the data-set tools back (from the stage layout's drawer)."""
        layout = self.layout()
        if layout.indexOf(self.tools) != 0:
            layout.insertWidget(0, self.tools)
        self.tools.setVisible(True)

    def current_row(self) -> int:
        return self.view.selectionModel().currentIndex().row()

    # -- handlers ------------------------------------------------------------------
    def _on_add(self) -> None:
        row = self.model.add_row("", MOODS[0])
        self.select_row(row)
        self.view.setFocus()
        self.view.edit(self.model.index(row, 0))

    def _on_delete(self) -> None:
        rows = {i.row() for i in self.view.selectionModel().selectedRows()}
        if not rows and self.current_row() >= 0:
            rows = {self.current_row()}
        self.model.remove_rows(rows)

    def _on_dataset(self, position: int) -> None:
        if position > 0:
            self.model.load_dataset(self.dataset_combo.itemText(position))
        self.dataset_combo.setCurrentIndex(0)

    def _on_vocabulary(self) -> None:
        text = self.vocabulary_edit.text()
        words = [w for w in text.replace(",", " ").split() if w]
        try:
            self.model.set_vocabulary(words)
        except ValueError as error:
            self.vocabulary_edit.setProperty("invalid", True)
            self.vocabulary_edit.setToolTip(str(error))
            self._vocabulary_error = str(error)
        else:
            self._vocabulary_error = ""
            self.vocabulary_edit.setProperty("invalid", False)
            self.vocabulary_edit.setText(", ".join(self.model.vocabulary))
        self._restyle_vocabulary()
        self.vocabulary_changed_problem.emit(self._vocabulary_error)

    def vocabulary_error(self) -> str:
        return self._vocabulary_error

    def _on_model_reset(self) -> None:
        if not self._vocabulary_error:
            self.vocabulary_edit.setText(", ".join(self.model.vocabulary))

    def _emit_selected(self, row: int) -> None:
        if row >= 0:
            self.example_selected.emit(row)

    def _apply_column_layout(self) -> None:
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self._fit_columns()
        for column in range(self.model.columnCount()):
            self.view.setColumnHidden(column, self._stage and self.model.is_count_column(column))
        self.view.setItemDelegateForColumn(self.model.mood_column, self._mood_delegate)
        # a delegate left on a column that is no longer Mood would edit counts
        for column in range(self.model.columnCount()):
            if column not in (0, self.model.mood_column) and \
                    self.view.itemDelegateForColumn(column) is not None:
                self.view.setItemDelegateForColumn(column, None)

    def _fit_columns(self) -> None:
        """Each narrow column as wide as its header or the widest text its cells can
        show (``SentenceTableModel.widest_texts``), from the font alone. Fitting them to
        their contents instead (ResizeToContents) read the visible rows and 50 more
        after every new table and every training step: ~2,000 ``data()`` calls and
        ~10 ms each time with a table of thousands of rows."""
        header = self.view.horizontalHeader()
        metrics = QFontMetrics(self.view.font())
        margin = 2 * (self.view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin,
                                                    None, self.view) + 1)
        for column in range(1, self.model.columnCount()):
            cell = max(metrics.horizontalAdvance(text)
                       for text in self.model.widest_texts(column)) + margin
            header.resizeSection(column, max(header.sectionSizeHint(column), cell))

    def _restyle(self) -> None:
        palette = self.theme.palette
        font = self.font()
        font.setPointSizeF(self.theme.font_size(10))
        self.setFont(font)
        self.view.setFont(font)
        row_height = int(font.pointSizeF() * 2.4)
        rows = least = 5
        if self._stage:
            # two lines a row, room for the four default sentences (the fifth scrolls);
            # at least two rows, so a 768-pixel projector keeps the plots below
            row_height = QFontMetrics(font).lineSpacing() * 2 + int(font.pointSizeF() * 0.4)
            rows, least = 4, 2
        self.view.verticalHeader().setDefaultSectionSize(row_height)
        # room for the header and five rows: the four default sentences plus one
        # added in class, without a scroll bar at any scale
        self.view.horizontalHeader().setFont(font)
        self._fit_columns()
        header = self.view.horizontalHeader().sizeHint().height()
        self.view.setMinimumHeight(header + least * row_height + 2 * self.view.frameWidth())
        # (and an eighth of a row: the split is rounded, and a pixel short scrolls)
        self._extra_height = (rows - least) * row_height + (row_height // 8 if rows > least else 0)
        self.banner.setStyleSheet(
            f"QLabel#warningBanner {{ background: {palette.highlight}; color: #111111;"
            f" border-radius: 4px; padding: {int(4 * self.theme.scale)}px; }}")
        self.model.set_colours(palette.accent, palette.negative)
        self._restyle_vocabulary()

    def _restyle_vocabulary(self) -> None:
        invalid = bool(self.vocabulary_edit.property("invalid"))
        self.vocabulary_edit.setStyleSheet(
            f"QLineEdit {{ border: 2px solid {self.theme.palette.negative}; }}" if invalid else "")
