"""Rows of the public-API table for ``lstm_tutorial.nn.dropout`` (see ``_table``).

The masks here are written by hand: 0 where a unit is dropped, 1 / (1 - p) where it is kept
(p = 0.5 gives 2, p = 0.2 gives 1.25), so every expected value is a product worked out here.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _table import Row, Table, check, equal

from lstm_tutorial.nn import dropout

TABLE = Table("nn.dropout")
raises, gives = TABLE.raises, TABLE.gives

X = np.array([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]])
HALF = np.array([[2.0, 0.0, 2.0], [0.0, 2.0, 2.0]])  # p = 0.5: kept units scaled by 2
LAYER = dropout.Dropout(0.5, seed=3)

gives("nn.dropout.check_rate", "0.25", lambda: dropout.check_rate("rate", 0.25), equal(0.25))
raises(
    "nn.dropout.check_rate",
    "1 drops everything",
    lambda: dropout.check_rate("rate", 1.0),
    ValueError,
    "rate",
    "[0, 1)",
)
raises(
    "nn.dropout.check_rate", "a string", lambda: dropout.check_rate("dropout", "0.1"), TypeError, "dropout"
)
gives(
    "nn.dropout.dropout_mask",
    "only 0 and 1 / (1 - p), in the dtype asked",
    lambda: dropout.dropout_mask((50, 40), 0.2, np.random.default_rng(0), np.float32),
    lambda m: m.dtype == np.float32 and set(np.unique(m).tolist()) == {0.0, np.float32(1.25)},
)
raises(
    "nn.dropout.dropout_mask",
    "shape a list",
    lambda: dropout.dropout_mask([2, 3], 0.5, np.random.default_rng(0), np.float64),
    TypeError,
    "shape",
    "tuple",
)
gives(
    "nn.dropout.dropout_forward",
    "a given mask: x * mask",
    lambda: dropout.dropout_forward(X, 0.5, mask=HALF)[0],
    equal([[2.0, 0.0, 6.0], [0.0, 10.0, -12.0]]),
)
gives(
    "nn.dropout.dropout_forward",
    "a (1, 3) mask shared by both rows",
    lambda: dropout.dropout_forward(X, 0.2, mask=np.array([[1.25, 0.0, 1.25]]))[0],
    equal([[1.25, 0.0, 3.75], [5.0, 0.0, -7.5]]),
)
raises(
    "nn.dropout.dropout_forward",
    "both rng and mask",
    lambda: dropout.dropout_forward(X, 0.5, np.random.default_rng(0), HALF),
    ValueError,
    "exactly one of rng",
    "both",
)
gives(
    "nn.dropout.DropoutCache",
    "the mask and x's shape",
    lambda: dropout.dropout_forward(X, 0.5, mask=HALF)[1],
    lambda cache: cache.mask is HALF and cache.shape == (2, 3),
)
gives(
    "nn.dropout.dropout_backward",
    "dy * mask",
    lambda: dropout.dropout_backward(np.ones((2, 3)), dropout.dropout_forward(X, 0.5, mask=HALF)[1]),
    equal(HALF),
)
raises(
    "nn.dropout.dropout_backward",
    "dy of another shape",
    lambda: dropout.dropout_backward(np.ones((3, 2)), dropout.dropout_forward(X, 0.5, mask=HALF)[1]),
    ValueError,
    "dy",
    "(2, 3)",
)
raises("nn.dropout.Dropout", "rate -0.1", lambda: dropout.Dropout(-0.1), ValueError, "rate", "-0.1")
raises(
    "nn.dropout.Dropout.with_weights",
    "one array",
    lambda: LAYER.with_weights([np.zeros(1)]),
    ValueError,
    "weights",
    "0 arrays",
)
gives(
    "nn.dropout.Dropout.get_config",
    "rate and seed",
    lambda: LAYER.get_config(),
    equal({"rate": 0.5, "seed": 3}),
)
gives(
    "nn.dropout.Dropout.from_config",
    "the same layer",
    lambda: dropout.Dropout.from_config({"rate": 0.25, "seed": None}, []),
    equal(dropout.Dropout(0.25)),
)
raises(
    "nn.dropout.Dropout.from_config",
    "seed a string",
    lambda: dropout.Dropout.from_config({"rate": 0.25, "seed": "7"}, []),
    TypeError,
    "seed",
    "'7'",
)
gives(
    "nn.dropout.Dropout.forward",
    "inference: x itself",
    lambda: LAYER.forward(X)[0],
    lambda y: y is X,
)
gives(
    "nn.dropout.Dropout.forward",
    "training with a given mask",
    lambda: LAYER.forward(X, training=True, dropout_mask=HALF)[0],
    equal([[2.0, 0.0, 6.0], [0.0, 10.0, -12.0]]),
)
raises(
    "nn.dropout.Dropout.forward",
    "a mask at inference",
    lambda: LAYER.forward(X, dropout_mask=HALF),
    ValueError,
    "dropout_mask",
    "training=True",
)
gives(
    "nn.dropout.Dropout.backward",
    "through the mask, no weight gradients",
    lambda: LAYER.backward(np.ones((2, 3)), LAYER.forward(X, training=True, dropout_mask=HALF)[1]),
    lambda out: np.array_equal(out[0], HALF) and out[1] == [],
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
