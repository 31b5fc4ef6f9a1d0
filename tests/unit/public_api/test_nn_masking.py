"""Rows of the public-API table for ``lstm_tutorial.nn.masking`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _table import Row, Table, check, close, equal

from lstm_tutorial.nn import masking
from lstm_tutorial.nn.lstm import LSTMCache, LSTMParams

TABLE = Table("nn.masking")
raises, gives = TABLE.raises, TABLE.gives

# A one-unit LSTM with every weight zero: i = f = o = 1/2 and g = 0, so a real step halves c
# and gives h = tanh(c) / 2. From h0 = 0.3, c0 = 1, with the mask [masked, real, masked]:
# step 1 keeps the state and outputs 0 (Keras' first repeated output); step 2 gives
# c = 1/2, h = tanh(1/2) / 2; step 3 keeps that state and repeats that output.
ZERO = LSTMParams(np.zeros((1, 4)), np.zeros((1, 4)), np.zeros(4))
X = np.ones((1, 3, 1))
MASK = np.array([[False, True, False]])
START = (np.array([[0.3]]), np.array([[1.0]]))
H2 = np.tanh(0.5) / 2
OUT, RUN = masking.masked_forward(ZERO, X, MASK, START)

gives(
    "nn.masking.check_mask",
    "the mask itself",
    lambda: masking.check_mask("m", MASK, (1, 3)) is MASK,
    equal(True),
)
raises(
    "nn.masking.check_mask",
    "0/1 integers",
    lambda: masking.check_mask("m", MASK.astype(int), (1, 3)),
    TypeError,
    "m",
    "bool",
    "ids != 0",
)
raises(
    "nn.masking.check_mask",
    "wrong shape",
    lambda: masking.check_mask("m", MASK, (1, 4)),
    ValueError,
    "m",
    "(1, 4)",
    "(1, 3)",
)
gives(
    "nn.masking.masked_forward",
    "kept state, repeated output, by hand",
    lambda: OUT[0, :, 0],
    close([0.0, H2, H2]),
)
gives(
    "nn.masking.masked_forward",
    "final state after the last real step",
    lambda: [s[0, 0] for s in RUN.last_state],
    close([H2, 0.5]),
)
raises(
    "nn.masking.masked_forward",
    "a mask of another length",
    lambda: masking.masked_forward(ZERO, X, MASK[:, :2]),
    ValueError,
    "mask",
    "(1, 3)",
)
raises(
    "nn.masking.masked_forward",
    "x float32 for float64 weights",
    lambda: masking.masked_forward(ZERO, X.astype(np.float32), MASK),
    TypeError,
    "x",
    "float32",
)
# d c_T / d c0 = 1/2 (one real step, f = 1/2); h0 reaches nothing (U = 0)
gives(
    "nn.masking.masked_backward",
    "initial-state gradient, by hand",
    lambda: [
        d[0, 0]
        for d in masking.masked_backward(np.zeros((1, 3, 1)), RUN, (np.zeros((1, 1)), np.ones((1, 1))))[2]
    ],
    close([0.0, 0.5]),
)
gives(
    "nn.masking.masked_backward",
    "masked steps' inputs get nothing",
    lambda: masking.masked_backward(np.ones((1, 3, 1)), RUN)[0][0, [0, 2], 0],
    equal([0.0, 0.0]),
)
raises(
    "nn.masking.masked_backward",
    "an LSTMCache",
    lambda: masking.masked_backward(np.zeros((1, 3, 1)), masking.run(ZERO, X, None, START)),
    TypeError,
    "cache",
    "MaskedRun",
)  # type: ignore[arg-type]
raises(
    "nn.masking.masked_backward",
    "d_outputs of the wrong shape",
    lambda: masking.masked_backward(np.zeros((1, 2, 1)), RUN),
    ValueError,
    "d_outputs",
    "(B, T, H)",
)
gives("nn.masking.MaskedRun", "keeps its mask", lambda: RUN.mask, equal(MASK))
gives("nn.masking.MaskedRun.hs", "the outputs", lambda: RUN.hs[0, :, 0], close([0.0, H2, H2]))
gives(
    "nn.masking.MaskedRun.last_state",
    "h, c after step 2",
    lambda: [s[0, 0] for s in RUN.last_state],
    close([H2, 0.5]),
)
gives(
    "nn.masking.MaskedRun.state",
    "c carried over masked steps",
    lambda: RUN.state("c")[0, :, 0],
    close([1.0, 0.5, 0.5]),
)
raises(
    "nn.masking.MaskedRun.state", "an unknown state", lambda: RUN.state("x"), ValueError, "name", "('h', 'c')"
)
raises(
    "nn.masking.MaskedRun.backward",
    "truncate 2",
    lambda: RUN.backward(np.zeros((1, 3, 1)), None, 2),
    ValueError,
    "truncate",
    "None",
)
gives(
    "nn.masking.run",
    "nothing masked: the fast path",
    lambda: masking.run(ZERO, X, np.ones((1, 3), dtype=bool), START),
    lambda r: isinstance(r, LSTMCache),
)
gives(
    "nn.masking.run",
    "a masked step: the loop",
    lambda: masking.run(ZERO, X, MASK, START),
    lambda r: isinstance(r, masking.MaskedRun),
)
# zero logits over 4 classes: -log(1/4) at the one counted position; gradient (1/4 - onehot) / 1
LOSS = masking.masked_sparse_categorical_crossentropy(
    np.zeros((1, 2, 4)), np.array([[1, 3]]), np.array([[True, False]])
)
gives(
    "nn.masking.masked_sparse_categorical_crossentropy",
    "log 4 at the real position",
    lambda: LOSS[0],
    close(np.log(4.0)),
)
gives(
    "nn.masking.masked_sparse_categorical_crossentropy",
    "gradient, by hand",
    lambda: LOSS[1],
    close([[[0.25, -0.75, 0.25, 0.25], [0.0, 0.0, 0.0, 0.0]]]),
)
gives(
    "nn.masking.masked_sparse_categorical_crossentropy",
    "nothing counted: 0, as Keras' divide_no_nan",
    lambda: masking.masked_sparse_categorical_crossentropy(
        np.zeros((1, 1, 2)), np.array([[1]]), np.array([[False]])
    )[0],
    equal(0.0),
)
raises(
    "nn.masking.masked_sparse_categorical_crossentropy",
    "a class id out of range",
    lambda: masking.masked_sparse_categorical_crossentropy(
        np.zeros((1, 1, 2)), np.array([[2]]), np.array([[True]])
    ),
    ValueError,
    "y",
    "[0, 2)",
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
