"""Rows of the public-API table for ``lstm_tutorial.nn.schedules`` (see ``_table``)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from _table import Row, Table, check, close, equal

from lstm_tutorial.nn import schedules

TABLE = Table("nn.schedules")
raises, gives = TABLE.raises, TABLE.gives

WARM = {"initial_learning_rate": 0.0, "decay_steps": 4, "alpha": 0.1, "warmup_target": 0.2, "warmup_steps": 2}

gives(
    "nn.schedules.CosineDecay",
    "half a cosine from 1 to 0 over 4 steps, by hand",
    lambda: [schedules.CosineDecay(1.0, 4)(k) for k in range(6)],
    close([1.0, (1 + math.cos(math.pi / 4)) / 2, 0.5, (1 + math.cos(3 * math.pi / 4)) / 2, 0.0, 0.0]),
)
gives(
    "nn.schedules.CosineDecay",
    "a warm-up from 0 to 0.2 over 2 steps, then down to alpha 0.1 of it",
    lambda: [schedules.CosineDecay(**WARM)(k) for k in (0, 1, 2, 4, 6, 9)],
    close([0.0, 0.1, 0.2, 0.2 * (0.9 * 0.5 + 0.1), 0.02, 0.02]),
)
raises(
    "nn.schedules.CosineDecay",
    "a negative step",
    lambda: schedules.CosineDecay(1.0, 4)(-1),
    ValueError,
    "step",
    ">= 0",
    "-1",
)
gives(
    "nn.schedules.CosineDecay.get_config",
    "the constructor's arguments",
    lambda: schedules.CosineDecay(**WARM).get_config(),
    equal(WARM),
)
gives(
    "nn.schedules.CosineDecay.from_config",
    "round trip through get_config",
    lambda: schedules.CosineDecay.from_config(schedules.CosineDecay(**WARM).get_config())(3),
    close([0.2 * (0.9 * (1 + math.cos(math.pi / 4)) / 2 + 0.1)]),
)
raises(
    "nn.schedules.CosineDecay.from_config",
    "a key missing",
    lambda: schedules.CosineDecay.from_config({"initial_learning_rate": 1.0}),
    ValueError,
    "CosineDecay's config",
    "decay_steps",
    "initial_learning_rate",
)
gives(
    "nn.schedules.LearningRate",
    "a number or a CosineDecay",
    lambda: schedules.LearningRate,
    equal(float | schedules.CosineDecay),
)
gives("nn.schedules.rate_at", "a number is every step's rate", lambda: schedules.rate_at(0.3, 7), equal(0.3))
gives(
    "nn.schedules.rate_at",
    "a schedule's value at the step",
    lambda: schedules.rate_at(schedules.CosineDecay(1.0, 2), 1),
    close([0.5]),
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
