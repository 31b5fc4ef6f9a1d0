"""Part IV's data: distinct addition questions drawn as Keras' example draws them, the held-out
split, and the vocabulary with PAD, START and END."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_tutorial.tasks.addition import (
    _numbers,
    addition_pairs,
    addition_set,
    addition_texts,
    held_out_split,
    most_frequent_answer,
    shared_questions,
    whole_answer_accuracy,
)
from lstm_tutorial.tasks.vocab import END, PAD, START, Vocabulary, teacher_forcing_inputs


def test_pairs_are_distinct_in_either_order_and_seeded() -> None:
    a, b = addition_pairs(20_000, 3, seed=1)
    keys = {(min(x, y), max(x, y)) for x, y in zip(a.tolist(), b.tolist(), strict=True)}
    assert len(keys) == 20_000
    again = addition_pairs(20_000, 3, seed=1)
    assert np.array_equal(a, again[0]) and np.array_equal(b, again[1])
    assert not np.array_equal(a, addition_pairs(20_000, 3, seed=2)[0])


def test_number_lengths_follow_the_keras_draw() -> None:
    # Keras' f(): a length L uniform in 1..3, then L uniform digits, so a number has one digit when
    # its leading drawn digits are zeros: P(1 digit) = 1/3 + 1/3 * 1/10 + 1/3 * 1/100 = 0.37.
    numbers = _numbers(np.random.default_rng(0), 100_000, 3)
    standard_error = (0.37 * 0.63 / 100_000) ** 0.5
    assert abs(np.mean(numbers < 10) - 0.37) < 4 * standard_error
    assert numbers.max() <= 999 and numbers.min() >= 0
    # Distinct pairs: each of the 55 unordered one-digit pairs at most once (the draw gives them
    # often, so all 55 are there), and no more.
    a, b = addition_pairs(50_000, 3, seed=0)
    small = {(min(x, y), max(x, y)) for x, y in zip(a.tolist(), b.tolist(), strict=True) if x < 10 and y < 10}
    assert len(small) == 55 and int(np.sum((a < 10) & (b < 10))) == 55


def test_texts_and_split_hold_out_a_tenth_without_shared_questions() -> None:
    a, b = addition_pairs(1000, 3, seed=0)
    questions, answers = addition_texts(a, b)
    assert questions[0] == f"{a[0]}+{b[0]}" and answers[0] == str(a[0] + b[0])
    train, test = held_out_split(1000, 0.1, seed=0)
    assert len(test) == 100 and len(train) == 900
    assert sorted(np.concatenate([train, test]).tolist()) == list(range(1000))
    assert shared_questions([questions[i] for i in train], [questions[i] for i in test]) == 0
    assert shared_questions(["12+7"], ["7+12", "1+2"]) == 1


def test_vocabulary_round_trip_and_padding() -> None:
    vocab = Vocabulary("0123456789+")
    ids = vocab.encode(["12+7", "5"], end=True)
    assert ids.tolist() == [[4, 5, 13, 10, END], [8, END, PAD, PAD, PAD]]
    assert vocab.decode(ids) == ["12+7", "5"]
    assert vocab.encode(["5"], end=False, length=3).tolist() == [[8, PAD, PAD]]
    assert teacher_forcing_inputs(ids).tolist() == [[START, 4, 5, 13, 10], [START, 8, PAD, PAD, PAD]]


@pytest.mark.parametrize(
    ("call", "fragments"),
    [
        (lambda: addition_pairs(300_000, 3), ["count", "at most", "300,000"]),
        (lambda: addition_pairs(10, 10), ["digits", "1 to 9", "10"]),
        (lambda: held_out_split(5, 0.1), ["fraction", "non-empty"]),
        (lambda: Vocabulary("aa"), ["symbols", "once"]),
        (lambda: Vocabulary("ab").encode(["abc"]), ["texts[0]", "'c'"]),
        (lambda: Vocabulary("ab").encode(["ab"], length=1), ["length", "at least 3"]),
    ],
)
def test_bad_input_is_named(call, fragments) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises((ValueError, TypeError)) as error:
        call()
    for fragment in fragments:
        assert fragment in str(error.value)


def test_addition_set_reverses_pads_and_splits() -> None:
    data = addition_set(2000, 3, seed=0)
    k = 0
    question, answer = data.questions[k], data.answers[k]
    assert sum(int(n) for n in question.split("+")) == int(answer)
    assert data.vocabulary.decode(data.source[k : k + 1]) == [question[::-1]]
    assert data.vocabulary.decode(data.target[k : k + 1]) == [answer]
    longest = max(len(q) for q in data.questions)
    assert (
        data.source.shape == (2000, longest) and data.target.shape[1] == max(len(a) for a in data.answers) + 1
    )
    assert data.decoder_input[k, 0] == START and data.decoder_input[k, 1] == data.target[k, 0]
    assert (
        shared_questions([data.questions[i] for i in data.train], [data.questions[i] for i in data.held_out])
        == 0
    )
    forward = addition_set(2000, 3, seed=0, reverse=False)
    assert data.vocabulary.decode(forward.source[:1]) == [question]


def test_trivial_answers() -> None:
    assert most_frequent_answer(["10", "9", "10", "9", "3"]) == "10"
    assert whole_answer_accuracy(["10", "1"], ["10", "10"]) == 0.5
