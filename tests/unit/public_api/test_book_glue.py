"""Rows of the public-API table for ``lstm_tutorial.book.glue`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _table import Row, Table, check

import lstm_tutorial.book.glue as book

TABLE = Table("book.glue")
raises, gives = TABLE.raises, TABLE.gives

raises(
    "book.glue.glue",
    "name not an identifier",
    lambda: book.glue("two words", 1.0),
    ValueError,
    "name",
    "two words",
)
raises("book.glue.glue", "value a list", lambda: book.glue("x", [1.0]), TypeError, "value", "list")
raises("book.glue.glue", "value a bool", lambda: book.glue("x", True), TypeError, "value", "bool")
gives(
    "book.glue.glue",
    "a NumPy scalar is accepted and nothing is returned",
    lambda: book.glue("x", np.float64(0.5)),
    lambda got: got is None,
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
