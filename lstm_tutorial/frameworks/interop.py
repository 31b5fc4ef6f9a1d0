"""Moving weights between this package, Keras and PyTorch.

Keras' ``LSTM`` layer stores exactly our layout, so its weights come across
unchanged:

    kernel (D, 4H) = W      recurrent_kernel (H, 4H) = U      bias (4H,) = b

PyTorch's ``nn.LSTM`` stacks the same four blocks in the same order (it calls
them i, f, g, o; Keras calls the candidate c), but stores each matrix
transposed and keeps two bias vectors that are always added together:

    weight_ih_l0 (4H, D) = W.T      weight_hh_l0 (4H, H) = U.T
    bias_ih_l0 + bias_hh_l0 (4H,)   = b

``to_torch`` puts all of b in ``bias_ih_l0`` and zeros in ``bias_hh_l0``.
``nn.RNN`` follows the same rules for the vanilla RNN. ``nn.GRU`` orders its
blocks r, z, n where Keras has z, r, n, and keeps Keras' two bias rows as
``bias_ih_l0`` and ``bias_hh_l0``.

Whole models move too: ``from_keras`` turns a Keras ``Sequential`` of
``SimpleRNN``/``LSTM``/``GRU`` and ``Dense`` layers into a ``model.Sequential``
(an ``LSTMRegressor`` for the classic [LSTM, Dense(1)] shape), with the loss
the Keras model was compiled with, and ``to_keras`` copies any ``model.Sequential``
into a Keras model of the same layers (stateful ones with a fixed batch size).

Keras and PyTorch are imported only when a function here needs them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..nn import _checks
from ..nn.bidirectional import MERGE_MODES, Bidirectional
from ..nn.cell import CellParams
from ..nn.embedding import Embedding
from ..nn.gru import GRUParams
from ..nn.layers import Dense, Recurrent
from ..nn.losses import LOSSES
from ..nn.lstm import LSTMParams
from ..nn.model import Sequential
from ..nn.regressors import GRURegressor, LSTMRegressor, RNNRegressor
from ..nn.rnn import RNNParams
from . import _imports

__all__ = [
    "from_keras",
    "from_torch",
    "gru_from_torch",
    "gru_to_torch",
    "rnn_to_torch",
    "to_keras",
    "to_torch",
]


def _keras() -> Any:
    from .keras_model import keras

    return keras


def _keras_cells() -> dict[type, type[CellParams]]:
    """Keras' recurrent layers and the cell each one holds."""
    keras = _keras()
    return {keras.layers.SimpleRNN: RNNParams, keras.layers.LSTM: LSTMParams, keras.layers.GRU: GRUParams}


def _check_keras_recurrent(layer: Any, name: str) -> type[CellParams]:
    """The cell kind of a built, standard Keras recurrent layer."""
    keras = _keras()
    kinds = _keras_cells()
    kind = next((cell for layer_type, cell in kinds.items() if type(layer) is layer_type), None)
    if kind is None:
        raise TypeError(f"{name} must be a keras.layers.LSTM, GRU or SimpleRNN, got {type(layer).__name__}")
    if not layer.built:
        raise ValueError(
            f"{name} must be built (called on data or given an input shape) before its weights exist"
        )
    activation = keras.activations.serialize(layer.activation)
    recurrent = keras.activations.serialize(getattr(layer, "recurrent_activation", "sigmoid"))
    standard = layer.use_bias and activation == "tanh" and recurrent == "sigmoid"
    if kind is GRUParams:
        standard = standard and layer.reset_after
    if not standard or getattr(layer, "go_backwards", False):
        raise ValueError(
            f"{name} must be a standard {type(layer).__name__} (use_bias=True, activation='tanh', "
            f"recurrent_activation='sigmoid', reset_after=True for a GRU, go_backwards=False), "
            f"got use_bias={layer.use_bias}, activation={activation!r}, recurrent_activation={recurrent!r}"
        )
    return kind


def _recurrent_from_keras(layer: Any, name: str) -> CellParams:
    kind = _check_keras_recurrent(layer, name)
    return kind(*(np.array(w, copy=True) for w in layer.get_weights()))


