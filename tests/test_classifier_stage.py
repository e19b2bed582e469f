"""The classifier's stage layout (F5, View ▸ Focus), the chain panel's fit, the status
line and small screens."""
import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem, QWidget

from core.records import BackwardStep, UpdateStep


def _settle():
    for _ in range(4):
        QApplication.processEvents()


def _step_to(tab, name: str):
    """Step until the walk shows ∂L/∂``name`` (or the update for "update")."""
    for _ in range(200):
        tab.step()
        current = tab.stepper.current
        if name == "update" and isinstance(current, UpdateStep):
            break
        if isinstance(current, BackwardStep) and current.parameter.name == name:
            break
    _settle()
    return tab.stepper.current


@pytest.fixture
def window(qtbot):
    from gui import mathtext
    from gui.main_window import BASE_POINT_SIZE, MainWindow
    mathtext._load()
    app_font = QApplication.font()
    win = MainWindow(restore=False)
    qtbot.addWidget(win)

    def show(width, height, scale, stage):
        win.resize(width, height)
        win.theme.set_scale(scale)
        win.show()
        qtbot.waitExposed(win)
        win.focus_action.setChecked(stage)
        win.resize(width, height)      # the scale change may have grown the window
        mathtext.notifier.ready.emit()
        _settle()
        assert win.font().pointSizeF() == BASE_POINT_SIZE * scale
        return win

    yield show
    win.classifier_tab.stop()
    QApplication.setFont(app_font)


def _layout_snapshot(tab):
    body = tab.main_splitter
    return {
        "rows": [list(r) for r in tab.controls.rows()],
        "drawer": tab.controls.drawer_widgets(),
        "sizes": (body.sizes(), body.left_splitter.sizes(), body.diagram_splitter.sizes()),
        "tools_parent": tab.table.tools.parentWidget(),
        "tools_index": tab.table.layout().indexOf(tab.table.tools),
        "controls_parent": tab.controls.parentWidget(),
        "margins": tab.layout().contentsMargins().top(),
        "spacing": (tab.layout().spacing(), tab.controls.layout().spacing()),
        "hidden": [tab.table.view.isColumnHidden(c) for c in range(tab.model.columnCount())],
        "fonts": [w.font().pointSizeF() for w in (tab.table.add_button, tab.table.dataset_combo,
                                                  tab.table.vocabulary_edit, tab.controls.seed_spin)],
        "visible": {w.objectName(): w.isVisibleTo(tab) for w in (
            tab.controls.seed_spin, tab.controls.heatmap_check, tab.table.add_button,
            tab.table.vocabulary_edit, tab.controls.settings_button, tab.controls.drawer)},
    }


def test_stage_folds_the_settings_into_a_drawer_and_restores_exactly(classifier_tab, theme):
    tab = classifier_tab
    _settle()
    before = _layout_snapshot(tab)
    assert before["visible"] == {"seedSpin": True, "heatmapCheck": True, "addRowButton": True,
                                 "vocabularyEdit": True, "settingsButton": False,
                                 "settingsDrawer": False}
    tab.set_stage(True)
    _settle()
    bar = tab.controls
    assert bar.arrangement() == "stage"
    first = bar.rows()[0]
    for name in ("stepBackExampleButton", "stepBackButton", "stepButton", "stepExampleButton",
                 "stepEpochButton", "playButton", "resetButton"):
        assert bar.buttons[name] in first, name
    assert bar.speed_slider in first and bar.settings_button in first
    assert not any(bar.rows()[1:])
    # the secondary settings are folded away, one click (or Ctrl+,) from sight
    assert not bar.seed_spin.isVisibleTo(tab) and not tab.table.add_button.isVisibleTo(tab)
    assert bar.settings_button.isVisibleTo(tab) and bar.settings_action.isEnabled()
    assert bar.settings_action.text() == "Settings ▾"
    bar.settings_action.trigger()
    _settle()
    assert bar.settings_action.text() == "Settings ▴"
    for widget in (bar.seed_spin, bar.learning_rate_spin, bar.mode_combo,
                   bar.hidden_units_spin, bar.hidden_layers_spin, bar.heatmap_check,
                   tab.table.add_button, tab.table.delete_button, tab.table.dataset_combo,
                   tab.table.vocabulary_edit):
        assert widget.isVisibleTo(tab) and bar.drawer.isAncestorOf(widget), widget.objectName()
    # the bar spans the tab above the body; the table keeps sentence, mood, ŷ, ✓
    assert tab.layout().indexOf(bar) == 0 and not tab.main_splitter.isAncestorOf(bar)
    shown = [tab.model.headerData(c, _horizontal()) for c in range(tab.model.columnCount())
             if not tab.table.view.isColumnHidden(c)]
    assert shown == ["Sentence", "Mood", "ŷ", tab.model.headerData(tab.model.correct_column,
                                                                    _horizontal())]
    tab.set_stage(False)
    _settle()
    after = _layout_snapshot(tab)
    assert after == before
    assert not bar.settings_action.isEnabled()
    # F5 (scale 2) in the stage: a widget lent to the drawer must not keep 200 % after
    tab.set_stage(True)
    theme.set_scale(2.0)
    tab.set_stage(False)
    theme.set_scale(1.0)
    _settle()
    assert _layout_snapshot(tab)["fonts"] == before["fonts"]


