"""Rows of the public-API table for ``lstm_tutorial.tasks.probe`` (see ``_table``)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from _table import CHAR, Row, Table, check, close

from lstm_tutorial.tasks import probe

TABLE = Table("tasks.probe")
raises, gives = TABLE.raises, TABLE.gives

gives(
    "tasks.probe.unit_correlations",
    "r = 1, -1, and NaN for a constant unit",
    lambda: probe.unit_correlations(np.array([[0.0, 2.0, 5.0], [1.0, 0.0, 5.0]]), np.array([3, 4])),
    lambda r: bool(np.allclose(r[:2], [1.0, -1.0], rtol=1e-15) and np.isnan(r[2])),
)
raises(
    "tasks.probe.unit_correlations",
    "constant labels",
    lambda: probe.unit_correlations(np.eye(3), np.zeros(3)),
    ValueError,
    "labels",
    "equal",
)
gives(
    "tasks.probe.best_unit",
    "the largest |r|, with its sign",
    lambda: probe.best_unit(np.array([[0.0, 1.0], [1.0, 0.0], [0.5, 1.0]]), np.array([0, 1, 0])),
    # unit 0: r = (-1/2, 1/2, 0) . (-1/3, 2/3, -1/3) / (sqrt(1/2) sqrt(2/3)) = sqrt(3)/2;
    # unit 1 is 1 - labels: r = -1, the larger |r|
    lambda got: got[0] == 1 and bool(np.isclose(got[1], -1.0, rtol=1e-14)),
)
raises(
    "tasks.probe.best_unit",
    "absolute not a bool",
    lambda: probe.best_unit(np.eye(3), np.arange(3), absolute=1),
    TypeError,
    "absolute",
)
gives(
    "tasks.probe.character_ratio",
    "ids 0 0 1 1, labels 0 2 3 3: eta^2 = between-id / total sum of squares",
    lambda: probe.character_ratio(np.array([0, 0, 1, 1]), np.array([0.0, 2.0, 3.0, 3.0])),
    # mean 2; total 4 + 0 + 1 + 1 = 6; id means 1 and 3: between 2 * 1 + 2 * 1 = 4
    close(math.sqrt(4.0 / 6.0), rtol=1e-14),
)
raises(
    "tasks.probe.character_ratio",
    "float ids",
    lambda: probe.character_ratio(np.zeros(3), np.arange(3)),
    TypeError,
    "ids",
)
gives(
    "tasks.probe.gate_saturation",
    "fractions below 0.1 and above 0.9",
    lambda: probe.gate_saturation(np.array([[0.05], [0.5], [0.95], [0.99]])),
    lambda lr: bool(np.array_equal(lr[0], [0.25]) and np.array_equal(lr[1], [0.5])),
)
raises(
    "tasks.probe.gate_saturation",
    "low above high",
    lambda: probe.gate_saturation(np.eye(2), low=0.9, high=0.1),
    ValueError,
    "low",
)

gives(
    "tasks.probe.cell_internals",
    "one row per character; h = o tanh(c)",
    lambda: probe.cell_internals(CHAR, np.array([0, 3, 1, 4]), chunk=3),
    lambda got: got.c.shape == (4, 4) and bool(np.allclose(got.h, got.o * np.tanh(got.c), atol=1e-15)),
)

raises(
    "tasks.probe.cell_internals",
    "layer 1 of a one-layer model",
    lambda: probe.cell_internals(CHAR, np.array([0, 1]), layer=1),
    ValueError,
    "layer",
    "[0, 0]",
)

gives(
    "tasks.probe.CellInternals",
    "the first step from zero states: c_1 = i g",
    lambda: probe.cell_internals(CHAR, np.array([2, 0])),
    lambda got: bool(np.allclose(got.c[0], got.i[0] * got.g[0], atol=1e-15)),
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