def _keras_layers(model: Any, name: str) -> list[Any]:
    """The layers of a Keras model this package can hold: an optional Embedding, recurrent
    (or Bidirectional) layers, then Dense layers."""
    keras = _keras()
    layers = list(model.layers)
    kinds = [type(layer).__name__ for layer in layers]
    starts = (*_keras_cells(), keras.layers.Embedding, keras.layers.Bidirectional)
    if not layers or type(layers[0]) not in starts:
        raise ValueError(
            f"{name} must start with an Embedding, LSTM, GRU, SimpleRNN or Bidirectional layer, "
            f"got layers {kinds}"
        )
    for k, layer in enumerate(layers):
        if k == 0 and type(layer) is keras.layers.Embedding:
            continue
        if type(layer) is keras.layers.Bidirectional:
            _check_keras_recurrent(layer.forward_layer, f"{name}.layers[{k}].forward_layer")
            continue
        if isinstance(layer, keras.layers.Dense):
            if not layer.use_bias or keras.activations.serialize(layer.activation) != "linear":
                raise ValueError(f"{name}.layers[{k}] must be a Dense layer with a bias and no activation")
        else:
            _check_keras_recurrent(layer, f"{name}.layers[{k}]")
    return layers


def _keras_loss(model: Any) -> str | None:
    """The name in ``losses.LOSSES`` of the loss a Keras model was compiled with (None if not compiled)."""
    keras = _keras()
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
    if name in ("mse", "mean_squared_error"):
        return "mse"
    if name == "sparse_categorical_crossentropy":
        if not config.get("from_logits", False) or config.get("ignore_class") is not None:
            raise ValueError(
                "layer_or_model is compiled with sparse_categorical_crossentropy on probabilities "
                "(from_logits=False, Keras' default for the string), but its last Dense layer gives "
                "logits, as this package's loss expects: compile it with "
                "keras.losses.SparseCategoricalCrossentropy(from_logits=True) (and no ignore_class), "
                "or pass loss='sparse_categorical_crossentropy' to from_keras; got "
                f"from_logits={config.get('from_logits', False)}, ignore_class={config.get('ignore_class')}"
            )
        return "sparse_categorical_crossentropy"
    raise ValueError(
        f"layer_or_model is compiled with the loss {name!r}, which this package does not have: "
        f"compile it with one of {sorted(LOSSES)} (sparse_categorical_crossentropy from logits), "
        "or pass loss= to from_keras"
    )


def from_keras(layer_or_model: Any, loss: str | None = None) -> CellParams | Sequential:
    """Copy weights out of Keras.

    Args:
        layer_or_model: a built ``keras.layers.LSTM``, ``GRU`` or ``SimpleRNN``, or a
            model of such layers followed by ``Dense`` layers, like ``build_sine_model()``,
            possibly starting with an ``Embedding``.
        loss: the model's loss, a name in ``losses.LOSSES``; None takes the loss the
            Keras model was compiled with (``"mse"``, or
            ``SparseCategoricalCrossentropy(from_logits=True)``: any other is refused,
            naming it), and for a model that was never compiled,
            ``"sparse_categorical_crossentropy"`` after an ``Embedding`` (a language
            model) and ``"mse"`` otherwise. Not used for a layer.

    Returns:
        The cell (``LSTMParams``, ``GRUParams``, ``RNNParams``) for a layer; for a model,
        a ``model.Sequential`` of the same layers (stateful where Keras' layers are; the
        carried states start from zeros): an ``LSTMRegressor`` (``GRURegressor``,
        ``RNNRegressor``) for the classic [recurrent, Dense(1)] shape with the loss
        ``"mse"``. Float32 unless the Keras weights are float64; the arrays are copies.
    """
    keras = _keras()
    if loss is not None and (not isinstance(loss, str) or loss not in LOSSES):
        raise ValueError(f"loss must be None or one of {sorted(LOSSES)}, got {_checks.describe(loss)}")
    if type(layer_or_model) in _keras_cells():
        return _recurrent_from_keras(layer_or_model, "layer_or_model")
    if not isinstance(layer_or_model, keras.Model):
        raise TypeError(
            "layer_or_model must be a keras.layers.LSTM, GRU or SimpleRNN, or a keras.Model, "
            f"got {type(layer_or_model).__name__}"
        )
    layers: list[Any] = []
    for k, layer in enumerate(_keras_layers(layer_or_model, "layer_or_model")):
        if isinstance(layer, keras.layers.Dense):
            layers.append(Dense(*(np.array(w, copy=True) for w in layer.get_weights())))
        elif type(layer) in (keras.layers.Embedding, keras.layers.Bidirectional):
            layers.append(_extra_layer_from_keras(layer, f"layer_or_model.layers[{k}]"))
        else:
            cell = _recurrent_from_keras(layer, f"layer_or_model.layers[{k}]")
            layers.append(Recurrent(cell, bool(layer.return_sequences), bool(layer.stateful)))
    if loss is None:
        loss = _keras_loss(layer_or_model)
    if loss is None:  # never compiled: the loss a model of this shape is trained with
        loss = "sparse_categorical_crossentropy" if isinstance(layers[0], Embedding) else "mse"
    loss = "mse" if loss == "mean_squared_error" else loss
    classic = {LSTMParams: LSTMRegressor, GRUParams: GRURegressor, RNNParams: RNNRegressor}
    first = layers[0]
    if (
        loss == "mse"
        and len(layers) == 2
        and isinstance(first, Recurrent)
        and isinstance(layers[1], Dense)
        and layers[1].output_size == 1
        and not first.return_sequences
        and type(first.cell) in classic
        and not first.stateful
    ):
        return classic[type(first.cell)](first.cell, *layers[1].weights())
    return Sequential(layers, loss=loss)


