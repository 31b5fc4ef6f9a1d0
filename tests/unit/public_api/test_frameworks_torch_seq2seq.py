"""Rows of the public-API table for ``lstm_tutorial.frameworks.torch_seq2seq`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from _table import Row, Table, check, equal

from lstm_tutorial.frameworks import torch_seq2seq
from lstm_tutorial.nn.seq2seq import EncoderDecoder

TABLE = Table("frameworks.torch_seq2seq")
raises, gives = TABLE.raises, TABLE.gives

SMALL = EncoderDecoder.init(4, 5, 2, 3, np.random.default_rng(0), dtype=np.float64, attention=True)

gives(
    "frameworks.torch_seq2seq.to_torch",
    "(N, T, V) logits from (N, S) and (N, T) ids",
    lambda: tuple(torch_seq2seq.to_torch(SMALL)(torch.tensor([[1, 2, 0]]), torch.tensor([[1, 3]])).shape),
    equal((1, 2, 5)),
)
raises(
    "frameworks.torch_seq2seq.to_torch",
    "a Keras-style list of weights",
    lambda: torch_seq2seq.to_torch(SMALL.get_weights()),  # type: ignore[arg-type]
    TypeError,
    "model",
    "EncoderDecoder",
)
gives(
    "frameworks.torch_seq2seq.from_torch",
    "back again, the same attention kernel",
    lambda: torch_seq2seq.from_torch(torch_seq2seq.to_torch(SMALL)).attentional.W,  # type: ignore[union-attr]
    equal(SMALL.attentional.W),  # type: ignore[union-attr]
)
raises(
    "frameworks.torch_seq2seq.from_torch",
    "a plain LSTM",
    lambda: torch_seq2seq.from_torch(torch.nn.LSTM(2, 3)),
    TypeError,
    "module",
    "to_torch",
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
