"""Rows of the public-API table for ``lstm_tutorial.book.benchmark`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _table import CACHE, DHS, P, Row, Table, X, check, equal

from lstm_tutorial.book import benchmark
from lstm_tutorial.nn import lstm

TABLE = Table("book.benchmark")
raises, gives = TABLE.raises, TABLE.gives

gives(
    "book.benchmark.lstm_flops",
    "(1, 1, 1, 1) by hand: 6 products of 8",
    lambda: benchmark.lstm_flops(1, 1, 1, 1),
    equal(48),
)
gives(
    "book.benchmark.lstm_flops",
    "(2, 3, 4, 5) by hand",
    lambda: benchmark.lstm_flops(2, 3, 4, 5),
    equal(3 * 2 * 2 * 3 * 4 * 20 + 3 * 2 * 2 * 3 * 5 * 20),
)
gives(
    "book.benchmark.textbook_lstm",
    "the fast path's gradients",
    lambda: benchmark.textbook_lstm(X, P, DHS),
    lambda r: (
        np.allclose(r[1], lstm.lstm_backward(DHS, CACHE)[1].U, rtol=1e-12, atol=1e-15)
        and np.allclose(r[3], lstm.lstm_backward(DHS, CACHE)[0], rtol=1e-12, atol=1e-15)
    ),
)
raises(
    "book.benchmark.bench_lstm",
    "repeats 0",
    lambda: benchmark.bench_lstm([(1, 2, 1, 2)], 0),
    ValueError,
    "repeats",
)
raises(
    "book.benchmark.bench_efficiency",
    "a 3-tuple",
    lambda: benchmark.bench_efficiency((1, 2, 3), 1),
    TypeError,
    "shape",
)
raises(
    "book.benchmark.bench_training", "epochs 0", lambda: benchmark.bench_training(0, 1), ValueError, "epochs"
)
raises(
    "book.benchmark.bench_memory",
    "truncate 0",
    lambda: benchmark.bench_memory([4], 0),
    ValueError,
    "truncate",
)
raises(
    "book.benchmark.bench_memory",
    "lengths an int",
    lambda: benchmark.bench_memory(4, 2),
    TypeError,
    "lengths",
)
gives(
    "book.benchmark.language_model_flops",
    "1 layer by hand: the LSTM's 6 products and the head's 3",
    lambda: benchmark.language_model_flops(2, 3, 7, 4, 5, 1),
    equal(3 * 2 * 2 * 3 * 4 * 20 + 3 * 2 * 2 * 3 * 5 * 20 + 3 * 2 * 2 * 3 * 5 * 7),
)
gives(
    "book.benchmark.language_model_flops",
    "2 layers: the second LSTM reads the first one's 5 units",
    lambda: (
        benchmark.language_model_flops(2, 3, 7, 4, 5, 2) - benchmark.language_model_flops(2, 3, 7, 4, 5, 1)
    ),
    equal(6 * 2 * 2 * 3 * 5 * 20),
)
raises(
    "book.benchmark.bench_language_model",
    "repeats 0",
    lambda: benchmark.bench_language_model([1], 0),
    ValueError,
    "repeats",
)
raises(
    "book.benchmark.bench_language_model",
    "layer_counts an int",
    lambda: benchmark.bench_language_model(1, 1),  # type: ignore[arg-type]
    TypeError,
    "layer_counts",
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
