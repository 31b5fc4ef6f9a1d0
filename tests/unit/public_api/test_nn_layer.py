"""Rows of the public-API table for ``lstm_tutorial.nn.layer`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _table import DENSE, REC, Row, Table, X, check, equal

from lstm_tutorial.nn import layer
from lstm_tutorial.nn.dropout import Dropout
from lstm_tutorial.nn.repeat import RepeatVector

TABLE = Table("nn.layer")
raises, gives = TABLE.raises, TABLE.gives

gives(
    "nn.layer.Layer",
    "both layers have its methods",
    lambda: layer.Layer,
    lambda proto: all(hasattr(layer, "with_weights") for layer in (DENSE, REC)),
)
BARE = layer.Layer()  # the base alone: what a layer must define, each refused by name
for _member, _call in {
    "input_size": lambda: BARE.input_size,
    "output_size": lambda: BARE.output_size,
    "dtype": lambda: BARE.dtype,
    "weights": lambda: BARE.weights(),
    "weight_labels": lambda: BARE.weight_labels(),
    "with_weights": lambda: BARE.with_weights([]),
    "get_config": lambda: BARE.get_config(),
    "from_config": lambda: layer.Layer.from_config({}, []),
    "forward": lambda: BARE.forward(X),
    "backward": lambda: BARE.backward(X, None),
}.items():
    raises(
        f"nn.layer.Layer.{_member}", "not defined by the base", _call, NotImplementedError, "Layer", "define"
    )
raises(
    "nn.layer.Layer.check_input",
    "only a first layer checks the model's input",
    lambda: BARE.check_input(X),
    NotImplementedError,
    "Layer",
    "cannot come first",
)
gives("nn.layer.Layer.gives", "the kind it takes, by default", lambda: BARE.gives("vector"), equal("vector"))
gives("nn.layer.Layer.output_steps", "the steps it reads, by default", lambda: BARE.output_steps(7), equal(7))
gives(
    "nn.layer.Layer.reset_state",
    "nothing to forget, by default",
    lambda: BARE.reset_state(),
    lambda r: r is None,
)
gives(
    "nn.layer.LAYERS",
    "the package's four, by name",
    lambda: {name: kind.__name__ for name, kind in layer.LAYERS.items()},
    lambda found: all(
        found.get(name) == name for name in ("Recurrent", "Dense", "Bidirectional", "Embedding")
    ),
)
gives(
    "nn.layer.takers",
    "what can read a sequence: the layers made for it, then Dense",
    lambda: layer.takers("sequence"),
    equal(["Recurrent", "Bidirectional", "Dense"]),
)
gives("nn.layer.reads", "features take a vector", lambda: layer.reads("features", "vector"), equal(True))
gives("nn.layer.reads", "a sequence is not ids", lambda: layer.reads("ids", "sequence"), equal(False))
gives("nn.layer.describe_kind", "ids", lambda: layer.describe_kind("ids", 5), equal("ids (N, T) in [0, 5)"))
gives(
    "nn.layer.describe_kind", "a vector", lambda: layer.describe_kind("vector", 4), equal("a vector (N, 4)")
)
raises(
    "nn.layer.check_config",
    "a missing key",
    lambda: layer.check_config("Recurrent", {"cell": "x"}, {"cell": str, "stateful": bool}),
    ValueError,
    "Recurrent",
    "missing ['stateful']",
)
raises(
    "nn.layer.check_config",
    "a flag that is a string",
    lambda: layer.check_config("Recurrent", {"stateful": "no"}, {"stateful": bool}),
    ValueError,
    "'stateful'",
    "true or false",
)
raises(
    "nn.layer.check_weight_count",
    "one array too few",
    lambda: layer.check_weight_count("Dense", [np.zeros(1)], ("kernel", "bias")),
    ValueError,
    "weights",
    "2 arrays",
    "got 1",
)


# --- a layer without weights (Dropout, RepeatVector) ------------------------------------------------

for weightless in (Dropout(0.5), RepeatVector(3)):
    kind = type(weightless).__name__
    raises(
        "nn.layer._Weightless.input_size",
        kind,
        lambda w=weightless: w.input_size,
        NotImplementedError,
        kind,
        "width",
    )
    raises(
        "nn.layer._Weightless.output_size",
        kind,
        lambda w=weightless: w.output_size,
        NotImplementedError,
        "width",
    )
    raises("nn.layer._Weightless.dtype", kind, lambda w=weightless: w.dtype, NotImplementedError, "dtype")
    gives("nn.layer._Weightless.weights", kind, lambda w=weightless: w.weights(), equal([]))
    gives("nn.layer._Weightless.weight_labels", kind, lambda w=weightless: w.weight_labels(), equal([]))


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
