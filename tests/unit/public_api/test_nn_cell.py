"""Rows of the public-API table for ``lstm_tutorial.nn.cell`` (see ``_table``)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from _table import GRU, H0, PEEP, REG32, RNN, X_T, P, Row, Table, check, equal

from lstm_tutorial.nn import cell, lstm, rnn, variants

TABLE = Table("nn.cell")
raises, gives = TABLE.raises, TABLE.gives

gives(
    "nn.cell.CellParams",
    "a base of every cell",
    lambda: cell.CellParams,
    lambda c: issubclass(lstm.LSTMParams, c),
)
gives("nn.cell.State", "a tuple of arrays", lambda: cell.State, lambda s: s == tuple[np.ndarray, ...])
gives(
    "nn.cell.glorot_uniform",
    "within the Glorot limit",
    lambda: cell.glorot_uniform(np.random.default_rng(0), (3, 5), np.float32),
    lambda w: w.dtype == np.float32 and w.shape == (3, 5) and np.abs(w).max() <= math.sqrt(6 / 8),
)
raises(
    "nn.cell.glorot_uniform",
    "seed in place of a generator",
    lambda: cell.glorot_uniform(0, (3, 5), np.float32),
    TypeError,
    "rng",
    "np.random.Generator",
)
raises(
    "nn.cell.glorot_uniform",
    "zero columns",
    lambda: cell.glorot_uniform(np.random.default_rng(0), (3, 0), np.float32),
    ValueError,
    "shape[1]",
    ">= 1",
)
gives(
    "nn.cell.orthogonal",
    "orthonormal rows",
    lambda: cell.orthogonal(np.random.default_rng(0), (3, 12), np.float64),
    lambda q: np.allclose(q @ q.T, np.eye(3), atol=1e-12),
)
raises(
    "nn.cell.orthogonal",
    "dtype int",
    lambda: cell.orthogonal(np.random.default_rng(0), (3, 3), int),
    TypeError,
    "dtype",
    "float32",
)
raises(
    "nn.cell.orthogonal",
    "shape a list",
    lambda: cell.orthogonal(np.random.default_rng(0), [3, 3], float),
    TypeError,
    "shape",
    "tuple",
)
gives(
    "nn.cell.CellParams.expected_shapes",
    "RNN (H=4, D=3)",
    lambda: RNN.expected_shapes(4),
    lambda s: [(n, shape) for n, shape, _ in s] == [("U", (4, 4)), ("W", (None, 4)), ("b", (4,))],
)
gives(
    "nn.cell.CellParams.unchecked",
    "skips the checks",
    lambda: rnn.RNNParams.unchecked(np.zeros(1), np.zeros(1), np.zeros(1)),
    lambda c: c.W.shape == (1,),
)
gives(
    "nn.cell.CellParams.weight_names",
    "Keras' order",
    lambda: variants.PeepholeParams.weight_names(),
    equal(["W", "U", "b", "P"]),
)
gives(
    "nn.cell.CellParams.config",
    "a variant",
    lambda: PEEP.config(),
    lambda c: c == {"variant": variants.VARIANTS["vanilla"]},
)
gives("nn.cell.CellParams.weights", "live arrays", lambda: P.weights(), lambda w: w[0] is P.W and len(w) == 3)
gives("nn.cell.CellParams.as_list", "the same as weights()", lambda: P.as_list(), lambda w: w[2] is P.b)
gives(
    "nn.cell.CellParams.copy",
    "a deep copy",
    lambda: P.copy(),
    lambda c: c.W is not P.W and np.array_equal(c.W, P.W),
)
gives(
    "nn.cell.CellParams.zeros_like",
    "zeros",
    lambda: GRU.zeros_like(),
    lambda z: z.b.shape == (2, 12) and not any(w.any() for w in z.weights()),
)
gives(
    "nn.cell.CellParams.add_",
    "adds in place",
    lambda: (lambda z: (z.add_(P), z)[1])(P.zeros_like()),
    lambda z: np.array_equal(z.U, P.U),
)
gives("nn.cell.CellParams.input_size", "D", lambda: P.input_size, equal(3))
gives("nn.cell.CellParams.hidden_size", "H", lambda: GRU.hidden_size, equal(4))
gives("nn.cell.CellParams.dtype", "float32", lambda: REG32.lstm.dtype, lambda d: d == np.float32)
gives(
    "nn.cell.CellParams.zero_state",
    "(h, c) zeros",
    lambda: P.zero_state(2),
    lambda s: len(s) == 2 and s[1].shape == (2, 4) and not s[0].any(),
)
raises(
    "nn.cell.CellParams.check_state",
    "a list",
    lambda: P.check_state([H0, H0], 2),
    TypeError,
    "state",
    "tuple of 2 arrays",
)
raises(
    "nn.cell.CellParams.check_state",
    "None inside",
    lambda: P.check_state((H0, None), 2),
    TypeError,
    "c",
    "got None",
)
raises(
    "nn.cell.CellParams.check_input",
    "float32 into float64",
    lambda: P.check_input(X_T.astype(np.float32)),
    TypeError,
    "x_t",
    "float32",
    "float64",
)
gives("nn.cell.CellParams.check_input", "returns B", lambda: P.check_input(X_T), equal(2))
raises(
    "nn.cell.CellParams.step",
    "the base has none",
    lambda: cell.CellParams(RNN.W, RNN.U).step(X_T, (H0,)),
    NotImplementedError,
    "CellParams",
    "step",
)
raises(
    "nn.cell.CellParams.step_backward",
    "the base has none",
    lambda: cell.CellParams(RNN.W, RNN.U).step_backward((H0,), None),
    NotImplementedError,
    "step_backward",
)

gives(
    "nn.cell.gate_blocks",
    "four blocks of (2, 8): views of width 2, in order",
    lambda: [block[0].tolist() for block in cell.gate_blocks(np.arange(16.0).reshape(2, 8), 4)],
    equal([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0], [6.0, 7.0]]),
)
gives(
    "nn.cell.gate_blocks",
    "views: writing into a block writes into the array",
    lambda: (lambda z: (cell.gate_blocks(z, 2)[1].fill(7.0), z.tolist())[1])(np.zeros((1, 4))),
    equal([[0.0, 0.0, 7.0, 7.0]]),
)
gives(
    "nn.cell.CellParams.forward_sequence",
    "a cell without a path of its own: None (the loop runs it)",
    lambda: RNN.forward_sequence(np.ones((2, 5, 3)), (H0,)),
    lambda got: got is None,
)
gives(
    "nn.cell.CellParams.forward_padded",
    "a cell without a way over padded rows: None (the masked loop runs it)",
    lambda: RNN.forward_padded(np.ones((2, 5, 3)), np.array([5, 2]), (H0,)),
    lambda got: got is None,
)
raises(
    "nn.cell.CellParams.checked_step_backward",
    "a cache of another kind",
    lambda: RNN.checked_step_backward((H0,), P.step(X_T, (H0, H0))[1], type(RNN.step(X_T, (H0,))[1])),
    TypeError,
    "RNNStepCache",
    "LSTMStepCache",
)
raises(
    "nn.cell.CellParams.checked_step_backward",
    "a gradient of the wrong width",
    lambda: RNN.checked_step_backward(
        (np.ones((2, 3)),), RNN.step(X_T, (H0,))[1], type(RNN.step(X_T, (H0,))[1])
    ),
    ValueError,
    "dh_t",
    "(2, 4)",
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
