"""Rows of the public-API table for ``lstm_tutorial.nn.bidirectional`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _table import RNN, Row, Table, X, check, equal

from lstm_tutorial.nn import bidirectional, layers, rnn

TABLE = Table("nn.bidirectional")
raises, gives = TABLE.raises, TABLE.gives

BI = bidirectional.Bidirectional.init(rnn.RNNParams, 3, 4, return_sequences=True, seed=0)
gives(
    "nn.bidirectional.MERGE_MODES",
    "Keras' four",
    lambda: bidirectional.MERGE_MODES,
    equal(("concat", "sum", "mul", "ave")),
)
raises(
    "nn.bidirectional.Bidirectional.init",
    "merge_mode 'max'",
    lambda: bidirectional.Bidirectional.init(rnn.RNNParams, 3, 4, merge_mode="max"),
    ValueError,
    "merge_mode",
    "'max'",
)
raises(
    "nn.bidirectional.Bidirectional.init",
    "seed -1",
    lambda: bidirectional.Bidirectional.init(rnn.RNNParams, 3, 4, seed=-1),
    ValueError,
    "seed",
)
raises(
    "nn.bidirectional.Bidirectional",
    "two cells of other sizes",
    lambda: bidirectional.Bidirectional(layers.Recurrent(RNN), layers.Recurrent(rnn.RNNParams.init(3, 5))),
    ValueError,
    "backward_layer",
)
gives("nn.bidirectional.Bidirectional.return_sequences", "True", lambda: BI.return_sequences, equal(True))
gives("nn.bidirectional.Bidirectional.input_size", "D", lambda: BI.input_size, equal(3))
gives("nn.bidirectional.Bidirectional.output_size", "concat: 2H", lambda: BI.output_size, equal(8))
gives("nn.bidirectional.Bidirectional.dtype", "float64", lambda: BI.dtype, lambda d: d == np.float64)
gives("nn.bidirectional.Bidirectional.weights", "both sides", lambda: len(BI.weights()), equal(6))
gives(
    "nn.bidirectional.Bidirectional.weight_labels",
    "one per weight",
    lambda: len(BI.weight_labels()),
    equal(6),
)
gives(
    "nn.bidirectional.Bidirectional.with_weights",
    "the same arrays back",
    lambda: BI.with_weights([w.copy() for w in BI.weights()]).forward(X)[0],
    equal(BI.forward(X)[0]),
)
raises(
    "nn.bidirectional.Bidirectional.check_input",
    "D mismatch",
    lambda: BI.check_input(X[:, :, :2]),
    ValueError,
    "x",
)
gives(
    "nn.bidirectional.Bidirectional.forward",
    "forward half = the forward RNN",
    lambda: BI.forward(X)[0][..., :4],
    equal(rnn.rnn_forward(X, BI.forward_layer.cell)[0]),
)
gives(
    "nn.bidirectional.Bidirectional.backward",
    "dx of the shape of x",
    lambda: BI.backward(np.ones((2, 5, 8)), BI.forward(X)[1])[0].shape,
    equal((2, 5, 3)),
)


gives(
    "nn.bidirectional.Bidirectional.gives",
    "return_sequences: a sequence",
    lambda: BI.gives("sequence"),
    equal("sequence"),
)
gives(
    "nn.bidirectional.Bidirectional.get_config",
    "both halves whole",
    lambda: BI.get_config(),
    lambda c: (
        c["merge_mode"] == "concat"
        and c["forward_layer"] == c["backward_layer"] == BI.forward_layer.get_config()
    ),
)
gives(
    "nn.bidirectional.Bidirectional.from_config",
    "its own config and weights: the same layer",
    lambda: bidirectional.Bidirectional.from_config(BI.get_config(), BI.weights()).weights(),
    lambda w: all(np.array_equal(a, b) for a, b in zip(w, BI.weights(), strict=True)),
)
raises(
    "nn.bidirectional.Bidirectional.from_config",
    "a half without its cell",
    lambda: bidirectional.Bidirectional.from_config(
        {**BI.get_config(), "backward_layer": {"return_sequences": True}}, BI.weights()
    ),
    ValueError,
    "backward_layer",
    "'cell'",
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
