"""Rows of the public-API table for ``lstm_tutorial.tasks.forecast`` (see ``_table``)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from _table import WX, Row, Table, check, equal

from lstm_tutorial.tasks import forecast

TABLE = Table("tasks.forecast")
raises, gives = TABLE.raises, TABLE.gives

gives(
    "tasks.forecast.persistence_forecast",
    "the last value",
    lambda: forecast.persistence_forecast(WX),
    equal(WX[:, -1, 0]),
)
gives(
    "tasks.forecast.LinearAR",
    "a frozen dataclass",
    lambda: forecast.LinearAR(np.array([0.5, 0.5]), 1.0),
    lambda ar: ar.intercept == 1.0,
)
gives(
    "tasks.forecast.LinearAR.order", "p", lambda: forecast.LinearAR(np.array([0.5, 0.5]), 1.0).order, equal(2)
)
gives(
    "tasks.forecast.LinearAR.predict",
    "by hand",
    lambda: forecast.LinearAR(np.array([0.5, 0.25]), 1.0).predict(np.array([[[2.0], [4.0]]])),
    equal([3.0]),
)
gives(
    "tasks.forecast.fit_autoregression",
    "recovers an exact AR(1)",
    lambda: forecast.fit_autoregression(np.array([[[1.0]], [[2.0]], [[3.0]]]), np.array([3.0, 5.0, 7.0]), 1),
    lambda ar: np.allclose(ar.coef, [2.0], rtol=1e-12) and math.isclose(ar.intercept, 1.0, rel_tol=1e-12),
)
gives(
    "tasks.forecast.recursive_forecast",
    "persistence repeats the last value",
    lambda: forecast.recursive_forecast(forecast.persistence_forecast, WX[:2], 3),
    lambda f: np.array_equal(f, np.repeat(WX[:2, -1], 3, axis=1)),
)
gives(
    "tasks.forecast.horizon_errors",
    "persistence on a constant series",
    lambda: forecast.horizon_errors(forecast.persistence_forecast, np.ones(30), 5, 3, [5, 10]),
    equal(np.zeros((2, 3))),
)
gives(
    "tasks.forecast.rmse",
    "of [1, -1, 1, -1]",
    lambda: forecast.rmse(np.array([1.0, -1.0, 1.0, -1.0])),
    equal(1.0),
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
