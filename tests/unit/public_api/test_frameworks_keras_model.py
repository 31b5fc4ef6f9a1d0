"""Rows of the public-API table for ``lstm_tutorial.frameworks.keras_model`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _table import REG32, WX, WY, Row, Table, check, equal, tmp

from lstm_tutorial.frameworks import keras_model

TABLE = Table("frameworks.keras_model")
raises, gives = TABLE.raises, TABLE.gives

gives(
    "frameworks.keras_model.backend",
    "torch (the book's backend)",
    lambda: keras_model.backend(),
    equal("torch"),
)
gives(
    "frameworks.keras_model.keras",
    "Keras 3",
    lambda: keras_model.keras.__version__,
    lambda v: v.startswith("3."),
)
gives(
    "frameworks.keras_model.build_sine_model",
    "the classic parameter count",
    lambda: keras_model.build_sine_model().count_params(),
    equal(101),
)
raises(
    "frameworks.keras_model.save_keras_model",
    "a NumPy model",
    lambda: keras_model.save_keras_model(REG32, tmp() / "m.keras"),
    TypeError,
    "model",
    "keras.Model",
)


def _keras_round_trip() -> tuple[list[np.ndarray], list[np.ndarray]]:
    k = keras_model.build_sine_model()
    k.fit(WX[:8].astype(np.float32), WY[:8].astype(np.float32), epochs=1, batch_size=8, verbose=0)
    keras_model.save_keras_model(k, tmp() / "m.keras")
    return k.get_weights(), keras_model.load_keras_model(tmp() / "m.keras").get_weights()


gives(
    "frameworks.keras_model.load_keras_model",
    "a round trip through save_keras_model (a trained model: its optimizer is built)",
    _keras_round_trip,
    lambda pair: all(np.array_equal(a, b) for a, b in zip(pair[0], pair[1], strict=True)),
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
