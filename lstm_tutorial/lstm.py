"""A long short-term memory layer in NumPy: forward pass and backpropagation through time.

Shapes use one set of letters throughout the package and the book:

    B  batch size          T  time steps (sequence length)
    D  input size          H  hidden size (units)

The weights are laid out exactly as Keras lays them out, so that ``W``, ``U`` and
``b`` *are* Keras' ``kernel``, ``recurrent_kernel`` and ``bias``:

    W  (D, 4H)   input weights, four blocks side by side
    U  (H, 4H)   recurrent weights
    b  (4H,)     bias

The four blocks, in Keras' order, are the input gate ``i``, the forget gate ``f``,
the candidate ``g`` (the block Keras calls ``c`` and PyTorch ``g``) and the output
gate ``o``. One step of the layer (Hochreiter & Schmidhuber 1997, with the forget
gate of Gers et al. 2000) is

    z   = x_t W + h_{t-1} U + b          (B, 4H), split into z_i, z_f, z_g, z_o
    i   = sigmoid(z_i)    f = sigmoid(z_f)    g = tanh(z_g)    o = sigmoid(z_o)
    c_t = f * c_{t-1} + i * g
    h_t = o * tanh(c_t)

Internally the forward pass keeps its buffers time-major, (T, B, ...), so that
the slice for one step is contiguous in memory; the public results are
batch-major, (B, T, ...), as in Keras with ``return_sequences=True``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from . import _checks
from .activations import sigmoid, tanh

__all__ = [
    "GATE_ORDER",
    "LSTMCache",
    "LSTMGates",
    "LSTMParams",
    "glorot_uniform",
    "lstm_backward",
    "lstm_forward",
    "lstm_gates",
    "lstm_step",
    "lstm_step_backward",
    "lstm_tbptt_grads",
    "mean_norm_by_lag",
    "orthogonal",
    "state_gradients",
]

GATE_ORDER = ("i", "f", "g", "o")
"""The order of the four blocks in ``W``, ``U`` and ``b`` (Keras' i, f, c, o)."""


def glorot_uniform(rng: np.random.Generator, shape: tuple[int, int], dtype: Any) -> np.ndarray:
    """Glorot & Bengio (2010) uniform initialisation, Keras' default ``kernel_initializer``.

    Samples from U(-a, a) with ``a = sqrt(6 / (fan_in + fan_out))``, where for a
    (rows, cols) matrix fan_in = rows and fan_out = cols.
    """
    fan_in, fan_out = shape
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape).astype(dtype)


