"""Rows of the public-API table for ``lstm_tutorial.book.kept`` (see ``_table``)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from _table import REG32, Row, Table, check, equal, tmp

from lstm_tutorial.book import kept

TABLE = Table("book.kept")
raises, gives = TABLE.raises, TABLE.gives


def _kept(call: Callable[[], Any]) -> Callable[[], Any]:
    """``call`` with kept models in this row's temporary folder."""

    def run() -> Any:
        before = os.environ.get("LSTM_TUTORIAL_KEPT")
        os.environ["LSTM_TUTORIAL_KEPT"] = str(tmp() / "kept")
        try:
            return call()
        finally:
            if before is None:
                del os.environ["LSTM_TUTORIAL_KEPT"]
            else:
                os.environ["LSTM_TUTORIAL_KEPT"] = before

    return run


gives(
    "book.kept.kept_dir",
    "the environment variable, when set",
    _kept(lambda: kept.kept_dir() == tmp() / "kept"),
    equal(True),
)
gives(
    "book.kept.key",
    "a hex SHA-256, the same for the same recipe in any key order",
    lambda: (kept.key({"a": 1, "b": 2}), kept.key({"b": 2, "a": 1}), kept.key({"a": 1, "b": 3})),
    lambda r: len(r[0]) == 64 and int(r[0], 16) >= 0 and r[0] == r[1] != r[2],
)
raises("book.kept.key", "recipe a list", lambda: kept.key([1]), TypeError, "recipe", "list")
gives(
    "book.kept.keep",
    "writes name.npz into the folder",
    _kept(lambda: kept.keep("reg", REG32, {"seed": 0})),
    lambda path: path == tmp() / "kept" / "reg.npz" and path.exists(),
)
raises("book.kept.keep", "model an array", _kept(lambda: kept.keep("x", np.zeros(3), {})), TypeError, "model")
gives(
    "book.kept.load",
    "round trip, and None under another recipe",
    _kept(
        lambda: (
            kept.keep("reg", REG32, {"seed": 0}, {"n": 2}),
            kept.load("reg", {"seed": 0}),
            kept.load("reg", {"seed": 1}),
        )
    ),
    lambda r: (
        r[2] is None
        and r[1][1] == {"n": 2}
        and all(np.array_equal(a, b) for a, b in zip(r[1][0].get_weights(), REG32.get_weights(), strict=True))
    ),
)
raises("book.kept.load", "name with a slash", lambda: kept.load("a/b", {}), ValueError, "name", "'a/b'")


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
