"""Rows of the public-API table for ``lstm_tutorial.frameworks.keras`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from _table import CHAR, REG32, REG64, WX, WY, P, Row, Table, check, equal, tmp

from lstm_tutorial.frameworks import keras as keras_bridge
from lstm_tutorial.nn import lstm, regressors
from lstm_tutorial.tasks import language

TABLE = Table("frameworks.keras")
raises, gives = TABLE.raises, TABLE.gives


def _built(layer: Any) -> Any:
    layer.build((None, 5, 3))
    return layer


gives(
    "frameworks.keras.backend",
    "torch (the book's backend)",
    lambda: keras_bridge.backend(),
    equal("torch"),
)
gives(
    "frameworks.keras.keras",
    "Keras 3",
    lambda: keras_bridge.keras.__version__,
    lambda v: v.startswith("3."),
)
gives(
    "frameworks.keras.build_sine_model",
    "the classic parameter count",
    lambda: keras_bridge.build_sine_model().count_params(),
    equal(101),
)
raises(
    "frameworks.keras.save_keras_model",
    "a NumPy model",
    lambda: keras_bridge.save_keras_model(REG32, tmp() / "m.keras"),
    TypeError,
    "model",
    "keras.Model",
)


def _keras_round_trip() -> tuple[list[np.ndarray], list[np.ndarray]]:
    k = keras_bridge.build_sine_model()
    k.fit(WX[:8].astype(np.float32), WY[:8].astype(np.float32), epochs=1, batch_size=8, verbose=0)
    keras_bridge.save_keras_model(k, tmp() / "m.keras")
    return k.get_weights(), keras_bridge.load_keras_model(tmp() / "m.keras").get_weights()


gives(
    "frameworks.keras.load_keras_model",
    "a round trip through save_keras_model (a trained model: its optimizer is built)",
    _keras_round_trip,
    lambda pair: all(np.array_equal(a, b) for a, b in zip(pair[0], pair[1], strict=True)),
)


def _keras_lstm(dtype: str = "float32") -> Any:
    layer = keras_bridge.keras.layers.LSTM(4, dtype=dtype)
    layer.build((None, 5, 3))
    return layer


gives(
    "frameworks.keras.to_keras",
    "a float64 model into new float64 Keras layers, exactly",
    lambda: keras_bridge.to_keras(REG64).get_weights(),
    lambda w: all(
        a.dtype == np.float64 and np.array_equal(a, b) for a, b in zip(w, REG64.get_weights(), strict=True)
    ),
)
raises(
    "frameworks.keras.to_keras",
    "a float64 model into float32 Keras: refused, not rounded",
    lambda: keras_bridge.to_keras(REG64, keras_bridge.build_sine_model()),
    TypeError,
    "float64",
    "float32",
    "layer 'lstm",
    "round",
    "dtype='float64'",
)
raises(
    "frameworks.keras.to_keras",
    "1e300 into float32: refused",
    lambda: keras_bridge.to_keras(lstm.LSTMParams(P.W * 0 + 1e300, P.U, P.b), _keras_lstm()),
    TypeError,
    "float64",
    "float32",
    "1e+300",
    "inf",
)


def _refused_copy() -> list[np.ndarray]:
    """The weights of a Keras model after to_keras refused a float64 model into it."""
    keras = keras_bridge.build_sine_model(seed=3)
    with pytest.raises(TypeError):
        keras_bridge.to_keras(REG64, keras)
    return keras.get_weights()


gives(
    "frameworks.keras.to_keras",
    "a refused copy changes no layer",
    _refused_copy,
    lambda w: all(
        np.array_equal(a, b)
        for a, b in zip(w, keras_bridge.build_sine_model(seed=3).get_weights(), strict=True)
    ),
)
raises(
    "frameworks.keras.to_keras",
    "params a string",
    lambda: keras_bridge.to_keras("P"),
    TypeError,
    "params_or_model",
    "str",
)
gives(
    "frameworks.keras.from_keras",
    "float32 out of default Keras",
    lambda: keras_bridge.from_keras(_keras_lstm()).dtype,
    lambda d: d == np.float32,
)
gives(
    "frameworks.keras.from_keras",
    "the seed article's port: from_keras(model).predict(float64 windows) = Keras' predict",
    lambda: (
        lambda k: (keras_bridge.from_keras(k).predict(WX), k.predict(WX.astype(np.float32), verbose=0)[:, 0])
    )(keras_bridge.build_sine_model(seed=4)),
    lambda pair: (
        pair[0].dtype == np.float32 and np.abs(pair[0] - pair[1]).max() <= 1e-5
    ),  # as test_agreement_keras
)
raises(
    "frameworks.keras.from_keras",
    "a NumPy cell",
    lambda: keras_bridge.from_keras(P),
    TypeError,
    "layer_or_model",
    "LSTMParams",
)


# The language model and Keras: from_keras keeps its loss, to_keras its statefulness.
gives(
    "frameworks.keras.from_keras",
    "an Embedding model, never compiled: cross-entropy, not mse",
    lambda: keras_bridge.from_keras(keras_bridge.to_keras(CHAR)).loss,
    equal("sparse_categorical_crossentropy"),
)
raises(
    "frameworks.keras.from_keras",
    "loss 'mae'",
    lambda: keras_bridge.from_keras(keras_bridge.to_keras(CHAR), loss="mae"),
    ValueError,
    "loss",
    "'mae'",
)
STATEFUL_CHAR = language.char_model(5, embed=3, hidden=4, layers=1, stateful=True, seed=0)
raises(
    "frameworks.keras.to_keras",
    "a stateful model without batch_size",
    lambda: keras_bridge.to_keras(STATEFUL_CHAR),
    ValueError,
    "batch_size",
    "stateful",
)
gives(
    "frameworks.keras.to_keras",
    "a stateful model with batch_size=2: stateful Keras layers for batches of 2",
    lambda: (lambda k: (k.input_shape, [getattr(layer, "stateful", None) for layer in k.layers]))(
        keras_bridge.to_keras(STATEFUL_CHAR, batch_size=2)
    ),
    lambda got: got == ((2, None), [None, True, None]),
)

# Every field of a Keras layer's config is compared: what this package cannot carry is refused by name.
raises(
    "frameworks.keras.from_keras",
    "go_backwards=True",
    lambda: keras_bridge.from_keras(_built(keras_bridge.keras.layers.LSTM(4, go_backwards=True))),
    ValueError,
    "layer_or_model",
    "go_backwards=True",
)
raises(
    "frameworks.keras.from_keras",
    "mask_zero=True",
    lambda: keras_bridge.from_keras(
        keras_bridge.keras.Sequential(
            [
                keras_bridge.keras.Input((5,), dtype="int32"),
                keras_bridge.keras.layers.Embedding(6, 3, mask_zero=True),
                keras_bridge.keras.layers.LSTM(4),
            ]
        )
    ),
    ValueError,
    "layer_or_model.layers[0]",
    "mask_zero=True",
)
raises(
    "frameworks.keras.to_keras",
    "a peephole cell: no Keras twin",
    lambda: keras_bridge.to_keras(regressors.VariantRegressor.init()),
    ValueError,
    "Keras has no layer for a PeepholeParams cell",
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
