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
gives(
    "book.plots.text_heatmap",
    "white characters on the deep ends of the scale, black in its pale middle",
    lambda: [
        t.get_color()
        for t in _text_colours(plots.text_heatmap(_axes(), "abc", np.array([-1.0, 0.0, 1.0]), columns=3))
    ],
    lambda colours: colours == ["white", "black", "white"],
)
gives(
    "book.plots.contrast_ratio",
    "black on white, WCAG's 21",
    lambda: plots.contrast_ratio("black", "white"),
    lambda r: abs(r - 21.0) < 1e-12,
)
gives(
    "book.plots.contrast_ratio",
    "a colour on itself, 1",
    lambda: plots.contrast_ratio("#b2182b", (0.698, 0.094, 0.169)),
    lambda r: abs(r - 1.0) < 1e-3,
)
raises(
    "book.plots.contrast_ratio",
    "not a colour",
    lambda: plots.contrast_ratio("nocolour", "white"),
    ValueError,
    "nocolour",
)
gives(
    "book.plots.readable_on",
    "white on deep red",
    lambda: plots.readable_on("#67001f"),
    lambda c: c == "white",
)
gives(
    "book.plots.readable_on",
    "black on pale pink",
    lambda: plots.readable_on("#fddbc7"),
    lambda c: c == "black",
)
raises(
    "book.plots.text_heatmap",
    "one value short",
    lambda: plots.text_heatmap(_axes(), "abc", np.zeros(2), columns=3),
    ValueError,
    "values",
    "(3,)",
)


def _text_colours(image: matplotlib.image.AxesImage) -> list[matplotlib.text.Text]:
    return list(image.axes.texts)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
