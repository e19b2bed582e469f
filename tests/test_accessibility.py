"""Screen readers: every control has a name, and the pictures describe the step
on show (gui/accessibility.py)."""
import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QComboBox, QWidget

from gui.accessibility import controls_of, name_controls


@pytest.fixture
def window(main_window):
    main_window.newton_tab.wait_parsed()
    return main_window


def test_every_control_of_both_tabs_has_a_short_accessible_name(window):
    for tab in (window.classifier_tab, window.newton_tab):
        controls = controls_of(tab)
        assert len(controls) >= 15
        unnamed = [(type(w).__name__, w.objectName()) for w in controls if not w.accessibleName()]
        assert unnamed == []
        assert name_controls(tab) == []
        for widget in controls:
            assert len(widget.accessibleName()) <= 40, widget.accessibleName()
            assert not set(widget.accessibleName()) & set("◀▶⇥⟲▷")
            # what an assistive technology reads is that name (a combo box on
            # Linux reads its current item, and its caption by the label relation)
            face = QAccessible.queryAccessibleInterface(widget)
            expected = widget.currentText() if isinstance(widget, QComboBox) else \
                widget.accessibleName()
            assert face is not None and face.text(QAccessible.Text.Name) == expected


def test_captions_become_buddies_and_name_their_controls(window):
    controls = window.classifier_tab.controls
    assert controls.seed_spin.accessibleName() == "seed"
    assert window.newton_tab.x0_spin.accessibleName() == "x₀"
    assert window.classifier_tab.findChild(QWidget, "stepButton").accessibleName() == "Step"
    assert window.newton_tab.findChild(QWidget, "newtonResetButton").accessibleName() == "Reset"


def test_the_diagram_describes_the_current_step_and_keeps_it_current(window):
    tab = window.classifier_tab
    diagram = tab.diagram
    assert diagram.accessibleName() == "Network diagram"
    assert diagram.accessibleDescription().startswith("Ready:")
    tab.step()
    assert diagram.accessibleDescription().startswith("Forward step (example 1): z₁ = ")
    while not diagram.accessibleDescription().startswith("Backward"):
        tab.step()
    assert diagram.accessibleDescription() == \
        (f"Backward step (example 1): ∂L/∂w₁ = {tab.stepper.current.gradient:.4f}, "
         f"computing ∂L/∂z = {tab.stepper.current.shared[0].value:.4f}").replace("-", "−")
    tab.step_back()
    assert diagram.accessibleDescription().startswith("Loss (example 1): y = 1, ŷ = 0.4739")


def test_the_newton_plot_describes_the_iterate_on_show(window):
    newton = window.newton_tab
    newton.load_preset(0)
    assert newton.wait_parsed()
    newton.wait_parsed()
    for _ in range(3):
        newton.step()
    assert newton.plots.accessibleDescription() == "Step 3 of 9: x₃ = 0.32052"
    newton.run_to_end()
    assert newton.plots.accessibleDescription().startswith("Step 9 of 9: x₉ = 0.567143. ")
    newton.reset()
    assert newton.plots.accessibleDescription().startswith("Start: x₀ = 0.05")
