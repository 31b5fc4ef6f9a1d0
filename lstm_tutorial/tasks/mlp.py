"""A feed-forward baseline: a multilayer perceptron (MLP) that reads a whole window at once.

The window's T steps of D features are flattened into one vector of T D numbers,
step 1's features first, and fully connected layers map it to one prediction:

    a_0 = flatten(x)                     (N, T D)
    a_k = act(a_(k-1) W_k + b_k)         (N, H_k),  k = 1 .. L - 1,  act = tanh or ReLU
    y   = a_(L-1) W_L + b_L              (N, 1), returned as (N,)

No weight is shared between steps: every position of the window has weights of its
own, and nothing before the window is seen. A recurrent layer is the opposite: one
set of weights for every step, and a state that can carry what it read any number of
steps. Chapter 13 puts the two side by side.

    MLPParams      the weights and the hidden activation (init, predict, count_params)
    mlp_forward    windows (N, T, D) -> predictions (N,), and the cache
    mlp_backward   dL/dy -> dL/dx and every weight's gradient (the forward's pair)
    fit_mlp        Adam on the mean squared error, stopped early on a validation split
    MLPFit         what ``fit_mlp`` returns: the best weights and the curves

Shapes: N windows, T steps a window, D features a step, H_k units in hidden layer k.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..nn import _checks
from ..nn.cell import glorot_uniform
from ..nn.optim import Adam

__all__ = ["ACTIVATIONS", "MLPFit", "MLPParams", "fit_mlp", "mlp_backward", "mlp_forward"]

ACTIVATIONS = ("tanh", "relu")
"""The hidden layers' activations: tanh, or ReLU ``max(z, 0)``."""


def _windows(name: str, x: Any) -> np.ndarray:
    """Check that ``x`` is a float array of windows (N, T, D)."""
    _checks.float_array(name, x, ndim=3)
    return np.asarray(x)


@dataclass
class MLPParams:
    """The weights of an MLP with one output: ``[W_1, b_1, ..., W_L, b_L]`` and the activation.

    Attributes:
        weights: W_k (H_(k-1), H_k) and b_k (H_k,) in turn, H_0 = T D the flattened
            window and H_L = 1; one float dtype. Training updates these arrays in place.
        activation: ``"tanh"`` or ``"relu"``, used by every hidden layer (not the output).
    """

    weights: list[np.ndarray]
    activation: str = "tanh"

    def __post_init__(self) -> None:
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, got {self.activation!r}")
        if not isinstance(self.weights, list) or len(self.weights) < 2 or len(self.weights) % 2:
            count = len(self.weights) if isinstance(self.weights, list) else _checks.describe(self.weights)
            raise ValueError(
                f"weights must be a list of kernels and biases [W_1, b_1, ..., W_L, b_L] (an even "
                f"number, at least 2), got {count}"
            )
        first = _checks.float_array("weights[0]", self.weights[0], ndim=2)
        width = first.shape[0]
        for k in range(0, len(self.weights), 2):
            W = _checks.float_array(f"weights[{k}]", self.weights[k], ndim=2)
            _checks.same_dtype(f"weights[{k}]", W, first.dtype, "weights[0]")
            if W.shape[0] != width:
                raise ValueError(
                    f"weights[{k}] must have {width} rows (the width of what its layer reads), "
                    f"got shape {W.shape}"
                )
            width = W.shape[1]
            _checks.matching(f"weights[{k + 1}]", self.weights[k + 1], (width,), "(H_k,)", first.dtype, "W_k")
        if width != 1:
            raise ValueError(f"the last kernel must have one column (one prediction a window), got {width}")

    @classmethod
    def init(
        cls,
        input_size: int,
        hidden_sizes: Sequence[int],
        *,
        activation: str = "tanh",
        seed: int = 0,
        dtype: Any = np.float32,
    ) -> MLPParams:
        """Keras' defaults for ``Dense`` layers: Glorot-uniform kernels, zero biases.

        Args:
            input_size: T D, the numbers in a flattened window.
            hidden_sizes: H_1, ..., H_(L-1), the units of each hidden layer (at least one layer).
            activation: ``"tanh"`` or ``"relu"``.
            seed: seed of the kernels, an integer >= 0.
            dtype: np.float32 or np.float64.
        """
        input_size = _checks.positive_int("input_size", input_size)
        if (
            isinstance(hidden_sizes, (str, bytes))
            or not isinstance(hidden_sizes, Sequence)
            or not hidden_sizes
        ):
            raise TypeError(
                f"hidden_sizes must be a non-empty list of integers >= 1 (units per hidden layer), "
                f"got {_checks.describe(hidden_sizes)}"
            )
        sizes = [input_size] + [
            _checks.positive_int(f"hidden_sizes[{k}]", h) for k, h in enumerate(hidden_sizes)
        ]
        rng = np.random.default_rng(_checks.seed("seed", seed, allow_none=False))
        dtype = _checks.dtype_arg("dtype", dtype)
        weights: list[np.ndarray] = []
        for fan_in, fan_out in zip(sizes, [*sizes[1:], 1], strict=True):
            weights += [glorot_uniform(rng, (fan_in, fan_out), dtype), np.zeros(fan_out, dtype=dtype)]
        return cls(weights, activation)

    @property
    def input_size(self) -> int:
        """T D, the numbers of a flattened window."""
        return int(self.weights[0].shape[0])

    @property
    def hidden_sizes(self) -> tuple[int, ...]:
        """The units of each hidden layer."""
        return tuple(int(W.shape[1]) for W in self.weights[0:-2:2])

    def count_params(self) -> int:
        """The number of weights: kernels and biases, as Keras' ``count_params``."""
        return int(sum(w.size for w in self.weights))

    def copy(self) -> MLPParams:
        """An independent copy of the weights."""
        return MLPParams([w.copy() for w in self.weights], self.activation)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """(N, T, D) windows -> (N,) predictions: ``mlp_forward(x, self)[0]``."""
        return mlp_forward(x, self)[0]


