"""Rows of the public-API table for ``lstm_tutorial.book.diagrams`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from _table import Row, Table, _axes, check

import lstm_tutorial.book.diagrams as diagrams

TABLE = Table("book.diagrams")
raises, gives = TABLE.raises, TABLE.gives

gives(
    "book.diagrams.LSTM_STAGES",
    "a tuple of names",
    lambda: diagrams.LSTM_STAGES,
    lambda s: isinstance(s, tuple) and len(s) >= 4,
)
raises(
    "book.diagrams.draw_lstm_chain",
    "seven steps",
    lambda: diagrams.draw_lstm_chain(_axes(), 7),
    ValueError,
    "steps",
    "7",
)
raises(
    "book.diagrams.draw_lstm_chain",
    "steps a float",
    lambda: diagrams.draw_lstm_chain(_axes(), 2.0),
    TypeError,
    "steps",
)
gives(
    "book.diagrams.draw_lstm_chain",
    "three cells: a label per state between and after them",
    lambda: (lambda ax: (diagrams.draw_lstm_chain(ax, 3), [t.get_text() for t in ax.texts])[1])(_axes()),
    lambda texts: all(any(f"{name}_{k}" in t for t in texts) for name in "ch" for k in (1, 2, 3)),
)
gives(
    "book.diagrams.LSTM_FIGSIZE",
    "two positive inches",
    lambda: diagrams.LSTM_FIGSIZE,
    lambda s: len(s) == 2 and min(s) > 0,
)
gives(
    "book.diagrams.LSTM_CHAIN_FIGSIZE",
    "wider than the cell's",
    lambda: diagrams.LSTM_CHAIN_FIGSIZE,
    lambda s: len(s) == 2 and s[0] > diagrams.LSTM_FIGSIZE[0],
)
raises(
    "book.diagrams.draw_lstm_stage",
    "an unknown stage",
    lambda: diagrams.draw_lstm_stage(_axes(), "nope"),
    ValueError,
    "stage",
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
