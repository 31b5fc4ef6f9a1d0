"""Rows of the public-API table for ``lstm_tutorial.cli.main`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from _table import Row, Table, check

from lstm_tutorial import cli  # cli.main: the function, which the subpackage re-exports

TABLE = Table("cli.main")
raises, gives = TABLE.raises, TABLE.gives

raises("cli.main.main", "an unknown command", lambda: cli.main(["nope"]), SystemExit, "2")


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
