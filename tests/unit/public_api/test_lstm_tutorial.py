"""Rows of the public-API table for ``lstm_tutorial`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from _table import Row, Table, check, equal

import lstm_tutorial

TABLE = Table("lstm_tutorial")
raises, gives = TABLE.raises, TABLE.gives

gives(
    "lstm_tutorial.__version__",
    "pyproject's version",
    lambda: lstm_tutorial.__version__,
    equal(
        next(
            line.split('"')[1]
            for line in (Path(__file__).parents[3] / "pyproject.toml").read_text().splitlines()
            if line.startswith("version")
        )
    ),
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
