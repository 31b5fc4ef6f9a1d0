"""Rows of the public-API table for ``lstm_tutorial.tasks.addition`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _table import Row, Table, check, equal

from lstm_tutorial.tasks import addition

TABLE = Table("tasks.addition")
raises, gives = TABLE.raises, TABLE.gives

gives(
    "tasks.addition.addition_pairs",
    "10 one-digit questions: all distinct, all below 10",
    lambda: len(
        {tuple(sorted(p)) for p in zip(*(x.tolist() for x in addition.addition_pairs(10, 1)), strict=True)}
    ),
    equal(10),
)
raises("tasks.addition.addition_pairs", "count 0", lambda: addition.addition_pairs(0), ValueError, "count")
gives(
    "tasks.addition.addition_texts",
    "535 + 61",
    lambda: addition.addition_texts(np.array([535]), np.array([61])),
    lambda got: got == (["535+61"], ["596"]),
)
raises(
    "tasks.addition.addition_texts",
    "float numbers",
    lambda: addition.addition_texts(np.array([1.0]), np.array([2])),
    TypeError,
    "a",
    "integer",
)
gives(
    "tasks.addition.held_out_split",
    "20 examples, a tenth held out: 18 and 2",
    lambda: tuple(len(part) for part in addition.held_out_split(20, 0.1)),
    equal((18, 2)),
)
raises(
    "tasks.addition.held_out_split",
    "fraction 1",
    lambda: addition.held_out_split(20, 1.0),
    ValueError,
    "fraction",
)
gives(
    "tasks.addition.shared_questions",
    "7+12 is 12+7",
    lambda: addition.shared_questions(["12+7", "3+4"], ["7+12", "4+5"]),
    equal(1),
)


gives(
    "tasks.addition.addition_set",
    "reversed source '16+535'-style: 5+12 reads '21+5'",
    lambda: (lambda d: d.vocabulary.decode(d.source[:1]) == [d.questions[0][::-1]])(
        addition.addition_set(30, 2)
    ),
    equal(True),
)
raises(
    "tasks.addition.addition_set",
    "reverse 1",
    lambda: addition.addition_set(30, 2, reverse=1),
    TypeError,
    "reverse",
)
gives(
    "tasks.addition.AdditionSet",
    "target ends with END (id 2) after the answer",
    lambda: (lambda d: int(d.target[0, len(d.answers[0])]))(addition.addition_set(30, 2)),
    equal(2),
)
gives(
    "tasks.addition.most_frequent_answer",
    "ties go to the smallest text",
    lambda: addition.most_frequent_answer(["9", "10"]),
    equal("10"),
)
raises(
    "tasks.addition.most_frequent_answer",
    "empty",
    lambda: addition.most_frequent_answer([]),
    TypeError,
    "answers",
)
gives(
    "tasks.addition.whole_answer_accuracy",
    "1 of 4",
    lambda: addition.whole_answer_accuracy(["1", "2", "3", "4"], ["1", "0", "0", "0"]),
    equal(0.25),
)
raises(
    "tasks.addition.whole_answer_accuracy",
    "lengths differ",
    lambda: addition.whole_answer_accuracy(["1"], ["1", "2"]),
    ValueError,
    "predicted",
    "same length",
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
