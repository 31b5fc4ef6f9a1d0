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
``nn.RNN`` follows the same rules for the vanilla RNN.

Keras and PyTorch are imported only when a function here needs them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _checks
from .lstm import LSTMParams
from .model import LSTMRegressor
from .rnn import RNNParams

__all__ = ["from_keras", "from_torch", "rnn_to_torch", "to_keras", "to_torch"]


def _keras() -> Any:
    from .keras_model import keras

    return keras


def _check_keras_lstm(layer: Any, name: str) -> None:
    keras = _keras()
    if not isinstance(layer, keras.layers.LSTM):
        raise TypeError(f"{name} must be a keras.layers.LSTM, got {type(layer).__name__}")
    if not layer.built:
        raise ValueError(
            f"{name} must be built (called on data or given an input shape) before its weights exist"
        )
    activation = keras.activations.serialize(layer.activation)
    recurrent = keras.activations.serialize(layer.recurrent_activation)
    if not layer.use_bias or activation != "tanh" or recurrent != "sigmoid":
        raise ValueError(
            f"{name} must be a standard LSTM (use_bias=True, activation='tanh', "
            f"recurrent_activation='sigmoid'), got use_bias={layer.use_bias}, "
            f"activation={activation!r}, recurrent_activation={recurrent!r}"
        )


def _sine_layers(model: Any, name: str) -> tuple[Any, Any]:
    """The (LSTM, Dense) pair of a model shaped like the classic sine model."""
    keras = _keras()
    layers = list(model.layers)
    kinds = [type(layer).__name__ for layer in layers]
    if (
        len(layers) != 2
        or not isinstance(layers[0], keras.layers.LSTM)
        or not isinstance(layers[1], keras.layers.Dense)
    ):
        raise ValueError(f"{name} must be a model with exactly the layers [LSTM, Dense], got {kinds}")
    lstm_layer, dense = layers
    _check_keras_lstm(lstm_layer, f"{name}.layers[0]")
    if lstm_layer.return_sequences or dense.units != 1 or not dense.use_bias:
        raise ValueError(
            f"{name} must end LSTM(return_sequences=False) -> Dense(1, use_bias=True), got "
            f"return_sequences={lstm_layer.return_sequences}, Dense units={dense.units}"
        )
    return lstm_layer, dense


def from_keras(layer_or_model: Any) -> LSTMParams | LSTMRegressor:
    """Copy weights out of Keras.

    Args:
        layer_or_model: a built ``keras.layers.LSTM``, or a model with the layers
            [LSTM, Dense(1)] like ``build_sine_model()``.

    Returns:
        ``LSTMParams`` for a layer, ``LSTMRegressor`` for a model; float32 unless
        the Keras weights are float64. The arrays are copies.
    """
    keras = _keras()
    if isinstance(layer_or_model, keras.layers.LSTM):
        _check_keras_lstm(layer_or_model, "layer_or_model")
        W, U, b = (np.array(w, copy=True) for w in layer_or_model.get_weights())
        return LSTMParams(W, U, b)
    if isinstance(layer_or_model, keras.Model):
        lstm_layer, dense = _sine_layers(layer_or_model, "layer_or_model")
        W, U, b = (np.array(w, copy=True) for w in lstm_layer.get_weights())
        dense_W, dense_b = (np.array(w, copy=True) for w in dense.get_weights())
        return LSTMRegressor(LSTMParams(W, U, b), dense_W, dense_b)
    raise TypeError(
        f"layer_or_model must be a keras.layers.LSTM or a keras.Model, got {type(layer_or_model).__name__}"
    )


def to_keras(params_or_model: LSTMParams | LSTMRegressor, layer_or_model: Any) -> Any:
    """Copy NumPy weights into a Keras LSTM layer or sine model, in place.

    Args:
        params_or_model: ``LSTMParams`` (for a layer) or ``LSTMRegressor`` (for a model).
        layer_or_model: a built Keras ``LSTM`` layer or [LSTM, Dense(1)] model with
            matching sizes.

    Returns:
        ``layer_or_model``, for chaining.
    """
    keras = _keras()
    if isinstance(params_or_model, LSTMParams):
        if not isinstance(layer_or_model, keras.layers.LSTM):
            raise TypeError(
                f"layer_or_model must be a keras.layers.LSTM to receive LSTMParams, "
                f"got {type(layer_or_model).__name__}"
            )
        _check_keras_lstm(layer_or_model, "layer_or_model")
        targets = [(layer_or_model, params_or_model.as_list())]
    elif isinstance(params_or_model, LSTMRegressor):
        if not isinstance(layer_or_model, keras.Model):
            raise TypeError(
                f"layer_or_model must be a keras.Model to receive an LSTMRegressor, "
                f"got {type(layer_or_model).__name__}"
            )
        lstm_layer, dense = _sine_layers(layer_or_model, "layer_or_model")
        model = params_or_model
        targets = [(lstm_layer, model.lstm.as_list()), (dense, [model.dense_W, model.dense_b])]
    else:
        raise TypeError(
            "params_or_model must be an LSTMParams or an LSTMRegressor, "
            f"got {_checks.describe(params_or_model)}"
        )
    for layer, weights in targets:
        expected = [tuple(w.shape) for w in layer.get_weights()]
        got = [w.shape for w in weights]
        if expected != got:
            raise ValueError(
                f"weight shapes do not match layer {layer.name!r}: it expects {expected}, got {got}"
            )
        layer.set_weights(weights)
    return layer_or_model


def from_torch(module: Any) -> LSTMParams:
    """Copy the weights of a one-layer, one-directional ``torch.nn.LSTM``.

    Returns:
        ``LSTMParams`` in the module's dtype (float32 or float64).
    """
    import torch

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


def to_torch(params: LSTMParams, batch_first: bool = True) -> Any:
    """A new ``torch.nn.LSTM`` (CPU) carrying ``params``, in their dtype.

    Args:
        params: the weights.
        batch_first: if True the module takes (B, T, D) like Keras and this package.
    """
    import torch

    if not isinstance(params, LSTMParams):
        raise TypeError(f"params must be an LSTMParams, got {_checks.describe(params)}")
    dtype = torch.float64 if params.dtype == np.float64 else torch.float32
    module = torch.nn.LSTM(params.input_size, params.hidden_size, batch_first=batch_first, dtype=dtype)
    with torch.no_grad():
        module.weight_ih_l0.copy_(torch.from_numpy(params.W.T.copy()))
        module.weight_hh_l0.copy_(torch.from_numpy(params.U.T.copy()))
        module.bias_ih_l0.copy_(torch.from_numpy(params.b.copy()))
        module.bias_hh_l0.zero_()
    return module


def rnn_to_torch(params: RNNParams, batch_first: bool = True) -> Any:
    """A new ``torch.nn.RNN`` (tanh, CPU) carrying vanilla-RNN ``params``, in their dtype."""
    import torch

    if not isinstance(params, RNNParams):
        raise TypeError(f"params must be an RNNParams, got {_checks.describe(params)}")
    dtype = torch.float64 if params.dtype == np.float64 else torch.float32
    module = torch.nn.RNN(params.input_size, params.hidden_size, batch_first=batch_first, dtype=dtype)
    with torch.no_grad():
        module.weight_ih_l0.copy_(torch.from_numpy(params.W.T.copy()))
        module.weight_hh_l0.copy_(torch.from_numpy(params.U.T.copy()))
        module.bias_ih_l0.copy_(torch.from_numpy(params.b.copy()))
        module.bias_hh_l0.zero_()
    return module
