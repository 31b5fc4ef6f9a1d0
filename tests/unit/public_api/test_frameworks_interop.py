"""Rows of the public-API table for ``lstm_tutorial.frameworks.interop`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from _table import CHAR, GRU, REG64, RNN, WX, P, Row, Table, check, equal

from lstm_tutorial.frameworks import interop, keras_model
from lstm_tutorial.nn import lstm
from lstm_tutorial.tasks import language

TABLE = Table("frameworks.interop")
raises, gives = TABLE.raises, TABLE.gives


def _keras_lstm(dtype: str = "float32") -> Any:
    layer = keras_model.keras.layers.LSTM(4, dtype=dtype)
    layer.build((None, 5, 3))
    return layer


gives(
    "frameworks.interop.to_keras",
    "a float64 model into new float64 Keras layers, exactly",
    lambda: interop.to_keras(REG64).get_weights(),
    lambda w: all(
        a.dtype == np.float64 and np.array_equal(a, b) for a, b in zip(w, REG64.get_weights(), strict=True)
    ),
)
raises(
    "frameworks.interop.to_keras",
    "a float64 model into float32 Keras: refused, not rounded",
    lambda: interop.to_keras(REG64, keras_model.build_sine_model()),
    TypeError,
    "float64",
    "float32",
    "layer 'lstm",
    "round",
    "dtype='float64'",
)
raises(
    "frameworks.interop.to_keras",
    "1e300 into float32: refused",
    lambda: interop.to_keras(lstm.LSTMParams(P.W * 0 + 1e300, P.U, P.b), _keras_lstm()),
    TypeError,
    "float64",
    "float32",
    "1e+300",
    "inf",
)


def _refused_copy() -> list[np.ndarray]:
    """The weights of a Keras model after to_keras refused a float64 model into it."""
    keras = keras_model.build_sine_model(seed=3)
    with pytest.raises(TypeError):
        interop.to_keras(REG64, keras)
    return keras.get_weights()


gives(
    "frameworks.interop.to_keras",
    "a refused copy changes no layer",
    _refused_copy,
    lambda w: all(
        np.array_equal(a, b)
        for a, b in zip(w, keras_model.build_sine_model(seed=3).get_weights(), strict=True)
    ),
)
raises(
    "frameworks.interop.to_keras",
    "params a string",
    lambda: interop.to_keras("P"),
    TypeError,
    "params_or_model",
    "str",
)
gives(
    "frameworks.interop.from_keras",
    "float32 out of default Keras",
    lambda: interop.from_keras(_keras_lstm()).dtype,
    lambda d: d == np.float32,
)
gives(
    "frameworks.interop.from_keras",
    "the seed article's port: from_keras(model).predict(float64 windows) = Keras' predict",
    lambda: (
        lambda k: (interop.from_keras(k).predict(WX), k.predict(WX.astype(np.float32), verbose=0)[:, 0])
    )(keras_model.build_sine_model(seed=4)),
    lambda pair: (
        pair[0].dtype == np.float32 and np.abs(pair[0] - pair[1]).max() <= 1e-5
    ),  # as test_agreement_keras
)
raises(
    "frameworks.interop.from_keras",
    "a NumPy cell",
    lambda: interop.from_keras(P),
    TypeError,
    "layer_or_model",
    "LSTMParams",
)
raises(
    "frameworks.interop.to_torch",
    "batch_first 'no'",
    lambda: interop.to_torch(P, batch_first="no"),
    TypeError,
    "batch_first",
)
gives(
    "frameworks.interop.to_torch",
    "weights transposed",
    lambda: interop.to_torch(P).weight_ih_l0.detach().numpy(),
    equal(P.W.T),
)
raises(
    "frameworks.interop.rnn_to_torch",
    "batch_first 1",
    lambda: interop.rnn_to_torch(RNN, batch_first=1),
    TypeError,
    "batch_first",
)
gives(
    "frameworks.interop.rnn_to_torch",
    "weights transposed",
    lambda: interop.rnn_to_torch(RNN).weight_hh_l0.detach().numpy(),
    equal(RNN.U.T),
)
raises(
    "frameworks.interop.gru_to_torch",
    "batch_first None",
    lambda: interop.gru_to_torch(GRU, batch_first=None),
    TypeError,
    "batch_first",
)
gives(
    "frameworks.interop.gru_from_torch",
    "round trip",
    lambda: interop.gru_from_torch(interop.gru_to_torch(GRU)).b,
    equal(GRU.b),
)
gives(
    "frameworks.interop.from_torch",
    "round trip",
    lambda: interop.from_torch(interop.to_torch(P)).W,
    equal(P.W),
)
raises(
    "frameworks.interop.gru_from_torch",
    "an LSTM module",
    lambda: interop.gru_from_torch(interop.to_torch(P)),
    TypeError,
    "module",
    "torch.nn.GRU",
)


# The language model and Keras: from_keras keeps its loss, to_keras its statefulness.
gives(
    "frameworks.interop.from_keras",
    "an Embedding model, never compiled: cross-entropy, not mse",
    lambda: interop.from_keras(interop.to_keras(CHAR)).loss,
    equal("sparse_categorical_crossentropy"),
)
raises(
    "frameworks.interop.from_keras",
    "loss 'mae'",
    lambda: interop.from_keras(interop.to_keras(CHAR), loss="mae"),
    ValueError,
    "loss",
    "'mae'",
)
STATEFUL_CHAR = language.char_model(5, embed=3, hidden=4, layers=1, stateful=True, seed=0)
raises(
    "frameworks.interop.to_keras",
    "a stateful model without batch_size",
    lambda: interop.to_keras(STATEFUL_CHAR),
    ValueError,
    "batch_size",
    "stateful",
)
gives(
    "frameworks.interop.to_keras",
    "a stateful model with batch_size=2: stateful Keras layers for batches of 2",
    lambda: (lambda k: (k.input_shape, [getattr(layer, "stateful", None) for layer in k.layers]))(
        interop.to_keras(STATEFUL_CHAR, batch_size=2)
    ),
    lambda got: got == ((2, None), [None, True, None]),
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
