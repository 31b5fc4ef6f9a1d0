"""The addition example's encoding (Keras' format): checked against the example's own rules, written
out here, on the 50,000 questions it draws."""

from __future__ import annotations

from collections import Counter

import numpy as np

from lstm_tutorial.tasks.addition import (
    KERAS_CHARS,
    addition_pairs,
    character_accuracy,
    decode,
    keras_answers,
    keras_queries,
    most_frequent_answer,
    most_frequent_characters,
    one_hot,
    shared_sums,
    whole_answer_accuracy,
)
from lstm_tutorial.tasks.addition_model import keras_addition_data

A, B = addition_pairs(50_000, 3, seed=0)


def test_queries_and_answers_follow_the_example_and_round_trip_through_one_hot() -> None:
    queries, answers = keras_queries(A, B), keras_answers(A, B)
    for a, b, query, answer in list(zip(A.tolist(), B.tolist(), queries, answers, strict=True))[:2000]:
        q = f"{a}+{b}"  # the example: query = q + " " * (MAXLEN - len(q)); query = query[::-1]
        assert query == (q + " " * (7 - len(q)))[::-1]
        assert answer == str(a + b) + " " * (4 - len(str(a + b)))
    x, y = one_hot(queries, 7), one_hot(answers, 4)
    assert x.shape == (50_000, 7, 12) and y.shape == (50_000, 4, 12) and x.dtype == np.float32
    assert np.all(x.sum(axis=-1) == 1) and decode(x) == queries and decode(y) == answers
    assert KERAS_CHARS == "0123456789+ "
    # The example's CharacterTable: chars = sorted(set(chars)), column k for chars[k].
    table = sorted(set("0123456789+ "))
    np.testing.assert_array_equal(one_hot(["".join(table)], 12)[0], np.eye(12))


def test_accuracies_and_baselines_against_counts_written_out() -> None:
    data = keras_addition_data(5000, 3, seed=1)
    train, test = data.train_answers, data.test_answers
    commonest = Counter(train).most_common(1)[0]
    assert most_frequent_answer(train) == commonest[0]
    per_position = "".join(Counter(a[k] for a in train).most_common(1)[0][0] for k in range(4))
    assert most_frequent_characters(train) == per_position
    expected_chars = np.mean([[p == c for p, c in zip(per_position, a, strict=True)] for a in test])
    assert character_accuracy([per_position] * len(test), test) == expected_chars
    assert whole_answer_accuracy([commonest[0]] * len(test), test) == np.mean(
        [a == commonest[0] for a in test]
    )
    assert whole_answer_accuracy(test, test) == 1.0 and character_accuracy(test, test) == 1.0


def test_shared_sums_by_brute_force() -> None:
    data = keras_addition_data(3000, 3, seed=2)
    sums = {int(a) for a in data.train_answers}
    assert shared_sums(data.train_answers, data.test_answers) == sum(
        int(a) in sums for a in data.test_answers
    )
    assert shared_sums(data.train_answers, data.test_answers) > 0
