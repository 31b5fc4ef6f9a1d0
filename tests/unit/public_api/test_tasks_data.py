"""Rows of the public-API table for ``lstm_tutorial.tasks.data`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _table import Row, Table, check

from lstm_tutorial.tasks import data

TABLE = Table("tasks.data")
raises, gives = TABLE.raises, TABLE.gives

gives(
    "tasks.data.sine_wave",
    "a period of 4",
    lambda: data.sine_wave(4, 4.0),
    lambda s: np.allclose(s, [0, 1, 0, -1], atol=1e-15),
)
gives(
    "tasks.data.make_windows",
    "the seed article's windows",
    lambda: data.make_windows(np.arange(5.0), 2),
    lambda r: np.array_equal(r[0][:, :, 0], [[0, 1], [1, 2]]) and np.array_equal(r[1], [2, 3]),
)
gives(
    "tasks.data.train_test_split",
    "a split in time",
    lambda: data.train_test_split(np.arange(20.0), 2, 0.5),
    lambda r: r[1][-1] < r[3][0],
)
gives(
    "tasks.data.adding_problem",
    "targets are the marked sums",
    lambda: data.adding_problem(4, 5, seed=1),
    lambda r: np.allclose((r[0][:, :, 0] * r[0][:, :, 1]).sum(axis=1), r[1], rtol=1e-15),
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
