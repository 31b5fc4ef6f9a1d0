"""Rows of the public-API table for ``lstm_tutorial.tasks.language`` (see ``_table``)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from _table import CHAR, Row, Table, check, close, equal

from lstm_tutorial.nn import layers
from lstm_tutorial.tasks import language

TABLE = Table("tasks.language")
raises, gives = TABLE.raises, TABLE.gives

gives(
    "tasks.language.char_model",
    "Embedding, LSTM, Dense(V)",
    lambda: [type(layer).__name__ for layer in CHAR.layers],
    equal(["Embedding", "Recurrent", "Dense"]),
)
raises("tasks.language.char_model", "vocab_size 0", lambda: language.char_model(0), ValueError, "vocab_size")
gives(
    "tasks.language.next_probabilities",
    "temperature 1: the softmax",
    lambda: language.next_probabilities(np.array([0.0, math.log(3.0)]), 1.0),
    close([0.25, 0.75]),
)
raises(
    "tasks.language.next_probabilities",
    "temperature 0",
    lambda: language.next_probabilities(np.zeros(2), 0.0),
    ValueError,
    "temperature",
)
gives(
    "tasks.language.sample",
    "seeded: the same ids",
    lambda: (
        language.sample(CHAR, np.array([1, 2]), 5, seed=3),
        language.sample(CHAR, np.array([1, 2]), 5, seed=3),
    ),
    lambda pair: pair[0].shape == (5,) and np.array_equal(*pair),
)
gives(
    "tasks.language.inverse_cdf",
    "u below, at and past each cumulative step",
    lambda: language.inverse_cdf(np.array([[0.25, 0.5, 0.25]] * 4), np.array([0.0, 0.2, 0.25, 0.99])),
    equal([0, 0, 1, 2]),
)
raises(
    "tasks.language.inverse_cdf",
    "one uniform too few",
    lambda: language.inverse_cdf(np.full((2, 3), 1 / 3), np.zeros(1)),
    ValueError,
    "uniforms",
)
gives(
    "tasks.language.sample_streams",
    "one row per stream",
    lambda: language.sample_streams(CHAR, np.array([1]), 4, streams=3).shape,
    equal((3, 4)),
)
gives(
    "tasks.language.heldout_bits_per_char",
    "uniform logits: log2 V bits",
    lambda: language.heldout_bits_per_char(
        language.Sequential(
            [CHAR.layers[0], CHAR.layers[1], layers.Dense(np.zeros((4, 5)), np.zeros(5))],
            loss="sparse_categorical_crossentropy",
        ),
        np.arange(9) % 5,
        batch_size=2,
        seq_len=4,
    ),
    close(math.log2(5.0)),
)
raises(
    "tasks.language.heldout_bits_per_char",
    "too few ids",
    lambda: language.heldout_bits_per_char(CHAR, np.arange(3) % 5, batch_size=2, seq_len=4),
    ValueError,
    "ids",
)
gives(
    "tasks.language.log_probs",
    "uniform logits: ln(1/V) for every character after the first",
    lambda: language.log_probs(
        language.Sequential(
            [CHAR.layers[0], CHAR.layers[1], layers.Dense(np.zeros((4, 5)), np.zeros(5))],
            loss="sparse_categorical_crossentropy",
        ),
        np.arange(7) % 5,
        chunk=3,
    ),
    close([math.log(0.2)] * 6),
)
raises(
    "tasks.language.log_probs", "one id", lambda: language.log_probs(CHAR, np.array([1])), ValueError, "ids"
)
gives(
    "tasks.language.train_char_model",
    "a curve entry per evaluation",
    lambda: list(
        language.train_char_model(
            CHAR.copy(), np.arange(17) % 5, 3, batch_size=2, seq_len=4, eval_every=2
        ).steps
    ),
    equal([2, 3]),
)
raises(
    "tasks.language.train_char_model",
    "steps 0",
    lambda: language.train_char_model(CHAR.copy(), np.arange(17) % 5, 0, batch_size=2, seq_len=4),
    ValueError,
    "steps",
)
gives(
    "tasks.language.LearningCurve",
    "the characters read: steps x B x T",
    lambda: language.train_char_model(CHAR.copy(), np.arange(17) % 5, 2, batch_size=2, seq_len=4).characters,
    equal([16]),
)
gives(
    "tasks.language.cell_internals",
    "one row per character; h = o tanh(c)",
    lambda: language.cell_internals(CHAR, np.array([0, 3, 1, 4]), chunk=3),
    lambda got: got.c.shape == (4, 4) and bool(np.allclose(got.h, got.o * np.tanh(got.c), atol=1e-15)),
)
raises(
    "tasks.language.cell_internals",
    "layer 1 of a one-layer model",
    lambda: language.cell_internals(CHAR, np.array([0, 1]), layer=1),
    ValueError,
    "layer",
    "[0, 0]",
)
gives(
    "tasks.language.CellInternals",
    "the first step from zero states: c_1 = i g",
    lambda: language.cell_internals(CHAR, np.array([2, 0])),
    lambda got: bool(np.allclose(got.c[0], got.i[0] * got.g[0], atol=1e-15)),
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
