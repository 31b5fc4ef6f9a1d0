"""Rows of the public-API table for ``lstm_tutorial.book.viewer`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _table import CHAR, Row, Table, check

from lstm_tutorial.book import viewer
from lstm_tutorial.tasks import text

TABLE = Table("book.viewer")
raises, gives = TABLE.raises, TABLE.gives

VOCAB = text.Vocabulary.from_text("abcd")  # CHAR reads 5 ids: "abcd" and the unknown id; H = 4 units
data = lambda **kw: viewer.viewer_data(CHAR, VOCAB, "abcab", {"u": 1}, **kw)  # noqa: E731

gives(
    "book.viewer.viewer_data",
    "one row per character shown, its top-k probabilities likeliest first",
    lambda: data(start=2, top=3),
    lambda got: (
        got["text"] == "cab"
        and np.shape(got["p"]) == (3, 3)
        and all(row == sorted(row, reverse=True) for row in got["p"])
        and all(0.0 < sum(row) <= 1.0 + 1.5e-4 for row in got["p"])
        and len(got["units"][0]["values"]) == 3
    ),
)
gives(
    "book.viewer.viewer_data",
    "top = V lists every id once, the unknown one as U+FFFD, and sums to 1",
    lambda: data(top=5),
    lambda got: (
        all(sorted(row) == sorted("abcd\ufffd") for row in got["next"])
        and all(abs(sum(row) - 1.0) <= 2.5e-4 for row in got["p"])
    ),
)
raises("book.viewer.viewer_data", "top 0", lambda: data(top=0), ValueError, "top", "[1, 5]", "0")
raises(
    "book.viewer.viewer_data", "start past the end", lambda: data(start=5), ValueError, "start", "[0, 4]", "5"
)
raises(
    "book.viewer.viewer_data",
    "a unit the layer does not have",
    lambda: viewer.viewer_data(CHAR, VOCAB, "abc", {"u": 4}),
    ValueError,
    "units['u']",
    "[0, 3]",
    "4",
)
raises(
    "book.viewer.viewer_data",
    "a unit given as a float",
    lambda: viewer.viewer_data(CHAR, VOCAB, "abc", {"u": 1.0}),
    TypeError,
    "units",
    "'u': 1.0",
)
raises(
    "book.viewer.viewer_data",
    "no units",
    lambda: viewer.viewer_data(CHAR, VOCAB, "abc", {}),
    ValueError,
    "units",
    "non-empty",
)
raises(
    "book.viewer.viewer_data",
    "another model's vocabulary",
    lambda: viewer.viewer_data(CHAR, text.Vocabulary.from_text("ab"), "abc", {"u": 1}),
    ValueError,
    "vocab",
    "5 ids",
    "has 3",
)
raises(
    "book.viewer.viewer_data",
    "text empty",
    lambda: viewer.viewer_data(CHAR, VOCAB, "", {"u": 1}),
    TypeError,
    "text",
)
gives(
    "book.viewer.viewer_html",
    "a div with the select element listing the units",
    lambda: viewer.viewer_html(data(top=2), element_id="v"),
    lambda page: (
        page.startswith('<div class="cell-viewer') and '<option value="0">u: unit 1</option>' in page
    ),
)
raises(
    "book.viewer.viewer_html",
    "an id with a quote",
    lambda: viewer.viewer_html(data(top=2), element_id='v"'),
    ValueError,
    "element_id",
)
raises(
    "book.viewer.viewer_html", "not the data", lambda: viewer.viewer_html({"text": "a"}), TypeError, "data"
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
