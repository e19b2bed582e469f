"""Predict, then reveal (View ▸ Predict, then reveal; Ctrl+Shift+P).

While predict mode is on, each single step forward asks for the values it computes
before they appear (``core.predict.questions_for``: a unit's z then a, L, each
chain factor, the gradient, the new weight; Newton's g′(xₖ), g″(xₖ), xₖ₊₁): the
views draw "?" for every value still to be predicted and the prediction bar asks
for the first of them.  Enter checks the typed answer; Space — in the box, or the
Step keys anywhere — reveals it without one; either way the value appears, the
verdict says right or wrong and the next value is asked for.  Once every value of
the step is settled, Step moves on.  Jumps (step example, epoch, back, reset, a
lesson's caption) ask nothing: what they show is shown in full.

One ``Quiz`` per tab keeps that tab's questions and score for the session.  The
tabs offer two small hooks: ``step_gate`` (called before Step; True: consumed) and
their views' ``set_hidden``.  No maths here: ``core.predict`` checks the answers.
"""
from __future__ import annotations

from PySide6.QtCore import QObject

from core.predict import Quiz, Verdict, questions_for
from gui.predict_bar import RIGHT, SHOWN, WRONG, PredictBar

CLASSIFIER, NEWTON = "classifier", "newton"


class PredictController(QObject):
    """Owns the prediction bar and one ``Quiz`` per tab; follows ``action``."""

    def __init__(self, window, action, bar: PredictBar | None = None):
        super().__init__(window)
        self.window = window
        self.action = action
        self.bar = bar if bar is not None else PredictBar(window.theme)
        self.bar.setVisible(False)
        self.quizzes: dict[str, Quiz] = {CLASSIFIER: Quiz(), NEWTON: Quiz()}
        self._marks: dict[str, tuple] = {}      # where each tab stood when last seen
        self._hooked: set[str] = set()
        self.bar.answered.connect(self.answer)
        self.bar.revealed.connect(self.reveal_or_step)
        window.tabs.currentChanged.connect(lambda _i: self._refresh())
        self._hook_classifier(window.classifier_tab)

    # ------------------------------------------------------------------ public
    def is_on(self) -> bool:
        return self.action.isChecked()

    def set_on(self, on: bool) -> None:
        """Predict mode on: the next step's values are asked for (what is shown now
        stays shown); off: every value shows and the bar goes."""
        on = bool(on)
        if self.action.isChecked() != on:
            self.action.setChecked(on)           # → set_on again
            return
        for key in self.quizzes:
            self.quizzes[key].start(())
        self.bar.setVisible(on)
        self._refresh()
        if on:
            self.bar.input.setFocus()

    def quiz(self, key: str | None = None) -> Quiz:
        return self.quizzes[key or self._current_key()]

    def answer(self, text: str) -> Verdict | None:
        """Enter in the box: check ``text`` (empty: reveal); with nothing asked, step."""
        key = self._current_key()
        quiz = self.quizzes[key]
        if quiz.done:
            if not text.strip():
                self._step(key)
            return None
        try:
            verdict = quiz.answer(text)
        except ValueError as problem:        # not a number: the question stays open
            self.bar.show_verdict(WRONG, f"{problem} — try again, or Space to reveal")
            return None
        self._settled(key, verdict)
        return verdict

    def reveal(self) -> Verdict | None:
        """Show the asked value without an answer (it does not count in the score)."""
        key = self._current_key()
        quiz = self.quizzes[key]
        if quiz.done:
            return None
        verdict = quiz.reveal()
        self._settled(key, verdict)
        return verdict

    def reveal_or_step(self) -> None:
        """Space in the box: reveal the asked value, or step when nothing is asked."""
        if self.reveal() is None:
            self._step(self._current_key())

    # ------------------------------------------------------------------ the tabs
    def _current_key(self) -> str:
        return NEWTON if self.window.tabs.currentIndex() == 1 else CLASSIFIER

    def _tab(self, key: str):
        if key == NEWTON:
            self._hook_newton()
            return self.window.newton_tab
        return self.window.classifier_tab

    def _hook_classifier(self, tab) -> None:
        self._hooked.add(CLASSIFIER)
        tab.step_gate = lambda: self._gate(CLASSIFIER)
        stepper = tab.stepper
        self._marks[CLASSIFIER] = self._classifier_mark()
        stepper.position_changed.connect(self._on_classifier_moved)
        stepper.settings_changed.connect(self._on_classifier_settings)

    def _hook_newton(self) -> None:
        if NEWTON in self._hooked or not self.window._newton_page.is_built():
            return
        self._hooked.add(NEWTON)
        tab = self.window.newton_tab
        tab.step_gate = lambda: self._gate(NEWTON)
        self._marks[NEWTON] = (tab.player.position,)
        tab.player.position_changed.connect(self._on_newton_moved)
        tab.player.changed.connect(self._on_newton_changed)

    def _gate(self, key: str) -> bool:
        """Before Step: while a value is asked for, Step reveals it instead."""
        if not self.is_on() or self.quizzes[key].done:
            return False
        if key == self._current_key():
            self.reveal()
        return True

    def _step(self, key: str) -> None:
        tab = self._tab(key)
        action = tab.classifier_actions.step if key == CLASSIFIER else tab.step_action
        if action.isEnabled():
            action.trigger()

    # classifier
    def _classifier_mark(self) -> tuple:
        stepper = self.window.classifier_tab.stepper
        return stepper.steps, stepper.index

    def _on_classifier_moved(self) -> None:
        before = self._marks.get(CLASSIFIER, ((), -1))
        self._marks[CLASSIFIER] = after = self._classifier_mark()
        current = self.window.classifier_tab.stepper.current
        single = (after[0] is before[0] and after[1] == before[1] + 1) or (
            after[1] == 0 and after[0] is not before[0]
            and before[1] in (-1, len(before[0]) - 1))
        self._moved(CLASSIFIER, current if single else None)

    def _on_classifier_settings(self, _what) -> None:
        """α or the mode changed: the open questions follow the recomputed record."""
        quiz = self.quizzes[CLASSIFIER]
        self._marks[CLASSIFIER] = self._classifier_mark()
        current = self.window.classifier_tab.stepper.current
        if quiz.done or current is None:
            return
        questions = questions_for(current)
        if len(questions) == len(quiz.questions):
            position = quiz.position
            quiz.start(questions)
            quiz.position = position
        else:
            quiz.start(())
        self._refresh()

    # Newton
    def _on_newton_moved(self, position: int) -> None:
        before = self._marks.get(NEWTON, (0,))[0]
        self._marks[NEWTON] = (position,)
        player = self.window.newton_tab.player
        record = None
        if position == before + 1 and player.run is not None and position >= 1:
            record = player.run.steps[position - 1]
        self._moved(NEWTON, record)

    def _on_newton_changed(self, _what) -> None:
        """Another function, x₀ or mode: another run; nothing of it is asked."""
        self._marks[NEWTON] = (self.window.newton_tab.player.position,)
        self.quizzes[NEWTON].start(())
        self._refresh(NEWTON)

    # ------------------------------------------------------------------ showing
    def _moved(self, key: str, record) -> None:
        """The tab moved: a single step forward asks for its values, any other move
        (or predict mode off) asks nothing."""
        quiz = self.quizzes[key]
        questions: tuple = ()
        if self.is_on() and record is not None:
            minimise = key == NEWTON and self.window.newton_tab.player.minimise
            try:
                questions = questions_for(record, minimise)
            except TypeError:
                questions = ()
        quiz.start(questions)
        if questions:
            tab = self._tab(key)     # play stops at each question: the hall predicts
            timer = tab.player.timer if key == CLASSIFIER else tab.play_timer
            if timer.is_playing():
                timer.pause()
            self.bar.show_verdict("", "")
        self._refresh(key)
        if questions and key == self._current_key() and self.bar.isVisible():
            self.bar.input.setFocus()

    def _settled(self, key: str, verdict: Verdict) -> None:
        question = verdict.question
        kind = SHOWN if verdict.answer is None else RIGHT if verdict.correct else WRONG
        text = verdict.message          # "… a₁ = 0.5663": with the formula before the value
        named = f"{question.label} = "
        at = text.rfind(named)
        if question.hint and at >= 0:
            text = f"{text[:at]}{named}{question.hint} = {text[at + len(named):]}"
        self.bar.show_verdict(kind, text)
        self._refresh(key)

    def _refresh(self, key: str | None = None) -> None:
        """The views' "?" and the bar, for ``key``'s tab (default: both built ones)."""
        on = self.is_on()
        for name in ([key] if key else list(self._hooked)):
            if name == NEWTON and not self.window._newton_page.is_built():
                continue
            quiz = self.quizzes[name]
            hidden = frozenset(q.key for q in quiz.questions if quiz.hidden(q.key)) \
                if on else frozenset()
            tab = self._tab(name)
            if name == CLASSIFIER:
                tab.show_hidden_values(hidden, on)
            else:
                tab.run_panel.set_hidden(hidden)
        self._hook_newton()       # the Newton tab may have been built meanwhile
        self._show_bar()

    def _show_bar(self) -> None:
        key = self._current_key()
        quiz = self.quizzes[key]
        question = quiz.current
        if question is None:
            self.bar.ask(None, "", "Step (Space) — then predict what it computes")
        else:
            self.bar.ask(question.label, question.hint)
        self.bar.show_score(f"Score {quiz.right}/{quiz.asked}", quiz.score)
