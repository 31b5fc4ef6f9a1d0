"""Rows of the public-API table for ``lstm_tutorial.tasks.language_training`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _table import CHAR, Row, Table, check, equal

from lstm_tutorial.tasks import language_training

TABLE = Table("tasks.language_training")
raises, gives = TABLE.raises, TABLE.gives

gives(
    "tasks.language_training.train_char_model",
    "a curve entry per evaluation",
    lambda: list(
        language_training.train_char_model(
            CHAR.copy(), np.arange(17) % 5, 3, batch_size=2, seq_len=4, eval_every=2
        ).steps
    ),
    equal([2, 3]),
)

raises(
    "tasks.language_training.train_char_model",
    "steps 0",
    lambda: language_training.train_char_model(CHAR.copy(), np.arange(17) % 5, 0, batch_size=2, seq_len=4),
    ValueError,
    "steps",
)

gives(
    "tasks.language_training.LearningCurve",
    "the characters read: steps x B x T",
    lambda: (
        language_training.train_char_model(
            CHAR.copy(), np.arange(17) % 5, 2, batch_size=2, seq_len=4
        ).characters
    ),
    equal([16]),
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
