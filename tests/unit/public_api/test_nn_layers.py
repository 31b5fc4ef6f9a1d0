"""Rows of the public-API table for ``lstm_tutorial.nn.layers`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _table import DENSE, DHS, HS, PEEP, REC, RNN, RNN_CACHE, P, Row, Table, X, check, equal

from lstm_tutorial.nn import layers, rnn, variants

TABLE = Table("nn.layers")
raises, gives = TABLE.raises, TABLE.gives

raises(
    "nn.layers.Recurrent",
    "return_sequences 'yes'",
    lambda: layers.Recurrent(RNN, "yes"),
    TypeError,
    "return_sequences",
)
raises(
    "nn.layers.Recurrent",
    "cell an array",
    lambda: layers.Recurrent(np.zeros(3)),
    TypeError,
    "cell",
    "CellParams",
)
gives("nn.layers.Recurrent.output_size", "H", lambda: REC.output_size, equal(4))
gives("nn.layers.Recurrent.dtype", "the cell's", lambda: REC.dtype, lambda d: d == np.float64)
gives("nn.layers.Recurrent.weights", "the cell's", lambda: REC.weights(), lambda w: w[0] is RNN.W)
gives(
    "nn.layers.Recurrent.weight_labels",
    "Keras' names",
    lambda: layers.Recurrent(PEEP).weight_labels(),
    equal(["kernel", "recurrent_kernel", "bias", "peephole"]),
)
raises(
    "nn.layers.Recurrent.with_weights",
    "checked",
    lambda: REC.with_weights([np.zeros((3, 4))] * 3),
    ValueError,
    "U",
)
gives(
    "nn.layers.Recurrent.forward",
    "return_sequences=False: h_T",
    lambda: layers.Recurrent(P).forward(X)[0],
    equal(HS[:, -1]),
)
gives(
    "nn.layers.Recurrent.backward",
    "dx of the sequence",
    lambda: REC.backward(DHS, REC.forward(X)[1])[0],
    equal(rnn.rnn_backward(DHS, RNN_CACHE)[0]),
)
raises(
    "nn.layers.Dense",
    "b of another dtype",
    lambda: layers.Dense(np.zeros((2, 1)), np.zeros(1, np.float32)),
    TypeError,
    "b",
)
raises(
    "nn.layers.Dense.init",
    "rng a seed",
    lambda: layers.Dense.init(4, 1, 0, np.float64),
    TypeError,
    "rng",
    "Generator",
)
raises(
    "nn.layers.Dense.init",
    "units 0",
    lambda: layers.Dense.init(4, 0, np.random.default_rng(0), np.float64),
    ValueError,
    "units",
    ">= 1",
)
raises(
    "nn.layers.Dense.init",
    "dtype int",
    lambda: layers.Dense.init(4, 1, np.random.default_rng(0), int),
    TypeError,
    "dtype",
)
gives(
    "nn.layers.Dense.init",
    "zero bias",
    lambda: layers.Dense.init(4, 2, np.random.default_rng(0), np.float32).b,
    lambda b: b.dtype == np.float32 and not b.any(),
)
gives("nn.layers.MatrixSized.output_size", "K", lambda: DENSE.output_size, equal(2))
gives("nn.layers.MatrixSized.dtype", "the kernel's", lambda: DENSE.dtype, lambda d: d == np.float64)
gives("nn.layers.Dense.weights", "[kernel, bias]", lambda: DENSE.weights(), lambda w: w[1] is DENSE.b)
gives(
    "nn.layers.Dense.weight_labels",
    "names",
    lambda: DENSE.weight_labels(),
    equal(["dense kernel", "dense bias"]),
)
gives(
    "nn.layers.Dense.with_weights",
    "new arrays",
    lambda: DENSE.with_weights([np.eye(2), np.zeros(2)]).W,
    equal(np.eye(2)),
)
gives(
    "nn.layers.Dense.forward",
    "x V + a by hand",
    lambda: DENSE.forward(np.array([[1.0, 1.0]]))[0],
    equal([[4.5, 5.5]]),
)
gives(
    "nn.layers.Dense.backward",
    "dW = x^T dy, db = sum dy",
    lambda: DENSE.backward(np.array([[1.0, 2.0]]), np.array([[3.0, 4.0]]))[1][0],
    equal([[3.0, 6.0], [4.0, 8.0]]),
)
gives(
    "nn.layers.Dense.unchecked",
    "skips the checks",
    lambda: layers.Dense.unchecked(np.zeros(1), np.zeros(1)).W.shape,
    equal((1,)),
)
STATEFUL = layers.Recurrent(RNN, return_sequences=True, stateful=True)
gives(
    "nn.layers.MatrixSized",
    "the base of Dense",
    lambda: layers.MatrixSized,
    lambda c: issubclass(layers.Dense, c),
)
gives("nn.layers.MatrixSized.input_size", "Dense's H", lambda: DENSE.input_size, equal(2))
gives("nn.layers.MatrixSized.output_size", "Dense's K", lambda: DENSE.output_size, equal(2))
gives("nn.layers.MatrixSized.dtype", "Dense's", lambda: DENSE.dtype, lambda d: d == np.float64)
raises(
    "nn.layers.Recurrent.check_input",
    "float32 x",
    lambda: REC.check_input(X.astype(np.float32)),
    TypeError,
    "x",
    "float32",
)
gives("nn.layers.Recurrent.input_size", "D", lambda: REC.input_size, equal(3))
gives(
    "nn.layers.Recurrent.initial_state",
    "zeros",
    lambda: REC.initial_state(2),
    lambda s: s[0].shape == (2, 4) and not s[0].any(),
)
gives(
    "nn.layers.Recurrent.reset_state",
    "the next batch starts from zeros",
    lambda: (STATEFUL.forward(X), STATEFUL.reset_state(), STATEFUL.initial_state(2))[2],
    lambda s: not s[0].any(),
)


# --- each layer describes and rebuilds itself; the cells' configs ----------------------------------

gives(
    "nn.layers.cell_kinds",
    "every cell, by name",
    lambda: sorted(layers.cell_kinds()),
    equal(["GRUParams", "LSTMParams", "PeepholeParams", "RNNParams"]),
)
gives(
    "nn.layers.cell_config",
    "a variant as a JSON object",
    lambda: layers.cell_config(PEEP.with_variant(variants.VARIANTS["NFG"]))["variant"]["forget_gate"],
    equal(False),
)
raises(
    "nn.layers.cell_from_config",
    "an unknown cell",
    lambda: layers.cell_from_config("Conv", {}, P.weights()),
    ValueError,
    "cell 'Conv'",
    "LSTMParams",
)
gives(
    "nn.layers.cell_from_config",
    "a variant rebuilt",
    lambda: layers.cell_from_config(
        "PeepholeParams", {"variant": {"name": "NP", "peepholes": False}}, PEEP.weights()
    ),
    lambda c: c.variant == variants.VARIANTS["NP"],
)
gives("nn.layers.Recurrent.gives", "a sequence", lambda: REC.gives("sequence"), equal("sequence"))
gives(
    "nn.layers.Recurrent.gives",
    "h_T only: a vector",
    lambda: layers.Recurrent(P).gives("sequence"),
    equal("vector"),
)
gives(
    "nn.layers.Recurrent.get_config",
    "the cell's name and the flags",
    lambda: REC.get_config(),
    equal({"cell": "RNNParams", "cell_config": {}, "return_sequences": True, "stateful": False}),
)
gives(
    "nn.layers.Recurrent.from_config",
    "its own config and weights: the same layer",
    lambda: layers.Recurrent.from_config(REC.get_config(), REC.weights()),
    lambda r: (
        r.return_sequences
        and all(np.array_equal(a, b) for a, b in zip(r.weights(), REC.weights(), strict=True))
    ),
)
raises(
    "nn.layers.Recurrent.from_config",
    "an unknown key",
    lambda: layers.Recurrent.from_config({**REC.get_config(), "units": 4}, REC.weights()),
    ValueError,
    "Recurrent",
    "unknown ['units']",
)
gives("nn.layers.Dense.get_config", "nothing but the weights", lambda: DENSE.get_config(), equal({}))
gives(
    "nn.layers.Dense.from_config",
    "the same kernel",
    lambda: layers.Dense.from_config({}, DENSE.weights()).W,
    equal(DENSE.W),
)
raises(
    "nn.layers.Dense.from_config",
    "one array",
    lambda: layers.Dense.from_config({}, [DENSE.W]),
    ValueError,
    "weights",
    "('kernel', 'bias')",
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
