"""A vanilla (Elman) recurrent network in NumPy, with the same conventions as ``lstm``.

One step (Elman 1990) is

    h_t = tanh(x_t W + h_{t-1} U + b)

with W (D, H), U (H, H) and b (H,), laid out like Keras' ``SimpleRNN`` (``kernel``,
``recurrent_kernel``, ``bias``). PyTorch's ``nn.RNN`` stores the transposes and
two biases: ``weight_ih = W.T``, ``weight_hh = U.T``, ``bias_ih + bias_hh = b``.

Backpropagation through time multiplies the gradient, at every step back, by
the Jacobian dh_t/dh_{t-1} = diag(1 - h_t**2) U^T; chapter 2 of the book
measures what that product does over long lags.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _checks
from .activations import tanh
from .lstm import check_sequence, glorot_uniform, orthogonal
from .model import dense_mse_grads

__all__ = [
    "RNNCache",
    "RNNParams",
    "RNNRegressor",
    "hidden_state_gradients",
    "rnn_backward",
    "rnn_forward",
    "rnn_step",
    "spectral_radius",
    "with_spectral_radius",
]


@dataclass
class RNNParams:
    """The weights of one vanilla RNN layer.

    Attributes:
        W: (D, H) input weights.
        U: (H, H) recurrent weights.
        b: (H,) bias.
    """

    W: np.ndarray
    U: np.ndarray
    b: np.ndarray

    def __post_init__(self) -> None:
        _checks.float_array("W", self.W, ndim=2)
        _checks.float_array("U", self.U, ndim=2)
        _checks.float_array("b", self.b, ndim=1)
        hidden = self.U.shape[0]
        _checks.shape_is("U", self.U, (hidden, hidden), "(H, H)")
        if self.W.shape[1] != hidden:
            raise ValueError(
                f"W must have shape (D, H) = (D, {hidden}) to match U of shape {self.U.shape}, "
                f"got {self.W.shape}"
            )
        _checks.shape_is("b", self.b, (hidden,), "(H,)")
        _checks.same_dtype("U", self.U, self.W.dtype, "W")
        _checks.same_dtype("b", self.b, self.W.dtype, "W")

    @classmethod
    def init(cls, input_size: int, hidden_size: int, seed: int = 0, dtype: Any = np.float64) -> RNNParams:
        """Keras' ``SimpleRNN`` defaults: Glorot-uniform W, orthogonal U, zero b."""
        input_size = _checks.positive_int("input_size", input_size)
        hidden_size = _checks.positive_int("hidden_size", hidden_size)
        dtype = _checks.dtype_arg("dtype", dtype)
        rng = np.random.default_rng(seed)
        W = glorot_uniform(rng, (input_size, hidden_size), dtype)
        U = orthogonal(rng, (hidden_size, hidden_size), dtype)
        return cls(W, U, np.zeros(hidden_size, dtype=dtype))

    @property
    def input_size(self) -> int:
        """D, the number of input features."""
        return int(self.W.shape[0])

    @property
    def hidden_size(self) -> int:
        """H, the number of units."""
        return int(self.U.shape[0])

    @property
    def dtype(self) -> np.dtype[Any]:
        """The dtype shared by W, U and b."""
        return self.W.dtype

    def as_list(self) -> list[np.ndarray]:
        """``[W, U, b]``: the order of Keras' ``SimpleRNN.get_weights()``."""
        return [self.W, self.U, self.b]

    def copy(self) -> RNNParams:
        """A deep copy."""
        return RNNParams(self.W.copy(), self.U.copy(), self.b.copy())


def spectral_radius(matrix: np.ndarray) -> float:
    """The largest absolute eigenvalue of a square matrix."""
    _checks.float_array("matrix", matrix, ndim=2)
    if matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"matrix must be square, got shape {matrix.shape}")
    return float(np.max(np.abs(np.linalg.eigvals(matrix))))


def with_spectral_radius(params: RNNParams, radius: float) -> RNNParams:
    """A copy of ``params`` whose recurrent matrix U is rescaled to the given spectral radius.

    Args:
        params: the RNN to copy.
        radius: the wanted largest absolute eigenvalue of U (> 0).
    """
    if not isinstance(params, RNNParams):
        raise TypeError(f"params must be an RNNParams, got {_checks.describe(params)}")
    if not np.isfinite(radius) or radius <= 0:
        raise ValueError(f"radius must be a positive finite number, got {radius}")
    scale = radius / spectral_radius(params.U)
    return RNNParams(params.W.copy(), (params.U * scale).astype(params.dtype), params.b.copy())