def test_a_split_dragged_by_hand_comes_back_after_the_stage(classifier_tab):
    tab = classifier_tab
    body = tab.main_splitter
    _settle()
    total = sum(body.sizes())
    body.setSizes([500, total - 500])
    body.splitterMoved.emit(500, 1)          # as a drag of the handle reports it
    _settle()
    dragged = body.sizes()
    tab.set_stage(True)
    _settle()
    left, right = body.sizes()
    assert left / (left + right) == pytest.approx(0.24, abs=0.01)
    tab.set_stage(False)
    _settle()
    assert body.sizes() == dragged


def _horizontal():
    from PySide6.QtCore import Qt
    return Qt.Orientation.Horizontal


@pytest.mark.parametrize("width, height, scale", [(1920, 1080, 2.0), (1366, 768, 1.5)])
def test_stage_gives_the_diagram_and_chain_rule_two_thirds(window, width, height, scale):
    win = window(width, height, scale, stage=True)
    tab = win.classifier_tab

    def area(w: QWidget) -> int:
        return w.width() * w.height()

    assert (area(tab.diagram) + area(tab.chain_panel)) / area(tab) >= 2 / 3
    # the narrow table still reads every default sentence whole (on two lines), unscrolled
    view = tab.table.view
    assert view.verticalScrollBar().maximum() == 0
    delegate = view.itemDelegateForColumn(0)
    for row, sentence in enumerate(tab.model.sentences()):
        option = QStyleOptionViewItem()
        option.initFrom(view)
        option.rect = view.visualRect(tab.model.index(row, 0))
        option.font = view.font()
        delegate.initStyleOption(option, tab.model.index(row, 0))
        assert option.text == sentence
        assert view.viewport().rect().contains(option.rect)
    # the step buttons, ŷ and L stay in sight: the whole bar and diagram are inside
    inside = QRect(QPoint(0, 0), win.size())
    for widget in (*tab.controls.buttons.values(), tab.controls.speed_slider,
                   tab.controls.settings_button, tab.diagram, tab.chain_panel, tab.table.view):
        top_left = widget.mapTo(win, QPoint(0, 0))
        assert inside.contains(QRect(top_left, widget.size())), widget.objectName()


@pytest.mark.parametrize("width, height, scale", [(1920, 1080, 2.0), (1366, 768, 1.5)])
@pytest.mark.parametrize("where", ["w11", "w12", "update"])
def test_the_chain_panel_needs_no_scrolling_on_stage(window, width, height, scale, where):
    win = window(width, height, scale, stage=True)
    tab = win.classifier_tab
    step = _step_to(tab, where)
    panel = tab.chain_panel
    assert panel.verticalScrollBar().maximum() == 0
    assert panel.horizontalScrollBar().maximum() == 0      # nor sideways
    assert panel.document().size().height() <= panel.viewport().height()
    assert panel.content_fits()
    text = " ".join(panel.toPlainText().split())
    if isinstance(step, BackwardStep):
        # chain, numbers, factor table, simplified form, value, update (and the note)
        for name in ("chainNumbersLabel", "chainFactorsLabel", "chainSimplifiedNumbersLabel",
                     "chainValueLabel", "updateLabel"):
            assert name in panel.shown_texts(), name
        assert "Update:" in text and "finite difference" in text
        assert ("swaps w₁₂ and w₂₁" in text) == (where == "w12")
        assert len(panel.latex_shown()) == 2
        assert all(panel.formula_image(latex) is not None for latex in panel.latex_shown())
    else:
        assert "L: " in text
        for ref, *_ in step.changes:                 # every parameter, old → new
            assert ref.label in text, ref.label
        assert text.count("→") >= len(step.changes)
    # the text stays big enough to read from the back: never below 72 % of the scale's size
    assert panel.fit_level()[1] >= 0.72


