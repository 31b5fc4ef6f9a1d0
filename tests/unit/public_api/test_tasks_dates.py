"""Rows of the public-API table for ``lstm_tutorial.tasks.dates`` (see ``_table``)."""

from __future__ import annotations

import datetime
from pathlib import Path

import numpy as np
import pytest
from _table import Row, Table, check, equal

from lstm_tutorial.tasks import dates

TABLE = Table("tasks.dates")
raises, gives = TABLE.raises, TABLE.gives

DAY = datetime.date(2026, 12, 7)  # a Monday

gives("tasks.dates.DATE_FORMATS", "ten formats, day first", lambda: len(dates.DATE_FORMATS), equal(10))
gives("tasks.dates.TARGET_SYMBOLS", "digits, hyphen", lambda: dates.TARGET_SYMBOLS, equal("0123456789-"))
gives(
    "tasks.dates.SOURCE_SYMBOLS",
    "digits, separators, the names' letters",
    lambda: (
        {"7", "/", ",", ".", " ", "M", "y"} <= set(dates.SOURCE_SYMBOLS) and "Z" not in dates.SOURCE_SYMBOLS
    ),
    equal(True),
)
gives(
    "tasks.dates.format_date",
    "Monday, 7 December 2026",
    lambda: dates.format_date(DAY, "{weekday}, {d} {month} {yyyy}"),
    equal("Monday, 7 December 2026"),
)
raises("tasks.dates.format_date", "field x", lambda: dates.format_date(DAY, "{x}"), ValueError, "pattern")
gives(
    "tasks.dates.vocabularies",
    "44 source symbols + 3, 11 target symbols + 3",
    lambda: tuple(v.size for v in dates.vocabularies()),
    equal((47, 14)),
)
gives(
    "tasks.dates.DateExamples",
    "one example",
    lambda: len(dates.DateExamples(["7/12/2026"], ["2026-12-07"], np.zeros(1, dtype=np.int64))),
    equal(1),
)
gives(
    "tasks.dates.DateExamples.lengths",
    "9 and 11 characters",
    lambda: dates.DateExamples(
        ["7/12/2026", "7 Dec 2026 "], ["", ""], np.zeros(2, np.int64)
    ).lengths.tolist(),
    equal([9, 11]),
)
gives(
    "tasks.dates.split_dates",
    "the 366 days of 2000, a tenth held out",
    lambda: tuple(len(part) for part in dates.split_dates(2000, 2000, 0.1)),
    equal((330, 36)),
)
raises("tasks.dates.split_dates", "year 0", lambda: dates.split_dates(0, 2000), ValueError, "first_year")
gives(
    "tasks.dates.date_examples",
    "one day in all ten formats",
    lambda: sorted(dates.date_examples([DAY], 10).formats.tolist()),
    equal(list(range(10))),
)
raises(
    "tasks.dates.date_examples", "a string", lambda: dates.date_examples("2026-12-07", 1), TypeError, "dates"
)
gives(
    "tasks.dates.date_task",
    "300 and 50 examples",
    lambda: tuple(len(part) for part in dates.date_task(300, 50)),
    equal((300, 50)),
)
raises("tasks.dates.date_task", "seed -1", lambda: dates.date_task(10, 10, seed=-1), ValueError, "seed")
gives(
    "tasks.dates.shared_dates",
    "one held-out answer seen in training",
    lambda: dates.shared_dates(
        dates.DateExamples(["7/12/2026"], ["2026-12-07"], np.zeros(1, np.int64)),
        dates.DateExamples(["Dec 7, 2026", "8/12/2026"], ["2026-12-07", "2026-12-08"], np.zeros(2, np.int64)),
    ),
    equal(1),
)
raises("tasks.dates.shared_dates", "lists", lambda: dates.shared_dates([], []), TypeError, "train")


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
