"""Rows of the public-API table for ``lstm_tutorial.nn.regressors`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _table import DENSE, GRU, REG32, RNN, P, Row, Table, check, equal

from lstm_tutorial.nn import gru, layers, lstm, regressors, rnn, variants

TABLE = Table("nn.regressors")
raises, gives = TABLE.raises, TABLE.gives

gives(
    "nn.regressors._Regressor.init",
    "seed 3 twice",
    lambda: (regressors.GRURegressor.init(seed=3), regressors.GRURegressor.init(seed=3)),
    lambda p: all(np.array_equal(a, b) for a, b in zip(p[0].parameters(), p[1].parameters(), strict=True)),
)
raises(
    "nn.regressors._Regressor.init",
    "seed -2",
    lambda: regressors.RNNRegressor.init(seed=-2),
    ValueError,
    "seed",
    ">= 0",
)
raises(
    "nn.regressors._Regressor.init",
    "seed '0'",
    lambda: regressors.LSTMRegressor.init(seed="0"),
    TypeError,
    "seed",
    "str",
)
raises(
    "nn.regressors._Regressor.from_layers",
    "a return_sequences layer",
    lambda: regressors.LSTMRegressor.from_layers([layers.Recurrent(P, True), DENSE]),
    ValueError,
    "layers",
    "LSTMRegressor",
)
gives(
    "nn.regressors._Regressor.cell_params", "the cell", lambda: REG32.cell_params, lambda c: c is REG32.lstm
)
gives("nn.regressors._Regressor.dense_W", "(H, 1)", lambda: REG32.dense_W.shape, equal((4, 1)))
gives("nn.regressors._Regressor.dense_b", "zero at init", lambda: REG32.dense_b, equal(np.zeros(1)))
raises(
    "nn.regressors.LSTMRegressor",
    "a GRU cell",
    lambda: regressors.LSTMRegressor(GRU, np.zeros((4, 1)), np.zeros(1)),
    TypeError,
    "lstm",
    "LSTMParams",
    "GRUParams",
)
gives(
    "nn.regressors.LSTMRegressor.lstm",
    "an LSTMParams",
    lambda: REG32.lstm,
    lambda c: isinstance(c, lstm.LSTMParams),
)
raises(
    "nn.regressors.RNNRegressor",
    "dense_W wrong shape",
    lambda: regressors.RNNRegressor(RNN, np.zeros((3, 1)), np.zeros(1)),
    ValueError,
    "dense_W",
    "(H, 1)",
)
gives(
    "nn.regressors.RNNRegressor.rnn",
    "an RNNParams",
    lambda: regressors.RNNRegressor.init().rnn,
    lambda c: isinstance(c, rnn.RNNParams),
)
raises(
    "nn.regressors.GRURegressor",
    "dense_b float32",
    lambda: regressors.GRURegressor(GRU, np.zeros((4, 1)), np.zeros(1, np.float32)),
    TypeError,
    "dense_b",
)
gives(
    "nn.regressors.GRURegressor.gru",
    "a GRUParams",
    lambda: regressors.GRURegressor.init().gru,
    lambda c: isinstance(c, gru.GRUParams),
)
raises(
    "nn.regressors.VariantRegressor",
    "an LSTM cell",
    lambda: regressors.VariantRegressor(P, variants.VARIANTS["NP"], np.zeros((4, 1)), np.zeros(1)),
    TypeError,
    "cell",
    "PeepholeParams",
)
raises(
    "nn.regressors.VariantRegressor.init",
    "variant a name",
    lambda: regressors.VariantRegressor.init("NFG"),
    TypeError,
    "variant",
)
raises(
    "nn.regressors.VariantRegressor.init",
    "seed 2.0",
    lambda: regressors.VariantRegressor.init(seed=2.0),
    TypeError,
    "seed",
)
gives(
    "nn.regressors.VariantRegressor.cell",
    "a PeepholeParams",
    lambda: regressors.VariantRegressor.init().cell,
    lambda c: isinstance(c, variants.PeepholeParams),
)
gives(
    "nn.regressors.VariantRegressor.variant",
    "NFG",
    lambda: regressors.VariantRegressor.init(variants.VARIANTS["NFG"]).variant.name,
    equal("NFG"),
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
