"""Rows of the public-API table for ``lstm_tutorial.tasks.ngram`` (see ``_table``)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from _table import VOCAB, Row, Table, check, close, equal

from lstm_tutorial.tasks import ngram

TABLE = Table("tasks.ngram")
raises, gives = TABLE.raises, TABLE.gives

IDS = VOCAB.encode("abcabcabcabc")
BIGRAM = ngram.fit_ngram(IDS, VOCAB.size, 1)
gives(
    "tasks.ngram.NGramModel", "fit_ngram's model", lambda: BIGRAM, lambda m: (m.order, m.vocab_size) == (1, 4)
)
gives(
    "tasks.ngram.Smoothing",
    "two methods",
    lambda: ngram.Smoothing.__args__,
    equal(("kneser_ney", "absolute")),
)
raises(
    "tasks.ngram.fit_ngram",
    "smoothing 'laplace'",
    lambda: ngram.fit_ngram(IDS, 4, 1, smoothing="laplace"),
    ValueError,
    "smoothing",
    "'laplace'",
)
gives(
    "tasks.ngram.fit_ngram",
    "a distribution after every context",
    lambda: ngram.fit_ngram(IDS, 4, 2, smoothing="absolute"),
    lambda m: all(
        math.isclose(float(m.probs(np.array(c, dtype=np.int64)).sum()), 1.0, rel_tol=1e-12)
        for c in ([], [0], [2, 0])
    ),
)
gives("tasks.ngram.NGramModel.discounts", "one per level", lambda: BIGRAM.discounts, lambda d: len(d) == 2)
gives(
    "tasks.ngram.NGramModel.probs",
    "after 'a', 'b' is the likeliest",
    lambda: BIGRAM.probs(np.array([0])),
    lambda p: int(np.argmax(p)) == 1 and math.isclose(float(p.sum()), 1.0, rel_tol=1e-12),
)
raises(
    "tasks.ngram.NGramModel.probs",
    "an id out of range",
    lambda: BIGRAM.probs(np.array([7])),
    ValueError,
    "context",
    "[0, 3]",
)
gives(
    "tasks.ngram.NGramModel.log_probs",
    "one per target, the probs' logs",
    lambda: BIGRAM.log_probs(IDS[:3]),
    close(np.log([BIGRAM.probs(IDS[:1])[IDS[1]], BIGRAM.probs(IDS[:2])[IDS[2]]]), 1e-12),
)
gives(
    "tasks.ngram.NGramModel.cross_entropy",
    "minus the mean log-probability",
    lambda: BIGRAM.cross_entropy(IDS),
    close(-float(np.mean(BIGRAM.log_probs(IDS))), 1e-12),
)
raises(
    "tasks.ngram.NGramModel.cross_entropy",
    "one id",
    lambda: BIGRAM.cross_entropy(IDS[:1]),
    ValueError,
    "ids",
    "at least 2",
)


# sweep_orders: a text that repeats a 7-character word, so orders beyond 6 gain nothing.
def _sweep() -> dict[int, float]:
    ids = np.tile(np.arange(7), 60)
    return ngram.sweep_orders(ids[:350], 7, ids[350:], at_least=10, min_gain=0.005)


gives(
    "tasks.ngram.SWEEP_ORDERS",
    "every order to 6, then wider steps",
    lambda: ngram.SWEEP_ORDERS[:9],
    equal((0, 1, 2, 3, 4, 5, 6, 8, 10)),
)
gives(
    "tasks.ngram.sweep_orders",
    "stops at the first order >= 10 that gains under min_gain: 10, after 8",
    lambda: list(_sweep()),
    equal([0, 1, 2, 3, 4, 5, 6, 8, 10]),
)
gives(
    "tasks.ngram.sweep_orders",
    "the unigram of 7 equally frequent ids pays log2(7 + smoothing) bits, order 1 far fewer",
    lambda: (lambda found: (found[0] > math.log2(7) - 1e-9, found[1] < 0.5))(_sweep()),
    equal((True, True)),
)
raises(
    "tasks.ngram.sweep_orders",
    "at_least not an order it tries",
    lambda: ngram.sweep_orders(np.arange(5), 5, np.arange(5), at_least=11),
    ValueError,
    "at_least",
    "SWEEP_ORDERS",
    "11",
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
