"""Rows of the public-API table for ``lstm_tutorial.exercises`` and its chapter modules (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from _table import Row, Table, check, equal

from lstm_tutorial import exercises

TABLE = Table("exercises")
raises, gives = TABLE.raises, TABLE.gives

gives(
    "exercises.checking.Exercise",
    "every exercise a record",
    lambda: exercises.EXERCISES,
    lambda e: all(isinstance(x, exercises.Exercise) for x in e.values()),
)
gives(
    "exercises.checking.Exercise.chapter",
    "ch01's",
    lambda: next(iter(exercises.EXERCISES.values())).chapter,
    equal("01_rnn"),
)
gives(
    "exercises.checking.Exercise.function",
    "from the checker's name",
    lambda: next(iter(exercises.EXERCISES.values())).function,
    lambda f: f == next(iter(exercises.EXERCISES.values())).check.__name__.removeprefix("check_"),
)


for _id, exercise in exercises.EXERCISES.items():
    checker_name = f"{exercise.check.__module__.removeprefix('lstm_tutorial.')}.{exercise.check.__name__}"
    gives(
        checker_name,
        f"{_id}: the reference passes",
        lambda e=exercise: e.check(e.reference).passed,
        equal(True),
    )
    gives(
        checker_name,
        f"{_id}: a non-function is an error",
        lambda e=exercise: e.check(42).status,
        equal("error"),
    )
gives(
    "exercises.EXERCISES",
    "one per checker",
    lambda: len(exercises.EXERCISES),
    equal(len([name for name in exercises.__all__ if name.startswith("check_")])),
)
gives(
    "exercises.checking.CheckResult",
    "the verdict",
    lambda: exercises.check_sigmoid(lambda z: 0 * z),
    lambda r: isinstance(r, exercises.CheckResult) and r.status == "fail",
)
raises(
    "exercises.checking.CheckResult.raise_if_failed",
    "a failed check",
    lambda: exercises.check_sigmoid(lambda z: 0 * z).raise_if_failed(),
    AssertionError,
    "sigmoid",
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