def rnn_step(x_t: np.ndarray, h_prev: np.ndarray, params: RNNParams) -> np.ndarray:
    """One step: ``h_t = tanh(x_t W + h_prev U + b)``.

    Args:
        x_t: (B, D) input at this step.
        h_prev: (B, H) previous hidden state.
        params: the layer's weights.

    Returns:
        (B, H) the new hidden state.
    """
    if not isinstance(params, RNNParams):
        raise TypeError(f"params must be an RNNParams, got {_checks.describe(params)}")
    batch = _checks.float_array("x_t", x_t, ndim=2).shape[0]
    _checks.matching("x_t", x_t, (batch, params.input_size), "(B, D)", params.dtype, "params")
    _checks.matching("h_prev", h_prev, (batch, params.hidden_size), "(B, H)", params.dtype, "params")
    return tanh(x_t @ params.W + h_prev @ params.U + params.b)


@dataclass
class RNNCache:
    """What ``rnn_forward`` keeps for ``rnn_backward``.

    Attributes:
        x: (B, T, D) inputs.
        h0: (B, H) initial state.
        params: the weights used.
        h_steps: (T, B, H) hidden states h_1..h_T, time-major.
    """

    x: np.ndarray
    h0: np.ndarray
    params: RNNParams
    h_steps: np.ndarray

    @property
    def hs(self) -> np.ndarray:
        """(B, T, H) hidden states."""
        return self.h_steps.transpose(1, 0, 2)


def rnn_forward(
    x: np.ndarray, params: RNNParams, h0: np.ndarray | None = None
) -> tuple[np.ndarray, RNNCache]:
    """Run the RNN over a sequence.

    Args:
        x: (B, T, D) inputs, the dtype of ``params``.
        params: the layer's weights.
        h0: (B, H) initial hidden state; zeros if None.

    Returns:
        ``(hs, cache)`` with hs of shape (B, T, H).
    """
    if not isinstance(params, RNNParams):
        raise TypeError(f"params must be an RNNParams, got {_checks.describe(params)}")
    check_sequence(x, params.dtype, params.input_size)
    batch, steps, inputs = x.shape
    if h0 is None:
        h0 = np.zeros((batch, params.hidden_size), dtype=params.dtype)
    _checks.matching("h0", h0, (batch, params.hidden_size), "(B, H)", params.dtype, "params")

    # Input projections of all steps in one product; the buffer then holds h_t.
    h_steps = (x.transpose(1, 0, 2).reshape(steps * batch, inputs) @ params.W).reshape(
        steps, batch, params.hidden_size
    )
    h_steps += params.b
    h_prev = h0
    for t in range(steps):
        h_steps[t] += h_prev @ params.U
        h_prev = tanh(h_steps[t], out=h_steps[t])
    cache = RNNCache(x, h0, params, h_steps)
    return cache.hs, cache


def rnn_backward(
    dhs: np.ndarray, cache: RNNCache, truncate: int | None = None
) -> tuple[np.ndarray, RNNParams, np.ndarray]:
    """Backpropagation through time for ``rnn_forward``.

    Args:
        dhs: (B, T, H) dL/dh_t arriving from above at every step.
        cache: from ``rnn_forward``.
        truncate: None for full BPTT; k cuts the recurrent gradient at every
            k-th step boundary, as in ``lstm.lstm_backward``.

    Returns:
        ``(dx, grads, dh0)``: (B, T, D), an ``RNNParams`` of weight gradients, (B, H).
    """
    if not isinstance(cache, RNNCache):
        raise TypeError(f"cache must be the RNNCache from rnn_forward, got {_checks.describe(cache)}")
    params = cache.params
    batch, steps, inputs = cache.x.shape
    hidden = params.hidden_size
    _checks.matching("dhs", dhs, (batch, steps, hidden), "(B, T, H)", params.dtype, "the cache")
    if truncate is not None:
        truncate = _checks.positive_int("truncate", truncate)

    U_T = np.ascontiguousarray(params.U.T)
    dz_steps = np.empty_like(cache.h_steps)
    dh_next = np.zeros((batch, hidden), dtype=params.dtype)
    for t in reversed(range(steps)):
        h_t = cache.h_steps[t]
        # Through tanh: dz_t = dh_t * (1 - h_t^2); then back to h_{t-1} through U.
        np.multiply(dhs[:, t] + dh_next, 1.0 - h_t * h_t, out=dz_steps[t])
        dh_next = dz_steps[t] @ U_T
        if truncate is not None and t > 0 and t % truncate == 0:
            dh_next = np.zeros_like(dh_next)

    dz_flat = dz_steps.reshape(steps * batch, hidden)
    x_flat = cache.x.transpose(1, 0, 2).reshape(steps * batch, inputs)
    h_prev_steps = np.concatenate([cache.h0[None], cache.h_steps[:-1]])
    grads = RNNParams(
        x_flat.T @ dz_flat,
        h_prev_steps.reshape(steps * batch, hidden).T @ dz_flat,
        dz_flat.sum(axis=0),
    )
    dx = (dz_flat @ params.W.T).reshape(steps, batch, inputs).transpose(1, 0, 2)
    return dx, grads, dh_next