def test_status_line_is_never_cut_and_shows_the_stage_colour(window):
    win = window(1366, 768, 1.5, stage=False)
    tab = win.classifier_tab
    status = tab.controls.status
    palette = win.theme.palette
    for where, colour in (("w11", palette.backward), ("update", palette.update)):
        _step_to(tab, where)
        metrics = QFontMetrics(status.font())
        plain = status.plain_text()
        assert status.lines() in (1, 2)
        room = status.contentsRect().width()
        if status.lines() == 1:
            assert metrics.horizontalAdvance(plain) <= room, plain
        else:
            assert status.wordWrap()
        assert f"color:{colour}" in status.text()
        # shortened, never cut: the epoch, the position and the loss are all there
        for part in ("Epoch 0", "14", "mean", "backward" if where == "w11" else "update"):
            assert part in plain, (part, plain)


def test_a_narrow_status_line_gets_two_lines(qtbot, theme):
    from gui.classifier.status import StatusLine, StatusParts
    status = StatusLine(theme)
    qtbot.addWidget(status)
    parts = StatusParts(epoch=12, example="example 4", sentence="Aack beep aack!", step=9,
                        steps=14, stage="backward", what="∂L/∂w₂₁", loss="0.6864")
    status.resize(2000, 30)
    status.show()
    status.set_parts(parts)
    _settle()
    assert status.lines() == 1 and status.plain_text() == parts.variants()[0][0]
    one_line = status.height()
    status.resize(260, one_line)
    _settle()
    assert status.lines() == 2 and status.wordWrap() and status.height() > one_line
    metrics = QFontMetrics(status.font())
    box = metrics.boundingRect(QRect(0, 0, status.contentsRect().width(), 10_000),
                               int(_word_wrap()), status.plain_text())
    assert box.height() < 3 * metrics.lineSpacing()       # two lines, not three


def _word_wrap():
    from PySide6.QtCore import Qt
    return Qt.TextFlag.TextWordWrap


def test_status_line_drops_words_of_the_sentence_first():
    from gui.classifier.status import StatusParts
    parts = StatusParts(epoch=3, example="example 2", sentence="Aack beep beep beep!",
                        step=5, steps=14, stage="backward", what="∂L/∂w₁", loss="0.45")
    texts = [plain for plain, _rich in parts.variants()]
    assert texts[0] == "Epoch 3 · example 2 “Aack beep beep beep!” · step 5/14 " \
                       "backward: ∂L/∂w₁ · mean loss 0.45"
    assert texts[1] == "Epoch 3 · example 2 “Aack beep beep…” · step 5/14 " \
                       "backward: ∂L/∂w₁ · mean loss 0.45"
    assert texts[-2] == "Epoch 3 · example 2 · step 5/14 backward: ∂L/∂w₁ · mean loss 0.45"
    assert texts[-1] == "Epoch 3 · example 2 · 5/14 backward: ∂L/∂w₁ · mean L 0.45"
    rich = parts.variants()[0][1]
    assert "<b>\x00backward\x01</b>" in rich


def test_minimum_size_lets_the_window_fit_a_1024_screen(window):
    win = window(1024, 768, 1.0, stage=False)
    tab = win.classifier_tab
    hint = tab.minimumSizeHint()
    assert hint.width() <= 990 and hint.height() <= 600, hint
    window_hint = win.minimumSizeHint()
    assert window_hint.width() <= 1000 and window_hint.height() <= 680, window_hint
    _settle()
    assert win.width() <= 1024
    # at 1024×768 the bar takes three rows and nothing essential is off-screen
    assert tab.controls.arrangement() == "narrow"
    inside = QRect(QPoint(0, 0), win.size())
    view = tab.table.view
    for widget in (*tab.controls.buttons.values(), tab.controls.speed_slider,
                   tab.controls.speed_label, tab.diagram, view):
        assert widget.isVisibleTo(win), widget.objectName()
        assert inside.contains(QRect(widget.mapTo(win, QPoint(0, 0)), widget.size())), \
            widget.objectName()
    y_hat = view.visualRect(tab.model.index(0, tab.model.prediction_column))
    assert view.viewport().rect().contains(y_hat)
    # back on a wide window the bar returns to two rows
    win.resize(1400, 800)
    _settle()
    assert tab.controls.arrangement() == "wide"


def test_sentences_lose_whole_words_when_elided(qapp):
    from PySide6.QtGui import QFont

    from gui.classifier.sentence_table import elide_words
    metrics = QFontMetrics(QFont())
    text = "Aack beep beep beep!"
    assert elide_words(text, metrics, metrics.horizontalAdvance(text)) == text
    width = metrics.horizontalAdvance("Aack beep beep…")
    assert elide_words(text, metrics, width) == "Aack beep beep…"
    assert elide_words(text, metrics, width - 1) == "Aack beep…"
