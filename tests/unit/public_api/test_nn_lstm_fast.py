"""Rows of the public-API table for ``lstm_tutorial.nn.lstm_fast`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _table import CACHE, DHS, H0, HS, X_T, P, Row, Table, X, check, close, equal

from lstm_tutorial.nn import lstm, lstm_fast

TABLE = Table("nn.lstm_fast")
raises, gives = TABLE.raises, TABLE.gives

gives(
    "nn.lstm_fast.LSTMCache", "from lstm_forward", lambda: CACHE, lambda c: isinstance(c, lstm_fast.LSTMCache)
)
gives("nn.lstm_fast.LSTMCache.hs", "(B, T, H)", lambda: CACHE.hs, equal(HS))
gives("nn.lstm_fast.LSTMCache.cs", "c_T last", lambda: CACHE.cs[:, -1], equal(CACHE.c_last))
for gate_property, k in (("input_gate", 0), ("forget_gate", 1), ("candidate", 2), ("output_gate", 3)):
    gives(
        f"nn.lstm_fast.LSTMCache.{gate_property}",
        "the textbook step's gate",
        lambda k=k, gate_property=gate_property: getattr(CACHE, gate_property)[:, 0],
        close(lstm.lstm_gates(X_T, H0, P)[k], rtol=1e-13),
    )
gives(
    "nn.lstm_fast.LSTMCache.tanh_cs",
    "tanh of the cell states, (B, T, H)",
    lambda: CACHE.tanh_cs,
    close(np.tanh(CACHE.cs), rtol=1e-15),
)
gives("nn.lstm_fast.LSTMCache.h_last", "h_T", lambda: CACHE.h_last, equal(HS[:, -1]))
gives(
    "nn.lstm_fast.LSTMCache.c_last",
    "what lstm_step gives",
    lambda: CACHE.c_last,
    lambda c: c.shape == (2, 4) and np.isfinite(c).all(),
)
gives(
    "nn.lstm_fast.LSTMCache.last_state",
    "(h_T, c_T)",
    lambda: CACHE.last_state,
    lambda s: np.array_equal(s[0], HS[:, -1]) and np.array_equal(s[1], CACHE.c_last),
)
gives(
    "nn.lstm_fast.fast_forward",
    "what lstm_forward runs",
    lambda: lstm_fast.fast_forward(P, X, (H0, H0)).hs,
    equal(HS),
)
gives(
    "nn.lstm_fast.fast_backward",
    "what lstm_backward runs",
    lambda: lstm_fast.fast_backward(DHS, CACHE, None, None)[1][1],
    equal(lstm.lstm_backward(DHS, CACHE)[1].U),
)

gives(
    "nn.lstm_fast.LSTMCache.initial_state",
    "(h0, c0) as given",
    lambda: lstm.lstm_forward(X, P, H0 + 1, H0 + 2)[1].initial_state,
    lambda s: bool(np.array_equal(s[0], H0 + 1) and np.array_equal(s[1], H0 + 2)),
)
gives(
    "nn.lstm_fast.LSTMCache.state",
    "c after every step: cs",
    lambda: CACHE.state("c"),
    equal(CACHE.cs),
)
raises("nn.lstm_fast.LSTMCache.state", "no such state", lambda: CACHE.state("z"), ValueError, "name", "'z'")
gives(
    "nn.lstm_fast.LSTMCache.backward",
    "unchecked: what lstm_backward gives",
    lambda: CACHE.backward(DHS, None, None)[1].W,
    equal(lstm.lstm_backward(DHS, CACHE)[1].W),
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
