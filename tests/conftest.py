"""Test configuration: Qt runs offscreen, whatever the shell says, and never
touches the user's real preferences."""
import os
import tempfile

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ["STEPWISE_RAISE"] = "1"
_SETTINGS_DIR = tempfile.mkdtemp(prefix="stepwise-test-settings-")
os.environ["XDG_CONFIG_HOME"] = _SETTINGS_DIR
os.environ["XDG_DATA_HOME"] = _SETTINGS_DIR

import pytest  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _isolated_settings():
    from PySide6.QtCore import QCoreApplication, QSettings
    QCoreApplication.setOrganizationName("StepwiseTests")
    QCoreApplication.setApplicationName("StepwiseTests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, _SETTINGS_DIR)
    yield


@pytest.fixture
def theme(qapp):
    from gui.theme import Theme
    return Theme()


@pytest.fixture
def classifier_tab(qtbot, theme):
    """A shown, active classifier tab at the default window size."""
    from gui.classifier.tab import ClassifierTab
    widget = ClassifierTab(theme)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    with qtbot.waitActive(widget):  # window shortcuts need an active window
        widget.activateWindow()
    yield widget
    widget.stop()


@pytest.fixture
def chain_panel(qtbot, theme):
    """A chain-rule panel, 900×700, not shown."""
    from gui.classifier.chain_panel import ChainRulePanel
    widget = ChainRulePanel(theme)
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    return widget


@pytest.fixture
def newton_tab(qtbot, theme):
    """A shown Newton tab, 1200×760, with its first function parsed."""
    from gui.newton.tab import NewtonTab
    widget = NewtonTab(theme)
    qtbot.addWidget(widget)
    widget.resize(1200, 760)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(widget.is_ready, timeout=20_000)
    yield widget
    widget.stop()


@pytest.fixture
def main_window(qtbot):
    """A shown main window with cleared settings (not restored from a last run)."""
    from PySide6.QtCore import QSettings

    from gui.main_window import MainWindow
    QSettings().clear()
    window = MainWindow(restore=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window
