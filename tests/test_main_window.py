"""The window as a whole: tabs, window-wide shortcuts, presentation scale, export,
preferences, and `main.py --screenshot`."""
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from gui.main_window import MainWindow

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def window(qtbot, monkeypatch):
    QSettings().clear()
    win = MainWindow()
    # offscreen's screen is 800×800; these tests play a 1920×1080 projector (F5 → 2×)
    monkeypatch.setattr(win, "presentation_scale", lambda: 2.0)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.theme.set_scale(1.0)
    win.theme.set_dark(False)


def test_window_has_title_icon_and_two_tabs(window):
    assert window.windowTitle() == "Untitled[*] — Stepwise"
    assert not window.windowIcon().isNull()
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "Classifier", "Newton's method"]
    assert window.findChild(object, "sentenceTable") is not None


def test_newton_tab_is_built_after_start_up_off_the_critical_path(window, qtbot):
    from PySide6.QtWidgets import QLineEdit
    # not built while the window is being constructed: start-up pays for one tab
    assert window.findChild(QLineEdit, "functionInput") is None
    window.after_show()
    qtbot.waitUntil(lambda: window.findChild(QLineEdit, "functionInput") is not None,
                    timeout=20000)
    qtbot.waitUntil(window.newton_tab.is_ready, timeout=20000)
    assert window.newton_tab.run is not None


def test_ctrl_1_and_ctrl_2_switch_tabs(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_tab() is window.newton_tab
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_tab() is window.classifier_tab


def test_every_window_action_has_a_name_and_a_tooltip_naming_its_shortcut(window):
    for action in window.actions():
        assert action.objectName(), action.text()
        if action.shortcut().toString():
            assert "(" in action.toolTip(), action.toolTip()


def test_presentation_scale_grows_the_application_font(window):
    base = QApplication.font().pointSizeF()
    window.zoom_in_action.trigger()
    assert window.theme.scale == 1.25
    assert QApplication.font().pointSizeF() == pytest.approx(base * 1.25)
    window.zoom_reset_action.trigger()
    assert QApplication.font().pointSizeF() == pytest.approx(base)


def test_presentation_mode_scales_up_and_restores(window):
    window.presentation_action.setChecked(True)
    assert window.theme.scale == 2.0
    window.presentation_action.setChecked(False)
    assert window.theme.scale == 1.0


def test_dark_theme_changes_the_palette(window):
    light = QApplication.palette().color(QApplication.palette().ColorRole.Base).name()
    window.dark_action.trigger()
    assert window.theme.dark
    dark = QApplication.palette().color(QApplication.palette().ColorRole.Base).name()
    assert dark != light


def test_preferences_persist_between_launches(qtbot):
    QSettings().clear()
    first = MainWindow()
    qtbot.addWidget(first)
    first.theme.set_scale(1.5)
    first.tabs.setCurrentIndex(1)
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    assert second.theme.scale == 1.5
    assert second.tabs.currentIndex() == 1
    second.theme.set_scale(1.0)
    second.close()
    QSettings().clear()


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_export_writes_an_image(window, tmp_path, suffix):
    from gui.export import export_widget
    path = export_widget(window.classifier_tab.export_widget(), tmp_path / f"view{suffix}")
    assert path.stat().st_size > 1000
    if suffix == ".png":
        image = QImage(str(path))
        assert image.width() >= window.classifier_tab.export_widget().width()
    else:
        assert path.read_text(encoding="utf-8").lstrip().startswith("<?xml")


@pytest.mark.parametrize("tab", ["classifier", "newton"])
def test_main_screenshot_writes_a_png(tmp_path, tab):
    out = tmp_path / f"{tab}.png"
    result = subprocess.run(
        [sys.executable, "main.py", "--screenshot", str(out), "--tab", tab],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)
    # not a blank window: many distinct colours
    colours = {image.pixel(x, y) for x in range(0, 1280, 37) for y in range(0, 800, 23)}
    assert len(colours) > 10


def test_session_round_trip_restores_the_demo(window, tmp_path):
    newton = window.newton_tab
    newton.load_preset(0)
    assert newton.wait_parsed()
    newton.step()
    newton.step()
    window.classifier_tab.step_example()
    saved = window.session_state()
    path = tmp_path / "lecture.json"
    window.save_session(str(path))
    window.classifier_tab.step_epoch()
    newton.reset()
    window.open_session(str(path))
    assert newton.wait_parsed()          # the function is parsed without waiting
    assert window.session_state() == __import__("json").loads(
        __import__("json").dumps(saved, default=lambda v: v.tolist()))


def test_bad_session_is_refused_and_nothing_changes(window, tmp_path):
    from core.session import SessionError
    window.classifier_tab.step_example()
    before = window.session_state()
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "stepwise-session", "version": 1, "classifier": {}, '
                   '"newton": {}}', encoding="utf-8")
    with pytest.raises(SessionError):
        window.open_session(str(bad))
    assert window.session_state() == before


