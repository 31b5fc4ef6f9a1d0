"""Rows of the public-API table for ``lstm_tutorial.tasks.sampling`` (see ``_table``)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from _table import CHAR, Row, Table, check, close, equal

from lstm_tutorial.tasks import sampling

TABLE = Table("tasks.sampling")
raises, gives = TABLE.raises, TABLE.gives

gives(
    "tasks.sampling.next_probabilities",
    "temperature 1: the softmax",
    lambda: sampling.next_probabilities(np.array([0.0, math.log(3.0)]), 1.0),
    close([0.25, 0.75]),
)

raises(
    "tasks.sampling.next_probabilities",
    "temperature 0",
    lambda: sampling.next_probabilities(np.zeros(2), 0.0),
    ValueError,
    "temperature",
)

gives(
    "tasks.sampling.sample",
    "seeded: the same ids",
    lambda: (
        sampling.sample(CHAR, np.array([1, 2]), 5, seed=3),
        sampling.sample(CHAR, np.array([1, 2]), 5, seed=3),
    ),
    lambda pair: pair[0].shape == (5,) and np.array_equal(*pair),
)

gives(
    "tasks.sampling.inverse_cdf",
    "u below, at and past each cumulative step",
    lambda: sampling.inverse_cdf(np.array([[0.25, 0.5, 0.25]] * 4), np.array([0.0, 0.2, 0.25, 0.99])),
    equal([0, 0, 1, 2]),
)

raises(
    "tasks.sampling.inverse_cdf",
    "one uniform too few",
    lambda: sampling.inverse_cdf(np.full((2, 3), 1 / 3), np.zeros(1)),
    ValueError,
    "uniforms",
)

gives(
    "tasks.sampling.sample_streams",
    "one row per stream",
    lambda: sampling.sample_streams(CHAR, np.array([1]), 4, streams=3).shape,
    equal((3, 4)),
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
