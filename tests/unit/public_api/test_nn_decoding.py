"""Rows of the public-API table for ``lstm_tutorial.nn.decoding`` (see ``_table``)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from _table import Row, Table, check, close, equal

from lstm_tutorial.nn import decoding

TABLE = Table("nn.decoding")
raises, gives = TABLE.raises, TABLE.gives


@dataclass
class Rows:
    count: int

    def select(self, rows: np.ndarray) -> Rows:
        return Rows(len(rows))


class Coin:
    """Every step: END with p = 0.3, id 3 with p = 0.7 (PAD and START almost never)."""

    def encode(self, source_ids: np.ndarray) -> Rows:
        return Rows(len(source_ids))

    def decode_step(self, previous_ids: np.ndarray, state: Rows) -> tuple[np.ndarray, Rows]:
        return np.tile(np.log([1e-12, 1e-12, 0.3, 0.7]), (len(previous_ids), 1)), state


SOURCE = np.array([0, 1])

gives("nn.decoding.START", "START of tasks.vocab", lambda: decoding.START, equal(1))
gives("nn.decoding.END", "END of tasks.vocab", lambda: decoding.END, equal(2))
gives("nn.decoding.EXHAUSTIVE_LIMIT", "the default limit", lambda: decoding.EXHAUSTIVE_LIMIT, equal(200_000))
gives(
    "nn.decoding.StepState",
    "anything with select",
    lambda: isinstance(Rows(1), decoding.StepState),
    equal(True),
)
gives(
    "nn.decoding.StepDecoder", "a toy is one", lambda: isinstance(Coin(), decoding.StepDecoder), equal(True)
)
gives(
    "nn.decoding.StepDecoder", "a string is not", lambda: isinstance("m", decoding.StepDecoder), equal(False)
)
gives(
    "nn.decoding.Hypothesis",
    "a record",
    lambda: decoding.Hypothesis((3, 2), -1.0, -0.9, True).finished,
    equal(True),
)
gives(
    "nn.decoding.Hypothesis.length",
    "END counted",
    lambda: decoding.Hypothesis((3, 2), -1.0, -1.0, True).length,
    equal(2),
)
gives("nn.decoding.length_penalty", "((5 + 7) / 6) ** 2", lambda: decoding.length_penalty(7, 2.0), close(4.0))
raises(
    "nn.decoding.length_penalty",
    "length 0",
    lambda: decoding.length_penalty(0, 1.0),
    ValueError,
    "length",
    ">= 1",
)
gives(
    "nn.decoding.best_extensions",
    "0.4 * 0.8 beats 0.6 * 0.5",
    lambda: decoding.best_extensions(np.log([[0.5, 0.5], [0.2, 0.8]]), np.log([0.6, 0.4]), 1)[:2],
    lambda r: r[0].tolist() == [1] and r[1].tolist() == [1],
)
gives(
    "nn.decoding.greedy_decode",
    "id 3 every step, no END",
    lambda: decoding.greedy_decode(Coin(), SOURCE[None], 3),
    equal([[3, 3, 3]]),
)
raises(
    "nn.decoding.greedy_decode",
    "max_length 0",
    lambda: decoding.greedy_decode(Coin(), SOURCE[None], 0),
    ValueError,
    "max_length",
)
gives(
    "nn.decoding.beam_search",
    "width 2: (3, 3) at 0.49, then END at 0.3",
    lambda: [(h.ids, round(math.exp(h.log_prob), 9)) for h in decoding.beam_search(Coin(), SOURCE, 2, 2)],
    equal([((3, 3), 0.49), ((2,), 0.3)]),
)
raises(
    "nn.decoding.beam_search",
    "width 0",
    lambda: decoding.beam_search(Coin(), SOURCE, 0, 2),
    ValueError,
    "width",
    ">= 1",
)
gives(
    "nn.decoding.exhaustive_search",
    "(3, 3) at 0.49, END at 0.3, (3, END) at 0.21 first",
    lambda: [h.ids for h in decoding.exhaustive_search(Coin(), SOURCE, 2)[:3]],
    equal([(3, 3), (2,), (3, 2)]),
)
gives(
    "nn.decoding.exhaustive_search",
    "1 + 3 + 9 sequences",
    lambda: len(decoding.exhaustive_search(Coin(), SOURCE, 2)),
    equal(13),
)
raises(
    "nn.decoding.exhaustive_search",
    "more than the limit",
    lambda: decoding.exhaustive_search(Coin(), SOURCE, 2, limit=12),
    ValueError,
    "13 sequences",
    "limit",
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
