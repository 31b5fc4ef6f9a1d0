"""Rows of the public-API table for ``lstm_tutorial.book.plots`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
import pytest
from _table import Row, Table, _axes, check

from lstm_tutorial.book import plots

TABLE = Table("book.plots")
raises, gives = TABLE.raises, TABLE.gives

gives("book.plots.COLORS", "an LSTM colour", lambda: plots.COLORS, lambda c: "lstm" in c)
gives(
    "book.plots.use_book_style",
    "opaque figures",
    lambda: (plots.use_book_style(), matplotlib.rcParams["figure.facecolor"])[1],
    lambda c: matplotlib.colors.to_rgba(c)[3] == 1.0,
)
gives(
    "book.plots.heatmap",
    "an image",
    lambda: plots.heatmap(_axes(), np.eye(2), xlabel="x", ylabel="y", title="t"),
    lambda im: im.get_array().shape == (2, 2),
)
gives(
    "book.plots.text_heatmap",
    "a cell per character and its newline; blank beyond the line",
    lambda: plots.text_heatmap(_axes(), "ab\nc", np.array([1.0, 2.0, 3.0, 4.0]), columns=3).get_array(),
    lambda grid: (
        np.array_equal(grid.filled(0.0), [[1.0, 2.0, 3.0], [4.0, 0.0, 0.0]])
        and np.array_equal(grid.mask, [[False, False, False], [False, True, True]])
    ),
)
raises(
    "book.plots.text_heatmap",
    "one value short",
    lambda: plots.text_heatmap(_axes(), "abc", np.zeros(2), columns=3),
    ValueError,
    "values",
    "(3,)",
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