@dataclass(frozen=True)
class _Cache:
    """What ``mlp_backward`` needs: the input's shape, every layer's output, the weights."""

    x_shape: tuple[int, ...]
    activations: list[np.ndarray]  # a_0 (the flattened window), a_1, ..., a_(L-1)
    params: MLPParams


def mlp_forward(x: np.ndarray, params: MLPParams) -> tuple[np.ndarray, _Cache]:
    """The MLP on a batch of windows.

    Args:
        x: (N, T, D) windows, the dtype of the weights, with T D = ``params.input_size``.
        params: the weights.

    Returns:
        ``(y, cache)``: y (N,) one prediction a window; the cache for ``mlp_backward``.
    """
    x = _windows("x", x)
    _checks.instance("params", params, MLPParams)
    _checks.same_dtype("x", x, params.weights[0].dtype, "params")
    if x.shape[1] * x.shape[2] != params.input_size:
        raise ValueError(
            f"x must have T D = {params.input_size} numbers a window (the MLP's input size), got "
            f"windows of shape {x.shape[1:]} ({x.shape[1] * x.shape[2]} numbers)"
        )
    a = x.reshape(x.shape[0], -1)
    activations = [a]
    hidden = len(params.weights) // 2 - 1
    for k in range(hidden):
        z = a @ params.weights[2 * k] + params.weights[2 * k + 1]
        a = np.tanh(z) if params.activation == "tanh" else np.maximum(z, 0)
        activations.append(a)
    y = a @ params.weights[-2] + params.weights[-1]
    return y[:, 0], _Cache(x.shape, activations, params)


