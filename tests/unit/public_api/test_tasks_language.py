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
    "tasks.language.stepping_twin",
    "the same weights, every recurrent layer stateful and per-step",
    lambda: language.stepping_twin(CHAR).layers[1],
    lambda layer: layer.stateful and layer.return_sequences and layer.cell is CHAR.layers[1].cell,
)
raises(
    "tasks.language.stepping_twin",
    "a model without an Embedding",
    lambda: language.stepping_twin(language.Sequential([CHAR.layers[1]])),
    ValueError,
    "Embedding",
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
