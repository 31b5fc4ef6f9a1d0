"""Rows of the public-API table for ``lstm_tutorial.nn.gru`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _table import DHS, GRU, GRU_CACHE, H0, RNN, RNN_CACHE, X_T, Row, Table, X, check, equal, seed_rows

from lstm_tutorial.nn import gru

TABLE = Table("nn.gru")
raises, gives = TABLE.raises, TABLE.gives

seed_rows(TABLE, "nn.gru.GRUParams", gru.GRUParams.init)
raises(
    "nn.gru.gru_step",
    "h_prev None (no silent zeros)",
    lambda: gru.gru_step(X_T, None, GRU),
    TypeError,
    "h_prev",
    "got None",
)
raises(
    "nn.gru.gru_step",
    "h_prev 1-D",
    lambda: gru.gru_step(X_T, np.zeros(4), GRU),
    ValueError,
    "h_prev",
    "2 dimensions",
)
raises(
    "nn.gru.gru_forward",
    "h0 float32",
    lambda: gru.gru_forward(X, GRU, np.zeros((2, 4), np.float32)),
    TypeError,
    "h0",
)
raises(
    "nn.gru.gru_backward",
    "an RNN's cache",
    lambda: gru.gru_backward(DHS, RNN_CACHE),
    TypeError,
    "cache",
    "gru_forward",
)
gives("nn.gru.GRUParams.expected_shapes", "b (2, 3H)", lambda: GRU.expected_shapes(4)[2][1], equal((2, 12)))
gives(
    "nn.gru.GRUParams.step",
    "zero weights: h_t = h_{t-1} / 2",
    lambda: gru.GRUParams(np.zeros((1, 3)), np.zeros((1, 3)), np.zeros((2, 3))).step(
        np.ones((1, 1)), (np.ones((1, 1)),)
    )[0][0],
    equal([[0.5]]),
)
gives(
    "nn.gru.GRUParams.step_backward",
    "zero weights: dh_prev = dh / 2",
    lambda: (
        lambda g: g.step_backward((np.ones((1, 1)),), g.step(np.ones((1, 1)), (np.ones((1, 1)),))[1])[1][0]
    )(gru.GRUParams(np.zeros((1, 3)), np.zeros((1, 3)), np.zeros((2, 3)))),
    equal([[0.5]]),
)
gives("nn.gru.GRUStepCache", "its fields", lambda: gru.GRUStepCache._fields[-2:], equal(("n", "hu_n")))
raises(
    "nn.gru.GRUParams",
    "one bias row",
    lambda: gru.GRUParams(GRU.W, GRU.U, GRU.b[0]),
    ValueError,
    "b",
    "(2, 3H)",
    "(12,)",
)

gives(
    "nn.gru.gru_step_backward",
    "the pair of GRUParams.step: what step_backward gives",
    lambda: gru.gru_step_backward(H0 + 1, GRU.step(X_T, (H0,))[1], GRU)[2].U,
    equal(GRU.step_backward((H0 + 1,), GRU.step(X_T, (H0,))[1])[2].U),
)
raises(
    "nn.gru.gru_step_backward",
    "the RNN's step cache",
    lambda: gru.gru_step_backward(H0, RNN.step(X_T, (H0,))[1], GRU),
    TypeError,
    "GRUStepCache",
)
gives(
    "nn.gru.gru_state_gradients",
    "dh at T is dh_last; one step back it has gone through the cell",
    lambda: gru.gru_state_gradients(GRU_CACHE, np.ones((2, 4)))[0],
    lambda dh: bool(np.array_equal(dh[:, -1], np.ones((2, 4))) and not np.array_equal(dh[:, -2], dh[:, -1])),
)
raises(
    "nn.gru.gru_backward",
    "truncate 0",
    lambda: gru.gru_backward(DHS, GRU_CACHE, truncate=0),
    ValueError,
    "truncate",
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
