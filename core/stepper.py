"""Training one visible step at a time, with undo.

``TrainingStepper`` plays the records of ``core.walk.walk`` one by one and
keeps a history of snapshots so every kind of step can be taken back, in the
spirit of orange3-educational's k-means stepper: ``step()``, ``step_back()``,
a history, no Qt.

Passes and epochs: in "example" mode a pass walks one row and ends with that
row's update; the next pass walks the next row (cyclically).  An epoch is
complete when the last row's update is applied, whichever row the user
started from.  In "batch" mode every pass is one epoch.

``epoch_losses[0]`` is the mean loss over all rows when the network was
created (or reset); ``epoch_losses[k]`` the mean loss after the k-th
completed epoch.

Views subscribe to four signals (``core.signals``) (as to ``core.newton_player``),
emitted synchronously once the state is consistent, each at most once per
public call (an epoch of many micro-steps announces once), and not at all when
the call changed nothing (``hold``/``release`` group several calls into one
announcement):

- ``position_changed()``: ``current``, ``index``, ``steps`` or ``example`` changed
  (a step, a step back, another row, a pass re-walked for a new setting);
- ``weights_changed()``: the parameters changed or the network was replaced
  (an update, epochs, a step back across an update, ``reset``, ``set_state``);
- ``losses_changed()``: ``epoch_losses`` grew, shrank or was replaced;
- ``settings_changed(what)``: ``what`` is the frozenset of the settings that
  changed, among "learning_rate", "mode" and "data".
"""
from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from core.network import Network, TrainingOverflow, blown_up, train
from core.records import UpdateStep
from core.signals import Signal
from core.walk import walk

__all__ = ["TrainingStepper"]

MODES = ("example", "batch")


@dataclass(frozen=True)
class _Pass:
    """What a pass's records were computed from, so they can be recomputed."""
    weights: tuple
    biases: tuple
    example: int
    mode: str
    learning_rate: float
    data_version: int


@dataclass(frozen=True)
class _Snapshot:
    weights: tuple
    biases: tuple
    example: int
    index: int
    current_pass: _Pass | None
    epoch: int
    n_losses: int
    data_version: int
    weights_version: int


class _Marks(NamedTuple):
    """What a call is compared on, before and after, to know what to announce."""
    steps: tuple           # by identity: a re-walked pass is a new tuple
    position: tuple        # (index, example)
    weights: int           # version numbers, bumped on every change
    losses: int
    learning_rate: float
    mode: str
    data: int


