"""Rows of the public-API table for ``lstm_tutorial.nn.rnn`` (see ``_table``)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from _table import CACHE, DHS, H0, RNN, RNN_CACHE, X_T, P, Row, Table, X, check, close, equal, seed_rows

from lstm_tutorial.nn import rnn

TABLE = Table("nn.rnn")
raises, gives = TABLE.raises, TABLE.gives

seed_rows(TABLE, "nn.rnn.RNNParams", rnn.RNNParams.init)
raises(
    "nn.rnn.rnn_step", "h_prev None", lambda: rnn.rnn_step(X_T, None, RNN), TypeError, "h_prev", "got None"
)
gives(
    "nn.rnn.rnn_step",
    "zero weights: tanh(b)",
    lambda: rnn.rnn_step(
        np.ones((1, 1)), np.ones((1, 1)), rnn.RNNParams(np.zeros((1, 1)), np.zeros((1, 1)), np.array([0.5]))
    ),
    close([[math.tanh(0.5)]]),
)
raises(
    "nn.rnn.rnn_forward", "params an LSTM", lambda: rnn.rnn_forward(X, P), TypeError, "params", "RNNParams"
)
raises(
    "nn.rnn.rnn_backward",
    "an LSTM's cache",
    lambda: rnn.rnn_backward(DHS, CACHE),
    TypeError,
    "cache",
    "rnn_forward",
)
raises(
    "nn.rnn.rnn_state_gradients",
    "dh_last wrong shape",
    lambda: rnn.rnn_state_gradients(RNN_CACHE, np.ones(4)),
    ValueError,
    "dh_last",
)
raises(
    "nn.rnn.spectral_radius",
    "not square",
    lambda: rnn.spectral_radius(np.zeros((2, 3))),
    ValueError,
    "matrix",
    "square",
)
gives("nn.rnn.spectral_radius", "diag(2, -3)", lambda: rnn.spectral_radius(np.diag([2.0, -3.0])), equal(3.0))
raises(
    "nn.rnn.with_spectral_radius",
    "radius 0",
    lambda: rnn.with_spectral_radius(RNN, 0.0),
    ValueError,
    "radius",
)
gives(
    "nn.rnn.with_spectral_radius",
    "radius 0.5",
    lambda: rnn.spectral_radius(rnn.with_spectral_radius(RNN, 0.5).U),
    close(0.5, rtol=1e-12),
)
gives(
    "nn.rnn.RNNParams.step",
    "h_t = tanh(x W + b + h U)",
    lambda: RNN.step(X_T, (H0,))[0][0],
    close(np.tanh(X_T @ RNN.W + RNN.b)),
)
gives(
    "nn.rnn.RNNParams.step_backward",
    "dx by hand",
    lambda: RNN.step_backward((np.ones((2, 4)),), RNN.step(X_T, (H0,))[1])[0],
    close((1 - np.tanh(X_T @ RNN.W + RNN.b) ** 2) @ RNN.W.T),
)
gives("nn.rnn.RNNStepCache", "its fields", lambda: rnn.RNNStepCache._fields, equal(("x_t", "h_prev", "h_t")))
raises(
    "nn.rnn.RNNParams",
    "U not square",
    lambda: rnn.RNNParams(np.zeros((3, 4)), np.zeros((4, 5)), np.zeros(4)),
    ValueError,
    "U",
    "(H, H)",
)

gives(
    "nn.rnn.rnn_step_backward",
    "the pair of RNNParams.step: dh_prev = (dh * (1 - h_t^2)) U^T",
    lambda: rnn.rnn_step_backward(H0 + 1, RNN.step(X_T, (H0,))[1], RNN)[1],
    close((1 - RNN.step(X_T, (H0,))[0][0] ** 2) @ RNN.U.T),
)
raises(
    "nn.rnn.rnn_step_backward",
    "dh_t of the wrong width",
    lambda: rnn.rnn_step_backward(np.ones((2, 3)), RNN.step(X_T, (H0,))[1], RNN),
    ValueError,
    "dh_t",
    "(2, 4)",
)
gives(
    "nn.rnn.rnn_state_gradients",
    "one array per state; dh at T is dh_last",
    lambda: rnn.rnn_state_gradients(RNN_CACHE, np.ones((2, 4)))[0][:, -1],
    equal(np.ones((2, 4))),
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
