"""What a screen reader hears: a name for every control, and for the diagram and
the Newton plot a description of the step on show, kept current.

Names come, in this order, from what the widget already says or sits beside:
an accessible name set where it was built; a label's buddy; the caption label
just before it in its layout (which then becomes its buddy, as Qt intends); its
tool tip's first sentence; its placeholder text; its button text.  The pictures
get names here and their descriptions from ``core.describe`` whenever their
model moves.
"""
from __future__ import annotations

import re

from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollBar,
    QTabBar,
    QWidget,
)

from core.describe import describe_newton, describe_step

#: the kinds of widget a keyboard or screen-reader user operates
INTERACTIVE = (QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QAbstractSlider,
               QAbstractItemView, QTabBar)


_GLYPHS = re.compile("[\u2190-\u21ff\u25a0-\u25ff\u27f0-\u27ff\u2900-\u297f]")


def _clean(text: str) -> str:
    """A name from a caption or a tool tip: no markup or mnemonic, and of a tool
    tip only its head ("Step back: return exactly …" → "Step back")."""
    text = re.sub(r"<[^>]+>", "", text or "")          # a rich-text tool tip
    text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    text = re.split(r"(?<=[.!?])\s|: | \(", text.strip(), maxsplit=1)[0]
    text = _GLYPHS.sub("", text)        # "Step ▶", "Reset ⟲": the words, not the arrows
    return text.strip().rstrip(":.").strip()


def _part_of_a_control(widget: QWidget, root: QWidget) -> bool:
    """A scroll bar, a header, a combo box's list, a spin box's edit: named by
    Qt or by the control they belong to."""
    if isinstance(widget, (QScrollBar, QHeaderView)) or \
            widget.objectName().startswith("qt_"):
        return True
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, INTERACTIVE) or isinstance(parent.parentWidget(), QComboBox):
            return True
        parent = parent.parentWidget()
    return False


def controls_of(root: QWidget) -> list[QWidget]:
    """The interactive widgets under ``root`` that need a name of their own."""
    return [w for w in root.findChildren(QWidget)
            if isinstance(w, INTERACTIVE) and not _part_of_a_control(w, root)]


def _caption_before(widget: QWidget) -> QLabel | None:
    """The caption label laid out just before ``widget`` (``QLabel("seed"), spin``)."""
    parent = widget.parentWidget()
    layout = parent.layout() if parent is not None else None
    if layout is None:
        return None
    index = layout.indexOf(widget)
    if index <= 0:
        return None
    item = layout.itemAt(index - 1)
    label = item.widget() if item is not None else None
    if isinstance(label, QLabel) and label.buddy() is None and _clean(label.text()):
        return label
    return None


def name_for(widget: QWidget) -> str:
    """The name ``widget`` should be announced by (may be empty)."""
    if widget.accessibleName():
        return widget.accessibleName()
    for label in (widget.parentWidget() or widget).findChildren(QLabel):
        if label.buddy() is widget and _clean(label.text()):
            return _clean(label.text())
    caption = _caption_before(widget)
    if caption is not None:
        caption.setBuddy(widget)
        return _clean(caption.text())
    for text in (widget.text() if isinstance(widget, QAbstractButton) else "",
                 widget.toolTip(),
                 widget.placeholderText() if isinstance(widget, QLineEdit) else ""):
        if _clean(text):
            return _clean(text)
    return ""


def name_controls(root: QWidget) -> list[QWidget]:
    """Give every interactive widget under ``root`` its accessible name; returns
    those left without one (there should be none: tests walk both tabs)."""
    unnamed = []
    for widget in controls_of(root):
        name = name_for(widget)
        if name:
            widget.setAccessibleName(name)
            if widget.toolTip() and not widget.accessibleDescription():
                widget.setAccessibleDescription(re.sub(r"<[^>]+>", "", widget.toolTip()))
        else:
            unnamed.append(widget)
    return unnamed


def _announce(widget: QWidget, description: str) -> None:
    if widget.accessibleDescription() == description:
        return
    widget.setAccessibleDescription(description)
    if QAccessible.isActive():
        QAccessible.updateAccessibility(
            QAccessibleEvent(widget, QAccessible.Event.DescriptionChanged))


class ClassifierNarrator:
    """Names the classifier tab's controls and keeps the diagram's description on
    the current micro-step (subscribes to the tab's ``TrainingStepper``)."""

    def __init__(self, tab) -> None:
        self.tab = tab
        tab.diagram.setAccessibleName("Network diagram")
        tab.chain_panel.setAccessibleName("Chain rule for the current step")
        tab.loss_plot.setAccessibleName("Loss per epoch")
        tab.boundary_plot.setAccessibleName("Decision boundary")
        tab.table.view.setAccessibleName("Sentences")
        name_controls(tab)
        tab.stepper.position_changed.connect(self.update)
        self.update()

    def update(self, *_args) -> None:
        stepper = self.tab.stepper
        _announce(self.tab.diagram, describe_step(stepper.current, example=stepper.example))


class NewtonNarrator:
    """Names the Newton tab's controls and keeps the plot's description on the
    current iterate (subscribes to the tab's ``NewtonPlayer``)."""

    def __init__(self, tab) -> None:
        self.tab = tab
        tab.plots.setAccessibleName("Newton's method plot")
        tab.table.setAccessibleName("Iteration table")
        name_controls(tab)
        tab.player.changed.connect(self.update)
        tab.player.position_changed.connect(self.update)
        self.update()

    def update(self, *_args) -> None:
        player = self.tab.player
        run = player.run
        if run is None:
            text = describe_newton((), 0, 0)
        else:
            text = describe_newton(run.iterates, player.position, player.total_steps,
                                   outcome=run.message, minimise=player.minimise)
        _announce(self.tab.plots, text)