class TrainingStepper:
    """Gradient descent on ``network`` (mutated in place) over rows X, labels y.

    Undo keeps the last ``HISTORY_LIMIT`` step calls; older ones are dropped.
    A snapshot holds the parameters, not the walk records, so the history
    stays small; a pass's records are recomputed (deterministically) when a
    step back returns into an earlier pass.
    """

    HISTORY_LIMIT = 5000

    position_changed = Signal()
    weights_changed = Signal()
    losses_changed = Signal()
    settings_changed = Signal(object)   # frozenset of the setting names that changed

    def __init__(self, network: Network, X, y, learning_rate: float = 0.5, mode: str = "example"):
        self.network = network
        # Each state of the parameters gets a number, kept in the undo snapshots, so
        # a step back knows whether it crossed an update without comparing arrays.
        self._versions = itertools.count()
        self._weights_version = next(self._versions)
        self._losses_version = 0
        self._holds = 0
        self._held_from: _Marks | None = None
        self._learning_rate = _valid_rate(learning_rate)
        self._mode = _valid_mode(mode)
        self._X, self._y = _valid_data(X, y, network.layer_sizes[0])
        self._data_version = 0
        self._data_key = 0
        self._example = 0
        self._history: deque[_Snapshot] = deque(maxlen=self.HISTORY_LIMIT)
        self._steps: tuple = ()
        self._index = -1
        self._pass: _Pass | None = None
        self.epoch = 0
        self.epoch_losses = [self.loss()]
        self._losses_cache: list[float | None] = []     # see _saved_losses
        self._losses_cache_source: list | None = None

    # ---- read-only state ---------------------------------------------------------
    @property
    def steps(self) -> tuple:
        """The records of the current pass (empty before its first step)."""
        return self._steps

    @property
    def index(self) -> int:
        """Position in ``steps`` of the record now shown, −1 if none."""
        return self._index

    @property
    def current(self):
        return self._steps[self._index] if self._index >= 0 else None

    @property
    def n_examples(self) -> int:
        return len(self._X)

    @property
    def can_step(self) -> bool:
        """False while the table is empty: there is nothing to train on."""
        return len(self._X) > 0

    @property
    def can_step_back(self) -> bool:
        return bool(self._history)

    @property
    def in_pass(self) -> bool:
        """True between a pass's first micro-step and its update."""
        return 0 <= self._index < len(self._steps) - 1

    def loss(self) -> float:
        """Mean log-loss of the current network over all rows (nan if none)."""
        return self.network.loss(self._X, self._y) if len(self._X) else float("nan")

    # ---- settings --------------------------------------------------------------------
    @property
    def learning_rate(self) -> float:
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        value = _valid_rate(value)
        if value != self._learning_rate:
            with self.held():
                self._learning_rate = value
                self._recompute_pass()

    @property
    def mode(self) -> str:
        return self._mode

    @mode.setter
    def mode(self, value: str) -> None:
        value = _valid_mode(value)
        if value != self._mode:
            with self.held():
                self._mode = value
                self._recompute_pass()

    @property
    def example(self) -> int:
        """The row the current (or next) pass walks."""
        return self._example

    @example.setter
    def example(self, row: int) -> None:
        row = int(row)
        if not 0 <= row < max(len(self._X), 1):
            raise ValueError(f"row {row} is not in the {len(self._X)}-row table")
        if row != self._example:
            with self.held():
                self._example = row
                self._clear_pass()

    def _recompute_pass(self) -> None:
        # Before the update nothing has been applied yet, so the pass can be
        # re-walked from the current weights with the new settings; the records
        # up to ``index`` are unchanged (same forward values), later ones follow
        # the new learning rate or mode.  A finished pass stays as it was.
        if self.in_pass:
            index = self._index
            self._start_pass()
            self._index = index

    # ---- stepping --------------------------------------------------------------------
    def step(self):
        """One micro-step; returns its record (None if the table is empty).

        Reaching the UpdateStep applies the new parameters; the step after an
        update starts the next pass.
        """
        if not self.can_step:
            return None
        with self.held(), self._undone_if_it_blows_up():
            self._push()
            return self._advance()

    def step_example(self):
        """Finish the current pass through its update, or do one whole pass.

        Returns the UpdateStep (None if the table is empty).
        """
        if not self.can_step:
            return None
        with self.held(), self._undone_if_it_blows_up():
            self._push()
            record = self._advance()
            while not isinstance(record, UpdateStep):
                record = self._advance()
            return record

    def step_epoch(self) -> float | None:
        """Complete passes until the epoch ends; returns the loss after it.

        From an epoch boundary this is one vectorised ``train`` epoch; from
        mid-epoch the current pass is finished and the remaining rows follow.
        """
        if not self.can_step:
            return None
        with self.held(), self._undone_if_it_blows_up():
            self._push()
            return self._finish_epoch()

    def run_epochs(self, n: int) -> np.ndarray:
        """Fast-forward ``n`` epochs (one undo step); returns their losses."""
        n = int(n)
        if not self.can_step or n <= 0:
            return np.empty(0)
        with self.held(), self._undone_if_it_blows_up():
            self._push()
            losses = []
            if self.in_pass or not self._at_epoch_boundary():
                losses.append(self._finish_epoch())
                n -= 1
            if n:
                fast = train(self.network, self._X, self._y, self._learning_rate, n, self._mode)
                self._weights_moved()
                self._end_epochs(fast)
                losses.extend(fast)
            return np.asarray(losses, dtype=float)

    def run_rows(self, n: int) -> int:
        """Example mode: train the next ``n`` rows, one update each (one undo step),
        stopping where the epoch ends; returns how many rows were trained.

        Fast play over a table of thousands of rows trains part of an epoch per tick
        with this (a whole epoch, one update per row, takes longer than a tick may).
        A pass in progress is finished first and counts as one row. In batch mode an
        update takes every row at once: this is ``run_epochs(1)`` there.
        """
        n = int(n)
        if not self.can_step or n <= 0:
            return 0
        if self._mode == "batch":
            self.run_epochs(1)
            return len(self._X)
        with self.held(), self._undone_if_it_blows_up():
            self._push()
            done = 0
            if self.in_pass:
                epoch = self.epoch
                record = self._advance()
                while not isinstance(record, UpdateStep):
                    record = self._advance()
                done = 1
                if self.epoch > epoch or done >= n:
                    return done
            start = self._upcoming_example()
            stop = min(len(self._X), start + n - done)
            for row in range(start, stop):
                self.network.train_step(self._X[row:row + 1], self._y[row:row + 1],
                                        self._learning_rate)
            self._weights_moved()
            if stop == len(self._X):
                self._end_epochs([self.loss()])
            else:
                self._example = stop
                self._clear_pass()
            return done + stop - start

    @contextmanager
    def _undone_if_it_blows_up(self) -> Iterator[None]:
        """A step call that blows up (TrainingOverflow) leaves everything as it was
        before the call, then re-raises for the view to show its message."""
        depth = len(self._history)
        try:
            yield
        except TrainingOverflow:
            if len(self._history) > depth:
                self._restore(self._history.pop())
            raise

    def step_back(self) -> bool:
        """Undo the last step call exactly; False if there is nothing to undo."""
        if not self._history:
            return False
        with self.held():
            self._restore(self._history.pop())
        return True

    def _restore(self, snapshot: _Snapshot) -> None:
        for target, saved in zip(self.network.weights, snapshot.weights):
            np.copyto(target, saved)
        for target, saved in zip(self.network.biases, snapshot.biases):
            np.copyto(target, saved)
        self._weights_version = snapshot.weights_version
        self.epoch = snapshot.epoch
        if len(self.epoch_losses) != snapshot.n_losses:
            del self.epoch_losses[snapshot.n_losses:]
            self._losses_version += 1
        if snapshot.data_version != self._data_version:
            # The table changed since: the old pass's records describe other data.
            self._example = min(snapshot.example, max(len(self._X) - 1, 0))
            self._clear_pass()
            return
        self._example = snapshot.example
        if snapshot.current_pass is None:
            self._clear_pass()
        elif snapshot.current_pass is not self._pass:
            self._pass = snapshot.current_pass
            self._steps = self._walk(snapshot.current_pass)
        self._index = snapshot.index

    # ---- data and network ---------------------------------------------------------------
    def set_data(self, X, y) -> None:
        """New rows (the table was edited): keeps the weights and the history,
        restarts the pass.  If the number of input words changed, the network
        is re-initialised for the new input size as by ``reset``.
        """
        X, y = _valid_data(X, y, None, empty_width=self.network.layer_sizes[0])
        with self.held():
            if X.shape != self._X.shape or not (np.array_equal(X, self._X)
                                                and np.array_equal(y, self._y)):
                self._data_key += 1          # announced as "data"; an equal table is not
            self._data_version += 1
            if X.shape[1] != self.network.layer_sizes[0]:
                self._X, self._y = X, y
                self.reset(layer_sizes=(X.shape[1],) + self.network.layer_sizes[1:])
                return
            self._X, self._y = X, y
            self._example = min(self._example, max(len(X) - 1, 0))
            self._clear_pass()

    def reset(self, seed=None, layer_sizes=None) -> None:
        """A fresh network (same seed and shape unless given); clears the
        history, the epoch count and the losses.  Always announces new weights
        and losses: the network is a new object, even if its numbers are not."""
        sizes = self.network.layer_sizes if layer_sizes is None else tuple(layer_sizes)
        seed = self.network.seed if seed is None else seed
        if sizes[0] != self._X.shape[1]:
            raise ValueError(f"the table has {self._X.shape[1]} word counts per row, "
                             f"but the network would take {sizes[0]} inputs")
        with self.held():
            self.network = Network(sizes, seed)
            self._weights_moved()
            self._history.clear()
            self._example = min(self._example, max(len(self._X) - 1, 0))
            self._clear_pass()
            self.epoch = 0
            self._set_losses([self.loss()])

    def state(self) -> dict:
        """JSON-ready lists and numbers to resume at this very micro-step.

        Holds the network, settings, position, epoch count and losses, and the
        parameters the current pass started from; not the data (the table is
        saved by its owner) and not the undo history.
        """
        network = self.network.state()
        current = self._pass
        return {
            "layer_sizes": list(network["layer_sizes"]),
            "seed": network["seed"],
            "weights": [w.tolist() for w in network["weights"]],
            "biases": [b.tolist() for b in network["biases"]],
            "learning_rate": self._learning_rate,
            "mode": self._mode,
            "example": self._example,
            "index": self._index,
            "epoch": self.epoch,
            # an empty table's loss is nan, which JSON cannot hold: saved as null
            "epoch_losses": self._saved_losses(),
            "pass": None if current is None else {
                "weights": [w.tolist() for w in current.weights],
                "biases": [b.tolist() for b in current.biases],
                "example": current.example,
                "mode": current.mode,
                "learning_rate": current.learning_rate,
            },
        }

    def _saved_losses(self) -> list[float | None]:
        """``epoch_losses`` as JSON values (nan → None), a new list each call. Autosave
        asks every two seconds of a long play: only the epochs added since the last
        call are converted (a million of them took 0.8 s on the GUI thread)."""
        losses, cache = self.epoch_losses, self._losses_cache
        held = len(cache)
        if losses is not self._losses_cache_source or len(losses) < held or (
                held and not _same_loss(losses[held - 1], cache[held - 1])):
            self._losses_cache_source, cache, held = losses, [], 0
            self._losses_cache = cache
        if len(losses) > held:
            tail = np.asarray(losses[held:], dtype=float)
            converted = tail.tolist()
            for i in np.flatnonzero(~np.isfinite(tail)).tolist():
                converted[i] = None
            cache.extend(converted)
        return list(cache)

    def set_state(self, state: dict) -> None:
        """Resume from ``state()`` output, on the data already set.

        Raises ``ValueError`` (leaving the stepper as it was) if the state does
        not fit the data or is malformed.  The undo history is cleared.
        """
        try:
            network = Network(state["layer_sizes"], state.get("seed", 0))
            network.set_state(state)
            learning_rate = _valid_rate(state["learning_rate"])
            mode = _valid_mode(state["mode"])
            example, index, epoch = int(state["example"]), int(state["index"]), int(state["epoch"])
            losses = [float("nan") if v is None else float(v) for v in state["epoch_losses"]]
            saved_pass = state.get("pass")
            current: _Pass | None = None
            steps: tuple = ()
            if network.layer_sizes[0] != self._X.shape[1]:
                raise ValueError("the saved network does not fit the table's word counts")
            if (len(self._X) and not 0 <= example < len(self._X)) or epoch < 0:
                raise ValueError("the saved position is outside the table")
            if saved_pass is not None:
                shape = network.copy()
                shape.set_state({"layer_sizes": network.layer_sizes, "weights": saved_pass["weights"],
                                 "biases": saved_pass["biases"]})
                current = _Pass(tuple(shape.weights), tuple(shape.biases),
                                int(saved_pass["example"]), _valid_mode(saved_pass["mode"]),
                                _valid_rate(saved_pass["learning_rate"]), self._data_version)
                steps = TrainingStepper._walk_with(network, self._X, self._y, current)
                if not -1 <= index < len(steps):
                    raise ValueError("the saved micro-step is outside its pass")
        except (KeyError, TypeError, IndexError) as error:
            raise ValueError(f"not a training state: {error!r}") from None
        with self.held():
            self.network = network
            self._weights_moved()
            self._learning_rate, self._mode, self._example = learning_rate, mode, example
            self.epoch = epoch
            self._set_losses(losses)
            self._history.clear()
            if current is None:
                self._clear_pass()
            else:
                self._pass, self._steps, self._index = current, steps, index

    # ---- announcing ----------------------------------------------------------------------
    def hold(self) -> None:
        """Hold back the signals until the matching ``release()``, which announces
        once what changed in between (fast play: redraw ten times a second, not
        once per epoch; a command made of several calls: redraw once)."""
        if self._held_from is None:
            self._held_from = self._marks()
        self._holds += 1

    def release(self) -> None:
        """End a ``hold()``; the last one emits a signal for each part that changed."""
        if self._holds == 0:
            return
        self._holds -= 1
        if self._holds:
            return
        before, self._held_from = self._held_from, None
        assert before is not None
        after = self._marks()
        settings = frozenset(name for name in ("learning_rate", "mode", "data")
                             if getattr(before, name) != getattr(after, name))
        if after.weights != before.weights:
            self.weights_changed.emit()
        if after.losses != before.losses:
            self.losses_changed.emit()
        if after.steps is not before.steps or after.position != before.position:
            self.position_changed.emit()
        if settings:
            self.settings_changed.emit(settings)

    @contextmanager
    def held(self) -> Iterator[None]:
        """``hold()`` … ``release()`` around a block."""
        self.hold()
        try:
            yield
        finally:
            self.release()

    def _marks(self) -> _Marks:
        return _Marks(self._steps, (self._index, self._example), self._weights_version,
                      self._losses_version, self._learning_rate, self._mode, self._data_key)

    def _weights_moved(self) -> None:
        self._weights_version = next(self._versions)

    def _set_losses(self, losses: list[float]) -> None:
        self.epoch_losses = losses
        self._losses_version += 1

    # ---- internals -----------------------------------------------------------------------
    def _push(self) -> None:
        self._history.append(_Snapshot(
            weights=tuple(w.copy() for w in self.network.weights),
            biases=tuple(b.copy() for b in self.network.biases),
            example=self._example, index=self._index, current_pass=self._pass,
            epoch=self.epoch, n_losses=len(self.epoch_losses),
            data_version=self._data_version, weights_version=self._weights_version,
        ))

    def _clear_pass(self) -> None:
        self._steps = ()
        self._index = -1
        self._pass = None

    def _start_pass(self) -> None:
        self._pass = _Pass(
            weights=tuple(w.copy() for w in self.network.weights),
            biases=tuple(b.copy() for b in self.network.biases),
            example=self._example, mode=self._mode,
            learning_rate=self._learning_rate, data_version=self._data_version,
        )
        self._steps = self._walk(self._pass)
        self._index = -1

    def _walk(self, current: _Pass) -> tuple:
        return self._walk_with(self.network, self._X, self._y, current)

    @staticmethod
    def _walk_with(network: Network, X, y, current: _Pass) -> tuple:
        network = network.copy()
        network.weights = list(current.weights)   # walk never writes to them
        network.biases = list(current.biases)
        return tuple(walk(network, X, y, current.learning_rate,
                          example=current.example, mode=current.mode))

    def _advance(self):
        if self._index >= len(self._steps) - 1:
            if self._steps and self._mode == "example":
                self._example = (self._example + 1) % len(self._X)
            self._start_pass()
        self._index += 1
        record = self._steps[self._index]
        if isinstance(record, UpdateStep):
            self._apply(record)
        return record

    def _apply(self, update: UpdateStep) -> None:
        if blown_up(update.new_weights, update.new_biases):
            raise TrainingOverflow(self._learning_rate)
        for target, new in zip(self.network.weights, update.new_weights):
            np.copyto(target, new)
        for target, new in zip(self.network.biases, update.new_biases):
            np.copyto(target, new)
        self._weights_moved()
        if update.mode == "batch" or update.example == len(self._X) - 1:
            loss = self.loss()
            if not np.isfinite(loss):
                raise TrainingOverflow(self._learning_rate)
            self.epoch += 1
            self.epoch_losses.append(loss)
            self._losses_version += 1

    def _upcoming_example(self) -> int:
        """The row the next pass will walk, when no pass is in progress."""
        if self._steps and self._mode == "example":
            return (self._example + 1) % len(self._X)
        return self._example

    def _at_epoch_boundary(self) -> bool:
        return not self.in_pass and (self._mode == "batch" or self._upcoming_example() == 0)

    def _finish_epoch(self) -> float:
        epoch = self.epoch
        if self.in_pass:
            record = self._advance()
            while not isinstance(record, UpdateStep):
                record = self._advance()
            if self.epoch > epoch:
                return self.epoch_losses[-1]
        if self._at_epoch_boundary():
            losses = train(self.network, self._X, self._y, self._learning_rate, 1, self._mode)
            self._weights_moved()
            self._end_epochs(losses)
        else:
            # Example mode from mid-epoch: the remaining rows, one update each.
            for row in range(self._upcoming_example(), len(self._X)):
                self.network.train_step(self._X[row:row + 1], self._y[row:row + 1],
                                        self._learning_rate)
            self._weights_moved()
            self._end_epochs([self.loss()])
        return self.epoch_losses[-1]

    def _end_epochs(self, losses) -> None:
        if not np.isfinite(losses).all():
            raise TrainingOverflow(self._learning_rate)
        self.epoch += len(losses)
        self.epoch_losses.extend(float(v) for v in losses)
        self._losses_version += 1
        self._example = 0 if self._mode == "example" else self._example
        self._clear_pass()


def _same_loss(loss: float, saved: float | None) -> bool:
    """A loss and its saved JSON value are the same (nan is saved as None)."""
    return saved is None and loss != loss if saved is None else loss == saved


def _valid_rate(value) -> float:
    value = float(value)
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"the learning rate must be a positive number, not {value}")
    return value


def _valid_mode(mode) -> str:
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    return mode


def _valid_data(X, y, n_inputs, empty_width=None):
    """Copies of X (n × d) and y (n,); ``n_inputs`` None accepts any d."""
    X = np.array(X, dtype=float)
    if X.ndim == 1 and X.size == 0:
        X = X.reshape(0, n_inputs or empty_width or 0)
    if X.ndim != 2:
        raise ValueError(f"X must be a table of word counts, got shape {X.shape}")
    if n_inputs is not None and X.shape[1] != n_inputs:
        raise ValueError(f"expected {n_inputs} word counts per row, got {X.shape[1]}")
    y = np.array(y, dtype=float).reshape(-1)
    if len(y) != len(X):
        raise ValueError(f"{len(X)} rows but {len(y)} labels")
    if not (np.isfinite(X).all() and np.isfinite(y).all()):
        raise ValueError("the data must be finite numbers")
    return X, y
