"""Keras' addition example as data and models: what chapter 14 and ``python -m lstm_tutorial seq2seq`` train.

    data = keras_addition_data(50_000, digits=3, seed=0)   one-hot queries and answers, held-out tenth
    keras_model = keras_addition_model(digits=3)            the example's model, compiled as it compiles
    numpy_model = addition_model(digits=3)                  the same network in NumPy (or from_keras)
    scores = score_answers(probabilities, data)             held-out accuracy beside the baselines

The model is the example's: LSTM(128) reads the reversed query (N, 7, 12) into one vector,
RepeatVector(4) hands that vector to each of the answer's 4 steps, LSTM(128, return_sequences=True)
runs over them and Dense(12) scores the 12 characters at each step. Keras ends in a softmax and
``categorical_crossentropy``; the NumPy model ends in logits and ``"categorical_crossentropy"`` on
logits (``nn.losses``), the same function.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..frameworks import _imports
from ..nn import _checks
from ..nn.layers import Dense, Recurrent
from ..nn.lstm import LSTMParams
from ..nn.model import Sequential
from ..nn.repeat import RepeatVector
from .addition import (
    KERAS_CHARS,
    addition_pairs,
    character_accuracy,
    decode,
    held_out_split,
    keras_answers,
    keras_queries,
    most_frequent_answer,
    most_frequent_characters,
    one_hot,
    shared_sums,
    whole_answer_accuracy,
)

__all__ = [
    "AdditionData",
    "Scores",
    "addition_model",
    "keras_addition_data",
    "keras_addition_model",
    "score_answers",
]


@dataclass
class AdditionData:
    """The example's data: one-hot reversed queries and padded answers, split as it splits them.

    Shapes: x_* (N, 2 * digits + 1, 12) and y_* (N, digits + 1, 12), float32; the text lists have N
    entries (answers padded with spaces, queries as the model reads them: padded and reversed).
    """

    digits: int
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    train_queries: list[str]
    train_answers: list[str]
    test_queries: list[str]
    test_answers: list[str]


def keras_addition_data(
    count: int = 50_000, digits: int = 3, seed: int = 0, reverse: bool = True
) -> AdditionData:
    """``count`` distinct questions (``addition.addition_pairs``), the last tenth of a shuffle held out.

    Args:
        count: N, the questions (the example: 50,000).
        digits: the most digits a number has (the example: 3).
        seed: the seed of the draw and of the split.
        reverse: reverse the padded queries, as the example does.
    """
    a, b = addition_pairs(count, digits, seed)
    queries, answers = keras_queries(a, b, digits, reverse), keras_answers(a, b, digits)
    x, y = one_hot(queries, 2 * digits + 1), one_hot(answers, digits + 1)
    train, test = held_out_split(count, 0.1, seed)
    return AdditionData(
        digits,
        x[train],
        y[train],
        x[test],
        y[test],
        [queries[k] for k in train],
        [answers[k] for k in train],
        [queries[k] for k in test],
        [answers[k] for k in test],
    )


def addition_model(digits: int = 3, hidden: int = 128, seed: int = 0) -> Sequential:
    """The example's network in NumPy, float32, with Keras' initialisers: encoder, RepeatVector,
    decoder, Dense(12) logits; loss ``"categorical_crossentropy"`` (the softmax folded into it).

    Args:
        digits: the most digits a number has: the answer has digits + 1 steps.
        hidden: the units of each LSTM (the example: 128).
        seed: the initial weights' seed.
    """
    digits, hidden = _checks.positive_int("digits", digits), _checks.positive_int("hidden", hidden)
    start = int(_checks.seed("seed", seed, allow_none=False) or 0)
    rng = np.random.default_rng([start, 2])  # the head's; the two cells draw from seeds of their own
    chars = len(KERAS_CHARS)
    encoder = LSTMParams.init(chars, hidden, seed=start, dtype=np.float32)
    decoder = LSTMParams.init(hidden, hidden, seed=start + 1, dtype=np.float32)
    return Sequential(
        [
            Recurrent(encoder),
            RepeatVector(digits + 1),
            Recurrent(decoder, return_sequences=True),
            Dense.init(hidden, chars, rng, np.float32),
        ],
        loss="categorical_crossentropy",
    )


def keras_addition_model(digits: int = 3, hidden: int = 128, seed: Any = 0) -> Any:
    """The example's model, built and compiled as it builds it: the softmax head,
    ``categorical_crossentropy``, Adam, per-character accuracy. The initial weights
    come from ``keras.utils.set_random_seed(seed)`` (None: the global seeds as set).
    """
    keras = _imports.keras("keras_addition_model")
    digits = _checks.positive_int("digits", digits)
    hidden = _checks.positive_int("hidden", hidden)
    seed = _checks.seed("seed", seed, high=2**32 - 1)
    if seed is not None:
        keras.utils.set_random_seed(seed)
    chars = len(KERAS_CHARS)  # 12: the digits, "+" and " "
    model = keras.Sequential(
        [
            keras.Input(shape=(2 * digits + 1, chars)),  # a reversed query
            keras.layers.LSTM(hidden),  # the encoder: the query in one vector
            keras.layers.RepeatVector(digits + 1),  # it, at each step of the answer
            keras.layers.LSTM(hidden, return_sequences=True),  # the decoder
            keras.layers.Dense(chars, activation="softmax"),  # a character a step
        ]
    )
    loss = "categorical_crossentropy"  # on the probabilities, with one-hot targets
    model.compile(loss=loss, optimizer="adam", metrics=["accuracy"])
    return model


@dataclass
class Scores:
    """Held-out accuracy of a model's answers beside two baselines (fractions in [0, 1]).

    The character baseline answers every question with the most frequent training character at each
    position; the answer baseline with the most frequent training answer."""

    characters: float
    answers: float
    baseline_characters: float
    baseline_answers: float
    shared_sums: int
    """How many held-out questions have a sum some training question has."""


def score_answers(predicted: Any, data: AdditionData) -> Scores:
    """Score (N, digits + 1, 12) probabilities or logits for ``data``'s held-out questions.

    Per-character accuracy (Keras' ``accuracy`` metric) and whole-answer accuracy, each beside the
    baseline that scores best on it among the two (``Scores``), and the shared sums.
    """
    guesses, answers = decode(predicted), data.test_answers
    if len(guesses) != len(answers):
        raise ValueError(
            f"predicted must have {len(answers)} rows, one per held-out question, got {len(guesses)}"
        )
    per_position = most_frequent_characters(data.train_answers)
    commonest = most_frequent_answer(data.train_answers)
    return Scores(
        character_accuracy(guesses, answers),
        whole_answer_accuracy(guesses, answers),
        character_accuracy([per_position] * len(answers), answers),
        whole_answer_accuracy([commonest] * len(answers), answers),
        shared_sums(data.train_answers, answers),
    )
