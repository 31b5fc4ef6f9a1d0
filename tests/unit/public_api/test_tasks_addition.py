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
    "not a list",
    lambda: addition.most_frequent_answer("10"),
    ValueError,
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

# --- Keras' format (the example's encoding) ---------------------------------------------------------

A, B = np.array([535, 7]), np.array([61, 8])
gives(
    "tasks.addition.KERAS_CHARS", "digits, plus, space", lambda: addition.KERAS_CHARS, equal("0123456789+ ")
)
gives(
    "tasks.addition.keras_queries",
    "padded to 7 and reversed, by hand",
    lambda: addition.keras_queries(A, B),
    equal([" 16+535", "    8+7"]),
)
gives(
    "tasks.addition.keras_queries",
    "unreversed",
    lambda: addition.keras_queries(A, B, reverse=False),
    equal(["535+61 ", "7+8    "]),
)
raises(
    "tasks.addition.keras_queries",
    "a number with too many digits",
    lambda: addition.keras_queries(np.array([1000]), np.array([1])),
    ValueError,
    "a",
    "[0, 1000)",
)
gives(
    "tasks.addition.keras_answers",
    "padded to 4",
    lambda: addition.keras_answers(A, B),
    equal(["596 ", "15  "]),
)
gives(
    "tasks.addition.KERAS_COLUMNS",
    "sorted, as CharacterTable sorts",
    lambda: addition.KERAS_COLUMNS,
    equal(" +0123456789"),
)
gives(
    "tasks.addition.one_hot",
    "'1+ ' as columns 3, 1, 0",
    lambda: addition.one_hot(["1+ "], 3).argmax(axis=-1).tolist(),
    equal([[3, 1, 0]]),
)
raises(
    "tasks.addition.one_hot",
    "a letter",
    lambda: addition.one_hot(["1+a"], 3),
    ValueError,
    "texts[0]",
    "['a']",
)
gives(
    "tasks.addition.decode",
    "the argmax of each row",
    lambda: addition.decode(np.eye(12, dtype=np.float32)[[[7, 11, 8, 0]]]),
    equal(["596 "]),
)
raises(
    "tasks.addition.decode",
    "11 columns",
    lambda: addition.decode(np.zeros((1, 2, 11))),
    ValueError,
    "rows",
    "12",
)
gives(
    "tasks.addition.character_accuracy",
    "7 of 8 characters",
    lambda: addition.character_accuracy(["596 ", "15  "], ["596 ", "16  "]),
    equal(0.875),
)
raises(
    "tasks.addition.character_accuracy",
    "lengths differ",
    lambda: addition.character_accuracy(["59"], ["596 "]),
    ValueError,
    "one length",
)
gives(
    "tasks.addition.whole_answer_accuracy",
    "1 of 2 answers",
    lambda: addition.whole_answer_accuracy(["596 ", "15  "], ["596 ", "16  "]),
    equal(0.5),
)
gives(
    "tasks.addition.most_frequent_answer",
    "the commonest",
    lambda: addition.most_frequent_answer(["10  ", "9   ", "10  "]),
    equal("10  "),
)
raises(
    "tasks.addition.most_frequent_answer",
    "none",
    lambda: addition.most_frequent_answer([]),
    ValueError,
    "answers",
)
gives(
    "tasks.addition.most_frequent_characters",
    "per position, by hand",
    lambda: addition.most_frequent_characters(["10  ", "19  ", "29 1"]),
    equal("19  "),
)
gives(
    "tasks.addition.shared_sums",
    "one held-out sum (8) was trained on",
    lambda: addition.shared_sums(["8   ", "12  "], ["8   ", "13  "]),
    equal(1),
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
