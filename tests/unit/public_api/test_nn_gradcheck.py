"""Rows of the public-API table for ``lstm_tutorial.nn.gradcheck`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _table import Row, Table, check, equal

from lstm_tutorial.nn import gradcheck

TABLE = Table("nn.gradcheck")
raises, gives = TABLE.raises, TABLE.gives

gives(
    "nn.gradcheck.rel_error",
    "equal numbers",
    lambda: gradcheck.rel_error(np.array([1.0]), np.array([1.0])),
    equal(0.0),
)
gives(
    "nn.gradcheck.numerical_gradient",
    "of x0 * x1 at (2, 3) is (3, 2)",
    lambda: (lambda v: gradcheck.numerical_gradient(lambda: float(v[0] * v[1]), v))(np.array([2.0, 3.0])),
    lambda g: np.allclose(g, [3.0, 2.0], rtol=1e-8),
)
gives(
    "nn.gradcheck.numerical_gradient_at",
    "one entry",
    lambda: (lambda v: gradcheck.numerical_gradient_at(lambda: float(np.sum(v**3)), v, [(1,)]))(
        np.array([1.0, 2.0])
    ),
    lambda g: np.allclose(g, [12.0], rtol=1e-7),
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
