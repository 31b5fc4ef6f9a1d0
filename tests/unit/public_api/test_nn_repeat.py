"""Rows of the public-API table for ``lstm_tutorial.nn.repeat`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _table import Row, Table, check, equal

from lstm_tutorial.nn import repeat

TABLE = Table("nn.repeat")
raises, gives = TABLE.raises, TABLE.gives

LAYER = repeat.RepeatVector(3)
X = np.array([[1.0, 2.0]])  # one vector of 2 features

gives("nn.repeat.RepeatVector", "n kept", lambda: LAYER.n, equal(3))
raises("nn.repeat.RepeatVector", "n = 0", lambda: repeat.RepeatVector(0), ValueError, "n", ">= 1", "got 0")
raises("nn.repeat.RepeatVector", "n a float", lambda: repeat.RepeatVector(2.0), TypeError, "n", "integer")
gives(
    "nn.repeat.repeat_vector_forward",
    "three copies, by hand",
    lambda: repeat.repeat_vector_forward(X, 3),
    equal([[[1.0, 2.0], [1.0, 2.0], [1.0, 2.0]]]),
)
raises(
    "nn.repeat.repeat_vector_forward",
    "a sequence, not a vector",
    lambda: repeat.repeat_vector_forward(np.zeros((1, 2, 3)), 3),
    ValueError,
    "x",
    "2 dimensions",
)
gives(
    "nn.repeat.repeat_vector_backward",
    "the steps' gradients summed, by hand",
    lambda: repeat.repeat_vector_backward(np.array([[[1.0, 0.0], [2.0, 1.0], [3.0, 5.0]]])),
    equal([[6.0, 6.0]]),
)
raises(
    "nn.repeat.repeat_vector_backward",
    "integer gradients",
    lambda: repeat.repeat_vector_backward(np.zeros((1, 2, 3), dtype=int)),
    TypeError,
    "dy",
    "float32 or float64",
)
gives("nn.repeat.RepeatVector.gives", "a sequence", lambda: LAYER.gives("vector"), equal("sequence"))
gives("nn.repeat.RepeatVector.output_steps", "n, whatever it read", lambda: LAYER.output_steps(7), equal(3))
gives("nn.repeat.RepeatVector.with_weights", "the same n", lambda: LAYER.with_weights([]).n, equal(3))
raises(
    "nn.repeat.RepeatVector.with_weights",
    "a weight",
    lambda: LAYER.with_weights([np.zeros(2)]),
    ValueError,
    "weights",
    "0 arrays",
)
gives("nn.repeat.RepeatVector.get_config", "n", lambda: LAYER.get_config(), equal({"n": 3}))
gives(
    "nn.repeat.RepeatVector.from_config",
    "n",
    lambda: repeat.RepeatVector.from_config({"n": 2}, []).n,
    equal(2),
)
raises(
    "nn.repeat.RepeatVector.from_config",
    "no n",
    lambda: repeat.RepeatVector.from_config({}, []),
    ValueError,
    "RepeatVector",
    "missing ['n']",
)
gives(
    "nn.repeat.RepeatVector.forward",
    "two copies",
    lambda: LAYER.with_weights([]).__class__(2).forward(X)[0],
    equal([[[1.0, 2.0], [1.0, 2.0]]]),
)
gives(
    "nn.repeat.RepeatVector.backward",
    "summed, no weight gradients",
    lambda: repeat.RepeatVector(2).backward(np.ones((1, 2, 2)), None),
    lambda r: np.array_equal(r[0], [[2.0, 2.0]]) and r[1] == [],
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