def _stateful_layers(model: Sequential) -> list[int]:
    """The indices of the model's stateful recurrent layers."""
    return [k for k, layer in enumerate(model.layers) if isinstance(layer, Recurrent) and layer.stateful]


def _new_keras_model(model: Sequential, batch_size: int | None) -> Any:
    """A Keras model with the same layers as ``model``, built for its input size
    (and for batches of ``batch_size``, if given: stateful layers need one)."""
    keras = _keras()
    names = {RNNParams: keras.layers.SimpleRNN, LSTMParams: keras.layers.LSTM, GRUParams: keras.layers.GRU}
    dtype = str(model.dtype)
    stateful = _stateful_layers(model)
    if stateful and batch_size is None:
        raise ValueError(
            f"batch_size must be given to copy params_or_model, whose layers {stateful} are stateful: "
            "Keras' stateful=True needs a fixed batch size, the number of parallel streams "
            "(to_keras(model, batch_size=32)); got batch_size=None"
        )
    first = model.layers[0]
    if isinstance(first, Embedding):
        layers: list[Any] = [keras.Input(batch_shape=(batch_size, None), dtype="int32")]
    else:
        layers = [keras.Input(batch_shape=(batch_size, None, model.input_size), dtype=dtype)]
    for layer in model.layers:
        if isinstance(layer, (Embedding, Bidirectional)):
            layers.append(_extra_keras_layer(layer, names, dtype))
        elif isinstance(layer, Recurrent):
            if type(layer.cell) not in names:
                raise ValueError(f"Keras has no layer for a {type(layer.cell).__name__} cell")
            keras_layer = names[type(layer.cell)]
            options: dict[str, Any] = {"stateful": layer.stateful}
            if (
                layer.stateful
                and keras.backend.backend() == "torch"
                and keras_layer is not keras.layers.SimpleRNN
            ):
                # Keras 3.15's optimized LSTM/GRU path on torch updates a stateful layer's state in
                # place before backward needs it (keras-team/keras#23462); the generic loop copies it.
                options["use_cudnn"] = False
            layers.append(
                keras_layer(
                    layer.cell.hidden_size, return_sequences=layer.return_sequences, dtype=dtype, **options
                )
            )
        else:
            layers.append(keras.layers.Dense(layer.output_size, dtype=dtype))
    return keras.Sequential(layers)


def _extra_layer_from_keras(layer: Any, name: str) -> Embedding | Bidirectional:
    """An ``Embedding`` or a ``Bidirectional`` layer from its Keras twin (copies of the weights)."""
    keras = _keras()
    if type(layer) is keras.layers.Embedding:
        return Embedding(np.array(layer.get_weights()[0], copy=True))
    if layer.merge_mode not in MERGE_MODES:
        raise ValueError(f"{name}.merge_mode must be one of {MERGE_MODES}, got {layer.merge_mode!r}")
    fwd = _recurrent_from_keras(layer.forward_layer, f"{name}.forward_layer")
    if not getattr(layer.backward_layer, "go_backwards", False):
        raise ValueError(f"{name}.backward_layer must read the sequence backwards (go_backwards=True)")
    bwd_kind = _keras_cells().get(type(layer.backward_layer))
    bwd = (
        bwd_kind(*(np.array(w, copy=True) for w in layer.backward_layer.get_weights())) if bwd_kind else None
    )
    if bwd is None or type(bwd) is not type(fwd):
        raise ValueError(f"{name}.backward_layer must be the same kind of layer as its forward_layer")
    sequences = bool(layer.forward_layer.return_sequences)
    return Bidirectional(Recurrent(fwd, sequences), Recurrent(bwd, sequences), layer.merge_mode)