def mlp_backward(dy: np.ndarray, cache: _Cache) -> tuple[np.ndarray, list[np.ndarray]]:
    """Backpropagation through ``mlp_forward``.

    Args:
        dy: (N,) dL/dy, the gradient of the loss with respect to each prediction.
        cache: from the ``mlp_forward`` call that gave y.

    Returns:
        ``(dx, grads)``: dx (N, T, D) dL/dx; grads, one gradient per weight, in the order of
        ``params.weights``.
    """
    weights, activations = cache.params.weights, cache.activations
    _checks.matching("dy", dy, (cache.x_shape[0],), "(N,)", weights[0].dtype, "the weights")
    grads: list[np.ndarray] = [np.empty(0)] * len(weights)
    d = dy[:, None]  # dL/dz of the output layer, (N, 1)
    for k in reversed(range(len(weights) // 2)):
        a = activations[k]  # the layer's input
        grads[2 * k], grads[2 * k + 1] = a.T @ d, d.sum(axis=0)
        d = d @ weights[2 * k].T  # dL/da_k
        if k > 0:  # through the hidden layer's activation: tanh' = 1 - tanh^2, ReLU' = [z > 0]
            d = d * (1 - a * a) if cache.params.activation == "tanh" else d * (a > 0)
    return d.reshape(cache.x_shape), grads


@dataclass(frozen=True)
class MLPFit:
    """The result of ``fit_mlp``.

    Attributes:
        params: the weights after the epoch with the lowest validation error.
        train_loss: the mean squared error on the training windows during each epoch.
        val_loss: the mean squared error on the validation windows after each epoch.
        best_epoch: the epoch (from 1) whose weights ``params`` holds.
        seconds: wall time of the whole training.
    """

    params: MLPParams
    train_loss: list[float] = field(repr=False)
    val_loss: list[float] = field(repr=False)
    best_epoch: int
    seconds: float

    @property
    def epochs(self) -> int:
        """The epochs run before training stopped."""
        return len(self.val_loss)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """(N, T, D) windows -> (N,) predictions of the best weights."""
        return self.params.predict(x)


def _targets(name: str, y: Any, x: np.ndarray, x_name: str) -> np.ndarray:
    _checks.float_array(name, y, ndim=1)
    _checks.same_dtype(name, y, x.dtype, x_name)
    if y.shape[0] != x.shape[0]:
        raise ValueError(
            f"{name} must have shape (N,) = ({x.shape[0]},) to match {x_name} of shape "
            f"{x.shape}, got {y.shape}"
        )
    return np.asarray(y)


def fit_mlp(
    x: np.ndarray,
    y: np.ndarray,
    x_val: np.ndarray,
    y_val: np.ndarray,
    hidden_sizes: Sequence[int] = (32, 32),
    *,
    activation: str = "tanh",
    learning_rate: float = 1e-3,
    batch_size: int = 32,
    max_epochs: int = 200,
    patience: int = 20,
    seed: int = 0,
) -> MLPFit:
    """Train an MLP on windows with Adam on the mean squared error, and stop early.

    After every epoch (a pass over the training windows in a fresh random order,
    ``batch_size`` at a time) the validation error is measured; training stops when it
    has not improved for ``patience`` epochs, or after ``max_epochs``, and the weights of
    the best epoch are returned. The validation windows only choose that epoch: they are
    never trained on, and a test set has no part in it.

    Args:
        x: (N, T, D) training windows, float32 or float64.
        y: (N,) their targets, in the dtype of x.
        x_val: (N_val, T, D) validation windows, the shape of x's and its dtype.
        y_val: (N_val,) their targets.
        hidden_sizes: units of each hidden layer.
        activation: ``"tanh"`` or ``"relu"``.
        learning_rate: Adam's step size (Keras' default 1e-3).
        batch_size: windows per step, an integer >= 1.
        max_epochs: the most epochs to run, an integer >= 1.
        patience: epochs without a new best validation error before stopping, an integer >= 1.
        seed: seed of the weights and of the order of the windows.

    Returns:
        An ``MLPFit``: the best weights, the loss curves, the best epoch, the seconds.
    """
    x = _windows("x", x)
    y = _targets("y", y, x, "x")
    x_val = _windows("x_val", x_val)
    if x_val.shape[1:] != x.shape[1:]:
        raise ValueError(
            f"x_val must hold windows of x's shape (T, D) = {x.shape[1:]}, got {x_val.shape[1:]}"
        )
    _checks.same_dtype("x_val", x_val, x.dtype, "x")
    y_val = _targets("y_val", y_val, x_val, "x_val")
    batch_size = _checks.positive_int("batch_size", batch_size)
    max_epochs = _checks.positive_int("max_epochs", max_epochs)
    patience = _checks.positive_int("patience", patience)
    seed = _checks.seed("seed", seed, allow_none=False)  # type: ignore[assignment]
    params = MLPParams.init(
        x.shape[1] * x.shape[2], hidden_sizes, activation=activation, seed=seed, dtype=x.dtype
    )
    optimizer = Adam(learning_rate=learning_rate)
    order_rng = np.random.default_rng(seed)
    best, best_epoch, best_loss = params.copy(), 0, np.inf
    train_loss: list[float] = []
    val_loss: list[float] = []
    start = time.perf_counter()
    for epoch in range(1, max_epochs + 1):
        order, total = order_rng.permutation(len(y)), 0.0
        for first in range(0, len(y), batch_size):
            rows = order[first : first + batch_size]
            prediction, cache = mlp_forward(x[rows], params)
            error = prediction - y[rows]
            total += float(error @ error)
            _, grads = mlp_backward(error * error.dtype.type(2 / len(rows)), cache)
            optimizer.step(params.weights, grads)
        train_loss.append(total / len(y))
        val_error = params.predict(x_val) - y_val
        val_loss.append(float(np.mean(val_error.astype(np.float64) ** 2)))
        if val_loss[-1] < best_loss:
            best, best_epoch, best_loss = params.copy(), epoch, val_loss[-1]
        elif epoch - best_epoch >= patience:
            break
    return MLPFit(best, train_loss, val_loss, best_epoch, time.perf_counter() - start)
