"""The lesson panel: choose, read, step through captions; a bad file shows its message."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gui.lesson_panel import LESSON_FOLDER, LessonPanel, plain_caption
from gui.plain_maths import plain_maths


@pytest.fixture
def panel(qtbot, theme):
    widget = LessonPanel(theme)
    qtbot.addWidget(widget)
    widget.resize(420, 560)
    return widget


def test_the_chooser_lists_the_shipped_lessons_lecture_first(panel):
    titles = [panel.combo.itemText(i) for i in range(panel.combo.count())]
    assert titles[:3] == ["The lecture", "Why a hidden layer?", "When Newton fails"]
    assert panel.lesson is None and panel.combo.currentIndex() == -1


def test_next_and_previous_walk_the_captions_and_stop_at_the_ends(panel, qtbot):
    shown = []
    panel.caption_shown.connect(shown.append)
    panel.combo.setCurrentIndex(0)
    assert panel.index == 0 and panel.position.text() == "1 / 22"
    assert not panel.prev_action.isEnabled() and panel.next_action.isEnabled()
    panel.next_action.trigger()
    panel.next_action.trigger()
    assert panel.index == 2 and shown[-1] is panel.lesson.captions[2]
    assert "② The 2-2-1 network" in panel.title.text()
    panel.previous()
    assert panel.index == 1
    panel.go_to(99)
    assert panel.index == 21 and not panel.next_action.isEnabled()
    count = len(shown)
    panel.next()                                   # at the end: nothing happens
    assert len(shown) == count


def test_the_notes_remark_is_shown_and_spoken(panel):
    panel.combo.setCurrentIndex(0)
    panel.go_to(8)                                 # ∂L/∂w₁₁: the slide's ∂z/∂w₁
    spoken = panel.message()
    assert "Compare with the notes" in spoken and "∂z/∂w₁" in spoken and "∂z/∂a₁ = w₁" in spoken
    assert "$" not in spoken and "\\partial" not in spoken
    assert panel.text.accessibleDescription() == spoken


def test_a_broken_lesson_shows_its_message_instead_of_crashing(panel, tmp_path):
    folder = tmp_path / "lessons"
    folder.mkdir()
    shutil.copy(LESSON_FOLDER / "01_the_lecture.toml", folder / "01_the_lecture.toml")
    (folder / "02_broken.toml").write_text('title = "Broken"\n[[caption]]\ntext = "x"\n'
                                           'look_at = "edge:w99"\n', encoding="utf-8")
    shown = []
    broken = LessonPanel(panel.theme, folder)
    broken.caption_shown.connect(shown.append)
    broken.combo.setCurrentIndex(1)
    assert broken.lesson is None and shown == [None]
    assert "02_broken.toml, caption 1 (line 2): look_at: no edge \"w99\"" in broken.message()
    assert "cannot be shown" in broken.title.text()
    assert not broken.next_action.isEnabled() and not broken.prev_action.isEnabled()
    broken.combo.setCurrentIndex(0)                # a good one still opens after it
    assert broken.lesson is not None and shown[-1] is broken.lesson.captions[0]


@pytest.mark.parametrize("latex, plain", [
    (r"\partial L/\partial w_{11}", "∂L/∂w₁₁"),
    (r"\hat{y} = \sigma(z)", "ŷ = σ(z)"),
    (r"x_{k+1} = x_k - f(x_k)/f'(x_k)", "xₖ₊₁ = xₖ - f(xₖ)/f'(xₖ)"),
    (r"e^x + \frac{1}{x^2}", "e^x + 1/x²"),
    (r"10^{-10}", "10⁻¹⁰"),
])
def test_inline_maths_reads_as_unicode(latex, plain):
    assert plain_maths(latex) == plain
    assert plain_caption(f"so ${latex}$.") == f"so {plain}."


def test_every_shipped_caption_reads_without_latex_commands():
    from core.lessons import lesson_files, load_lesson
    for path in lesson_files(Path(LESSON_FOLDER)):
        for caption in load_lesson(path).captions:
            for text in (caption.text, caption.notes_differ):
                assert "\\" not in plain_caption(text), (path.name, caption.line, text)
