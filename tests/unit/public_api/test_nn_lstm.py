"""Rows of the public-API table for ``lstm_tutorial.nn.lstm`` (see ``_table``)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from _table import (
    CACHE,
    DHS,
    H0,
    HS,
    RNN,
    SEQ_CACHE,
    SIG,
    X_T,
    P,
    Row,
    Table,
    X,
    check,
    close,
    equal,
    seed_rows,
)

from lstm_tutorial.nn import lstm, sequence

TABLE = Table("nn.lstm")
raises, gives = TABLE.raises, TABLE.gives

seed_rows(TABLE, "nn.lstm.LSTMParams", lstm.LSTMParams.init)
raises(
    "nn.lstm.LSTMParams.init",
    "unit_forget_bias 'no'",
    lambda: lstm.LSTMParams.init(1, 2, unit_forget_bias="no"),
    TypeError,
    "unit_forget_bias",
    "True or False",
    "'no'",
)
raises(
    "nn.lstm.LSTMParams.init",
    "unit_forget_bias 0",
    lambda: lstm.LSTMParams.init(1, 2, unit_forget_bias=0),
    TypeError,
    "unit_forget_bias",
    "int 0",
)
gives(
    "nn.lstm.LSTMParams.init",
    "forget bias 1, others 0",
    lambda: lstm.LSTMParams.init(1, 2).b,
    equal([0, 0, 1, 1, 0, 0, 0, 0]),
)
gives(
    "nn.lstm.LSTMParams.init",
    "unit_forget_bias False",
    lambda: lstm.LSTMParams.init(1, 2, unit_forget_bias=False).b,
    equal(np.zeros(8)),
)
raises("nn.lstm.LSTMParams.gate", "unknown gate", lambda: P.gate("c"), ValueError, "name", "'c'")
gives("nn.lstm.LSTMParams.gate", "the forget block", lambda: P.gate("f")[2], equal(P.b[4:8]))
gives(
    "nn.lstm.LSTMParams.step",
    "zero weights by hand",
    lambda: lstm.LSTMParams(np.zeros((1, 4)), np.zeros((1, 4)), np.array([0.5, 0, 0.5, 0.5])).step(
        np.zeros((1, 1)), (np.zeros((1, 1)), np.ones((1, 1)))
    )[0],
    lambda s: (
        np.allclose(s[1], 0.5 + SIG * math.tanh(0.5), rtol=1e-15)
        and np.allclose(s[0], SIG * np.tanh(0.5 + SIG * math.tanh(0.5)), rtol=1e-15)
    ),
)
gives(
    "nn.lstm.LSTMParams.step_backward",
    "the fast path's gradient of U",
    lambda: sequence.backward(DHS, sequence.forward(P, X)[1])[1].U,
    close(lstm.lstm_backward(DHS, CACHE)[1].U, rtol=1e-12),
)
gives("nn.lstm.GATE_ORDER", "Keras' order", lambda: lstm.GATE_ORDER, equal(("i", "f", "g", "o")))
gives("nn.lstm.LSTMGates", "four fields", lambda: lstm.LSTMGates._fields, equal(("i", "f", "g", "o")))
gives(
    "nn.lstm.LSTMStepCache",
    "its fields",
    lambda: lstm.LSTMStepCache._fields[:3],
    equal(("x_t", "h_prev", "c_prev")),
)
raises(
    "nn.lstm.lstm_step",
    "h_prev None",
    lambda: lstm.lstm_step(X_T, None, H0, P),
    TypeError,
    "h_prev",
    "got None",
    "zeros",
)
raises(
    "nn.lstm.lstm_step",
    "c_prev None",
    lambda: lstm.lstm_step(X_T, H0, None, P),
    TypeError,
    "c_prev",
    "got None",
)
raises(
    "nn.lstm.lstm_step",
    "h_prev a list",
    lambda: lstm.lstm_step(X_T, H0.tolist(), H0, P),
    TypeError,
    "h_prev",
    "list",
)
raises(
    "nn.lstm.lstm_step",
    "x_t float32",
    lambda: lstm.lstm_step(X_T.astype(np.float32), H0, H0, P),
    TypeError,
    "x_t",
    "float32",
)
raises(
    "nn.lstm.lstm_step_backward",
    "c_prev None",
    lambda: lstm.lstm_step_backward(H0, H0, P.step(X_T, (H0, H0))[1]._replace(c_prev=None), P),
    TypeError,
    "c_prev",
    "got None",
)
raises(
    "nn.lstm.lstm_step_backward",
    "dh_t wrong shape",
    lambda: lstm.lstm_step_backward(H0[:1], H0, P.step(X_T, (H0, H0))[1], P),
    ValueError,
    "dh_t",
    "(2, 4)",
)
raises(
    "nn.lstm.lstm_gates",
    "h_prev None",
    lambda: lstm.lstm_gates(X_T, None, P),
    TypeError,
    "h_prev",
    "got None",
)
gives(
    "nn.lstm.lstm_gates",
    "gates in range",
    lambda: lstm.lstm_gates(X_T, H0, P),
    lambda g: (0 < g.f).all() and (g.f < 1).all() and (np.abs(g.g) < 1).all(),
)
raises(
    "nn.lstm.lstm_forward",
    "h0 None is zeros, h0 int is refused",
    lambda: lstm.lstm_forward(X, P, h0=np.zeros((2, 4), int)),
    TypeError,
    "h0",
    "int64",
)
gives(
    "nn.lstm.lstm_forward",
    "h0 None equals zeros",
    lambda: lstm.lstm_forward(X, P, h0=H0, c0=H0)[0],
    equal(HS),
)
raises(
    "nn.lstm.lstm_backward",
    "dc_last NaN",
    lambda: lstm.lstm_backward(DHS, CACHE, (H0, np.full((2, 4), np.nan))),
    ValueError,
    "dc_last",
    "finite",
)
raises(
    "nn.lstm.lstm_state_gradients",
    "a SequenceCache",
    lambda: lstm.lstm_state_gradients(SEQ_CACHE, H0),
    TypeError,
    "cache",
    "LSTMCache",
)
gives(
    "nn.lstm.lstm_state_gradients",
    "dh at T is dh_last",
    lambda: lstm.lstm_state_gradients(CACHE, np.ones((2, 4)))[0][:, -1],
    equal(np.ones((2, 4))),
)

raises(
    "nn.lstm.LSTMParams",
    "b (1, 4H)",
    lambda: lstm.LSTMParams(P.W, P.U, P.b[None]),
    ValueError,
    "b",
    "(4H,)",
    "(1, 16)",
)

gives(
    "nn.lstm.lstm_step_backward",
    "the pair of LSTMParams.step: what step_backward gives, checked",
    lambda: lstm.lstm_step_backward(H0 + 1, H0, P.step(X_T, (H0, H0))[1], P)[3].U,
    equal(P.step_backward((H0 + 1, H0), P.step(X_T, (H0, H0))[1])[2].U),
)
raises(
    "nn.lstm.lstm_step_backward",
    "the cache of another cell",
    lambda: lstm.lstm_step_backward(H0, H0, RNN.step(X_T, (H0,))[1], P),
    TypeError,
    "cache",
    "LSTMStepCache",
    "RNNStepCache",
)
gives(
    "nn.lstm.LSTMParams.forward_sequence",
    "the fast path's cache: the same h_t as the loop",
    lambda: P.forward_sequence(X, (H0, H0)).hs,
    close(sequence.forward(P, X)[0], rtol=1e-12),
)
gives(
    "nn.lstm.LSTMParams.forward_padded",
    "row 1 of length 2: h_2 of the row alone, repeated after it",
    lambda: P.forward_padded(X, np.array([5, 2]), (H0, H0)).hs[1, 1:],
    close(np.repeat(sequence.forward(P, X[1:2, :2])[0][0, 1:], 4, axis=0), rtol=1e-12),
)
gives(
    "nn.lstm.lstm_backward",
    "d_last_state: dh_T adds to dhs at T",
    lambda: lstm.lstm_backward(DHS * 0, CACHE, (np.ones((2, 4)), H0))[1].U,
    close(lstm.lstm_backward(np.concatenate([DHS[:, :-1] * 0, DHS[:, -1:]], axis=1), CACHE)[1].U, 1e-12),
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
