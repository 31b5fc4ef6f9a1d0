"""Rows of the public-API table for ``lstm_tutorial.tasks.dependencies`` (see ``_table``)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from _table import Row, Table, check, close, equal

from lstm_tutorial.tasks import dependencies

TABLE = Table("tasks.dependencies")
raises, gives = TABLE.raises, TABLE.gives

gives(
    "tasks.dependencies.DEPENDENCY_KINDS",
    "three kinds",
    lambda: dependencies.DEPENDENCY_KINDS,
    equal(("bracket", "quote", "dedent")),
)
gives(
    "tasks.dependencies.DependencyKind",
    "the same three",
    lambda: dependencies.DependencyKind.__args__,
    equal(("bracket", "quote", "dedent")),
)
# f0 (1 '2 a3 '4 )5 \n6: the quote closes 2 back, the bracket 4 back.
gives(
    "tasks.dependencies.dependency_distances",
    "f('a'): quote 2, bracket 4",
    lambda: dependencies.dependency_distances("f('a')\n"),
    equal(np.array([-1, -1, -1, -1, 2, 4, -1])),
)
gives(
    "tasks.dependencies.dependency_distances",
    "dedent: x in def's column, 22 back",
    lambda: dependencies.dependency_distances("def f():\n    return 1\nx = 2\n", kinds=("dedent",))[22],
    equal(22),
)
raises(
    "tasks.dependencies.dependency_distances",
    "an unknown kind",
    lambda: dependencies.dependency_distances("x\n", kinds=("indent",)),
    ValueError,
    "kinds",
    "'indent'",
)
raises(
    "tasks.dependencies.dependency_distances",
    "an unclosed string",
    lambda: dependencies.dependency_distances("s = '''\n"),
    ValueError,
    "source",
    "tokenize",
)

# Distances 3, 15, 15 and one without a dependency; gains 1, 0, 2 (by hand).
TABLE_3 = dependencies.gains_by_distance(
    np.array([3, -1, 15, 15]), np.array([2.0, 9.0, 1.0, 3.0]), np.array([1.0, 0.0, 1.0, 1.0]), bounds=(10,)
)
gives(
    "tasks.dependencies.gains_by_distance",
    "two bins by hand",
    lambda: (TABLE_3.bins, TABLE_3.count.tolist(), TABLE_3.gain.tolist()),
    equal((("1-10", ">10"), [1, 2], [1.0, 1.0])),
)
raises(
    "tasks.dependencies.gains_by_distance",
    "bits of N - 1 characters against N distances",
    lambda: dependencies.gains_by_distance(np.array([3, -1]), np.array([1.0]), np.array([1.0])),
    ValueError,
    "baseline_bits",
    "distances[1:]",
)
gives(
    "tasks.dependencies.DistanceGains",
    "its standard errors: none for one character; gains 0, 2: sd sqrt(2) / sqrt(2)",
    lambda: TABLE_3.gain_sem,
    lambda sem: math.isnan(sem[0]) and close(1.0)(sem[1]),
)
gives(
    "tasks.dependencies.DistanceGains.to_rows",
    "one tuple per bin",
    lambda: TABLE_3.to_rows()[1],
    equal((">10", 2, 2.0, 1.0, 1.0, 1.0)),
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
