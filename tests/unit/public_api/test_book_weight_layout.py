"""Rows of the public-API table for ``lstm_tutorial.book.weight_layout`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from _table import Row, Table, _axes, check

from lstm_tutorial.book import weight_layout

TABLE = Table("book.weight_layout")
raises, gives = TABLE.raises, TABLE.gives

raises(
    "book.weight_layout.draw_weight_layout",
    "an unknown block",
    lambda: weight_layout.draw_weight_layout(_axes(), selected="z"),
    ValueError,
    "selected",
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
