"""Rows of the public-API table for ``lstm_tutorial.frameworks.agree`` (see ``_table``)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from _table import CACHE, CHAR, DHS, H0, HS, REG32, WX, WY, P, Row, Table, X, check, close, equal

from lstm_tutorial.frameworks import agree
from lstm_tutorial.frameworks import keras as keras_bridge
from lstm_tutorial.nn import lstm, regressors
from lstm_tutorial.tasks import language

TABLE = Table("frameworks.agree")
raises, gives = TABLE.raises, TABLE.gives

gives(
    "frameworks.agree.TorchRun",
    "torch_lstm_run's result",
    lambda: agree.torch_lstm_run(P, X, H0, H0, DHS),
    lambda r: isinstance(r, agree.TorchRun) and np.allclose(r.hs, HS, rtol=1e-12, atol=1e-14),
)
gives(
    "frameworks.agree.torch_lstm_run",
    "gradients as lstm_backward's",
    lambda: agree.torch_lstm_run(P, X, H0, H0, DHS).grads.U,
    close(lstm.lstm_backward(DHS, CACHE)[1].U, rtol=1e-10),
)
gives(
    "frameworks.agree.keras_lstm_run",
    "float32 forward within 1e-6",
    lambda: agree.keras_lstm_run(
        REG32.lstm,
        WX[:2, :, :].astype(np.float32),
        np.zeros((2, 4), np.float32),
        np.zeros((2, 4), np.float32),
    )[0],
    lambda hs: np.abs(hs - lstm.lstm_forward(WX[:2].astype(np.float32), REG32.lstm)[0]).max() <= 1e-6,
)
gives(
    "frameworks.agree.AgreementRow",
    "agreement_rows' rows",
    lambda: agree.agreement_rows([(1, 2, 1, 2)]),
    lambda rows: isinstance(rows[0], agree.AgreementRow) and rows[0].torch_grads_f64 < 1e-10,
)
gives(
    "frameworks.agree.agreement_rows",
    "one row per shape",
    lambda: len(agree.agreement_rows([(1, 2, 1, 2), (2, 3, 2, 1)])),
    equal(2),
)
gives(
    "frameworks.agree.format_rows",
    "a markdown table",
    lambda: agree.format_rows([agree.AgreementRow((1, 2, 3, 4), 0.0, 0.0, 0.0)]),
    lambda t: t.splitlines()[2] == "| (1, 2, 3, 4) | 0.00e+00 | 0.00e+00 | 0.00e+00 |",
)
raises(
    "frameworks.agree.lockstep_training",
    "numpy_model a GRU regressor",
    lambda: agree.lockstep_training(
        keras_bridge.build_sine_model(), regressors.GRURegressor.init(dtype=np.float32), WX, WY, 1, 8
    ),
    ValueError,
    "keras_model must have numpy_model's layers",
    "GRUParams",
    "LSTMParams",
)
raises(
    "frameworks.agree.lockstep_training",
    "numpy_model a cell",
    lambda: agree.lockstep_training(
        keras_bridge.build_sine_model(), lstm.LSTMParams.init(1, 4), WX, WY, 1, 8
    ),
    TypeError,
    "numpy_model",
    "Sequential",
)
gives(
    "frameworks.agree.LockstepRun",
    "a dataclass of three curves",
    lambda: agree.LockstepRun,
    lambda c: [f for f in c.__dataclass_fields__] == ["keras_losses", "numpy_losses", "max_weight_diff"],
)


def _zero_head_keras_loss() -> tuple[float, list[np.ndarray]]:
    """keras_loss_and_grads of a float32 char model with a zero Dense layer: every logit 0, p = 1/5."""
    model = language.char_model(5, embed=3, hidden=4, layers=1, stateful=False, seed=0)
    model.layers[-1].W[...] = 0.0
    model.layers[-1].b[...] = 0.0
    keras = keras_bridge.to_keras(model)
    keras.compile(loss=keras_bridge.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return agree.keras_loss_and_grads(keras, np.array([[1, 2, 4]]), np.array([[0, 0, 3]]))


gives(
    "frameworks.agree.keras_loss_and_grads",
    "uniform logits: loss ln 5, dense-bias gradient 1/5 - target frequencies (float32)",
    _zero_head_keras_loss,
    lambda got: (
        abs(got[0] - math.log(5.0)) <= 1e-6
        and np.abs(got[1][-1] - (0.2 - np.array([2, 0, 0, 1, 0]) / 3)).max() <= 1e-6
    ),
)
raises(
    "frameworks.agree.keras_loss_and_grads",
    "not compiled",
    lambda: agree.keras_loss_and_grads(
        keras_bridge.to_keras(CHAR), np.zeros((1, 2), int), np.zeros((1, 2), int)
    ),
    ValueError,
    "keras_model",
    "compiled",
)
raises(
    "frameworks.agree.keras_loss_and_grads",
    "a NumPy model",
    lambda: agree.keras_loss_and_grads(CHAR, np.zeros((1, 2), int), np.zeros((1, 2), int)),
    TypeError,
    "keras_model",
    "Sequential",
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
