"""Rows of the public-API table for ``lstm_tutorial.tasks.sampling`` (see ``_table``)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from _table import CHAR, Row, Table, check, close, equal

from lstm_tutorial.tasks import ngram, sampling

TABLE = Table("tasks.sampling")
raises, gives = TABLE.raises, TABLE.gives

gives(
    "tasks.sampling.next_probabilities",
    "temperature 1: the softmax",
    lambda: sampling.next_probabilities(np.array([0.0, math.log(3.0)]), 1.0),
    close([0.25, 0.75]),
)

raises(
    "tasks.sampling.next_probabilities",
    "temperature 0",
    lambda: sampling.next_probabilities(np.zeros(2), 0.0),
    ValueError,
    "temperature",
)

gives(
    "tasks.sampling.sample",
    "seeded: the same ids",
    lambda: (
        sampling.sample(CHAR, np.array([1, 2]), 5, seed=3),
        sampling.sample(CHAR, np.array([1, 2]), 5, seed=3),
    ),
    lambda pair: pair[0].shape == (5,) and np.array_equal(*pair),
)

gives(
    "tasks.sampling.inverse_cdf",
    "u below, at and past each cumulative step",
    lambda: sampling.inverse_cdf(np.array([[0.25, 0.5, 0.25]] * 4), np.array([0.0, 0.2, 0.25, 0.99])),
    equal([0, 0, 1, 2]),
)

raises(
    "tasks.sampling.inverse_cdf",
    "one uniform too few",
    lambda: sampling.inverse_cdf(np.full((2, 3), 1 / 3), np.zeros(1)),
    ValueError,
    "uniforms",
)

gives(
    "tasks.sampling.sample_streams",
    "one row per stream",
    lambda: sampling.sample_streams(CHAR, np.array([1]), 4, streams=3).shape,
    equal((3, 4)),
)


# sample_ngram: an order-1 model of "abab...": after a, b; after b, a (nearly always, when sharp).
ALTERNATING = np.tile([0, 1], 100)

gives(
    "tasks.sampling.sample_ngram",
    "an order-1 model of abab..., sharpened: it alternates",
    lambda: sampling.sample_ngram(ngram.fit_ngram(ALTERNATING, 2, 1), np.array([0]), 6, temperature=0.05),
    equal([1, 0, 1, 0, 1, 0]),
)
gives(
    "tasks.sampling.sample_ngram",
    "the same seed, the same ids; at temperature 50 both ids come up",
    lambda: (
        lambda model: (
            np.array_equal(
                sampling.sample_ngram(model, np.array([0]), 200, 50.0, seed=3),
                sampling.sample_ngram(model, np.array([0]), 200, 50.0, seed=3),
            ),
            len(set(sampling.sample_ngram(model, np.array([0]), 200, 50.0, seed=3).tolist())),
        )
    )(ngram.fit_ngram(ALTERNATING, 2, 1)),
    equal((True, 2)),
)
raises(
    "tasks.sampling.sample_ngram",
    "an LSTM model where an n-gram model belongs",
    lambda: sampling.sample_ngram("not a model", np.array([0]), 3),
    TypeError,
    "model",
    "NGramModel",
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
