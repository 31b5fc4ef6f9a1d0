"""A vanilla (Elman) recurrent network in NumPy, with the same conventions as ``lstm``.

One step (Elman 1990) is

    h_t = tanh(x_t W + h_{t-1} U + b)

with W (D, H), U (H, H) and b (H,), laid out like Keras' ``SimpleRNN`` (``kernel``,
``recurrent_kernel``, ``bias``). PyTorch's ``nn.RNN`` stores the transposes and
two biases: ``weight_ih = W.T``, ``weight_hh = U.T``, ``bias_ih + bias_hh = b``.

Backpropagation through time multiplies the gradient, at every step back, by
the Jacobian dh_t/dh_{t-1} = diag(1 - h_t**2) U^T; chapter 2 of the book
measures what that product does over long lags.

``RNNParams.step`` and ``RNNParams.step_backward`` are the cell; ``sequence``
runs them over time, and ``rnn_forward``/``rnn_backward`` are that loop. The
functions are the ones every cell module has, with the same signatures:
``rnn_step``, ``rnn_step_backward``, ``rnn_forward``, ``rnn_backward`` and
``rnn_state_gradients`` (as ``lstm_*``, ``gru_*``, ``variant_*``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from . import _checks, sequence
from .activations import tanh
from .cell import CellParams, State, glorot_uniform, orthogonal
from .sequence import SequenceCache

__all__ = [
    "RNNParams",
    "RNNStepCache",
    "rnn_backward",
    "rnn_forward",
    "rnn_state_gradients",
    "rnn_step",
    "rnn_step_backward",
    "spectral_radius",
    "with_spectral_radius",
]


class RNNStepCache(NamedTuple):
    """What one step keeps for its backward pass, each (B, ·)."""

    x_t: np.ndarray
    h_prev: np.ndarray
    h_t: np.ndarray


@dataclass
class RNNParams(CellParams):
    """The weights of one vanilla RNN layer (Keras' ``SimpleRNN``).

    Attributes:
        W: (D, H) input weights.
        U: (H, H) recurrent weights.
        b: (H,) bias.
    """

    W: np.ndarray
    U: np.ndarray
    b: np.ndarray

    @classmethod
    def init(cls, input_size: int, hidden_size: int, seed: int = 0, dtype: Any = np.float64) -> RNNParams:
        """Keras' ``SimpleRNN`` defaults: Glorot-uniform W, orthogonal U, zero b."""
        input_size = _checks.positive_int("input_size", input_size)
        hidden_size = _checks.positive_int("hidden_size", hidden_size)
        dtype = _checks.dtype_arg("dtype", dtype)
        rng = np.random.default_rng(_checks.seed("seed", seed, allow_none=False))
        W = glorot_uniform(rng, (input_size, hidden_size), dtype)
        U = orthogonal(rng, (hidden_size, hidden_size), dtype)
        return cls(W, U, np.zeros(hidden_size, dtype=dtype))

    def step(self, x_t: np.ndarray, state: State) -> tuple[State, RNNStepCache]:
        """One step: ``h_t = tanh(x_t W + b + h_{t-1} U)`` (Keras' order of the sums)."""
        (h_prev,) = state
        h_t = tanh(x_t @ self.W + self.b + h_prev @ self.U)
        return (h_t,), RNNStepCache(x_t, h_prev, h_t)

    def step_backward(self, d_state: State, cache: RNNStepCache) -> tuple[np.ndarray, State, RNNParams]:
        """From dL/dh_t to ``(dL/dx_t, (dL/dh_{t-1},), weight gradients)``."""
        (dh,) = d_state
        x_t, h_prev, h_t = cache
        dz = dh * (1.0 - h_t * h_t)  # through tanh
        grads = RNNParams.unchecked(x_t.T @ dz, h_prev.T @ dz, dz.sum(axis=0))
        return dz @ self.W.T, (dz @ self.U.T,), grads


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
    _checks.instance("params", params, RNNParams)
    if not np.isfinite(radius) or radius <= 0:
        raise ValueError(f"radius must be a positive finite number, got {radius}")
    scale = radius / spectral_radius(params.U)
    return RNNParams(params.W.copy(), (params.U * scale).astype(params.dtype), params.b.copy())


def rnn_step(x_t: np.ndarray, h_prev: np.ndarray, params: RNNParams) -> np.ndarray:
    """One step, ``h_t = tanh(x_t W + b + h_prev U)`` (``RNNParams.step``, inputs checked).

    Args:
        x_t: (B, D) input at this step.
        h_prev: (B, H) previous hidden state.
        params: the layer's weights.

    Returns:
        (B, H) the new hidden state.
    """
    _checks.instance("params", params, RNNParams)
    batch = params.check_input(x_t)
    _checks.state_arg("h_prev", h_prev, batch, params)
    (h_t,), _ = params.step(x_t, (h_prev,))
    return h_t


def rnn_step_backward(
    dh_t: np.ndarray, cache: RNNStepCache, params: RNNParams
) -> tuple[np.ndarray, np.ndarray, RNNParams]:
    """The backward pass of one step (``RNNParams.step_backward`` with its inputs checked).

    The pair of ``(h_t,), cache = params.step(x_t, (h_prev,))``.

    Args:
        dh_t: (B, H) dL/dh_t.
        cache: the ``RNNStepCache`` that ``params.step`` returned.
        params: the weights of the forward step.

    Returns:
        ``(dx_t, dh_prev, grads)``: (B, D), (B, H) and this step's weight gradients.
    """
    _checks.instance("params", params, RNNParams)
    dx_t, (dh_prev,), grads = params.checked_step_backward((dh_t,), cache, RNNStepCache)
    return dx_t, dh_prev, grads


def rnn_forward(
    x: np.ndarray, params: RNNParams, h0: np.ndarray | None = None
) -> tuple[np.ndarray, SequenceCache]:
    """Run the RNN over a sequence (``sequence.forward``).

    Args:
        x: (B, T, D) inputs, the dtype of ``params``.
        params: the layer's weights.
        h0: (B, H) initial hidden state; zeros if None.

    Returns:
        ``(hs, cache)`` with hs of shape (B, T, H).
    """
    _checks.instance("params", params, RNNParams)
    return sequence.forward(params, x, None if h0 is None else (h0,))


def _check_cache(cache: Any) -> SequenceCache:
    if not isinstance(cache, SequenceCache) or not isinstance(cache.params, RNNParams):
        raise TypeError(f"cache must be the SequenceCache from rnn_forward, got {_checks.describe(cache)}")
    return cache


def rnn_backward(
    dhs: np.ndarray,
    cache: SequenceCache,
    d_last_state: State | None = None,
    truncate: int | None = None,
) -> tuple[np.ndarray, RNNParams, State]:
    """Backpropagation through time for ``rnn_forward`` (``sequence.backward``).

    Args:
        dhs: (B, T, H) dL/dh_t arriving from above at every step.
        cache: from ``rnn_forward``.
        d_last_state: ``(dh_T,)``, an extra gradient on the final state; zeros if None.
        truncate: None for full BPTT; k cuts the recurrent gradient at every
            k-th step boundary, as in ``lstm.lstm_backward``.

    Returns:
        ``(dx, grads, (dh0,))``: (B, T, D), an ``RNNParams`` of weight gradients, and
        the gradient for the initial state, (B, H).
    """
    return sequence.backward(dhs, _check_cache(cache), d_last_state, truncate)  # type: ignore[return-value]


def rnn_state_gradients(cache: SequenceCache, dh_last: np.ndarray) -> tuple[np.ndarray]:
    """dL/dh_t at every step, for a loss that depends on the last hidden state only.

    Going back one step multiplies the gradient by the Jacobian
    dh_t/dh_{t-1} = diag(1 - h_t**2) U^T (row vectors: dh_{t-1} = (dh_t * (1 - h_t**2)) U^T),
    so ``||dL/dh_{T-k}||`` shows what k such products do.

    Args:
        cache: from ``rnn_forward``.
        dh_last: (B, H) dL/dh_T.

    Returns:
        ``(dh,)``, dh (B, T, H): entry [:, t] is dL/dh_{t+1} (t = T-1 is ``dh_last`` itself).
    """
    (dh,) = sequence.state_gradients(_check_cache(cache), dh_last)
    return (dh,)
