"""The lesson side panel: choose a lesson, read one caption at a time, Next / Previous.

The panel only shows captions and says which one is current (``caption_shown``);
``gui.lesson_player.LessonController`` docks it in the window, applies the caption's
state to the tabs and outlines what it points at (``gui.lesson_overlay``).
Captions' inline maths ($…$) is typeset with mathtext and placed in the text as
images; until the typesetter is loaded the LaTeX source shows in its place. A lesson
file that cannot be used shows its message in the panel — never a crash.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QAction, QImage, QKeySequence, QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from core.lessons import Caption, Lesson, LessonError, lesson_files, load_lesson

LESSON_FOLDER = Path(__file__).resolve().parent.parent / "resources" / "lessons"
_MATHS = re.compile(r"(?<!\\)\$(.+?)(?<!\\)\$", re.DOTALL)


def caption_html(text: str, document: QTextDocument, colour: str, point_size: float,
                 prefix: str, max_width: float = 1e9) -> str:
    """``text`` as HTML: plain text escaped, each $…$ typeset into an image resource of
    ``document`` (or left as its source when mathtext is not ready), no wider than
    ``max_width`` pixels (a long formula is scaled down, not cut off)."""
    from gui import mathtext
    parts, last = [], 0
    for index, match in enumerate(_MATHS.finditer(text)):
        parts.append(html.escape(text[last:match.start()]))
        latex = match.group(1).strip()
        image: QImage | None = None
        if mathtext.is_ready():
            image = mathtext.render(latex, point_size * 1.1, colour, 2.0)
        if image is None:
            parts.append(f"<i>{html.escape(latex)}</i>")
        else:
            name = f"{prefix}{index}"
            document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
            width = min(image.width() / image.devicePixelRatio(), max_width)
            parts.append(f'<img src="{name}" width="{width:.0f}" style="vertical-align: middle">')
        last = match.end()
    parts.append(html.escape(text[last:]))
    return "".join(parts).replace("\\$", "$").replace("\n", "<br>")


class LessonPanel(QWidget):
    """Lesson chooser, caption, notes remark, Previous / Next and a position label."""

    caption_shown = Signal(object)      # the Caption now shown (None: no lesson)

    def __init__(self, theme, folder: Path = LESSON_FOLDER, parent=None):
        super().__init__(parent)
        self.setObjectName("lessonPanelContent")   # its dock is "lessonPanel"
        self.setAccessibleName("Lesson")
        self.theme = theme
        self._folder = folder
        self._lesson: Lesson | None = None
        self._index = 0
        self._paths: list[Path] = []
        self._spoken = ""
        #: checks a lesson's Newton functions when a lesson is opened (None: not)
        self.check_function: Callable[[str], object] | None = None
        self.combo = QComboBox()
        self.combo.setObjectName("lessonCombo")
        self.combo.setAccessibleName("Lesson")
        self.combo.setToolTip("Choose a lesson (files in resources/lessons/)")
        self.combo.setPlaceholderText("Choose a lesson…")
        # a long title must not widen the dock past what a projector leaves beside a tab
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(3)
        self.combo.setMinimumWidth(60)            # overrides the placeholder's width
        self.title = QLabel()
        self.title.setObjectName("lessonTitle")
        self.title.setWordWrap(True)
        self.text = QTextBrowser()
        self.text.setObjectName("lessonCaption")
        self.text.setAccessibleName("Lesson caption")
        self.text.setOpenLinks(False)
        self.text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.position = QLabel()
        self.position.setObjectName("lessonPosition")
        self.prev_action = QAction("◀ Previous", self)
        self.prev_action.setObjectName("lessonPrevAction")
        self.prev_action.setToolTip("Previous caption (Page Up while the lesson is open)")
        self.prev_action.setProperty("description", "Previous caption of the lesson")
        self.next_action = QAction("Next ▶", self)
        self.next_action.setObjectName("lessonNextAction")
        self.next_action.setToolTip("Next caption (Page Down while the lesson is open)")
        self.next_action.setProperty("description", "Next caption of the lesson")
        self.prev_action.setShortcuts([QKeySequence(Qt.Key.Key_PageUp)])
        self.next_action.setShortcuts([QKeySequence(Qt.Key.Key_PageDown)])
        for action in (self.prev_action, self.next_action):
            # the clicker drives the lesson wherever the focus is, while the panel
            # shows (the window takes Page Up / Down off the tabs meanwhile)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)
        self.prev_action.triggered.connect(self.previous)
        self.next_action.triggered.connect(self.next)
        prev_button, next_button = QPushButton(), QPushButton()
        for button, action in ((prev_button, self.prev_action), (next_button, self.next_action)):
            button.setText(action.text().split()[0] if action is self.prev_action
                           else action.text().split()[-1])     # ◀ ▶: narrow at 200 %
            button.setToolTip(action.toolTip())
            button.setAccessibleName(action.text().strip("◀▶ "))
            button.clicked.connect(action.trigger)
            action.changed.connect(lambda b=button, a=action: b.setEnabled(a.isEnabled()))
        for button in (prev_button, next_button):
            button.setMinimumWidth(32)      # not the style's 80 px: the dock stays narrow
        prev_button.setObjectName("lessonPrevButton")
        next_button.setObjectName("lessonNextButton")

        buttons = QHBoxLayout()
        buttons.addWidget(prev_button)
        buttons.addWidget(self.position, 1, Qt.AlignmentFlag.AlignCenter)
        buttons.addWidget(next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.combo)
        layout.addWidget(self.title)
        layout.addWidget(self.text, 1)
        layout.addLayout(buttons)
        self.combo.currentIndexChanged.connect(self._on_lesson_chosen)
        theme.changed.connect(self._restyle)
        self.reload()
        self._restyle()

    # ------------------------------------------------------------------ public API
    @property
    def lesson(self) -> Lesson | None:
        return self._lesson

    @property
    def index(self) -> int:
        return self._index

    @property
    def caption(self) -> Caption | None:
        return self._lesson.captions[self._index] if self._lesson else None

    def reload(self) -> None:
        """List the lesson files again (a lecturer may have added one)."""
        self._paths = lesson_files(self._folder)
        self.combo.blockSignals(True)
        self.combo.clear()
        for path in self._paths:
            self.combo.addItem(_title_of(path), str(path))
        self.combo.blockSignals(False)
        self.combo.setCurrentIndex(-1)
        if self._lesson is None:
            self._show_hint()

    def add_lesson(self, path: str | Path) -> bool:
        """Open a lesson file from anywhere (File ▸ Open lesson…) and list it in the
        chooser; False (its message shown) if it cannot be used."""
        path = Path(path).resolve()
        if path not in self._paths:
            self._paths.append(path)
            self.combo.blockSignals(True)
            self.combo.addItem(_title_of(path), str(path))
            self.combo.blockSignals(False)
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(self._paths.index(path))
        self.combo.blockSignals(False)
        return self.open_lesson(path, self.check_function)

    def open_lesson(self, path: str | Path, check_function=None) -> bool:
        """Load a lesson file and show its first caption; on a bad file show its
        message instead and return False."""
        try:
            lesson = load_lesson(path, check_function)
        except LessonError as error:
            self._lesson = None
            self._show_error(str(error))
            self.caption_shown.emit(None)
            return False
        self._lesson, self._index = lesson, 0
        self._show()
        return True

    def go_to(self, index: int) -> None:
        if self._lesson is None:
            return
        index = max(0, min(index, len(self._lesson.captions) - 1))
        if index != self._index:
            self._index = index
            self._show()

    def next(self) -> None:
        self.go_to(self._index + 1)

    def previous(self) -> None:
        self.go_to(self._index - 1)

    def message(self) -> str:
        """The panel's text as plain text, maths as its source (tests, screen readers)."""
        return self._spoken if self._lesson is not None else self.text.toPlainText()

    # ------------------------------------------------------------------ internals
    def _on_lesson_chosen(self, row: int) -> None:
        if 0 <= row < len(self._paths):
            self.open_lesson(self._paths[row], self.check_function)

    def _show(self) -> None:
        caption = self.caption
        assert self._lesson is not None and caption is not None
        pal, size = self.theme.palette, self.theme.font_size(12.0)
        document = self.text.document()
        room = max(120.0, self.width() - 64.0 * max(1.0, self.theme.scale))   # frame, margins, scroll bar
        body = caption_html(caption.text, document, pal.foreground, size, "c", room)
        if caption.notes_differ:
            notes = caption_html(caption.notes_differ, document, pal.foreground, size, "n",
                                 room - 12)
            body += (f"<p style='margin-top: 12px; padding: 6px; border-left: 4px solid "
                     f"{pal.negative}'><b>Compare with the notes:</b> {notes}</p>")
        self.text.setHtml(f"<p>{body}</p>")
        spoken = plain_caption(caption.text)
        if caption.notes_differ:
            spoken += " Compare with the notes: " + plain_caption(caption.notes_differ)
        self._spoken = spoken
        self.text.setAccessibleDescription(spoken)
        # the section a caption belongs to: the latest caption title at or before it
        section = next((c.title for c in reversed(self._lesson.captions[:self._index + 1])
                        if c.title), "")
        self.title.setText(f"{self._lesson.title} — {section}" if section else self._lesson.title)
        count = len(self._lesson.captions)
        self.position.setText(f"{self._index + 1} / {count}")
        self.prev_action.setEnabled(self._index > 0)
        self.next_action.setEnabled(self._index < count - 1)
        self.caption_shown.emit(caption)

    def _show_hint(self) -> None:
        self.title.setText("Lessons")
        self.text.setPlainText("Choose a lesson above: each caption sets the app to a state "
                               "and outlines what to look at. Next / Previous (or the "
                               "clicker's Page Down / Page Up) walk through it.\n\n"
                               "File ▸ Open lesson… opens a lesson file of your own.")
        self.position.setText("")
        self.prev_action.setEnabled(False)
        self.next_action.setEnabled(False)

    def _show_error(self, message: str) -> None:
        self.title.setText("This lesson cannot be shown")
        self.text.setPlainText(message)
        self.position.setText("")
        self.prev_action.setEnabled(False)
        self.next_action.setEnabled(False)

    def _restyle(self) -> None:
        font = self.font()
        font.setPointSizeF(self.theme.font_size(12.0))
        self.text.setFont(font)
        title = self.title.font()
        title.setPointSizeF(self.theme.font_size(13.0))
        title.setBold(True)
        self.title.setFont(title)
        if self._lesson is not None:
            self._show_without_signal()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._lesson is not None and event.oldSize().width() != event.size().width():
            self._show_without_signal()       # formulas re-fit the new width

    def _show_without_signal(self) -> None:
        self.blockSignals(True)
        try:
            self._show()
        finally:
            self.blockSignals(False)


def plain_caption(text: str) -> str:
    """A caption as plain text for screen readers: the maths in Unicode (∂L/∂w₁₁)."""
    from gui.plain_maths import plain_maths
    return _MATHS.sub(lambda m: plain_maths(m.group(1)), text).replace("\\$", "$")


def _title_of(path: Path) -> str:
    """The lesson's title for the chooser, read cheaply (the full check comes on open)."""
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                match = re.match(r'\s*title\s*=\s*"(.*)"\s*$', line)
                if match:
                    return match.group(1)
    except (OSError, UnicodeDecodeError):
        pass
    return path.stem.replace("_", " ")
