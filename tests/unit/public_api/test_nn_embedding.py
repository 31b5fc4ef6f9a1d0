"""Rows of the public-API table for ``lstm_tutorial.nn.embedding`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _table import Row, Table, check, equal

from lstm_tutorial.nn import embedding

TABLE = Table("nn.embedding")
raises, gives = TABLE.raises, TABLE.gives

EMB = embedding.Embedding(np.arange(6.0).reshape(3, 2))  # 3 ids, 2 features: row k is [2k, 2k + 1]

gives("nn.embedding.Embedding", "a (V, E) table", lambda: EMB.W.shape, equal((3, 2)))
raises(
    "nn.embedding.Embedding.init",
    "vocab_size 0",
    lambda: embedding.Embedding.init(0, 2, np.random.default_rng(0), np.float64),
    ValueError,
    "vocab_size",
    ">= 1",
)
gives("nn.embedding.Embedding.vocab_size", "V", lambda: EMB.vocab_size, equal(3))
gives("nn.embedding.Embedding.weights", "[W]", lambda: EMB.weights(), lambda w: w[0] is EMB.W)
gives(
    "nn.embedding.Embedding.weight_labels",
    "one label",
    lambda: EMB.weight_labels(),
    lambda labels: len(labels) == 1,
)
gives(
    "nn.embedding.Embedding.with_weights",
    "new table",
    lambda: EMB.with_weights([np.ones((3, 2))]).W,
    equal(np.ones((3, 2))),
)
raises(
    "nn.embedding.Embedding.check_input",
    "an id out of range",
    lambda: EMB.check_input(np.array([[0, 3]])),
    ValueError,
    "x",
    "[0, 3)",
)
raises(
    "nn.embedding.Embedding.check_input",
    "float ids",
    lambda: EMB.check_input(np.array([[0.0, 1.0]])),
    TypeError,
    "x",
)
gives(
    "nn.embedding.Embedding.forward",
    "rows looked up, by hand",
    lambda: EMB.forward(np.array([[2, 0]]))[0],
    equal([[[4.0, 5.0], [0.0, 1.0]]]),
)
gives(
    "nn.embedding.Embedding.backward",
    "gradients added per id, by hand",
    lambda: EMB.backward(np.ones((1, 3, 2)), np.array([[1, 1, 0]]))[1][0],
    equal([[1.0, 1.0], [2.0, 2.0], [0.0, 0.0]]),
)


gives("nn.embedding.Embedding.gives", "a sequence of vectors", lambda: EMB.gives("ids"), equal("sequence"))
gives("nn.embedding.Embedding.get_config", "nothing but the table", lambda: EMB.get_config(), equal({}))
gives(
    "nn.embedding.Embedding.from_config",
    "the same table",
    lambda: embedding.Embedding.from_config({}, EMB.weights()).W,
    equal(EMB.W),
)
raises(
    "nn.embedding.Embedding.from_config",
    "a config with a key",
    lambda: embedding.Embedding.from_config({"mask_zero": True}, EMB.weights()),
    ValueError,
    "Embedding",
    "unknown ['mask_zero']",
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
