"""The ranges every setting may take, declared once.

The widgets take their ranges from here, the session validator refuses values
outside them, and the parser and the Newton runner enforce the same numbers, so a
value the app lets a user set can always be saved and opened again.
"""
from __future__ import annotations

# ---- classifier ---------------------------------------------------------------------
SEED_RANGE = (0, 99_999)                  # network initialisation seed
LEARNING_RATE_RANGE = (0.001, 10.0)       # α of the classifier's gradient descent
HIDDEN_UNITS_RANGE = (1, 8)               # units per hidden layer
HIDDEN_LAYERS_RANGE = (1, 3)              # hidden layers
MAX_WORD_LENGTH = 40                      # letters in one counted word
MAX_VOCABULARY = 16                       # counted words (input units)
MAX_SENTENCES = 5_000                     # rows of the sentence table
MAX_SENTENCE_LENGTH = 1_000               # characters of one sentence
CLASSIFIER_SPEED_RANGE = (0, 7)           # play-speed slider index (8 speeds)
MAX_ABS_PARAMETER = 1e9                   # |w|, |b| in a session: far beyond training, far below overflow
MAX_EPOCH = 10_000_000                    # epochs counted in a session
MAX_MICRO_STEP = 10_000_000               # micro-step index within one pass

# ---- Newton ---------------------------------------------------------------------------
X0_RANGE = (-1e6, 1e6)                    # start x₀ (spin box, click, drag, session)
TOLERANCE_EXPONENT_RANGE = (1, 15)        # tolerance 1e−1 … 1e−15
TOLERANCE_RANGE = (1e-15, 0.1)            # the same as numbers
MAX_ITER_RANGE = (1, 1_000)               # Newton's iteration cap
RACE_LEARNING_RATE_RANGE = (0.0001, 10.0) # gradient descent's α in the race
RACE_MAX_ITER = 10_000                    # gradient descent's own cap in the race
MAX_FUNCTION_LENGTH = 1_000               # characters of a typed function
PRESET_INDEX_RANGE = (0, 10)              # the Newton tab's 11 presets

# ---- playback ---------------------------------------------------------------------------
NEWTON_SPEED_RANGE = (0.25, 30.0)         # Newton steps per second when playing
