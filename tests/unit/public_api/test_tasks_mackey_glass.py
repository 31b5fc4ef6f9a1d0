"""Rows of the public-API table for ``lstm_tutorial.tasks.mackey_glass`` (see ``_table``)."""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pytest
from _table import Row, Table, check

TABLE = Table("tasks.mackey_glass")
raises, gives = TABLE.raises, TABLE.gives

MACKEY_GLASS = importlib.import_module("lstm_tutorial.tasks.mackey_glass")  # the package exports its function
gives(
    "tasks.mackey_glass.mackey_glass",
    "same seed, same series",
    lambda: (MACKEY_GLASS.mackey_glass(50), MACKEY_GLASS.mackey_glass(50)),
    lambda pair: pair[0].shape == (50,) and np.array_equal(*pair),
)
raises(
    "tasks.mackey_glass.mackey_glass",
    "tau not a whole number of steps",
    lambda: MACKEY_GLASS.mackey_glass(5, tau=0.05),
    ValueError,
    "tau",
    "whole number",
    "0.05",
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
