"""Keras' side of the package: the classic sine model, Keras' own files, and weights both ways.

Keras 3 runs on several backends. This package selects PyTorch's (CPU) before
Keras is first imported, unless the reader already chose one by setting the
``KERAS_BACKEND`` environment variable, or imported Keras earlier: an imported
Keras keeps the backend it started with. Everything here works on whichever
backend is loaded.

Keras' recurrent layers store exactly this package's layout, so their weights come
across unchanged, array by array (``layer.get_weights()`` is ``cell.weights()``):

    kernel (D, kH) = W      recurrent_kernel (H, kH) = U      bias = b

``to_keras`` and ``from_keras`` take a cell or a whole ``model.Sequential``. A
layer is translated by reading its ``get_config()``; on the way back the Keras
layer's WHOLE config is compared with that of the Keras layer ``to_keras`` would
build, so a Keras option this package cannot carry (an activation, ``go_backwards``,
``mask_zero``, ``recurrent_dropout``, a regularizer...) is refused, naming the field,
instead of being dropped. Dropout is carried: a ``Dropout`` layer, and a recurrent
layer's ``dropout`` (``Recurrent(cell, dropout=p)``), in a model; a lone layer's cell
has no dropout, so a lone Keras layer with dropout is refused. ``_keras_layers`` holds
the one table of cells and their Keras twins (``CELLS``) and the translation of each layer.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from ..nn import _checks
from ..nn.cell import CellParams
from ..nn.layer import IDS
from ..nn.layers import cell_kinds
from ..nn.losses import LOSSES
from ..nn.model import Sequential
from . import _imports
from ._keras_layers import CELLS, compare, keras_twin, layer_from_keras, recurrent_names

# Without the ``frameworks`` extra, importing this module raises an ImportError that says how to install it.
keras = _imports.keras("lstm_tutorial.frameworks.keras")

__all__ = [
    "backend",
    "build_sine_model",
    "from_keras",
    "keras",
    "load_keras_model",
    "save_keras_model",
    "to_keras",
]


def backend() -> str:
    """The name of the backend Keras is running on, e.g. ``"torch"``."""
    return str(keras.backend.backend())


def build_sine_model(
    units: int = 4,
    look_back: int = 10,
    seed: int | None = 0,
    learning_rate: float = 1e-3,
    features: int = 1,
) -> Any:
    """The classic model, compiled: ``Sequential([LSTM(units), Dense(1)])``.

    Its input shape is ``[samples, time steps, features]`` = (N, look_back, features).

    Args:
        units: the LSTM's hidden size H (4 in the classic example).
        look_back: time steps per input window (10 in the classic example).
        seed: passed to ``keras.utils.set_random_seed`` (which seeds Python, NumPy and
            the backend) so the initial weights are the same on every run: an integer
            in [0, 2**32 - 1], NumPy's range; None leaves the global seeds alone.
        learning_rate: Adam's step size, a positive finite number (Keras' default
            1e-3; Keras itself would accept -1, NaN or 0 and train to nonsense).
        features: D, inputs per step (1 for the sine wave).

    Returns:
        A compiled ``keras.Sequential`` with loss ``"mean_squared_error"`` and Adam.
    """
    units = _checks.positive_int("units", units)
    look_back = _checks.positive_int("look_back", look_back)
    features = _checks.positive_int("features", features)
    seed = _checks.seed("seed", seed, high=2**32 - 1)
    learning_rate = _checks.positive_number("learning_rate", learning_rate)
    if seed is not None:
        keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [keras.Input(shape=(look_back, features)), keras.layers.LSTM(units), keras.layers.Dense(1)],
        name="classic_sine_model",
    )
    model.compile(loss="mean_squared_error", optimizer=keras.optimizers.Adam(learning_rate=learning_rate))
    return model


def save_keras_model(model: Any, path: str | os.PathLike[str]) -> None:
    """Save a Keras model in Keras' native ``.keras`` format (architecture, weights, optimizer).

    Args:
        model: a Keras model.
        path: a file name ending in ``.keras``.
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    _keras_path(path)
    model.save(path)


