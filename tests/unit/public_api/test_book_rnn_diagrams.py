"""Rows of the public-API table for ``lstm_tutorial.book.rnn_diagrams`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from _table import Row, Table, _axes, check

from lstm_tutorial.book import rnn_diagrams

TABLE = Table("book.rnn_diagrams")
raises, gives = TABLE.raises, TABLE.gives

gives(
    "book.rnn_diagrams.draw_unrolled_rnn",
    "draws",
    lambda: (lambda ax: (rnn_diagrams.draw_unrolled_rnn(ax, 3), len(ax.patches))[1])(_axes()),
    lambda n: n > 0,
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