def _extra_keras_layer(layer: Embedding | Bidirectional, names: dict[Any, Any], dtype: str) -> Any:
    """The Keras twin of an ``Embedding`` or a ``Bidirectional`` layer (fresh weights)."""
    keras = _keras()
    if isinstance(layer, Embedding):
        return keras.layers.Embedding(layer.vocab_size, layer.output_size, dtype=dtype)
    cell = layer.forward_layer.cell
    if type(cell) not in names:
        raise ValueError(f"Keras has no layer for a {type(cell).__name__} cell")
    inner = names[type(cell)](cell.hidden_size, return_sequences=layer.return_sequences, dtype=dtype)
    return keras.layers.Bidirectional(inner, merge_mode=layer.merge_mode, dtype=dtype)


def to_keras(
    params_or_model: CellParams | Sequential, layer_or_model: Any = None, batch_size: int | None = None
) -> Any:
    """Copy NumPy weights into a Keras layer or model, in place.

    Args:
        params_or_model: a cell (for a layer) or a ``model.Sequential`` (for a model).
        layer_or_model: a built Keras layer or model with the same layers and sizes
            (and the same ``return_sequences`` and ``stateful``); None builds a new
            Keras model for a ``model.Sequential``.
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
    keras = _keras()
    if isinstance(params_or_model, CellParams):
        if batch_size is not None:
            raise ValueError(f"batch_size must be None when copying a cell into a layer, got {batch_size!r}")
        if layer_or_model is None or type(layer_or_model) not in _keras_cells():
            raise TypeError(
                "layer_or_model must be a Keras recurrent layer to receive "
                f"{type(params_or_model).__name__}, "
                f"got {type(layer_or_model).__name__}"
            )
        kind = _check_keras_recurrent(layer_or_model, "layer_or_model")
        if kind is not type(params_or_model):
            raise TypeError(
                f"layer_or_model is a keras {type(layer_or_model).__name__}, which holds {kind.__name__}, "
                f"not {type(params_or_model).__name__}"
            )
        targets = [(layer_or_model, params_or_model.weights())]
    elif isinstance(params_or_model, Sequential):
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
        keras_layers = _keras_layers(layer_or_model, "layer_or_model")
        ours = params_or_model.layers
        if len(keras_layers) != len(ours) or any(
            isinstance(theirs, keras.layers.Dense) != isinstance(mine, Dense)
            or (
                isinstance(mine, Recurrent)
                and (
                    getattr(theirs, "return_sequences", None) != mine.return_sequences
                    or bool(getattr(theirs, "stateful", False)) != mine.stateful
                )
            )
            for theirs, mine in zip(keras_layers, ours, strict=False)
        ):
            kinds = [
                f"{type(layer).__name__}(stateful=True)"
                if getattr(layer, "stateful", False)
                else type(layer).__name__
                for layer in keras_layers
            ]
            raise ValueError(
                "layer_or_model must have the layers of params_or_model (same kinds, return_sequences "
                f"and stateful; stateful layers {_stateful_layers(params_or_model)}), got {kinds}"
            )
        targets = [(theirs, mine.weights()) for theirs, mine in zip(keras_layers, ours, strict=True)]
    else:
        raise TypeError(
            "params_or_model must be a cell (LSTMParams, GRUParams, RNNParams) or a model.Sequential, "
            f"got {_checks.describe(params_or_model)}"
        )
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


def _torch_dtype(params: CellParams) -> Any:
    torch = _imports.torch("interop.to_torch")

    return torch.float64 if params.dtype == np.float64 else torch.float32


def from_torch(module: Any) -> LSTMParams:
    """Copy the weights of a one-layer, one-directional ``torch.nn.LSTM``.

    Returns:
        ``LSTMParams`` in the module's dtype (float32 or float64).
    """
    torch = _imports.torch("interop.from_torch")

    if not isinstance(module, torch.nn.LSTM):
        raise TypeError(f"module must be a torch.nn.LSTM, got {type(module).__name__}")
    if module.num_layers != 1 or module.bidirectional or module.proj_size != 0:
        raise ValueError(
            "module must be a single-layer, one-directional nn.LSTM without projection, got "
            f"num_layers={module.num_layers}, bidirectional={module.bidirectional}, "
            f"proj_size={module.proj_size}"
        )
    W = module.weight_ih_l0.detach().cpu().numpy().T.copy()
    U = module.weight_hh_l0.detach().cpu().numpy().T.copy()
    if module.bias:
        b = (module.bias_ih_l0 + module.bias_hh_l0).detach().cpu().numpy().copy()
    else:
        b = np.zeros(W.shape[1], dtype=W.dtype)
    return LSTMParams(W, U, b)


def _single_bias_module(kind: Any, params: CellParams, batch_first: bool) -> Any:
    """A new ``torch.nn.LSTM`` or ``nn.RNN``: W^T, U^T, all of b in ``bias_ih``, zeros in ``bias_hh``."""
    torch = _imports.torch("interop._single_bias_module")

    module = kind(params.input_size, params.hidden_size, batch_first=batch_first, dtype=_torch_dtype(params))
    with torch.no_grad():
        module.weight_ih_l0.copy_(torch.from_numpy(params.W.T.copy()))
        module.weight_hh_l0.copy_(torch.from_numpy(params.U.T.copy()))
        module.bias_ih_l0.copy_(torch.from_numpy(params.weights()[2].copy()))
        module.bias_hh_l0.zero_()
    return module


def to_torch(params: LSTMParams, batch_first: bool = True) -> Any:
    """A new ``torch.nn.LSTM`` (CPU) carrying ``params``, in their dtype.

    Args:
        params: the weights.
        batch_first: if True the module takes (B, T, D) like Keras and this package.
    """
    torch = _imports.torch("interop.to_torch")

    if not isinstance(params, LSTMParams):
        raise TypeError(f"params must be an LSTMParams, got {_checks.describe(params)}")
    return _single_bias_module(torch.nn.LSTM, params, _checks.flag("batch_first", batch_first))


def rnn_to_torch(params: RNNParams, batch_first: bool = True) -> Any:
    """A new ``torch.nn.RNN`` (tanh, CPU) carrying vanilla-RNN ``params``, in their dtype."""
    torch = _imports.torch("interop.rnn_to_torch")

    if not isinstance(params, RNNParams):
        raise TypeError(f"params must be an RNNParams, got {_checks.describe(params)}")
    return _single_bias_module(torch.nn.RNN, params, _checks.flag("batch_first", batch_first))


# PyTorch orders the blocks r, z, n; Keras and this module z, r, n.
_TORCH_ORDER = (1, 0, 2)


def _reorder(blocks: np.ndarray, axis: int) -> np.ndarray:
    return np.concatenate([np.split(blocks, 3, axis=axis)[k] for k in _TORCH_ORDER], axis=axis)


def gru_to_torch(params: GRUParams, batch_first: bool = True) -> Any:
    """A ``torch.nn.GRU`` with the same weights (torch's block order r, z, n; weights transposed).

    Args:
        params: the weights to copy.
        batch_first: the torch module's ``batch_first``.
    """
    torch = _imports.torch("interop.gru_to_torch")

    if not isinstance(params, GRUParams):
        raise TypeError(f"params must be a GRUParams, got {_checks.describe(params)}")
    batch_first = _checks.flag("batch_first", batch_first)
    module = torch.nn.GRU(
        params.input_size, params.hidden_size, batch_first=batch_first, dtype=_torch_dtype(params)
    )
    with torch.no_grad():
        module.weight_ih_l0.copy_(torch.from_numpy(_reorder(params.W, axis=1).T.copy()))
        module.weight_hh_l0.copy_(torch.from_numpy(_reorder(params.U, axis=1).T.copy()))
        module.bias_ih_l0.copy_(torch.from_numpy(_reorder(params.b[0], axis=0).copy()))
        module.bias_hh_l0.copy_(torch.from_numpy(_reorder(params.b[1], axis=0).copy()))
    return module


def gru_from_torch(module: Any) -> GRUParams:
    """The weights of a one-layer, unidirectional ``torch.nn.GRU`` with biases, in Keras' layout."""
    torch = _imports.torch("interop.gru_from_torch")

    if not isinstance(module, torch.nn.GRU):
        raise TypeError(f"module must be a torch.nn.GRU, got {type(module).__name__}")
    if module.num_layers != 1 or module.bidirectional or not module.bias:
        raise ValueError(
            "module must be a one-layer, unidirectional torch.nn.GRU with biases, got "
            f"num_layers={module.num_layers}, bidirectional={module.bidirectional}, bias={module.bias}"
        )
    state = {k: v.detach().cpu().numpy() for k, v in module.state_dict().items()}
    return GRUParams(
        np.ascontiguousarray(_reorder(state["weight_ih_l0"], axis=0).T),
        np.ascontiguousarray(_reorder(state["weight_hh_l0"], axis=0).T),
        np.stack([_reorder(state["bias_ih_l0"], axis=0), _reorder(state["bias_hh_l0"], axis=0)]),
    )
