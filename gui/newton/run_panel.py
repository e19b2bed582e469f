"""The Newton tab's side panel: where the run stands, in words and in a table.

A view of a ``core.newton_player.NewtonPlayer``: the outcome banner (step p of n,
or how the run ended), step p's arithmetic, the race's own banner (gradient
descent's step p and its x_p, as visible as Newton's), the iteration table and
the race tally. In the compact (stage) layout the table shows only the rows that
matter and the panel's spare height stays below it. It subscribes to the
player's signals once and redraws in ``_on_*``.
"""
from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from core.convergence import convergence_of
from core.newton_player import NewtonPlayer
from core.notation import NumberRole, format_number
from gui.newton.iteration_table import IterationTable, arithmetic_html, sub
from gui.newton.label_stack import LabelStack
from gui.newton.outcome import OutcomeBanner


class RunPanel(QWidget):
    def __init__(self, player: NewtonPlayer, parent=None):
        super().__init__(parent)
        self.player = player
        self.outcome_label = OutcomeBanner()
        self.arithmetic_label = QLabel()
        self.arithmetic_label.setObjectName("arithmeticLabel")
        self.arithmetic_label.setTextFormat(Qt.TextFormat.RichText)
        self.arithmetic_label.setWordWrap(True)
        self.arithmetic_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = IterationTable()
        self.convergence_label = QLabel()
        self.convergence_label.setObjectName("convergenceLabel")
        self.convergence_label.setWordWrap(True)
        self.convergence_label.hide()
        self.race_label = QLabel()
        self.race_label.setObjectName("raceLabel")
        self.race_label.setWordWrap(True)
        self.race_banner = OutcomeBanner(name="raceStepLabel", neutral="accent")
        self.race_banner.hide()
        self.label_stack = LabelStack([self.outcome_label, self.arithmetic_label,
                                       self.race_banner])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label_stack)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.convergence_label)
        layout.addWidget(self.race_label)
        layout.addStretch(0)           # takes the spare height when the table is compact
        self._layout = layout
        self._hidden: frozenset[str] = frozenset()   # predict mode: the open questions
        player.changed.connect(self._on_player_changed)
        player.position_changed.connect(self._on_position_changed)
        player.race_changed.connect(self._on_race_changed)
        self._on_position_changed(player.position)

    def set_hidden(self, keys) -> None:
        """Predict mode: the current step's values named by ``keys`` (``core.predict``
        keys "value", "slope", "x_next") read "?" in the table's new row and in the
        arithmetic until they are answered or revealed."""
        keys = frozenset(keys)
        if keys != self._hidden:
            self._hidden = keys
            self._on_position_changed(self.player.position)

    def hidden_keys(self) -> frozenset[str]:
        return self._hidden

    def _on_player_changed(self, _what) -> None:
        run = self.player.run
        if run is not None:
            self.table.set_run(run.steps, self.player.minimise, self.player.position,
                               convergence_of(run))
        self._on_position_changed(self.player.position)

    def _on_position_changed(self, p: int) -> None:
        player, run = self.player, self.player.run
        n = player.total_steps
        self.table.show_steps(p)
        self.table.set_asked(p - 1, self._hidden)
        if run is None:
            self.outcome_label.show_note("Loading the function parser…")
            self.arithmetic_label.setText("")
        else:
            if p < n or "x_next" in self._hidden:     # the outcome would name xₚ
                self.outcome_label.show_progress(p, n)
            else:
                self.outcome_label.show_outcome(run)
            x0 = format_number(player.x0, NumberRole.ITERATE)
            self.arithmetic_label.setText(
                arithmetic_html(run.steps[p - 1], player.minimise, self._hidden) if p >= 1 else
                f"x<sub>0</sub> = {x0} — press Step to compute x<sub>1</sub>" if n else
                f"x<sub>0</sub> = {x0} — no step can be taken from here")
        self._show_convergence(p)
        self._show_race()
        self.label_stack.refit()      # once for all three labels

    def convergence_text(self, p: int) -> str:
        """At the end of a quadratically converging run, the constant its ratio
        column approaches: "|eₖ₊₁|/|eₖ|² → |g‴(x*)/(2g″(x*))| = 0.9379"."""
        run = self.player.run
        if run is None or p < self.player.total_steps:
            return ""
        conv = convergence_of(run)
        if conv is None:
            return ""
        if conv.order == 1:
            return "Linear convergence (a multiple root): |eₖ₊₁|/|eₖ| stays near a constant"
        if not math.isfinite(conv.constant):
            return ""
        formula = "|g‴(x*)/(2g″(x*))|" if self.player.minimise else "|f″(x*)/(2f′(x*))|"
        return (f"Quadratic convergence: {conv.ratio_title} → {formula} = "
                f"{format_number(conv.constant, NumberRole.DERIVATIVE)} at x* = "
                f"{format_number(conv.root, NumberRole.ITERATE)}")

    def _show_convergence(self, p: int) -> None:
        text = self.convergence_text(p)
        self.convergence_label.setText(text)
        self.convergence_label.setVisible(bool(text) and not self.table.is_compact())

    def _on_race_changed(self) -> None:
        if self._show_race():
            self.label_stack.refit()

    def _show_race(self) -> bool:
        """The race's tally and banner; True if the banner changed (needs a refit)."""
        self.race_label.setText(self.race_text())
        active = self.player.race_active
        self.race_label.setVisible(active)
        heading = self.race_heading()
        if heading == self.race_banner.text() and active != self.race_banner.isHidden():
            return False
        self.race_banner.show_note(heading)
        self.race_banner.setVisible(active)
        return True

    def race_heading(self) -> str:
        """Gradient descent's step at Newton's position p, like Newton's "Step p of n":
        "■ Gradient descent: step 3 · x₃ = 1.008" (its total is in the tally)."""
        player = self.player
        if not player.race_active or player.run is None:
            return ""
        race = player.race
        if race is None:
            return f"■ Gradient descent: {player.race_error or 'running…'}"
        n = len(race.steps)
        p = min(player.position, n)
        x = format_number(race.iterates[p], NumberRole.ITERATE)
        # no break inside "x₃ = 1.008": a narrow panel wraps before it
        return f"■ Gradient descent: step {p} · x{sub(p)}\u00a0=\u00a0{x}"

    def set_compact(self, on: bool) -> None:
        """Stage layout: the table keeps only the rows that matter; the spare
        height goes below it instead of to empty rows."""
        self.table.set_compact(on)
        self._layout.setStretchFactor(self.table, 0 if on else 1)
        self._layout.setStretch(self._layout.count() - 1, 1 if on else 0)

    def race_text(self) -> str:
        """Newton's tally, then gradient descent's (or "running…", or its error)."""
        player = self.player
        if not player.race_active or player.run is None:
            return ""
        tol = f"1e−{player.tolerance_exponent}"

        def count(run, label):
            n = len(run.steps)
            if run.outcome.name in ("CONVERGED", "CONVERGED_LINEARLY"):
                return f"{label}: {n} step{'s' * (n != 1)} to tolerance {tol}"
            return f"{label}: {run.outcome.title.lower()} after {n} steps"

        gd = f"■ Gradient descent (α = {format_number(player.learning_rate, NumberRole.VALUE)})"
        if player.race is not None:
            gd = count(player.race, gd)
        else:
            gd += f": {player.race_error or 'running…'}"
        return f"{count(player.run, '● Newton')}\n{gd}"

    def restyle(self, theme, font: QFont) -> None:
        palette = theme.palette
        self.table.restyle(palette, theme.font_size(10.0))
        self.outcome_label.restyle(palette, theme.font_size(11.0))
        self.race_banner.restyle(palette, theme.font_size(11.0))
        big = QFont(font)
        big.setPointSizeF(theme.font_size(12.0))
        self.arithmetic_label.setFont(big)
        self.label_stack.refit()
        self.race_label.setStyleSheet(f"color: {palette.accent};")
        self.convergence_label.setStyleSheet(f"color: {palette.positive};")
