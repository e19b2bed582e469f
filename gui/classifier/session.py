"""The classifier tab's part of a session file: its table, settings and the stepper.

``tab_state`` is JSON-serialisable (``core.session`` writes it, and checks it field
by field on opening with ``core.session_schema.ClassifierPart``); ``restore_tab``
puts a tab back exactly where it was, down to the micro-step. ``tab`` is the
ClassifierTab (not imported here: the tab imports this module).
"""
from __future__ import annotations

from PySide6.QtCore import QSignalBlocker

from core.data import MOODS


def tab_state(tab) -> dict:
    """The table, the settings and the stepper's state (layer sizes, weights, α, mode,
    position, losses)."""
    state = tab.stepper.state()
    state.update({
        "sentences": tab.model.sentences(),
        "moods": tab.model.moods(),
        "vocabulary": list(tab.model.vocabulary),
        "seed": int(tab.seed),
        "speed": int(tab.controls.speed_slider.value()),
        "heatmaps": bool(tab.controls.heatmap_check.isChecked()),
    })
    return state


def restore_tab(tab, state: dict) -> None:
    """Reopen a demo saved by ``tab_state``; raises ValueError if it cannot be."""
    tab.pause()
    sentences, moods = list(state["sentences"]), list(state["moods"])
    if len(sentences) != len(moods) or any(m not in MOODS for m in moods) or \
            any(not isinstance(s, str) for s in sentences):
        raise ValueError("the classifier's sentences and moods do not match")
    sizes = tuple(int(n) for n in state["layer_sizes"])
    vocabulary = list(state["vocabulary"])
    hidden = sizes[1:-1]
    if not hidden or len(hidden) > 3 or len(set(hidden)) != 1 or \
            not 1 <= hidden[0] <= 8 or sizes[0] != len(vocabulary) or sizes[-1] != 1:
        raise ValueError(f"unsupported network shape {sizes}")
    seed = int(state.get("seed", 0))

    tab.seed, tab.hidden = seed, hidden
    bar = tab.controls
    blockers = [QSignalBlocker(w) for w in (
        bar.seed_spin, bar.learning_rate_spin, bar.mode_combo, bar.hidden_units_spin,
        bar.hidden_layers_spin)]
    try:
        bar.seed_spin.setValue(seed)
        bar.learning_rate_spin.setValue(float(state["learning_rate"]))
        bar.set_mode(state["mode"])
        bar.hidden_units_spin.setValue(hidden[0])
        bar.hidden_layers_spin.setValue(len(hidden))
    finally:
        del blockers
    stepper = tab.stepper
    with stepper.held():         # the views are redrawn once, for the restored demo
        # the table first (the stepper resumes "on the data already set")
        tab.model.load_rows(list(zip(sentences, moods)), vocabulary, "Open session")
        tab.undo_stack.clear()  # the undo history belonged to the previous session
        if stepper.network.layer_sizes != sizes:
            stepper.reset(seed=seed, layer_sizes=sizes)
        stepper.set_state(state)
    bar.speed_slider.setValue(int(state.get("speed", bar.speed_slider.value())))
    bar.heatmap_check.setChecked(bool(state.get("heatmaps", False)))
    tab.table.select_row(stepper.example)
