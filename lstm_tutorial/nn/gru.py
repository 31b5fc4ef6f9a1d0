"""A gated recurrent unit (GRU) in NumPy: forward pass and backpropagation through time.

The GRU of Cho et al. (2014) keeps one state, h, and two gates. The layout is
Keras 3's ``GRU`` with ``reset_after=True`` (Keras' default, and the same
arithmetic as ``torch.nn.GRU``), so ``W``, ``U`` and ``b`` *are* Keras'
``kernel``, ``recurrent_kernel`` and ``bias``:

    W  (D, 3H)   input weights, three blocks side by side
    U  (H, 3H)   recurrent weights
    b  (2, 3H)   bias: row 0 is added to x_t W, row 1 to h_{t-1} U

The blocks, in Keras' order, are the update gate ``u``, the reset gate ``r`` and
the candidate ``n`` (Keras calls them z, r, h; PyTorch's order is r, z, n). The
letter z is kept for pre-activations, as in the LSTM. One step is

    xw = x_t W + b[0]      hu = h_{t-1} U + b[1]         (B, 3H) each, split into u, r, n blocks
    u = sigmoid(xw_u + hu_u)   r = sigmoid(xw_r + hu_r)
    n = tanh(xw_n + r * hu_n)                             the reset gate scales h U, after the product
    h_t = u * h_{t-1} + (1 - u) * n

Where the LSTM has a forget gate and an input gate, the GRU has one update gate
u that does both: it keeps a share u of the old state and fills the rest from the
candidate. There is no separate cell state and no output gate.

``GRUParams.step`` and ``GRUParams.step_backward`` are the cell; ``sequence``
runs them over time. The functions are the ones every cell module has, with the
same signatures: ``gru_step``, ``gru_step_backward``, ``gru_forward``,
``gru_backward`` and ``gru_state_gradients``. The PyTorch bridge
(``lstm_tutorial.frameworks``) moves the weights to and from ``torch.nn.GRU``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple

import numpy as np

from . import _checks, sequence
from .activations import sigmoid, tanh
from .cell import CellParams, State, glorot_uniform, orthogonal
from .sequence import SequenceCache

__all__ = [
    "GRUParams",
    "GRUStepCache",
    "gru_backward",
    "gru_forward",
    "gru_state_gradients",
    "gru_step",
    "gru_step_backward",
]


class GRUStepCache(NamedTuple):
    """What one step keeps for its backward pass, each (B, H) but ``x_t`` (B, D).

    ``u`` is the update gate, ``r`` the reset gate, ``n`` the candidate, and ``hu_n`` the
    candidate's recurrent part ``h_{t-1} U_n + b[1]_n``, before the reset gate.
    """

    x_t: np.ndarray
    h_prev: np.ndarray
    u: np.ndarray
    r: np.ndarray
    n: np.ndarray
    hu_n: np.ndarray


@dataclass
class GRUParams(CellParams):
    """The weights of one GRU layer, in Keras' layout (``reset_after=True``) and block order u, r, n
    (update gate, reset gate, candidate; Keras' z, r, h).

    Attributes:
        W: (D, 3H) input weights; Keras' ``kernel``.
        U: (H, 3H) recurrent weights; Keras' ``recurrent_kernel``.
        b: (2, 3H) biases; Keras' ``bias``: row 0 for the input product, row 1 for the recurrent one.
    """

    W: np.ndarray
    U: np.ndarray
    b: np.ndarray

    blocks: ClassVar[int] = 3

    def expected_shapes(self, hidden: int) -> list[tuple[str, tuple[int | None, ...], str]]:
        """U (H, 3H), W (D, 3H), and two bias rows b (2, 3H)."""
        shapes = super().expected_shapes(hidden)
        return [*shapes[:2], ("b", (2, 3 * hidden), "(2, 3H)")]

    @classmethod
    def init(cls, input_size: int, hidden_size: int, seed: int = 0, dtype: Any = np.float64) -> GRUParams:
        """Fresh weights with Keras' defaults: Glorot-uniform W, orthogonal U, zero biases.

        Args:
            input_size: D, features per time step.
            hidden_size: H, the number of units.
            seed: seed for NumPy's random generator.
            dtype: np.float32 or np.float64.
        """
        input_size = _checks.positive_int("input_size", input_size)
        hidden_size = _checks.positive_int("hidden_size", hidden_size)
        dtype = _checks.dtype_arg("dtype", dtype)
        rng = np.random.default_rng(_checks.seed("seed", seed, allow_none=False))
        W = glorot_uniform(rng, (input_size, 3 * hidden_size), dtype)
        U = orthogonal(rng, (hidden_size, 3 * hidden_size), dtype)
        return cls(W, U, np.zeros((2, 3 * hidden_size), dtype=dtype))

    def step(self, x_t: np.ndarray, state: State) -> tuple[State, GRUStepCache]:
        """One step: ``h_t`` from ``x_t`` (B, D) and ``state = (h_{t-1},)``."""
        (h_prev,) = state
        hidden = self.hidden_size
        xw = x_t @ self.W + self.b[0]  # (B, 3H), the input's part of u, r, n
        hu = h_prev @ self.U + self.b[1]  # (B, 3H), the state's part
        ur = sigmoid(xw[:, : 2 * hidden] + hu[:, : 2 * hidden])
        u, r = ur[:, :hidden], ur[:, hidden:]  # update gate, reset gate
        hu_n = hu[:, 2 * hidden :]
        n = tanh(xw[:, 2 * hidden :] + r * hu_n)  # candidate: the reset gate scales h U, after the product
        h_t = u * h_prev + (1 - u) * n
        return (h_t,), GRUStepCache(x_t, h_prev, u, r, n, hu_n)

    def step_backward(self, d_state: State, cache: GRUStepCache) -> tuple[np.ndarray, State, GRUParams]:
        """From dL/dh_t to ``(dL/dx_t, (dL/dh_{t-1},), weight gradients)``.

        With z_u, z_r, z_n the pre-activations of u, r, n (z_n = xw_n + r * hu_n):

            du = dh * (h_{t-1} - n)          dn = dh * (1 - u)
            dz_n = dn * (1 - n**2)           dr = dz_n * hu_n           dhu_n = dz_n * r
            dxw = [du * u(1-u), dr * r(1-r), dz_n]     dhu = [du * u(1-u), dr * r(1-r), dhu_n]
            dW = x_t^T dxw    dU = h_{t-1}^T dhu    db = [sum(dxw), sum(dhu)]
            dx_t = dxw W^T    dh_{t-1} = dh * u + dhu U^T
        """
        (dh,) = d_state
        x_t, h_prev, u, r, n, hu_n = cache
        dz_n = dh * (1 - u) * (1 - n * n)
        dz_u = dh * (h_prev - n) * u * (1 - u)
        dz_r = dz_n * hu_n * r * (1 - r)
        dxw = np.concatenate([dz_u, dz_r, dz_n], axis=1)
        dhu = np.concatenate([dz_u, dz_r, dz_n * r], axis=1)
        db = np.stack([dxw.sum(axis=0), dhu.sum(axis=0)])
        grads = GRUParams.unchecked(x_t.T @ dxw, h_prev.T @ dhu, db)
        dh_prev = dh * u + dhu @ self.U.T
        return dxw @ self.W.T, (dh_prev,), grads


def gru_step(x_t: np.ndarray, h_prev: np.ndarray, params: GRUParams) -> np.ndarray:
    """One GRU step (``GRUParams.step`` with its inputs checked).

    Args:
        x_t: (B, D) inputs at time t.
        h_prev: (B, H) the previous state h_{t-1}.
        params: the layer's weights.

    Returns:
        (B, H) the new state h_t.
    """
    _checks.instance("params", params, GRUParams)
    batch = params.check_input(x_t)
    _checks.state_arg("h_prev", h_prev, batch, params)
    (h_t,), _ = params.step(x_t, (h_prev,))
    return h_t


def gru_step_backward(
    dh_t: np.ndarray, cache: GRUStepCache, params: GRUParams
) -> tuple[np.ndarray, np.ndarray, GRUParams]:
    """The backward pass of one step (``GRUParams.step_backward`` with its inputs checked).

    The pair of ``(h_t,), cache = params.step(x_t, (h_prev,))``.

    Args:
        dh_t: (B, H) dL/dh_t.
        cache: the ``GRUStepCache`` that ``params.step`` returned.
        params: the weights of the forward step.

    Returns:
        ``(dx_t, dh_prev, grads)``: (B, D), (B, H) and this step's weight gradients.
    """
    _checks.instance("params", params, GRUParams)
    dx_t, (dh_prev,), grads = params.checked_step_backward((dh_t,), cache, GRUStepCache)
    return dx_t, dh_prev, grads


def gru_forward(
    x: np.ndarray, params: GRUParams, h0: np.ndarray | None = None
) -> tuple[np.ndarray, SequenceCache]:
    """Run the GRU over whole sequences (``sequence.forward``).

    Args:
        x: (B, T, D) input sequences, the dtype of ``params``.
        params: the layer's weights.
        h0: (B, H) initial state, zeros if None (as Keras and PyTorch).

    Returns:
        ``(hs, cache)``: hs (B, T, H) the states h_1 .. h_T (Keras' ``return_sequences=True``),
        and the cache for ``gru_backward``.
    """
    _checks.instance("params", params, GRUParams)
    return sequence.forward(params, x, None if h0 is None else (h0,))


def _check_cache(cache: Any) -> SequenceCache:
    if not isinstance(cache, SequenceCache) or not isinstance(cache.params, GRUParams):
        raise TypeError(f"cache must be the SequenceCache from gru_forward, got {_checks.describe(cache)}")
    return cache


def gru_backward(
    dhs: np.ndarray,
    cache: SequenceCache,
    d_last_state: State | None = None,
    truncate: int | None = None,
) -> tuple[np.ndarray, GRUParams, State]:
    """Backpropagation through time for ``gru_forward`` (``sequence.backward``).

    Args:
        dhs: (B, T, H) gradient of the loss with respect to every output state h_1 .. h_T.
        cache: from ``gru_forward``.
        d_last_state: ``(dh_T,)``, an extra gradient on the final state; zeros if None.
        truncate: None for full BPTT; k cuts the recurrent gradient at every k-th
            step boundary, as in ``lstm.lstm_backward``.

    Returns:
        ``(dx, grads, (dh0,))``: dx (B, T, D), grads a ``GRUParams`` of gradients of W, U, b,
        and the gradient for the initial state, (B, H).
    """
    return sequence.backward(dhs, _check_cache(cache), d_last_state, truncate)  # type: ignore[return-value]


def gru_state_gradients(cache: SequenceCache, dh_last: np.ndarray) -> tuple[np.ndarray]:
    """dL/dh_t at every step, for a loss that depends on the last state only.

    Args:
        cache: from ``gru_forward``.
        dh_last: (B, H) dL/dh_T.

    Returns:
        ``(dh,)``, dh (B, T, H): entry [:, t] is dL/dh_{t+1}.
    """
    (dh,) = sequence.state_gradients(_check_cache(cache), dh_last)
    return (dh,)
