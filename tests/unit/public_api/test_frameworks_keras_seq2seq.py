"""Rows of the public-API table for ``lstm_tutorial.frameworks.keras_seq2seq`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _table import Row, Table, check, equal

from lstm_tutorial.frameworks import keras_seq2seq
from lstm_tutorial.nn.seq2seq import EncoderDecoder

TABLE = Table("frameworks.keras_seq2seq")
raises, gives = TABLE.raises, TABLE.gives

SMALL = EncoderDecoder.init(4, 5, 2, 3, np.random.default_rng(0), attention=True)

gives(
    "frameworks.keras_seq2seq.LAYER_NAMES",
    "the weighted layers, in order",
    lambda: keras_seq2seq.LAYER_NAMES,
    equal(("source_embedding", "encoder", "target_embedding", "decoder", "attentional", "output")),
)
# 4*2 + 4*3*(2 + 3 + 1) + 5*2 + 72 + (6*3 + 3) + (3*5 + 5), by hand
gives(
    "frameworks.keras_seq2seq.build_keras_twin",
    "Keras counts the weights as by hand",
    lambda: keras_seq2seq.build_keras_twin(4, 5, 2, 3, attention=True).count_params(),
    equal(8 + 72 + 10 + 72 + 21 + 20),
)
raises(
    "frameworks.keras_seq2seq.build_keras_twin",
    "hidden 0",
    lambda: keras_seq2seq.build_keras_twin(4, 5, 2, 0),
    ValueError,
    "hidden",
    ">= 1",
)
gives(
    "frameworks.keras_seq2seq.to_keras",
    "the same weights",
    lambda: keras_seq2seq.to_keras(SMALL).get_layer("output").get_weights()[1],
    equal(SMALL.output.b),
)
raises(
    "frameworks.keras_seq2seq.to_keras",
    "a weight list",
    lambda: keras_seq2seq.to_keras(SMALL.get_weights()),  # type: ignore[arg-type]
    TypeError,
    "model",
    "EncoderDecoder",
)
gives(
    "frameworks.keras_seq2seq.from_keras",
    "back again",
    lambda: keras_seq2seq.from_keras(keras_seq2seq.to_keras(SMALL)).encoder.U,
    equal(SMALL.encoder.U),
)
raises(
    "frameworks.keras_seq2seq.from_keras",
    "a model without the layers",
    lambda: keras_seq2seq.from_keras(
        keras_seq2seq.keras.Sequential([keras_seq2seq.keras.Input((2,)), keras_seq2seq.keras.layers.Dense(1)])
    ),
    ValueError,
    "keras_model",
    "'source_embedding'",
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
