"""Rows of the public-API table for ``lstm_tutorial.nn.activations`` (see ``_table``)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from _table import SIG, Row, Table, check, close, equal

from lstm_tutorial.nn import activations

TABLE = Table("nn.activations")
raises, gives = TABLE.raises, TABLE.gives

gives(
    "nn.activations.sigmoid",
    "sigmoid(0.5) by hand",
    lambda: activations.sigmoid(np.array([0.5])),
    close([SIG]),
)
gives(
    "nn.activations.sigmoid",
    "no overflow at +1000",
    lambda: activations.sigmoid(np.array([1000.0, 40.0])),
    equal([1.0, 1.0]),
)
gives("nn.activations.tanh", "tanh(0.5)", lambda: activations.tanh(np.array([0.5])), close([math.tanh(0.5)]))


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
