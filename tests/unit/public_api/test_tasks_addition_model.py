"""Rows of the public-API table for ``lstm_tutorial.tasks.addition_model`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _table import Row, Table, check, equal

from lstm_tutorial.tasks import addition_model

TABLE = Table("tasks.addition_model")
raises, gives = TABLE.raises, TABLE.gives

DATA = addition_model.keras_addition_data(100, digits=2, seed=0)

gives(
    "tasks.addition_model.keras_addition_data",
    "90 + 10 questions, 2 digits: (5, 12) queries, (3, 12) answers",
    lambda: (DATA.x_train.shape, DATA.y_test.shape),
    equal(((90, 5, 12), (10, 3, 12))),
)
gives(
    "tasks.addition_model.AdditionData",
    "held-out answers are the sums of their reversed queries",
    lambda: all(
        int(answer) == sum(map(int, query[::-1].split("+")))
        for query, answer in zip(DATA.test_queries, DATA.test_answers, strict=True)
    ),
    equal(True),
)
raises(
    "tasks.addition_model.keras_addition_data",
    "digits 0",
    lambda: addition_model.keras_addition_data(10, digits=0),
    ValueError,
    "digits",
)
gives(
    "tasks.addition_model.addition_model",
    "LSTM(4) encoder, RepeatVector(3), LSTM(4) decoder, Dense(12): parameter count by hand",
    lambda: addition_model.addition_model(2, 4).count_params(),
    equal(16 * (12 + 4 + 1) + 16 * (4 + 4 + 1) + 4 * 12 + 12),
)
raises(
    "tasks.addition_model.addition_model",
    "hidden 0",
    lambda: addition_model.addition_model(3, 0),
    ValueError,
    "hidden",
)
gives(
    "tasks.addition_model.keras_addition_model",
    "the example's layers",
    lambda: [type(layer).__name__ for layer in addition_model.keras_addition_model(2, 4).layers],
    equal(["LSTM", "RepeatVector", "LSTM", "Dense"]),
)
gives(
    "tasks.addition_model.score_answers",
    "the true answers score 1",
    lambda: addition_model.score_answers(DATA.y_test, DATA).answers,
    equal(1.0),
)
raises(
    "tasks.addition_model.score_answers",
    "rows for another split",
    lambda: addition_model.score_answers(DATA.y_train, DATA),
    ValueError,
    "predicted",
    "10 rows",
)
gives(
    "tasks.addition_model.Scores",
    "baselines in [0, 1]",
    lambda: addition_model.score_answers(np.zeros((10, 3, 12)), DATA).baseline_characters,
    lambda value: 0.0 <= value <= 1.0,
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