def test_presentation_scale_grows_check_boxes_too(window):
    from PySide6.QtWidgets import QStyle
    metric = QStyle.PixelMetric.PM_IndicatorWidth
    normal = QApplication.style().pixelMetric(metric)
    window.theme.set_scale(2.0)
    assert QApplication.style().pixelMetric(metric) == round(2 * normal)


def test_f1_lists_the_shortcuts(window, qtbot):
    from PySide6.QtWidgets import QDialog, QLabel
    qtbot.keyClick(window, Qt.Key.Key_F1)
    box = window.findChild(QDialog, "shortcutsDialog")
    assert box is not None and box.isVisible()
    free = window.screen().availableGeometry()
    # fits the screen (the offscreen one is 800×800): the list scrolls inside it if need be
    assert box.width() <= free.width() and box.height() <= free.height()
    text = box.findChild(QLabel, "shortcutsText")
    assert text.sizeHint().height() < 680    # in three columns: whole on a 1024×768 projector
    assert text.width() <= 1000
    for keys in ("Space, →, Page Down", "←, Page Up, Backspace", "Ctrl+1", "Ctrl+2", "F11",
                 "Ctrl+→", "End"):
        assert keys in box.findChild(QLabel, "shortcutsText").text()
    box.close()


def test_the_shortcut_list_is_made_from_every_action_with_keys(window):
    from PySide6.QtGui import QAction

    from gui.actions import description, shortcuts_text
    listed = {(what, keys) for _, rows in window.shortcut_sections() for what, keys in rows}
    tabs = [window.classifier_tab, window.newton_tab]
    for action in [*window.window_commands(), *(a for t in tabs for a in t.commands())]:
        assert isinstance(action, QAction) and action.objectName()
        if shortcuts_text(action):
            assert (description(action), shortcuts_text(action)) in listed
    # Step, Back, Reset, Play of both tabs; the window's tab switching and F1
    assert len(listed) >= 20
    assert ("Step: take one Newton step", "Space, →, Page Down") in listed


def test_edges_keep_their_weight_names_at_the_default_window_size(window, qtbot):
    # four decimals per weight (core.notation) must not cost the edges their names
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.width() == 1280)
    QApplication.processEvents()
    diagram = window.classifier_tab.diagram
    labels = [diagram.edge_label(0, i, j) for i in range(2) for j in range(2)]
    assert all(label and " = " in label for label in labels), labels
    assert labels[0].startswith("w₁₁ = ")


def test_escape_leaves_presentation_mode_restoring_geometry_scale_and_theme(window, qtbot):
    window.resize(1100, 700)
    window.move(30, 40)
    window.theme.set_scale(1.25)
    window.theme.set_dark(True)
    qtbot.waitUntil(lambda: window.width() == 1100)
    before = window.geometry()
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert window.presentation_action.isChecked() and window.theme.scale == 2.0
    qtbot.waitUntil(window.isFullScreen)
    window.theme.set_dark(False)            # changed during the lecture: Escape restores it
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert not window.presentation_action.isChecked()
    assert window.theme.scale == 1.25 and window.theme.dark
    qtbot.waitUntil(lambda: window.geometry() == before)
    qtbot.wait(600)                          # and it stays there once the layout settles
    assert window.geometry() == before, (window.geometry(), before, window.minimumSizeHint())
    assert not window.leave_action.isEnabled()    # Escape is the widgets' again


