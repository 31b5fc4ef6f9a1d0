"""How each layer of this package and its Keras twin map onto each other (the Keras bridge's tables).

``CELLS`` is the one table of cells and their Keras layers; ``TO_KERAS`` builds the
Keras twin of each layer class of ``layer.LAYERS`` by reading the layer's
``get_config()``, and ``FROM_KERAS`` rebuilds ours from a Keras layer through
``from_config``. ``compare`` holds two Keras configs side by side, field by field:
a Keras layer is taken only if its whole config is the one ``to_keras`` would
build, so an option this package cannot carry is refused, naming the field.
``frameworks.keras`` builds ``to_keras`` and ``from_keras`` on these.

``RepeatVector(n)`` is Keras' ``RepeatVector(n)``. Dropout crosses both ways with its meaning:
``Dropout(rate, seed)`` is Keras' ``Dropout(rate, seed=seed)``, and
``Recurrent(cell, dropout=p, seed=s)`` is Keras' ``LSTM(units, dropout=p, seed=s)`` (or
``GRU``, ``SimpleRNN``): inputs dropped with one mask per sequence in training. The seed
crosses too, but the masks do not: Keras draws them with its backend's generator, this
package with NumPy's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from ..nn.cell import CellParams
from ..nn.gru import GRUParams
from ..nn.layer import LAYERS, Layer
from ..nn.layers import cell_kinds
from ..nn.lstm import LSTMParams
from ..nn.model import Sequential
from ..nn.regressors import GRURegressor, LSTMRegressor, RNNRegressor
from ..nn.rnn import RNNParams
from . import _imports

keras = _imports.keras("lstm_tutorial.frameworks.keras")


class KerasTwin(NamedTuple):
    """A cell's twin in Keras: the layer class that holds it, and the classic model around it."""

    layer: str
    """The ``keras.layers`` class name, e.g. ``"LSTM"``."""
    regressor: type[Sequential]
    """The [that layer, Dense(1)] model, e.g. ``LSTMRegressor``."""


CELLS: dict[type[CellParams], KerasTwin] = {
    LSTMParams: KerasTwin("LSTM", LSTMRegressor),
    GRUParams: KerasTwin("GRU", GRURegressor),
    RNNParams: KerasTwin("SimpleRNN", RNNRegressor),
}
"""Every cell that has a Keras twin (the peephole cell has none)."""

IGNORED = {"name", "dtype", "seed", "unroll", "unit_forget_bias", "units", "input_dim", "output_dim"}
"""Config fields that change nothing once the weights are copied: names, the dtype (the weights'
own is checked), initialisers (every ``*_initializer``), the sizes (the weights' shapes are
compared array by array), and the seed (it is carried, but Keras' masks and NumPy's differ anyway)."""


# --- our layers as Keras layers: each translator reads the layer's config ---------------------------


def _recurrent_twin(config: dict[str, Any], units: int, dtype: str, go_backwards: bool = False) -> Any:
    twin = CELLS.get(cell_kinds()[config["cell"]])
    if twin is None or config["cell_config"]:
        names = ", ".join(kind.__name__ for kind in CELLS)
        raise ValueError(f"Keras has no layer for a {config['cell']} cell (it has twins for {names})")
    options: dict[str, Any] = {}
    if config["stateful"] and keras.backend.backend() == "torch" and twin.layer != "SimpleRNN":
        # Keras 3.15's optimized LSTM/GRU path on torch updates a stateful layer's state in
        # place before backward needs it (keras-team/keras#23462); the generic loop copies it.
        options["use_cudnn"] = False
    return getattr(keras.layers, twin.layer)(
        units,
        return_sequences=config["return_sequences"],
        stateful=config["stateful"],
        go_backwards=go_backwards,
        dropout=config.get("dropout", 0.0),  # written only when the layer drops its inputs
        seed=config.get("seed"),
        dtype=dtype,
        **options,
    )


def _bidirectional_twin(config: dict[str, Any], sizes: tuple[int, int], dtype: str) -> Any:
    units = sizes[1] // 2 if config["merge_mode"] == "concat" else sizes[1]  # per direction
    return keras.layers.Bidirectional(
        _recurrent_twin(config["forward_layer"], units, dtype),
        backward_layer=_recurrent_twin(config["backward_layer"], units, dtype, go_backwards=True),
        merge_mode=config["merge_mode"],
        dtype=dtype,
    )


TO_KERAS: dict[str, Callable[[dict[str, Any], tuple[int, int], str], Any]] = {
    "Recurrent": lambda config, sizes, dtype: _recurrent_twin(config, sizes[1], dtype),
    "Dense": lambda config, sizes, dtype: keras.layers.Dense(sizes[1], dtype=dtype),
    "Embedding": lambda config, sizes, dtype: keras.layers.Embedding(*sizes, dtype=dtype),
    "Bidirectional": _bidirectional_twin,
    "Dropout": lambda config, sizes, dtype: keras.layers.Dropout(
        config["rate"], seed=config["seed"], dtype=dtype
    ),
    "RepeatVector": lambda config, sizes, dtype: keras.layers.RepeatVector(config["n"], dtype=dtype),
}
"""Each layer class of ``layer.LAYERS`` that Keras has, and how to build its (unbuilt) Keras twin from
the layer's ``get_config()``, its sizes (input size, output size; (0, 0) for a layer without a
width of its own, a ``Dropout``) and a dtype."""


