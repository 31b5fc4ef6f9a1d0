"""Rows of the public-API table for ``lstm_tutorial.tasks.vocab`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _table import Row, Table, check, equal

from lstm_tutorial.tasks import vocab

TABLE = Table("tasks.vocab")
raises, gives = TABLE.raises, TABLE.gives

gives("tasks.vocab.PAD", "0", lambda: vocab.PAD, equal(0))
gives("tasks.vocab.START", "1", lambda: vocab.START, equal(1))
gives("tasks.vocab.END", "2", lambda: vocab.END, equal(2))
gives("tasks.vocab.Vocabulary", "symbols kept", lambda: vocab.Vocabulary("ab").symbols, equal("ab"))
raises("tasks.vocab.Vocabulary", "empty", lambda: vocab.Vocabulary(""), TypeError, "symbols")
gives("tasks.vocab.Vocabulary.size", "2 symbols + 3", lambda: vocab.Vocabulary("ab").size, equal(5))
gives(
    "tasks.vocab.Vocabulary.encode",
    "'ba' and 'a' with END, padded",
    lambda: vocab.Vocabulary("ab").encode(["ba", "a"]).tolist(),
    equal([[4, 3, 2], [3, 2, 0]]),
)
raises(
    "tasks.vocab.Vocabulary.encode",
    "a lone string",
    lambda: vocab.Vocabulary("ab").encode("ab"),
    TypeError,
    "texts",
)
gives(
    "tasks.vocab.Vocabulary.decode",
    "stops at END, skips START",
    lambda: vocab.Vocabulary("ab").decode(np.array([[1, 4, 2, 3]])),
    equal(["b"]),
)
raises(
    "tasks.vocab.Vocabulary.decode",
    "id 5 of 5",
    lambda: vocab.Vocabulary("ab").decode(np.array([[5]])),
    ValueError,
    "ids",
    "[0, 5)",
)
gives(
    "tasks.vocab.teacher_forcing_inputs",
    "START then shifted",
    lambda: vocab.teacher_forcing_inputs(np.array([[4, 3, 2]])).tolist(),
    equal([[1, 4, 3]]),
)
raises(
    "tasks.vocab.teacher_forcing_inputs",
    "floats",
    lambda: vocab.teacher_forcing_inputs(np.ones((1, 2))),
    TypeError,
    "target",
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
