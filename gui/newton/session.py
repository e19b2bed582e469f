"""The Newton tab's part of a session file: the player's settings and step, the function
box's text, the preset shown and the play speed.

``core.newton_player.checked_state`` checks the player's part (``core.session_schema``
owns the format); the preset and speed, which only the tab has, are checked here.
``tab`` is the NewtonTab (not imported here: the tab imports this module).
"""
from __future__ import annotations

from core.newton_player import checked_state
from gui.newton.presets import LECTURE, PRESETS

DEFAULT_SPEED = 1.5


def tab_state(tab) -> dict:
    """JSON-serialisable: the player's state with the box's text, the preset, the speed."""
    return {**tab.player.state(), "function": tab.function_input.text(),
            "preset": int(tab.preset_combo.currentIndex()),
            "speed": float(tab.controls.speed_spin.value())}


def restore_tab(tab, state: dict) -> None:
    """Restore ``tab_state``'s output exactly; raises ValueError (changing nothing) if
    it is malformed. The function is parsed without waiting (``apply_settings``): the
    player has every setting once it arrives, and ``tab_state`` is the saved state
    again from then on."""
    s = checked_state(state)
    preset, speed = state.get("preset", LECTURE), state.get("speed", DEFAULT_SPEED)
    if isinstance(preset, bool) or not isinstance(preset, int) or not (
            0 <= preset < len(PRESETS)):
        raise ValueError("unknown preset")
    if isinstance(speed, bool) or not isinstance(speed, int | float):
        raise ValueError("the play speed is not a number")
    tab.function_bar.show_preset(preset)    # the session's settings, not the preset's
    tab.controls.speed_spin.setValue(float(speed))
    tab.apply_settings(s["function"], mode=s["mode"], x0=s["x0"], tol=s["tol"],
                       max_iter=s["max_iter"], race=s["race"],
                       learning_rate=s["learning_rate"], position=s["step"])