def keras_twin(layer: Layer, where: str, dtype: str) -> Any:
    """The unbuilt Keras layer ``to_keras`` builds for ``layer``, in ``dtype`` (the model's: a
    ``Dropout`` has none of its own, and Keras would cast what it reads to its own dtype)."""
    make = TO_KERAS.get(type(layer).__name__)
    if make is None:
        raise ValueError(f"{where} is a {type(layer).__name__} layer, which Keras has no twin for here")
    sizes = (0, 0) if layer.keeps_width else (layer.input_size, layer.output_size)
    try:
        return make(layer.get_config(), sizes, dtype)
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None


# --- Keras layers as ours: each Keras config read as our layer's class name and config ---------------


def _recurrent(theirs: Any) -> tuple[str, dict[str, Any]]:
    cell = next(kind for kind, twin in CELLS.items() if twin.layer == type(theirs).__name__)
    config = theirs.get_config()
    flags = {key: bool(config[key]) for key in ("return_sequences", "stateful")}
    # Keras' input dropout is ours (one mask per sequence, every step); its value is checked by
    # Recurrent. recurrent_dropout is not carried: compare() refuses it, naming the field.
    seed = theirs.cell.seed  # SimpleRNN leaves it out of its config
    dropout = {"dropout": config["dropout"], "seed": seed} if config.get("dropout") else {}
    return "Recurrent", {"cell": cell.__name__, "cell_config": {}, **flags, **dropout}


def _bidirectional(theirs: Any) -> tuple[str, dict[str, Any]]:
    halves = []
    for side in (theirs.forward_layer, theirs.backward_layer):
        if type(side).__name__ not in (twin.layer for twin in CELLS.values()):
            raise TypeError(f"its halves must be keras.layers.{recurrent_names()}, got {type(side).__name__}")
        halves.append(_recurrent(side)[1])
    return "Bidirectional", {
        "forward_layer": halves[0],
        "backward_layer": halves[1],
        "merge_mode": theirs.merge_mode,
    }


FROM_KERAS: dict[str, Callable[[Any], tuple[str, dict[str, Any]]]] = {
    **{twin.layer: _recurrent for twin in CELLS.values()},
    "Dense": lambda theirs: ("Dense", {}),
    "Embedding": lambda theirs: ("Embedding", {}),
    "Bidirectional": _bidirectional,
    "Dropout": lambda theirs: ("Dropout", {"rate": theirs.rate, "seed": theirs.seed}),
    "RepeatVector": lambda theirs: ("RepeatVector", {"n": theirs.n}),
}
"""Each Keras layer class this package can hold, read as our layer's class name and config."""


def recurrent_names() -> str:
    """``"LSTM, GRU or SimpleRNN"``: the Keras layers that hold a cell, for messages."""
    names = [twin.layer for twin in CELLS.values()]
    return ", ".join(names[:-1]) + " or " + names[-1]


def _is_layer(value: Any) -> bool:
    """Whether a config value is a whole serialised layer (a ``Bidirectional``'s halves are)."""
    return isinstance(value, dict) and "class_name" in value and "config" in value


def compare(theirs: dict[str, Any], ours: dict[str, Any], where: str) -> None:
    """Refuse a Keras config that differs from ours in a field that changes what the layer computes.

    Args:
        theirs: the Keras layer's ``get_config()``.
        ours: the ``get_config()`` of the Keras layer ``to_keras`` builds for our layer.
        where: the Keras layer's name for messages, e.g. ``"layer_or_model.layers[1]"``.
    """
    for key in sorted(set(theirs) | set(ours)):
        if key in IGNORED or key.endswith("_initializer"):
            continue
        got, wanted = theirs.get(key, "(absent)"), ours.get(key, "(absent)")
        if _is_layer(got) and _is_layer(wanted):
            if got["class_name"] != wanted["class_name"]:
                raise ValueError(
                    f"{where}.{key} is a keras {got['class_name']}, where this package's layer "
                    f"holds a {wanted['class_name']}"
                )
            compare(got["config"], wanted["config"], f"{where}.{key}")
        elif got != wanted:
            raise ValueError(
                f"{where} has {key}={got!r}, which this package cannot carry: "
                f"the layer it would hold has {key}={wanted!r}"
            )


def layer_from_keras(theirs: Any, where: str, softmax: bool = False) -> Layer:
    """Our layer for a built Keras layer: its config read as ours and compared, whole, with the config
    of the Keras layer ours would give back; then its weights (copies), checked by ``from_config``.
    With ``softmax``, a ``Dense(activation="softmax")`` is read as our ``Dense``: the caller folds the
    softmax into the model's cross-entropy (``keras.from_keras`` does, for a model's last layer)."""
    describe = FROM_KERAS.get(type(theirs).__name__)
    if describe is None:
        raise TypeError(
            f"{where} must be a keras.layers.{recurrent_names()}, got {type(theirs).__name__}; "
            f"the Keras layers this package can hold are {', '.join(FROM_KERAS)}"
        )
    if not theirs.built:
        raise ValueError(
            f"{where} must be built (called on data or given an input shape) before its weights exist"
        )
    try:
        name, config = describe(theirs)
        reference = TO_KERAS[name](config, (2, 2), "float32")  # sizes and dtype are not compared
    except (ValueError, TypeError) as error:
        raise type(error)(f"{where}: {error}") from None
    wanted = reference.get_config()
    if softmax and name == "Dense":
        wanted["activation"] = "softmax"
    compare(theirs.get_config(), wanted, where)
    try:
        return LAYERS[name].from_config(config, [np.array(w, copy=True) for w in theirs.get_weights()])
    except (ValueError, TypeError) as error:
        raise type(error)(f"{where}: {error}") from None