def hidden_state_gradients(cache: RNNCache, dh_last: np.ndarray) -> np.ndarray:
    """dL/dh_t at every step, for a loss that depends on the last hidden state only.

    Going back one step multiplies the gradient by the Jacobian
    dh_t/dh_{t-1} = diag(1 - h_t**2) U^T (row vectors: dh_{t-1} = (dh_t * (1 - h_t**2)) U^T),
    so ``||dL/dh_{T-k}||`` shows what k such products do.

    Args:
        cache: from ``rnn_forward``.
        dh_last: (B, H) dL/dh_T.

    Returns:
        (B, T, H): entry [:, t] is dL/dh_{t+1} (t = T-1 is ``dh_last`` itself).
    """
    if not isinstance(cache, RNNCache):
        raise TypeError(f"cache must be the RNNCache from rnn_forward, got {_checks.describe(cache)}")
    params = cache.params
    batch, steps, _ = cache.x.shape
    _checks.matching("dh_last", dh_last, (batch, params.hidden_size), "(B, H)", params.dtype, "the cache")
    grads = np.empty_like(cache.h_steps)
    grads[-1] = dh_last
    for t in range(steps - 1, 0, -1):
        h_t = cache.h_steps[t]
        grads[t - 1] = (grads[t] * (1.0 - h_t * h_t)) @ params.U.T
    return grads.transpose(1, 0, 2)


@dataclass
class RNNRegressor:
    """A vanilla RNN followed by Dense(1) on its last hidden state: ``LSTMRegressor``'s simpler twin.

    Attributes:
        rnn: the recurrent layer's weights.
        dense_W: (H, 1) the Dense layer's kernel.
        dense_b: (1,) the Dense layer's bias.
    """

    rnn: RNNParams
    dense_W: np.ndarray
    dense_b: np.ndarray

    def __post_init__(self) -> None:
        if not isinstance(self.rnn, RNNParams):
            raise TypeError(f"rnn must be an RNNParams, got {_checks.describe(self.rnn)}")
        _checks.float_array("dense_W", self.dense_W, ndim=2)
        _checks.float_array("dense_b", self.dense_b, ndim=1)
        _checks.shape_is("dense_W", self.dense_W, (self.rnn.hidden_size, 1), "(H, 1)")
        _checks.shape_is("dense_b", self.dense_b, (1,), "(1,)")
        _checks.same_dtype("dense_W", self.dense_W, self.rnn.dtype, "rnn")
        _checks.same_dtype("dense_b", self.dense_b, self.rnn.dtype, "rnn")

    @classmethod
    def init(
        cls, input_size: int = 1, hidden_size: int = 4, seed: int = 0, dtype: Any = np.float64
    ) -> RNNRegressor:
        """Fresh weights with Keras' defaults (as ``SimpleRNN`` then ``Dense(1)``)."""
        rnn = RNNParams.init(input_size, hidden_size, seed=seed, dtype=dtype)
        rng = np.random.default_rng([seed, 1])
        dense_W = glorot_uniform(rng, (rnn.hidden_size, 1), rnn.dtype)
        return cls(rnn, dense_W, np.zeros(1, dtype=rnn.dtype))

    @property
    def dtype(self) -> np.dtype[Any]:
        """The dtype of every weight."""
        return self.rnn.dtype

    def count_params(self) -> int:
        """The number of weights, as Keras counts them."""
        return sum(w.size for w in self.parameters())

    def parameters(self) -> list[np.ndarray]:
        """The live weight arrays: W, U, b, dense kernel, dense bias."""
        return [self.rnn.W, self.rnn.U, self.rnn.b, self.dense_W, self.dense_b]

    def predict(self, x: np.ndarray) -> np.ndarray:
        """(N, T, D) windows to (N,) predictions."""
        hs, _ = rnn_forward(x, self.rnn)
        return (hs[:, -1] @ self.dense_W + self.dense_b)[:, 0]

    def loss_and_grads(self, x: np.ndarray, y: np.ndarray) -> tuple[float, RNNRegressor]:
        """Mean squared error on (N, T, D) inputs and (N,) targets, and its gradients."""
        _checks.float_array("y", y, ndim=1)
        _checks.same_dtype("y", y, self.dtype, "the model")
        hs, cache = rnn_forward(x, self.rnn)
        if y.shape[0] != x.shape[0]:
            raise ValueError(
                f"y must have shape (N,) = ({x.shape[0]},) to match x of shape {x.shape}, got {y.shape}"
            )
        loss, dh_last, d_dense_W, d_dense_b = dense_mse_grads(hs[:, -1], self.dense_W, self.dense_b, y)
        dhs = np.zeros_like(hs)
        dhs[:, -1] = dh_last
        _, rnn_grads, _ = rnn_backward(dhs, cache)
        return loss, RNNRegressor(rnn_grads, d_dense_W, d_dense_b)
