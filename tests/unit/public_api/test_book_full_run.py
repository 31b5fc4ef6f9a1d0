"""Rows of the public-API table for ``lstm_tutorial.book.full_run`` (see ``_table``)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from _table import Row, Table, check, equal, tmp

from lstm_tutorial.book import full_run

TABLE = Table("book.full_run")
raises, gives = TABLE.raises, TABLE.gives


def _in_tmp(call: Callable[[], Any]) -> Callable[[], Any]:
    """``call`` with the long runs' files in this row's temporary folder."""

    def run() -> Any:
        before = os.environ.get("LSTM_TUTORIAL_DATA")
        os.environ["LSTM_TUTORIAL_DATA"] = str(tmp() / "data")
        try:
            return call()
        finally:
            if before is None:
                del os.environ["LSTM_TUTORIAL_DATA"]
            else:
                os.environ["LSTM_TUTORIAL_DATA"] = before

    return run


def _round_trip() -> full_run.Measured:
    full_run.record("seeds", {"mse": np.float64(0.25), "epoch": np.int64(23)}, command="by hand")
    return full_run.read("seeds")


gives(
    "book.full_run.COMMAND_VARIABLE",
    "its name",
    lambda: full_run.COMMAND_VARIABLE,
    equal("LSTM_TUTORIAL_FULL_RUN_COMMAND"),
)
gives(
    "book.full_run.data_dir",
    "the environment variable, when set",
    _in_tmp(lambda: full_run.data_dir() == tmp() / "data"),
    equal(True),
)
gives(
    "book.full_run.record",
    "the values as plain JSON numbers, with the command, the machine's cores and the versions",
    _in_tmp(
        lambda: (
            lambda doc: (
                doc["values"],
                doc["command"],
                doc["machine"]["cores"] == os.cpu_count(),
                "numpy" in doc["versions"],
            )
        )(json.loads(full_run.record("a", {"x": np.float32(0.5), "n": np.int64(3)}, command="c").read_text()))
    ),
    equal(({"x": 0.5, "n": 3}, "c", True, True)),
)
gives(
    "book.full_run.record",
    "how busy the machine was: its load average over 1, 5 and 15 minutes, also printed by read",
    _in_tmp(
        lambda: (
            lambda doc, shown: (
                len(doc["machine"]["load_average_1_5_15_min"]),
                all(load >= 0 for load in doc["machine"]["load_average_1_5_15_min"]),
                "(load " in shown,
            )
        )(
            json.loads(full_run.record("busy", {"s": 1.5}, command="c").read_text()),
            str(full_run.read("busy")),
        )
    ),
    equal((3, True, True)),
)
raises(
    "book.full_run.record",
    "a NaN",
    _in_tmp(lambda: full_run.record("a", {"x": float("nan")})),
    TypeError,
    "values",
    "finite JSON values",
)
raises(
    "book.full_run.record",
    "a path for a name",
    lambda: full_run.record("../x", {"x": 1}),
    ValueError,
    "name",
    "'../x'",
)
gives(
    "book.full_run.read",
    "what record wrote",
    _in_tmp(lambda: (lambda m: (m["mse"], m["epoch"], m.command))(_round_trip())),
    equal((0.25, 23, "by hand")),
)
raises(
    "book.full_run.read",
    "no long run yet",
    _in_tmp(lambda: full_run.read("never")),
    FileNotFoundError,
    "never.json",
    "FULL_RUN = True",
    "tools/full_run.py",
)
raises(
    "book.full_run.read",
    "a file that is not a record",
    _in_tmp(
        lambda: (
            (tmp() / "data").mkdir(),
            (tmp() / "data" / "bad.json").write_text("[1]"),
            full_run.read("bad"),
        )
    ),
    ValueError,
    "bad.json",
    "not a long run's record",
)
gives(
    "book.full_run.Measured",
    "printed: where it was read from, the command, then the values",
    _in_tmp(lambda: str(_round_trip()).splitlines()),
    lambda lines: (
        lines[0].startswith("read from data/seeds.json")
        and "by hand" in lines[1]
        and lines[-1].split() == ["epoch", "23"]
    ),
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Any) -> None:
    check(row, tmp_path)
