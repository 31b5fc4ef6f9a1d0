"""Rows of the public-API table for ``lstm_tutorial.tasks.metrics`` (see ``_table``)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from _table import Row, Table, check, close, equal

from lstm_tutorial.tasks import metrics

TABLE = Table("tasks.metrics")
raises, gives = TABLE.raises, TABLE.gives

gives(
    "tasks.metrics.bits_per_char", "ln 2 nats = 1 bit", lambda: metrics.bits_per_char(math.log(2)), close(1.0)
)
raises(
    "tasks.metrics.bits_per_char", "negative", lambda: metrics.bits_per_char(-1.0), ValueError, "nats", ">= 0"
)
gives("tasks.metrics.perplexity", "2 ** 3", lambda: metrics.perplexity(3.0), equal(8.0))
raises("tasks.metrics.perplexity", "NaN", lambda: metrics.perplexity(math.nan), ValueError, "bpc", "nan")


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
