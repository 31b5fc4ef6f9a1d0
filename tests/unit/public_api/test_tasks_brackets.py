"""Rows of the public-API table for ``lstm_tutorial.tasks.brackets`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from _table import Row, Table, check, equal

from lstm_tutorial.tasks import brackets

TABLE = Table("tasks.brackets")
raises, gives = TABLE.raises, TABLE.gives

gives(
    "tasks.brackets.bracket_closes_within",
    "k = 3 in f(ab)(cdef): each pair marks its ')' and two before it",
    lambda: brackets.bracket_closes_within("f(ab)(cdef)\n", 3),
    equal([0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0]),
)
raises(
    "tasks.brackets.bracket_closes_within",
    "k 0",
    lambda: brackets.bracket_closes_within("f(x)\n", 0),
    ValueError,
    "k",
    ">= 1",
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
