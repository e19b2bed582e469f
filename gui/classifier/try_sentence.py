"""“Try a sentence”: type any sentence and see the current network's ŷ and mood."""
from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from core.data import MOODS, count_words
from core.notation import NumberRole, format_number


class TrySentence(QWidget):
    """A line edit (``tryInput``) and the prediction for it (``tryPrediction``)."""

    def __init__(self, theme, parent=None):
        super().__init__(parent)
        self.theme = theme
        self._network = None
        self._vocabulary: tuple[str, ...] = ()
        self.input = QLineEdit()
        self.input.setObjectName("tryInput")
        self.input.setPlaceholderText("Try a sentence, e.g. “Aack beep aack!”")
        self.input.setToolTip("Type any sentence: the network's prediction updates as you type")
        self.input.setClearButtonEnabled(True)
        self.prediction = QLabel()
        self.prediction.setObjectName("tryPrediction")
        self.prediction.setWordWrap(True)
        caption = QLabel("Try a sentence:")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(caption)
        row.addWidget(self.input, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.prediction)
        self.input.textChanged.connect(self._refresh)
        theme.changed.connect(self._restyle)
        self._restyle()

    def set_network(self, network, vocabulary) -> None:
        """Predict with ``network`` over ``vocabulary`` (call when either changes)."""
        self._network = network
        self._vocabulary = tuple(vocabulary)
        self._refresh()

    def _refresh(self) -> None:
        text = self.input.text()
        if not text.strip():
            self.prediction.setText("")
            return
        if self._network is None or not self._vocabulary:
            self.prediction.setText("No network to ask (check the vocabulary)")
            return
        counts = [int(c) for c in count_words(text, self._vocabulary)]
        if len(counts) != self._network.layer_sizes[0]:
            self.prediction.setText("The network is being rebuilt for the new vocabulary")
            return
        y_hat = float(self._network.predict([counts])[0])
        mood = MOODS[0] if y_hat >= 0.5 else MOODS[1]
        colour = self.theme.palette.positive if y_hat >= 0.5 else self.theme.palette.negative
        words = " · ".join(f"{w} {c}" for w, c in zip(self._vocabulary, counts))
        note = "" if any(counts) else " — none of the counted words appear"
        self.prediction.setText(
            f"{words}{note} → ŷ = {format_number(y_hat, NumberRole.VALUE)} → "
            f"<b style='color:{colour}'>{mood}</b>")

    def _restyle(self) -> None:
        font = self.font()
        font.setPointSizeF(self.theme.font_size(10))
        self.setFont(font)
        self.input.setFont(font)
        self.prediction.setFont(font)
        self._refresh()