def test_f5_toggles_and_f11_leaves_a_full_screen_start_at_the_first_press(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert not window.presentation_action.isChecked() and window.theme.scale == 1.0
    window.showFullScreen()                 # as --fullscreen starts it
    qtbot.waitUntil(window.isFullScreen)
    assert window.fullscreen_action.isChecked()
    qtbot.keyClick(window, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert not window.fullscreen_action.isChecked()


def _luminance(colour) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(colour.red()) + 0.7152 * channel(colour.green()) + \
        0.0722 * channel(colour.blue())


def test_dark_check_boxes_have_an_outline_of_at_least_3_to_1(window, qtbot):
    from PySide6.QtGui import QColor
    window.theme.set_dark(True)
    QApplication.processEvents()
    box = window.classifier_tab.controls.heatmap_check
    image = box.grab().toImage()
    window_colour = box.palette().color(box.backgroundRole())
    indicator = QApplication.style().pixelMetric(
        QApplication.style().PixelMetric.PM_IndicatorWidth)
    background = _luminance(window_colour)
    best = max((max(_luminance(QColor(image.pixel(x, y))), background) + 0.05) /
               (min(_luminance(QColor(image.pixel(x, y))), background) + 0.05)
               for x in range(min(indicator + 4, image.width()))
               for y in range(image.height()))
    assert best >= 3.0, best


def test_first_start_sizes_the_window_to_the_screen(qtbot):
    QSettings().clear()
    win = MainWindow()                       # no saved geometry: a first start
    qtbot.addWidget(win)
    free = win.screen().availableGeometry()
    minimum = win.minimumSizeHint()
    assert win.width() <= max(round(free.width() * 0.92), minimum.width())
    assert win.height() <= max(round(free.height() * 0.92), minimum.height())
    assert abs(win.frameGeometry().center().x() - free.center().x()) <= 1 or \
        win.width() >= free.width()


def test_focus_layout_follows_f5_and_escape_restores_it(window, qtbot):
    assert window.newton_tab is not None     # built now: both tabs are told
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert window.focus_action.isChecked()
    assert all(tab.stage for tab in window.demo_tabs())
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.focus_action.isChecked()
    assert not any(tab.stage for tab in window.demo_tabs())
    window.focus_action.trigger()            # View ▸ Focus at scale 1: no full screen
    assert all(tab.stage for tab in window.demo_tabs()) and window.theme.scale == 1.0
    window.focus_action.trigger()


def test_dark_spin_box_arrows_have_at_least_3_to_1(window, qtbot):
    from PySide6.QtGui import QColor
    window.theme.set_dark(True)
    QApplication.processEvents()
    spin = window.classifier_tab.controls.seed_spin
    image = spin.grab().toImage()
    arrows = [QColor(image.pixel(x, y)) for x in range(image.width() * 4 // 5, image.width())
              for y in range(image.height())]
    counts: dict[int, int] = {}
    for colour in arrows:
        counts[colour.rgb()] = counts.get(colour.rgb(), 0) + 1
    button = _luminance(QColor(max(counts, key=counts.get)))
    brightest = max(_luminance(colour) for colour in arrows)
    assert (brightest + 0.05) / (button + 0.05) >= 3.0


@pytest.mark.parametrize("dark", [False, True])
def test_keyboard_focus_is_a_ring_of_at_least_3_to_1(window, qtbot, dark):
    from PySide6.QtGui import QColor

    from gui.style import focus_colour
    window.theme.set_dark(dark)
    window.activateWindow()
    QApplication.processEvents()
    ring = focus_colour(window.palette())
    backdrop = window.palette().color(window.palette().ColorRole.Window)
    lighter, darker = sorted((_luminance(ring), _luminance(backdrop)), reverse=True)
    assert (lighter + 0.05) / (darker + 0.05) >= 4.5
    tab = window.classifier_tab
    for widget in (tab.controls.seed_spin, tab.table.add_button, tab.controls.heatmap_check):
        def ring_pixels(w=widget):
            image = w.grab().toImage()
            return sum(QColor(image.pixel(x, y)).rgb() == ring.rgb()
                       for x in range(image.width()) for y in range(image.height()))
        tab.diagram.setFocus()
        QApplication.processEvents()
        assert ring_pixels() == 0, widget
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        QApplication.processEvents()
        # a ring all round: at least the widget's perimeter in ring-coloured pixels
        assert ring_pixels() >= widget.width() + widget.height(), widget


def test_the_window_shrinks_to_1000_by_680_at_scale_1(window, qtbot):
    for index in (0, 1):                     # the Newton tab counts once it is built
        window.tabs.setCurrentIndex(index)
        QApplication.processEvents()
    minimum = window.minimumSizeHint().expandedTo(window.minimumSize())
    assert minimum.width() <= 1000 and minimum.height() <= 680, minimum


@pytest.mark.parametrize("size, scale", [((1920, 1080), 2.0), ((1366, 768), 1.5),
                                         ((1280, 720), 1.25), ((1024, 768), 1.0),
                                         ((2560, 1440), 2.5), ((3840, 2160), 2.5),
                                         ((800, 600), 1.0)])
def test_f5_picks_the_largest_scale_whose_stage_fits_the_screen(size, scale):
    from gui.main_window import presentation_scale
    assert presentation_scale(*size) == scale


def test_f5_on_a_small_screen_keeps_a_larger_scale_the_lecturer_chose(qtbot):
    QSettings().clear()
    win = MainWindow()
    qtbot.addWidget(win)
    assert win.presentation_scale() == 1.0          # offscreen: an 800×800 screen
    win.theme.set_scale(1.5)
    win.presentation_action.setChecked(True)
    assert win.theme.scale == 1.5 and win.focus_action.isChecked()
    win.presentation_action.setChecked(False)
    assert win.theme.scale == 1.5
    win.theme.set_scale(1.0)