def _keras_path(path: Any) -> None:
    """A file name (str or path-like) ending in ``.keras``."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file name (str or os.PathLike), got {_checks.describe(path)}")
    if not str(path).endswith(".keras"):
        raise ValueError(f"path must end in '.keras', got {str(path)!r}")


def load_keras_model(path: str | os.PathLike[str]) -> Any:
    """Load a ``.keras`` file with ``safe_mode=True``: a file that would run arbitrary
    code (for example a ``Lambda`` layer's pickled function) is refused, not executed."""
    _keras_path(path)
    return keras.saving.load_model(path, safe_mode=True)


def _ends_in_softmax(model: Any) -> bool:
    """Whether a Keras model's last layer is a ``Dense(activation="softmax")``, Keras' classifier head."""
    if not model.layers:
        return False
    last = model.layers[-1]
    return type(last).__name__ == "Dense" and last.get_config().get("activation") == "softmax"


CROSS_ENTROPIES = ("categorical_crossentropy", "sparse_categorical_crossentropy")
"""The losses on class probabilities: a Keras softmax head before them is folded into them."""
_LOSS_CLASSES = {
    "categorical_crossentropy": "CategoricalCrossentropy",
    "sparse_categorical_crossentropy": "SparseCategoricalCrossentropy",
}
"""Keras' class for each of them, for messages."""


def _keras_loss(model: Any, softmax: bool = False) -> str | None:
    """The name in ``losses.LOSSES`` of the loss a Keras model was compiled with (None if not compiled).

    With ``softmax`` (the model ends in ``Dense(activation="softmax")``), the loss must be a
    cross-entropy on those probabilities (``from_logits=False``, Keras' default): ours reads the
    Dense layer's logits and applies the softmax itself, the same function."""
    loss, config = getattr(model, "loss", None), {}
    if loss is None:
        return None
    if isinstance(loss, str):
        name = loss
    elif isinstance(loss, keras.losses.Loss):
        config = loss.get_config()
        name = str(config.get("name"))
    else:  # a loss function such as keras.losses.mean_squared_error
        name = str(getattr(loss, "__name__", type(loss).__name__))
    if config.get("reduction", "sum_over_batch_size") != "sum_over_batch_size":
        raise ValueError(
            f"layer_or_model's loss must average over the batch (reduction='sum_over_batch_size', "
            f"Keras' default), got reduction={config['reduction']!r}"
        )
    if softmax:
        if name not in CROSS_ENTROPIES or config.get("from_logits", False) or config.get("ignore_class"):
            raise ValueError(
                "layer_or_model ends in Dense(activation='softmax'), which this package folds into a "
                f"cross-entropy on its probabilities ({' or '.join(CROSS_ENTROPIES)}, from_logits=False, "
                f"no ignore_class); got the loss {name!r} with from_logits={config.get('from_logits', False)}"
            )
        return name
    if name in ("mse", "mean_squared_error"):
        return "mse"
    if name == "categorical_crossentropy" and config.get("from_logits", False):
        return name
    if name in CROSS_ENTROPIES:
        if not config.get("from_logits", False) or config.get("ignore_class") is not None:
            raise ValueError(
                f"layer_or_model is compiled with {name} on probabilities "
                "(from_logits=False, Keras' default for the string), but its last Dense layer gives "
                "logits, as this package's loss expects: compile it with "
                f"keras.losses.{_LOSS_CLASSES[name]}(from_logits=True) (no ignore_class), "
                f"end it in Dense(activation='softmax'), or pass loss='{name}' to from_keras; got "
                f"from_logits={config.get('from_logits', False)}, ignore_class={config.get('ignore_class')}"
            )
        return "sparse_categorical_crossentropy"
    raise ValueError(
        f"layer_or_model is compiled with the loss {name!r}, which this package does not have: "
        f"compile it with one of {sorted(LOSSES)} (sparse_categorical_crossentropy from logits), "
        "or pass loss= to from_keras"
    )


def _lone_cell(keras_layer: Any) -> CellParams:
    """The cell a lone Keras recurrent layer holds, its whole config compared with ours. A cell has
    no dropout (a layer has), so a layer that drops its inputs is refused rather than stripped."""
    layer = layer_from_keras(keras_layer, "layer_or_model")
    dropout = layer.get_config().get("dropout", 0.0)
    if dropout:
        raise ValueError(
            f"layer_or_model has dropout={dropout}, which a cell cannot carry: a lone layer is read "
            "as its cell, its weights only. Copy a keras model holding the layer instead (from_keras "
            f"gives its Recurrent(cell, dropout={dropout})), or build the layer with dropout=0.0"
        )
    return layer.cell  # type: ignore[attr-defined]


def from_keras(layer_or_model: Any, loss: str | None = None) -> CellParams | Sequential:
    """Copy weights out of Keras.

    Args:
        layer_or_model: a built ``keras.layers.LSTM``, ``GRU`` or ``SimpleRNN`` (without
            dropout: its cell has none), or a model of the layers this package has
            (``_keras_layers.FROM_KERAS``: those, ``Dense``, ``Embedding``,
            ``Bidirectional``, ``Dropout``, ``RepeatVector``), like ``build_sine_model()``. Every field of
            each layer's config must be one this package computes (``tanh``, input
            ``dropout`` but no ``recurrent_dropout``, no mask...): any other is refused,
            naming it. A last ``Dense(activation="softmax")`` (Keras' classifier head) is
            read as our ``Dense``, its softmax folded into the cross-entropy after it.
        loss: the model's loss, a name in ``losses.LOSSES``; None takes the loss the
            Keras model was compiled with (``"mse"``, or a categorical or sparse
            categorical cross-entropy on logits, ``from_logits=True``, or on the
            probabilities of a softmax head: any other is refused, naming it), and for
            a model that was never compiled,
            ``"sparse_categorical_crossentropy"`` after an ``Embedding`` (a language
            model) and ``"mse"`` otherwise. Not used for a layer.

    Returns:
        The cell (``LSTMParams``, ``GRUParams``, ``RNNParams``) for a layer; for a model,
        a ``model.Sequential`` of the same layers (stateful where Keras' layers are; the
        carried states start from zeros; dropping inputs where Keras' layers do): the cell's
        regressor (``LSTMRegressor``...) for the classic [recurrent, Dense(1)] shape with
        the loss ``"mse"`` and no dropout. Float32 unless the Keras weights are float64;
        the arrays are copies.
    """
    if loss is not None and (not isinstance(loss, str) or loss not in LOSSES):
        raise ValueError(f"loss must be None or one of {sorted(LOSSES)}, got {_checks.describe(loss)}")
    if type(layer_or_model).__name__ in (twin.layer for twin in CELLS.values()):
        return _lone_cell(layer_or_model)
    if not isinstance(layer_or_model, keras.Model):
        raise TypeError(
            f"layer_or_model must be a keras.layers.{recurrent_names()}, or a keras.Model, "
            f"got {type(layer_or_model).__name__}"
        )
    softmax = _ends_in_softmax(layer_or_model)
    count = len(layer_or_model.layers)
    layers = [
        layer_from_keras(theirs, f"layer_or_model.layers[{k}]", softmax=softmax and k == count - 1)
        for k, theirs in enumerate(layer_or_model.layers)
    ]
    if not layers:
        raise ValueError("layer_or_model must have layers, got none")
    if loss is None:
        loss = _keras_loss(layer_or_model, softmax)
    if loss is None:  # never compiled: the loss a model of this shape is trained with
        loss = "sparse_categorical_crossentropy" if layers[0].takes == IDS else "mse"
    if softmax and loss not in CROSS_ENTROPIES:
        raise ValueError(
            f"layer_or_model ends in Dense(activation='softmax'), which this package folds into a "
            f"cross-entropy: the loss must be one of {list(CROSS_ENTROPIES)}, got {loss!r} "
            "(pass loss= for a model that was never compiled)"
        )
    loss = "mse" if loss == "mean_squared_error" else loss
    regressor = _classic_regressor(layers) if loss == "mse" else None
    return regressor.from_layers(layers, loss) if regressor else Sequential(layers, loss=loss)


def _classic_regressor(layers: list[Any]) -> type[Sequential] | None:
    """The regressor class (``LSTMRegressor``...) of a [recurrent, Dense(1)] stack whose recurrent
    layer neither returns sequences nor is stateful nor drops its inputs; None for any other stack."""
    if [type(layer).__name__ for layer in layers] != ["Recurrent", "Dense"] or layers[1].output_size != 1:
        return None
    config = layers[0].get_config()
    twin = CELLS.get(cell_kinds()[config["cell"]])
    if twin is None or config["return_sequences"] or config["stateful"] or config.get("dropout"):
        return None
    return twin.regressor


def _stateful_layers(model: Sequential) -> list[int]:
    """The indices of the model's stateful layers (their config says so)."""
    return [k for k, layer in enumerate(model.layers) if layer.get_config().get("stateful", False)]


def _new_keras_model(model: Sequential, batch_size: int | None) -> Any:
    """A Keras model with the same layers as ``model``, built for its input size
    (and for batches of ``batch_size``, if given: stateful layers need one)."""
    stateful = _stateful_layers(model)
    if stateful and batch_size is None:
        raise ValueError(
            f"batch_size must be given to copy params_or_model, whose layers {stateful} are stateful: "
            "Keras' stateful=True needs a fixed batch size, the number of parallel streams "
            "(to_keras(model, batch_size=32)); got batch_size=None"
        )
    if model.layers[0].takes == IDS:
        inputs = keras.Input(batch_shape=(batch_size, None), dtype="int32")
    else:
        inputs = keras.Input(batch_shape=(batch_size, None, model.input_size), dtype=str(model.dtype))
    dtype = str(model.dtype)
    twins = [keras_twin(layer, f"params_or_model.layers[{k}]", dtype) for k, layer in enumerate(model.layers)]
    return keras.Sequential([inputs, *twins])


def _targets(params_or_model: Any, layer_or_model: Any, batch_size: Any) -> tuple[Any, list[tuple[Any, Any]]]:
    """The Keras layer or model (a new one if None), and each Keras layer with the weights it is to
    receive, its config compared with ours."""
    if isinstance(params_or_model, CellParams):
        if batch_size is not None:
            raise ValueError(f"batch_size must be None when copying a cell into a layer, got {batch_size!r}")
        name = type(layer_or_model).__name__
        holds = next((kind for kind, twin in CELLS.items() if twin.layer == name), None)
        if layer_or_model is None or holds is None:
            raise TypeError(
                "layer_or_model must be a Keras recurrent layer to receive "
                f"{type(params_or_model).__name__}, got {name}"
            )
        if holds is not type(params_or_model):
            raise TypeError(
                f"layer_or_model is a keras {name}, which holds {holds.__name__}, "
                f"not {type(params_or_model).__name__}"
            )
        _lone_cell(layer_or_model)  # compares its whole config with ours
        return layer_or_model, [(layer_or_model, params_or_model.weights())]
    if not isinstance(params_or_model, Sequential):
        raise TypeError(
            "params_or_model must be a cell (LSTMParams, GRUParams, RNNParams) or a model.Sequential, "
            f"got {_checks.describe(params_or_model)}"
        )
    if batch_size is not None:
        batch_size = _checks.positive_int("batch_size", batch_size)
        if layer_or_model is not None or not _stateful_layers(params_or_model):
            raise ValueError(
                "batch_size must be None unless to_keras builds a new Keras model for a model "
                f"with stateful layers, got batch_size={batch_size}"
            )
    if layer_or_model is None:
        layer_or_model = _new_keras_model(params_or_model, batch_size)
    if not isinstance(layer_or_model, keras.Model):
        raise TypeError(
            f"layer_or_model must be a keras.Model to receive a {type(params_or_model).__name__}, "
            f"got {type(layer_or_model).__name__}"
        )
    theirs, ours = list(layer_or_model.layers), params_or_model.layers
    needed = "the layers of params_or_model (same kinds, return_sequences and stateful, every field alike)"
    if len(theirs) != len(ours):
        raise ValueError(
            f"layer_or_model must have {needed}: {[type(layer).__name__ for layer in ours]}, "
            f"got {[type(layer).__name__ for layer in theirs]}"
        )
    for k, (keras_layer, layer) in enumerate(zip(theirs, ours, strict=True)):
        where = f"layer_or_model.layers[{k}]"
        twin = keras_twin(layer, f"params_or_model.layers[{k}]", str(params_or_model.dtype))
        try:
            if type(keras_layer) is not type(twin):
                raise ValueError(
                    f"{where} is a keras {type(keras_layer).__name__}, but params_or_model.layers[{k}] "
                    f"({type(layer).__name__}) needs a keras {type(twin).__name__}"
                )
            compare(keras_layer.get_config(), twin.get_config(), where)
        except ValueError as error:
            raise ValueError(f"layer_or_model must have {needed}: {error}") from None
    return layer_or_model, [
        (keras_layer, layer.weights()) for keras_layer, layer in zip(theirs, ours, strict=True)
    ]


def to_keras(
    params_or_model: CellParams | Sequential, layer_or_model: Any = None, batch_size: int | None = None
) -> Any:
    """Copy NumPy weights into a Keras layer or model, in place.

    Args:
        params_or_model: a cell (for a layer) or a ``model.Sequential`` (for a model).
        layer_or_model: a built Keras layer or model with the same layers and sizes
            (their whole configs are compared: ``return_sequences``, ``stateful``,
            activations...); None builds a new Keras model for a ``model.Sequential``.
        batch_size: the fixed batch size B of a new Keras model (``keras.Input(batch_shape=
            (B, ...))``); needed, and only allowed, when one is built for a model with
            stateful layers, whose Keras twins get ``stateful=True`` (Keras' stateful
            layers need a fixed batch size). Their carried states start from zeros.

    Nothing is cast: the Keras weights must have the dtype of ``params_or_model``
    (a float64 model into Keras' default float32 layers is refused with a
    TypeError that names both dtypes, since Keras would round it silently, and
    1e300 would become inf); ``to_keras(model)`` builds layers of the model's dtype.

    Returns:
        ``layer_or_model`` (or the new model), for chaining.
    """
    layer_or_model, targets = _targets(params_or_model, layer_or_model, batch_size)
    for layer, weights in targets:
        current = layer.get_weights()
        expected = [tuple(w.shape) for w in current]
        got = [w.shape for w in weights]
        if expected != got:
            raise ValueError(
                f"weight shapes do not match layer {layer.name!r}: it expects {expected}, got {got}"
            )
        _check_keras_dtype(params_or_model.dtype, layer, current, weights)
    for layer, weights in targets:  # every layer checked before the first one changes
        layer.set_weights(weights)
    return layer_or_model


def _check_keras_dtype(
    ours: np.dtype[Any], layer: Any, current: list[np.ndarray], weights: list[np.ndarray]
) -> None:
    """Refuse to let Keras cast: a float64 model into a float32 layer is refused, not rounded."""
    if not current:  # no weights (a Dropout): the dtype it computes in, which it casts its input to
        computes = np.dtype(layer.compute_dtype)
        if computes != ours:
            raise TypeError(
                f"params_or_model has dtype {ours} but layer_or_model's layer {layer.name!r} computes in "
                f"{computes}, and would cast what it reads to it: build it with dtype='{ours}'"
            )
        return
    theirs = {w.dtype for w in current}
    if theirs == {ours}:
        return
    dtype = np.dtype(sorted(theirs, key=str)[0])
    note = ""
    if ours == np.float64 and dtype == np.float32:
        note = "; Keras would round every weight to float32 without a word"
        largest = max(float(np.max(np.abs(w))) for w in weights)
        if largest > float(np.finfo(np.float32).max):
            note += f", and the largest, {largest:.3g}, would become inf"
    raise TypeError(
        f"params_or_model has dtype {ours} but layer_or_model's layer {layer.name!r} holds {dtype} weights"
        f"{note}. Convert one side explicitly: build the Keras layers with dtype='{ours}' "
        f"(to_keras(params_or_model) without layer_or_model does), or copy the weights, "
        f"each cast with .astype(np.{dtype}), into a {dtype} twin of params_or_model"
    )
