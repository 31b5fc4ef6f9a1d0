"""Rows of the public-API table for ``lstm_tutorial.tasks.mlp`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _table import WX, WY, Row, Table, check, equal

from lstm_tutorial.tasks import mlp

TABLE = Table("tasks.mlp")
raises, gives = TABLE.raises, TABLE.gives

# y = 2 tanh(x1 - x2) + 0.5 by hand: one hidden unit reading a window of two steps.
BY_HAND = mlp.MLPParams(
    [np.array([[1.0], [-1.0]]), np.array([0.0]), np.array([[2.0]]), np.array([0.5])], "tanh"
)
PAIR = np.array([[[0.5], [0.25]], [[0.0], [1.0]]])  # (2 windows, 2 steps, 1 feature)


def _fit(**options: object) -> mlp.MLPFit:
    return mlp.fit_mlp(WX[:40], WY[:40], WX[40:], WY[40:], (4,), max_epochs=3, **options)  # type: ignore[arg-type]


gives("tasks.mlp.ACTIVATIONS", "tanh and ReLU", lambda: mlp.ACTIVATIONS, equal(("tanh", "relu")))
gives(
    "tasks.mlp.MLPParams",
    "weights and activation",
    lambda: BY_HAND.activation,
    equal("tanh"),
)
raises(
    "tasks.mlp.MLPParams",
    "an unknown activation",
    lambda: mlp.MLPParams(BY_HAND.weights, "sigmoid"),
    ValueError,
    "activation",
    "('tanh', 'relu')",
    "'sigmoid'",
)
raises(
    "tasks.mlp.MLPParams",
    "an odd number of arrays",
    lambda: mlp.MLPParams(BY_HAND.weights[:3]),
    ValueError,
    "weights",
    "even number",
    "got 3",
)
raises(
    "tasks.mlp.MLPParams",
    "kernels that do not chain",
    lambda: mlp.MLPParams([np.ones((2, 3)), np.zeros(3), np.ones((2, 1)), np.zeros(1)]),
    ValueError,
    "weights[2]",
    "3 rows",
    "(2, 1)",
)
gives(
    "tasks.mlp.MLPParams.init",
    "the shapes of Flatten -> Dense(3) -> Dense(1)",
    lambda: [w.shape for w in mlp.MLPParams.init(4, [3], seed=1).weights],
    lambda shapes: shapes == [(4, 3), (3,), (3, 1), (1,)],
)
raises(
    "tasks.mlp.MLPParams.init",
    "no hidden layer",
    lambda: mlp.MLPParams.init(4, []),
    TypeError,
    "hidden_sizes",
    "non-empty list",
)
raises(
    "tasks.mlp.MLPParams.init",
    "a hidden size of 0",
    lambda: mlp.MLPParams.init(4, [3, 0]),
    ValueError,
    "hidden_sizes[1]",
    ">= 1",
)
raises(
    "tasks.mlp.MLPParams.init", "dtype int", lambda: mlp.MLPParams.init(4, [3], dtype=int), TypeError, "dtype"
)
gives("tasks.mlp.MLPParams.input_size", "T D", lambda: mlp.MLPParams.init(6, [3, 2]).input_size, equal(6))
gives(
    "tasks.mlp.MLPParams.hidden_sizes",
    "per hidden layer",
    lambda: mlp.MLPParams.init(6, [3, 2]).hidden_sizes,
    equal((3, 2)),
)
gives(
    "tasks.mlp.MLPParams.count_params",
    "6*3+3 + 3*2+2 + 2+1",
    lambda: mlp.MLPParams.init(6, [3, 2]).count_params(),
    equal(6 * 3 + 3 + 3 * 2 + 2 + 2 + 1),
)
gives(
    "tasks.mlp.MLPParams.copy",
    "independent arrays",
    lambda: all(a is not b for a, b in zip(BY_HAND.copy().weights, BY_HAND.weights, strict=True)),
    equal(True),
)
gives(
    "tasks.mlp.MLPParams.predict",
    "2 tanh(x1 - x2) + 0.5 by hand",
    lambda: BY_HAND.predict(PAIR),
    lambda y: np.allclose(y, [2 * np.tanh(0.25) + 0.5, 2 * np.tanh(-1.0) + 0.5], rtol=1e-15),
)
gives(
    "tasks.mlp.mlp_forward",
    "the same by hand, and a cache",
    lambda: mlp.mlp_forward(PAIR, BY_HAND)[0],
    lambda y: np.allclose(y, [2 * np.tanh(0.25) + 0.5, 2 * np.tanh(-1.0) + 0.5], rtol=1e-15),
)
raises(
    "tasks.mlp.mlp_forward",
    "windows of the wrong length",
    lambda: mlp.mlp_forward(WX[:2], BY_HAND),
    ValueError,
    "x must have T D = 2",
    "(10, 1)",
)
raises(
    "tasks.mlp.mlp_forward",
    "float32 windows for float64 weights",
    lambda: mlp.mlp_forward(PAIR.astype(np.float32), BY_HAND),
    TypeError,
    "x has dtype float32",
)
raises(
    "tasks.mlp.mlp_forward",
    "not a params",
    lambda: mlp.mlp_forward(PAIR, BY_HAND.weights),  # type: ignore[arg-type]
    TypeError,
    "params must be an MLPParams",
)
gives(
    "tasks.mlp.mlp_backward",
    "dy/dx by hand: 2 (1 - tanh^2) (1, -1)",
    lambda: mlp.mlp_backward(np.ones(2), mlp.mlp_forward(PAIR, BY_HAND)[1])[0][:, :, 0],
    lambda dx: np.allclose(
        dx,
        [
            [2 * (1 - np.tanh(0.25) ** 2), -2 * (1 - np.tanh(0.25) ** 2)],
            [2 * (1 - np.tanh(-1.0) ** 2), -2 * (1 - np.tanh(-1.0) ** 2)],
        ],
        rtol=1e-14,
    ),
)
raises(
    "tasks.mlp.mlp_backward",
    "dy for another batch",
    lambda: mlp.mlp_backward(np.ones(3), mlp.mlp_forward(PAIR, BY_HAND)[1]),
    ValueError,
    "dy must have shape (N,) = (2,)",
)
gives(
    "tasks.mlp.fit_mlp",
    "the best epoch's weights",
    lambda: _fit(),
    lambda r: r.best_epoch == int(np.argmin(r.val_loss)) + 1 and r.epochs == 3,
)
raises("tasks.mlp.fit_mlp", "batch_size 0", lambda: _fit(batch_size=0), ValueError, "batch_size", ">= 1")
raises("tasks.mlp.fit_mlp", "max_epochs 1.5", lambda: _fit(max_epochs=1.5), TypeError, "max_epochs")
raises(
    "tasks.mlp.fit_mlp",
    "learning_rate -1",
    lambda: _fit(learning_rate=-1.0),
    ValueError,
    "learning_rate",
    "positive",
)
raises(
    "tasks.mlp.fit_mlp",
    "validation targets for other windows",
    lambda: mlp.fit_mlp(WX[:40], WY[:40], WX[40:], WY[:3], (4,)),
    ValueError,
    "y_val must have shape (N,) = (9,)",
)
gives("tasks.mlp.MLPFit", "a frozen record", lambda: _fit().seconds > 0, equal(True))
gives("tasks.mlp.MLPFit.epochs", "the epochs run", lambda: _fit().epochs, equal(3))
gives(
    "tasks.mlp.MLPFit.predict",
    "the best weights' predictions",
    lambda: (lambda r: np.array_equal(r.predict(WX), r.params.predict(WX)))(_fit()),
    equal(True),
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