def orthogonal(rng: np.random.Generator, shape: tuple[int, int], dtype: Any) -> np.ndarray:
    """A random matrix with orthonormal rows or columns (Saxe et al. 2014).

    Keras' default ``recurrent_initializer``: the QR decomposition of a Gaussian
    matrix, with signs fixed so that the distribution is uniform over
    orthogonal matrices. For U of shape (H, 4H) the H rows are orthonormal.
    """
    rows, cols = shape
    tall = rng.standard_normal((max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(tall)
    q *= np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    return np.ascontiguousarray(q).astype(dtype)


@dataclass
class LSTMParams:
    """The weights of one LSTM layer, in Keras' layout and gate order (i, f, g, o).

    Attributes:
        W: (D, 4H) input weights; Keras' ``kernel``.
        U: (H, 4H) recurrent weights; Keras' ``recurrent_kernel``.
        b: (4H,) bias; Keras' ``bias``.
    """

    W: np.ndarray
    U: np.ndarray
    b: np.ndarray

    def __post_init__(self) -> None:
        _checks.float_array("W", self.W, ndim=2)
        _checks.float_array("U", self.U, ndim=2)
        _checks.float_array("b", self.b, ndim=1)
        hidden = self.U.shape[0]
        _checks.shape_is("U", self.U, (hidden, 4 * hidden), "(H, 4H)")
        if self.W.shape[1] != 4 * hidden:
            raise ValueError(
                f"W must have shape (D, 4H) = (D, {4 * hidden}) to match U of shape "
                f"{self.U.shape}, got {self.W.shape}"
            )
        _checks.shape_is("b", self.b, (4 * hidden,), "(4H,)")
        _checks.same_dtype("U", self.U, self.W.dtype, "W")
        _checks.same_dtype("b", self.b, self.W.dtype, "W")

    @classmethod
    def init(
        cls,
        input_size: int,
        hidden_size: int,
        seed: int = 0,
        dtype: Any = np.float64,
        unit_forget_bias: bool = True,
    ) -> LSTMParams:
        """Fresh weights with Keras' defaults.

        ``W`` is Glorot-uniform, ``U`` orthogonal, ``b`` zero except for a bias of
        1.0 on the forget block (``unit_forget_bias``; Gers et al. 2000,
        Jozefowicz et al. 2015), so the new cell starts out remembering.

        Args:
            input_size: D, features per time step.
            hidden_size: H, the number of units.
            seed: seed for NumPy's random generator; the same seed gives the same weights.
            dtype: np.float32 or np.float64.
            unit_forget_bias: start the forget-gate bias at 1 (True) or 0 (False).
        """
        input_size = _checks.positive_int("input_size", input_size)
        hidden_size = _checks.positive_int("hidden_size", hidden_size)
        dtype = _checks.dtype_arg("dtype", dtype)
        rng = np.random.default_rng(seed)
        W = glorot_uniform(rng, (input_size, 4 * hidden_size), dtype)
        U = orthogonal(rng, (hidden_size, 4 * hidden_size), dtype)
        b = np.zeros(4 * hidden_size, dtype=dtype)
        if unit_forget_bias:
            b[hidden_size : 2 * hidden_size] = 1.0
        return cls(W, U, b)

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

    def gate(self, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The (D, H), (H, H) and (H,) blocks of W, U and b for one gate.

        Args:
            name: one of ``"i"``, ``"f"``, ``"g"``, ``"o"`` (see ``GATE_ORDER``).
        """
        if name not in GATE_ORDER:
            raise ValueError(f"name must be one of {GATE_ORDER}, got {name!r}")
        k = GATE_ORDER.index(name)
        block = slice(k * self.hidden_size, (k + 1) * self.hidden_size)
        return self.W[:, block], self.U[:, block], self.b[block]

    def as_list(self) -> list[np.ndarray]:
        """``[W, U, b]``: the order of Keras' ``layer.get_weights()``."""
        return [self.W, self.U, self.b]

    @classmethod
    def trusted(cls, W: np.ndarray, U: np.ndarray, b: np.ndarray) -> LSTMParams:
        """Wrap arrays this package computed itself (gradients), skipping the checks.

        Training builds one gradient ``LSTMParams`` per step; at batch size 1 the
        checks would cost more than the arithmetic. Use the normal constructor
        for anything that comes from outside.
        """
        params = object.__new__(cls)
        params.W, params.U, params.b = W, U, b
        return params

    def copy(self) -> LSTMParams:
        """A deep copy."""
        return LSTMParams(self.W.copy(), self.U.copy(), self.b.copy())


class LSTMGates(NamedTuple):
    """The activated gates of one step, each (B, H)."""

    i: np.ndarray
    f: np.ndarray
    g: np.ndarray
    o: np.ndarray


def _check_step_inputs(
    x_t: np.ndarray, h_prev: np.ndarray, c_prev: np.ndarray | None, params: LSTMParams
) -> None:
    if not isinstance(params, LSTMParams):
        raise TypeError(f"params must be an LSTMParams, got {_checks.describe(params)}")
    _checks.float_array("x_t", x_t, ndim=2)
    _checks.same_dtype("x_t", x_t, params.dtype, "params")
    batch = x_t.shape[0]
    _checks.shape_is("x_t", x_t, (batch, params.input_size), "(B, D)")
    for name, state in (("h_prev", h_prev), ("c_prev", c_prev)):
        if state is None:
            continue
        _checks.matching(name, state, (batch, params.hidden_size), "(B, H)", params.dtype, "params")


def lstm_gates(x_t: np.ndarray, h_prev: np.ndarray, params: LSTMParams) -> LSTMGates:
    """The four gates of one step.

    Args:
        x_t: (B, D) input at this step.
        h_prev: (B, H) previous hidden state.
        params: the layer's weights.

    Returns:
        ``LSTMGates(i, f, g, o)``, each (B, H): the input, forget and output gates
        in (0, 1) and the candidate ``g`` in (-1, 1).
    """
    _check_step_inputs(x_t, h_prev, None, params)
    z = x_t @ params.W + h_prev @ params.U + params.b
    z_i, z_f, z_g, z_o = np.split(z, 4, axis=1)
    return LSTMGates(sigmoid(z_i), sigmoid(z_f), tanh(z_g), sigmoid(z_o))


def lstm_step(
    x_t: np.ndarray, h_prev: np.ndarray, c_prev: np.ndarray, params: LSTMParams
) -> tuple[np.ndarray, np.ndarray]:
    """One time step of the LSTM.

    Args:
        x_t: (B, D) input at this step.
        h_prev: (B, H) previous hidden state h_{t-1}.
        c_prev: (B, H) previous cell state c_{t-1}.
        params: the layer's weights.

    Returns:
        ``(h_t, c_t)``, each (B, H).
    """
    _check_step_inputs(x_t, h_prev, c_prev, params)
    i, f, g, o = lstm_gates(x_t, h_prev, params)
    c_t = f * c_prev + i * g
    h_t = o * tanh(c_t)
    return h_t, c_t


@dataclass
class LSTMCache:
    """What the forward pass keeps for the backward pass.

    The buffers are time-major, (T, B, ...), so one step's slice is contiguous;
    the properties give batch-major (B, T, H) views for reading and plotting.

    Attributes:
        x: (B, T, D) the inputs.
        h0, c0: (B, H) the initial states.
        params: the weights used.
        h_steps: (T, B, H) hidden states h_1..h_T.
        c_steps: (T, B, H) cell states c_1..c_T.
        tanh_c_steps: (T, B, H) tanh(c_t), reused by the backward pass.
        gate_steps: (T, B, 4H) activated gates [i, f, g, o] side by side.
    """

    x: np.ndarray
    h0: np.ndarray
    c0: np.ndarray
    params: LSTMParams
    h_steps: np.ndarray
    c_steps: np.ndarray
    tanh_c_steps: np.ndarray
    gate_steps: np.ndarray

    def _gate(self, k: int) -> np.ndarray:
        hidden = self.params.hidden_size
        return self.gate_steps[:, :, k * hidden : (k + 1) * hidden].transpose(1, 0, 2)

    @property
    def hs(self) -> np.ndarray:
        """(B, T, H) hidden states."""
        return self.h_steps.transpose(1, 0, 2)

    @property
    def cs(self) -> np.ndarray:
        """(B, T, H) cell states."""
        return self.c_steps.transpose(1, 0, 2)

    @property
    def input_gate(self) -> np.ndarray:
        """(B, T, H) input gate i_t."""
        return self._gate(0)

    @property
    def forget_gate(self) -> np.ndarray:
        """(B, T, H) forget gate f_t."""
        return self._gate(1)

    @property
    def candidate(self) -> np.ndarray:
        """(B, T, H) candidate g_t."""
        return self._gate(2)

    @property
    def output_gate(self) -> np.ndarray:
        """(B, T, H) output gate o_t."""
        return self._gate(3)

    @property
    def h_last(self) -> np.ndarray:
        """(B, H) the final hidden state h_T (Keras' first returned state)."""
        return self.h_steps[-1]

    @property
    def c_last(self) -> np.ndarray:
        """(B, H) the final cell state c_T (Keras' second returned state)."""
        return self.c_steps[-1]


def _gate_affine(hidden: int, dtype: Any) -> tuple[np.ndarray, np.ndarray]:
    """(4H,) scale and shift with sigmoid(z) = tanh(z * scale) * scale + shift on every block.

    Sigmoid blocks (i, f, o): scale 1/2, shift 1/2. The tanh block (g): scale 1, shift 0.
    """
    scale = np.full(4 * hidden, 0.5, dtype=dtype)
    shift = np.full(4 * hidden, 0.5, dtype=dtype)
    scale[2 * hidden : 3 * hidden] = 1.0
    shift[2 * hidden : 3 * hidden] = 0.0
    return scale, shift


def _initial_state(name: str, state: np.ndarray | None, batch: int, params: LSTMParams) -> np.ndarray:
    if state is None:
        return np.zeros((batch, params.hidden_size), dtype=params.dtype)
    _checks.matching(name, state, (batch, params.hidden_size), "(B, H)", params.dtype, "params")
    return state


def check_sequence(x: np.ndarray, params_dtype: np.dtype[Any], input_size: int) -> None:
    """Validate a (B, T, D) input sequence against the layer it is fed to."""
    _checks.float_array("x", x, ndim=3)
    _checks.same_dtype("x", x, params_dtype, "params")
    if x.shape[2] != input_size:
        raise ValueError(f"x must have shape (B, T, D) with D = input_size = {input_size}, got {x.shape}")


def lstm_forward(
    x: np.ndarray,
    params: LSTMParams,
    h0: np.ndarray | None = None,
    c0: np.ndarray | None = None,
) -> tuple[np.ndarray, LSTMCache]:
    """Run the LSTM over a whole sequence.

    Args:
        x: (B, T, D) inputs, the dtype of ``params``.
        params: the layer's weights.
        h0: (B, H) initial hidden state; zeros if None.
        c0: (B, H) initial cell state; zeros if None.

    Returns:
        ``(hs, cache)``: ``hs`` is (B, T, H), the hidden state after every step
        (Keras' output with ``return_sequences=True``); ``cache`` holds what
        ``lstm_backward`` needs, and ``cache.c_last`` the final cell state.
    """
    if not isinstance(params, LSTMParams):
        raise TypeError(f"params must be an LSTMParams, got {_checks.describe(params)}")
    check_sequence(x, params.dtype, params.input_size)
    batch = x.shape[0]
    h0 = _initial_state("h0", h0, batch, params)
    c0 = _initial_state("c0", c0, batch, params)
    cache = _forward(x, params, h0, c0)
    return cache.hs, cache


def _forward(x: np.ndarray, params: LSTMParams, h0: np.ndarray, c0: np.ndarray) -> LSTMCache:
    """``lstm_forward`` without the input checks, for callers that checked already."""
    batch, steps, inputs = x.shape
    hidden = params.hidden_size
    # One tanh serves all four blocks: sigmoid(z) = 0.5 + 0.5 * tanh(z / 2), so the
    # sigmoid blocks' columns of W, U and b are halved once (exact in floating point),
    # and after the tanh those blocks are mapped back with * 0.5 + 0.5.
    scale, shift = _gate_affine(hidden, params.dtype)
    U_half = params.U * scale

    # The input projection x_t W + b for every step at once: one big matrix
    # product instead of T small ones. Its buffer then holds the gates.
    x_steps = x.transpose(1, 0, 2).reshape(steps * batch, inputs)
    gate_steps = (x_steps @ (params.W * scale)).reshape(steps, batch, 4 * hidden)
    gate_steps += params.b * scale
    h_steps = np.empty((steps, batch, hidden), dtype=params.dtype)
    c_steps = np.empty_like(h_steps)
    tanh_c_steps = np.empty_like(h_steps)
    i_times_g = np.empty((batch, hidden), dtype=params.dtype)

    h_prev, c_prev = h0, c0
    for t in range(steps):
        gates = gate_steps[t]  # (B, 4H), pre-activations of step t
        gates += h_prev @ U_half
        np.tanh(gates, out=gates)
        gates *= scale  # now [i, f, g, o]
        gates += shift
        i, f, g, o = (gates[:, k * hidden : (k + 1) * hidden] for k in range(4))
        c_t = np.multiply(f, c_prev, out=c_steps[t])  # c_t = f * c_{t-1} + i * g
        c_t += np.multiply(i, g, out=i_times_g)
        np.tanh(c_t, out=tanh_c_steps[t])
        h_prev = np.multiply(o, tanh_c_steps[t], out=h_steps[t])  # h_t = o * tanh(c_t)
        c_prev = c_t

    return LSTMCache(x, h0, c0, params, h_steps, c_steps, tanh_c_steps, gate_steps)


def _step_grads(
    dh: np.ndarray,
    dc_next: np.ndarray,
    gates: np.ndarray,
    c_prev: np.ndarray,
    tanh_c: np.ndarray,
    dz: np.ndarray,
) -> np.ndarray:
    """Backpropagate through the gates of one step.

    Args:
        dh: (B, H) dL/dh_t, from the output at t and from step t+1.
        dc_next: (B, H) dL/dc_t arriving from step t+1.
        gates: (B, 4H) the activated gates [i, f, g, o] of step t.
        c_prev: (B, H) c_{t-1}.
        tanh_c: (B, H) tanh(c_t).
        dz: (B, 4H) output buffer for dL/dz_t, the pre-activation gradient.

    Returns:
        (B, H) dL/dc_{t-1}; ``dz`` is filled in.
    """
    hidden = dh.shape[1]
    i, f, g, o = (gates[:, k * hidden : (k + 1) * hidden] for k in range(4))
    # h_t = o * tanh(c_t): the gradient reaches c_t through tanh, and o directly.
    dc = dc_next + dh * o * (1.0 - tanh_c * tanh_c)
    # c_t = f * c_{t-1} + i * g, then each gate through its own nonlinearity.
    dz[:, :hidden] = dc * g * i * (1.0 - i)
    dz[:, hidden : 2 * hidden] = dc * c_prev * f * (1.0 - f)
    dz[:, 2 * hidden : 3 * hidden] = dc * i * (1.0 - g * g)
    dz[:, 3 * hidden :] = dh * tanh_c * o * (1.0 - o)
    # The constant error carousel: dc_t/dc_{t-1} = f_t, elementwise.
    return dc * f


def lstm_backward(
    dhs: np.ndarray,
    cache: LSTMCache,
    dc_last: np.ndarray | None = None,
    truncate: int | None = None,
) -> tuple[np.ndarray, LSTMParams, np.ndarray, np.ndarray]:
    """Backpropagation through time for ``lstm_forward``.

    Args:
        dhs: (B, T, H) dL/dh_t for every step, the gradient arriving from above
            (zeros except the last step for a many-to-one model).
        cache: from ``lstm_forward``.
        dc_last: (B, H) dL/dc_T if the loss also uses the final cell state; zeros if None.
        truncate: None for full BPTT. An integer k cuts the recurrent gradient at
            every k-th step boundary (t = k, 2k, ...): the sequence is treated as
            chunks of k steps whose initial states are constants, exactly as
            training in chunks with the state carried forward but detached.

    Returns:
        ``(dx, grads, dh0, dc0)``: dx (B, T, D); grads an ``LSTMParams`` holding
        dL/dW, dL/dU, dL/db; dh0 and dc0 (B, H), the gradients for the initial states.
    """
    if not isinstance(cache, LSTMCache):
        raise TypeError(f"cache must be the LSTMCache from lstm_forward, got {_checks.describe(cache)}")
    params = cache.params
    batch, steps, _ = cache.x.shape
    hidden = params.hidden_size
    _checks.matching("dhs", dhs, (batch, steps, hidden), "(B, T, H)", params.dtype, "the cache")
    if truncate is not None:
        truncate = _checks.positive_int("truncate", truncate)
    if dc_last is not None:
        _checks.matching("dc_last", dc_last, (batch, hidden), "(B, H)", params.dtype, "the cache")
    return _backward(dhs, cache, dc_last, truncate)


def _backward(
    dhs: np.ndarray, cache: LSTMCache, dc_last: np.ndarray | None, truncate: int | None
) -> tuple[np.ndarray, LSTMParams, np.ndarray, np.ndarray]:
    """``lstm_backward`` without the input checks, for callers that checked already."""
    params = cache.params
    batch, steps, inputs = cache.x.shape
    hidden = params.hidden_size
    if dc_last is None:
        dc_next = np.zeros((batch, hidden), dtype=params.dtype)
    else:
        dc_next = dc_last.copy()

    # _step_grads, reorganised for speed: every factor that does not depend on the
    # recursion (the gates, c_{t-1}, tanh(c_t)) is computed for all steps at once,
    # leaving five small operations per step inside the loop.
    gate_steps = cache.gate_steps
    i, f, g, o = (gate_steps[..., k * hidden : (k + 1) * hidden] for k in range(4))
    tanh_c = cache.tanh_c_steps
    c_prev_steps = np.concatenate([cache.c0[None], cache.c_steps[:-1]])
    # dz_t = [dc * K_i, dc * K_f, dc * K_g, dh * K_o], with
    local = np.empty_like(gate_steps)
    local[..., :hidden] = g * i * (1.0 - i)  # K_i
    local[..., hidden : 2 * hidden] = c_prev_steps * f * (1.0 - f)  # K_f
    local[..., 2 * hidden : 3 * hidden] = i * (1.0 - g * g)  # K_g
    local[..., 3 * hidden :] = tanh_c * o * (1.0 - o)  # K_o
    dc_from_dh = o * (1.0 - tanh_c * tanh_c)  # dc_t/dh_t through h_t = o * tanh(c_t)

    # (T, B, 4, H) views: the blocks i, f, g of dz all scale with dc, block o with dh.
    local_blocks = local.reshape(steps, batch, 4, hidden)
    dz_steps = np.empty_like(gate_steps)
    dz_blocks = dz_steps.reshape(steps, batch, 4, hidden)
    U_T = np.ascontiguousarray(params.U.T)
    dh_next = np.zeros((batch, hidden), dtype=params.dtype)
    dc = np.empty((batch, hidden), dtype=params.dtype)
    for t in reversed(range(steps)):
        dh = dhs[:, t] + dh_next  # from the output at t and from step t+1
        np.multiply(dh, dc_from_dh[t], out=dc)
        dc += dc_next
        np.multiply(local_blocks[t, :, :3], dc[:, None, :], out=dz_blocks[t, :, :3])
        np.multiply(local_blocks[t, :, 3], dh, out=dz_blocks[t, :, 3])
        dh_next = dz_steps[t] @ U_T
        dc_next = dc * f[t]  # the constant error carousel: dc_{t-1} = dc_t * f_t
        if truncate is not None and t > 0 and t % truncate == 0:
            dh_next = np.zeros_like(dh_next)
            dc_next = np.zeros_like(dc_next)

    # The weight gradients sum over every step and example: one product each.
    dz_flat = dz_steps.reshape(steps * batch, 4 * hidden)
    x_flat = cache.x.transpose(1, 0, 2).reshape(steps * batch, inputs)
    h_prev_steps = np.concatenate([cache.h0[None], cache.h_steps[:-1]])
    dW = x_flat.T @ dz_flat
    dU = h_prev_steps.reshape(steps * batch, hidden).T @ dz_flat
    db = dz_flat.sum(axis=0)
    dx = (dz_flat @ params.W.T).reshape(steps, batch, inputs).transpose(1, 0, 2)
    return dx, LSTMParams.trusted(dW, dU, db), dh_next, dc_next


def lstm_step_backward(
    dh_t: np.ndarray,
    dc_t: np.ndarray,
    x_t: np.ndarray,
    h_prev: np.ndarray,
    c_prev: np.ndarray,
    params: LSTMParams,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, LSTMParams]:
    """Backward pass of a single ``lstm_step`` (recomputing its gates).

    Args:
        dh_t: (B, H) dL/dh_t.
        dc_t: (B, H) dL/dc_t arriving from later steps (zeros at the last step).
        x_t, h_prev, c_prev, params: the inputs of the forward step.

    Returns:
        ``(dx_t, dh_prev, dc_prev, grads)``: (B, D), (B, H), (B, H) and the
        weight gradients of this step as an ``LSTMParams``.
    """
    _check_step_inputs(x_t, h_prev, c_prev, params)
    for name, grad in (("dh_t", dh_t), ("dc_t", dc_t)):
        _checks.matching(name, grad, h_prev.shape, "(B, H)", params.dtype, "params")
    gates = np.concatenate(lstm_gates(x_t, h_prev, params), axis=1)
    hidden = params.hidden_size
    c_t = gates[:, hidden : 2 * hidden] * c_prev + gates[:, :hidden] * gates[:, 2 * hidden : 3 * hidden]
    dz = np.empty_like(gates)
    dc_prev = _step_grads(dh_t, dc_t, gates, c_prev, tanh(c_t), dz)
    grads = LSTMParams(x_t.T @ dz, h_prev.T @ dz, dz.sum(axis=0))
    return dz @ params.W.T, dz @ params.U.T, dc_prev, grads


def state_gradients(cache: LSTMCache, dh_last: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """dL/dh_t and dL/dc_t at every step, for a loss that depends on h_T only.

    The same recursion as ``lstm_step_backward``, step by step, keeping the
    gradient that reaches each state. ``dL/dc_t`` is the total gradient at c_t:
    through h_t and through c_{t+1} (the direct path, scaled by f_{t+1}).

    Args:
        cache: from ``lstm_forward``.
        dh_last: (B, H) dL/dh_T.

    Returns:
        ``(dh, dc)``, each (B, T, H): entry [:, t] belongs to step t+1.
    """
    if not isinstance(cache, LSTMCache):
        raise TypeError(f"cache must be the LSTMCache from lstm_forward, got {_checks.describe(cache)}")
    params = cache.params
    batch, steps, _ = cache.x.shape
    hidden = params.hidden_size
    _checks.matching("dh_last", dh_last, (batch, hidden), "(B, H)", params.dtype, "the cache")
    dh_steps = np.empty_like(cache.h_steps)
    dc_steps = np.empty_like(cache.h_steps)
    dz = np.empty((batch, 4 * hidden), dtype=params.dtype)
    dh, dc_next = dh_last.copy(), np.zeros_like(dh_last)
    for t in reversed(range(steps)):
        tanh_c, o = cache.tanh_c_steps[t], cache.gate_steps[t][:, 3 * hidden :]
        dh_steps[t] = dh
        dc_steps[t] = dc_next + dh * o * (1.0 - tanh_c * tanh_c)  # total dL/dc_t
        c_prev = cache.c_steps[t - 1] if t > 0 else cache.c0
        dc_next = _step_grads(dh, dc_next, cache.gate_steps[t], c_prev, tanh_c, dz)
        dh = dz @ params.U.T
    return dh_steps.transpose(1, 0, 2), dc_steps.transpose(1, 0, 2)


def lstm_tbptt_grads(
    x: np.ndarray,
    params: LSTMParams,
    dhs: np.ndarray,
    truncate: int,
    h0: np.ndarray | None = None,
    c0: np.ndarray | None = None,
) -> tuple[np.ndarray, LSTMParams, np.ndarray, np.ndarray]:
    """Truncated BPTT chunk by chunk, so memory does not grow with the sequence length.

    The sequence is cut into chunks of ``truncate`` steps. Each chunk is run
    forward from the state the previous chunk ended in, then backward through
    itself only; its cache is dropped before the next chunk. The result equals
    ``lstm_backward(dhs, cache, truncate=truncate)`` after a full forward pass,
    but only one chunk's cache is alive at a time.

    Args:
        x: (B, T, D) inputs.
        params: the weights.
        dhs: (B, T, H) dL/dh_t at every step.
        truncate: k, steps per chunk.
        h0, c0: (B, H) initial states; zeros if None.

    Returns:
        ``(dx, grads, dh0, dc0)`` as ``lstm_backward`` returns them.
    """
    if not isinstance(params, LSTMParams):
        raise TypeError(f"params must be an LSTMParams, got {_checks.describe(params)}")
    check_sequence(x, params.dtype, params.input_size)
    batch, steps, _ = x.shape
    _checks.matching("dhs", dhs, (batch, steps, params.hidden_size), "(B, T, H)", params.dtype, "params")
    truncate = _checks.positive_int("truncate", truncate)
    h = _initial_state("h0", h0, batch, params)
    c = _initial_state("c0", c0, batch, params)

    dx = np.empty_like(x)
    grads = LSTMParams.trusted(np.zeros_like(params.W), np.zeros_like(params.U), np.zeros_like(params.b))
    dh0 = dc0 = np.zeros_like(h)
    for start in range(0, steps, truncate):
        chunk = slice(start, start + truncate)
        cache = _forward(x[:, chunk], params, h, c)
        dx[:, chunk], chunk_grads, dh_start, dc_start = _backward(dhs[:, chunk], cache, None, None)
        grads.W += chunk_grads.W
        grads.U += chunk_grads.U
        grads.b += chunk_grads.b
        if start == 0:
            dh0, dc0 = dh_start, dc_start
        # Carry the state forward as a constant: no gradient crosses the chunk boundary.
        h, c = cache.h_last.copy(), cache.c_last.copy()
    return dx, grads, dh0, dc0


def mean_norm_by_lag(grads: np.ndarray) -> np.ndarray:
    """The gradient norm at each time lag, averaged over the batch.

    Turns per-step state gradients (from ``state_gradients`` or
    ``rnn.hidden_state_gradients``, for a loss at the last step T) into the curve
    that chapters 2 and 4 plot: entry k is the mean over the batch of the
    Euclidean norm over the H units of the gradient at step T - k.

    Args:
        grads: (B, T, H) gradients; entry [:, t] belongs to step t+1.

    Returns:
        (T,) array; index k is the lag, so entry 0 is the last step and entry
        T-1 the first.
    """
    _checks.float_array("grads", grads, ndim=3)
    return np.asarray(np.linalg.norm(grads, axis=2).mean(axis=0)[::-1])
