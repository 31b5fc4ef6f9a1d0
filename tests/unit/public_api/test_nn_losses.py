"""Rows of the public-API table for ``lstm_tutorial.nn.losses`` (see ``_table``)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from _table import Row, Table, check, close, equal

from lstm_tutorial.nn import losses

TABLE = Table("nn.losses")
raises, gives = TABLE.raises, TABLE.gives

gives(
    "nn.losses.mean_squared_error",
    "by hand",
    lambda: losses.mean_squared_error(np.array([[1.0], [3.0]]), np.zeros(2)),
    lambda r: r[0] == 5.0 and np.array_equal(r[1], [[1.0], [3.0]]),
)
gives(
    "nn.losses.LOSSES",
    "Keras' names",
    lambda: sorted(losses.LOSSES),
    equal(["categorical_crossentropy", "mean_squared_error", "mse", "sparse_categorical_crossentropy"]),
)
gives(
    "nn.losses.categorical_crossentropy",
    "uniform logits, one-hot targets: ln K, gradient (1/K - y) / n",
    lambda: losses.categorical_crossentropy(np.zeros((1, 2, 4)), np.eye(4)[[[0, 3]]]),
    lambda r: math.isclose(r[0], math.log(4.0)) and np.allclose(r[1][0, 0], [-0.375, 0.125, 0.125, 0.125]),
)
gives(
    "nn.losses.softmax",
    "of [0, ln 3]: 1/4, 3/4",
    lambda: losses.softmax(np.array([0.0, math.log(3.0)])),
    close([0.25, 0.75]),
)
gives(
    "nn.losses.log_softmax",
    "of [0, ln 3]: log 1/4, log 3/4",
    lambda: losses.log_softmax(np.array([0.0, math.log(3.0)])),
    close([math.log(0.25), math.log(0.75)]),
)
gives(
    "nn.losses.sparse_categorical_crossentropy",
    "uniform logits: ln K",
    lambda: losses.sparse_categorical_crossentropy(np.zeros((1, 2, 4)), np.array([[0, 3]]))[0],
    close(math.log(4.0)),
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
