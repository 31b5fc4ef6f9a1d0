"""The LSTM's fast path: the same maths as ``LSTMParams.step``, rearranged for speed.

``lstm.LSTMParams.step`` and ``step_backward`` are the chapter's equations line by
line, and ``sequence`` runs them over time. Training runs this module instead,
which computes the same numbers (a test holds the two equal to 1e-12 in float64)
with four tricks, each worth a few tens of percent:

1. The input projection ``x_t W + b`` of every step in one matrix product,
   before the loop, instead of T small ones.
2. One tanh for all four gate blocks: sigmoid(z) = 0.5 + 0.5 tanh(z / 2), so the
   sigmoid blocks' columns of W, U and b are halved once (exact in floating
   point) and mapped back with * 0.5 + 0.5 after the tanh.
3. Preallocated time-major buffers, written in place, so nothing is allocated
   inside the loop. Within a step they are feature-major: the gates of step t are
   one (4H, B) array, z_t^T = U^T h_{t-1}^T + ..., because at a small batch BLAS
   computes the step's product about a third faster in that layout, and each gate
   block is then one contiguous (H, B) slab for the elementwise passes. Only h_t
   is kept as the rest of the model and the weight gradients read it: (T, B, H),
   copied once at the end into the layer's output, (B, T, H).
4. In the backward pass, every factor that does not depend on the recursion
   (the gates, c_{t-1}, tanh(c_t)) is computed for a chunk of steps at once,
   and the weight gradients are one product each after the loop.

The large buffers are also reused from one call to the next (``_buffer``), once
nothing refers to them any more.

The appendix on performance measures what these buy; ``benchmarks/run.py``
compares a training step of the language model with PyTorch's.

Nothing outside the LSTM asks for this module: ``LSTMParams.forward_sequence``
returns ``fast_forward``'s cache, and the cache runs its own ``fast_backward``, so
``sequence``'s loop and the layers never know that the LSTM has a fast path (as
Keras' ``LSTM`` tries its fused kernel before the generic ``RNN`` loop).
"""

from __future__ import annotations

import functools
import math
import sys
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from .cell import CellParams, State
from .sequence import Run

__all__ = ["LSTMCache", "fast_backward", "fast_forward"]

CHUNK = 8
"""Steps whose backward factors are computed together (trick 4): enough to amortise the
calls, few enough to stay in the cache until the loop uses them."""

TRANSPOSE_ROWS = 8
"""Rows of the source that ``_transpose_into`` copies at a time (see there)."""

REUSE_FROM = 1 << 16
"""Elements from which ``_buffer`` keeps a buffer for the next call (256 KB in float32)."""

KEEP = 4
"""Buffers ``_buffer`` keeps of each shape and dtype, per thread: enough for the caches of a
stack or a Bidirectional layer alive at once during a training step."""


def _references(arrays: list[np.ndarray], k: int) -> int:
    return sys.getrefcount(arrays[k])


_ONLY_KEPT = _references([np.empty(0)], 0)
"""What ``_references`` counts for an array that only its list refers to (this Python's way)."""

_kept = threading.local()


def _buffer(shape: tuple[int, ...], dtype: Any) -> np.ndarray:
    """An uninitialised array, as ``np.empty(shape, dtype)``, reused from an earlier call once
    nothing refers to it any more.

    A training step allocates the same large buffers on every call (about 30 MB at H 256,
    B 32, T 64) and frees them when the step ends; the allocator gives such blocks back to the
    system, and the next step pays a page fault for every 4 KB it writes again (several ms a
    step there). So ``KEEP`` buffers of each shape are kept, per thread, and one is handed out
    again only when its reference count says that no array holds it: not the cache it served,
    nor any view of it (a view keeps its base alive), nor an output the caller kept. Small
    arrays (below ``REUSE_FROM`` elements) are left to the allocator, which is fast at them.
    """
    if math.prod(shape) < REUSE_FROM:
        return np.empty(shape, dtype)
    if not hasattr(_kept, "arrays"):
        _kept.arrays = {}
    arrays = _kept.arrays.setdefault((shape, np.dtype(dtype).str), [])
    for k in range(len(arrays)):
        if _references(arrays, k) <= _ONLY_KEPT:
            return arrays[k]
    array = np.empty(shape, dtype)
    if len(arrays) < KEEP:
        arrays.append(array)
    return array


@dataclass
class LSTMCache(Run):
    """What the fast forward pass keeps for the fast backward pass.

    The buffers are time-major, and feature-major within a step, (T, H, B), so one
    step's slice and each of its gate blocks are contiguous; the properties give
    batch-major (B, T, H) views for reading and plotting: views of the cache itself,
    so copy one before writing to it (``lstm_forward`` returns a copy of ``hs``). It
    offers what ``sequence.SequenceCache`` offers (``hs``, ``last_state``,
    ``state(name)``, ``backward``), so a layer runs either without asking which. It
    keeps a copy of x, so editing the caller's x after the forward pass changes no
    gradient (``lstm_forward`` copies the initial states too).

    Attributes:
        x: (B, T, D) a copy of the inputs (a view of the cache's time-major copy).
        h0, c0: (B, H) the initial states.
        params: the weights used (an ``LSTMParams``).
        h_steps: (B, T, H) hidden states h_1..h_T, batch-major: the layer's output.
        h_time: (T + 1, B, H) h_0..h_T, time-major: what the weight gradient dU reads.
        c_steps: (T, H, B) cell states c_1..c_T.
        tanh_c_steps: (T, H, B) tanh(c_t), reused by the backward pass.
        gate_steps: (T, 4H, B) activated gates [i, f, g, o], one block above the next.
    """

    x: np.ndarray
    h0: np.ndarray
    c0: np.ndarray
    params: CellParams
    h_steps: np.ndarray
    h_time: np.ndarray
    c_steps: np.ndarray
    tanh_c_steps: np.ndarray
    gate_steps: np.ndarray

    def _gate(self, k: int) -> np.ndarray:
        steps, _, batch = self.gate_steps.shape
        return self.gate_steps.reshape(steps, 4, -1, batch)[:, k].transpose(2, 0, 1)

    @property
    def hs(self) -> np.ndarray:
        """(B, T, H) hidden states."""
        return self.h_steps

    @property
    def cs(self) -> np.ndarray:
        """(B, T, H) cell states."""
        return self.c_steps.transpose(2, 0, 1)

    @property
    def tanh_cs(self) -> np.ndarray:
        """(B, T, H) tanh(c_t), as the forward pass computed it."""
        return self.tanh_c_steps.transpose(2, 0, 1)

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
        return self.h_steps[:, -1]

    @property
    def c_last(self) -> np.ndarray:
        """(B, H) the final cell state c_T (Keras' second returned state)."""
        return self.c_steps[-1].T

    @property
    def last_state(self) -> tuple[np.ndarray, np.ndarray]:
        """``(h_T, c_T)``."""
        return self.h_last, self.c_last

    @property
    def initial_state(self) -> State:
        """``(h_0, c_0)``."""
        return self.h0, self.c0

    def state(self, name: str) -> np.ndarray:
        """(B, T, H) one state (``"h"`` or ``"c"``) after every step."""
        if name not in ("h", "c"):
            raise ValueError(f"name must be one of ('h', 'c') for an LSTMParams, got {name!r}")
        return self.hs if name == "h" else self.cs

    def backward(
        self, dhs: np.ndarray, d_last_state: State | None, truncate: int | None
    ) -> tuple[np.ndarray, CellParams, State]:
        """BPTT on checked inputs (``fast_backward``), as ``sequence.SequenceCache.backward``:
        ``(dx, grads, d_initial_state)``, grads an ``LSTMParams`` of dL/dW, dL/dU, dL/db.
        A gradient on h_T in ``d_last_state`` is added to ``dhs[:, -1]``, as the loop does."""
        dc_last = None
        if d_last_state is not None:
            dh_last, dc_last = d_last_state
            if dh_last.any():
                dhs = dhs.copy()
                dhs[:, -1] += dh_last
        dx, (dW, dU, db), d_initial = fast_backward(dhs, self, dc_last, truncate)
        return dx, type(self.params).unchecked(dW, dU, db), d_initial


def _transpose_into(out: np.ndarray, a: np.ndarray) -> np.ndarray:
    """``out[...] = a.T`` for a 2-D ``a``, a few rows of ``a`` at a time; returns ``out``.

    A transposed copy reads ``a`` down its columns. When its rows lie a power of two
    bytes apart (1024 floats, say), those reads fall into the same few sets of the CPU
    cache and evict one another, and the copy runs several times slower than a plain
    one. A block of ``TRANSPOSE_ROWS`` rows fits in the cache.
    """
    if a.shape[0] <= TRANSPOSE_ROWS:
        np.copyto(out, a.T)
        return out
    for row in range(0, a.shape[0], TRANSPOSE_ROWS):
        np.copyto(out[:, row : row + TRANSPOSE_ROWS], a[row : row + TRANSPOSE_ROWS].T)
    return out


@functools.lru_cache(maxsize=16)
def _gate_affine(hidden: int, batch: int, dtype: np.dtype[Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """s (4H, 1), 1/2 on the rows of the sigmoid blocks (i, f, o) and 1 on the tanh block's (g),
    and s and 1 - s repeated over a (4H, B) step, read-only: sigmoid(z) = tanh(z s) s + (1 - s)
    on every block. Kept for the next call of the same shape (a few NumPy calls saved, which
    count at the classic shape, B = 1)."""
    scale = np.full((4 * hidden, 1), 0.5, dtype=dtype)
    scale[2 * hidden : 3 * hidden] = 1.0
    scales = np.repeat(scale, batch, axis=1)
    shifts = 1.0 - scales
    for array in (scale, scales, shifts):
        array.flags.writeable = False
    return scale, scales, shifts


def fast_forward(params: CellParams, x: np.ndarray, state: State) -> LSTMCache:
    """The LSTM over a (B, T, D) sequence from ``state = (h0, c0)``, on checked inputs.

    ``params`` is an ``LSTMParams`` (W (D, 4H), U (H, 4H), b (4H,)); this module
    reads only those three arrays. Returns the ``LSTMCache``; ``cache.hs`` is (B, T, H).
    """
    h0, c0 = state
    batch, steps, inputs = x.shape
    hidden = params.hidden_size
    dtype = params.dtype
    W, U, b = params.weights()
    # Trick 1: the input projection of every step at once,
    # z_t^T = [W; b]^T [x_t, 1]^T: a column of ones on x carries the bias into the
    # product. The time-major copy of x is the cache's own (editing the caller's x
    # later changes nothing here).
    x_ones = _buffer((steps, batch, inputs + 1), dtype)  # (T, B, D + 1)
    x_ones[..., :inputs] = x.transpose(1, 0, 2)
    x_ones[..., inputs] = 1.0
    Wb_T = np.empty((4 * hidden, inputs + 1), dtype=dtype)
    _transpose_into(Wb_T[:, :inputs], W)
    Wb_T[:, inputs] = b
    U_T = _transpose_into(_buffer((4 * hidden, hidden), dtype), U)
    # Trick 2: halve the sigmoid blocks' rows (see the module docstring), and map
    # the tanh back with whole (4H, B) arrays, one multiply and one add a step.
    scale, scales, shifts = _gate_affine(hidden, batch, dtype)
    Wb_T *= scale
    U_T *= scale
    gate_steps = _buffer((steps, 4 * hidden, batch), dtype)  # then the gates
    np.matmul(Wb_T, x_ones.transpose(0, 2, 1), out=gate_steps)
    # Trick 3: buffers written in place; gate block k of step t is blocks[t, k], (H, B).
    blocks = gate_steps.reshape(steps, 4, hidden, batch)
    h_time = _buffer((steps + 1, batch, hidden), dtype)
    h_time[0] = h0
    c_steps = _buffer((steps, hidden, batch), dtype)
    tanh_c_steps = _buffer((steps, hidden, batch), dtype)
    h_t = np.empty((2, hidden, batch), dtype=dtype)  # h_t^T, this step's and the last
    recurrent = np.empty((4 * hidden, batch), dtype=dtype)
    i_times_g = np.empty((hidden, batch), dtype=dtype)

    h_prev, c_prev = h0.T, np.ascontiguousarray(c0.T)  # (H, B)
    for t in range(steps):
        gates = gate_steps[t]  # (4H, B), pre-activations of step t
        gates += np.matmul(U_T, h_prev, out=recurrent)
        np.tanh(gates, out=gates)
        gates *= scales
        gates += shifts  # now [i, f, g, o]
        i, f, g, o = blocks[t]
        c_t = np.multiply(f, c_prev, out=c_steps[t])  # c_t = f * c_{t-1} + i * g
        c_t += np.multiply(i, g, out=i_times_g)
        np.tanh(c_t, out=tanh_c_steps[t])
        h_prev = np.multiply(o, tanh_c_steps[t], out=h_t[t % 2])  # h_t = o * tanh(c_t)
        np.copyto(h_time[t + 1], h_prev.T)
        c_prev = c_t
    h_steps = _buffer((batch, steps, hidden), dtype)  # the layer's output, (B, T, H)
    np.copyto(h_steps, h_time[1:].transpose(1, 0, 2))

    # The cache keeps its own copy of x (a (B, T, D) view of x_ones), so editing the
    # caller's x cannot change the gradients; ``lstm_forward`` copies h0 and c0.
    x_copy = x_ones[..., :inputs].transpose(1, 0, 2)
    cached = (h_steps, h_time, c_steps, tanh_c_steps, gate_steps)
    return LSTMCache(x_copy, h0, c0, params, *cached)


Grads = tuple[np.ndarray, np.ndarray, np.ndarray]
"""``(dW, dU, db)``."""


def fast_backward(
    dhs: np.ndarray,
    cache: LSTMCache,
    dc_last: np.ndarray | None,
    truncate: int | None,
    dcs: np.ndarray | None = None,
) -> tuple[np.ndarray, Grads, tuple[np.ndarray, np.ndarray]]:
    """BPTT for ``fast_forward`` on checked inputs.

    Args:
        dhs: (B, T, H) dL/dh_t at every step.
        cache: from ``fast_forward``.
        dc_last: (B, H) dL/dc_T, or None for zeros.
        dcs: (B, T, H) dL/dc_t from outside at every step (``masking`` reads a
            row's state at its last real step), or None for zeros.
        truncate: None, or k to cut the recurrent gradient every k steps.

    Returns:
        ``(dx, (dW, dU, db), (dh0, dc0))``.
    """
    params = cache.params
    batch, steps, inputs = cache.x.shape
    hidden = params.hidden_size
    dtype = params.dtype

    # Trick 4: every factor that does not depend on the recursion, for a chunk of
    # CHUNK steps at once, just before the loop reaches them (so they are still in
    # the cache when it reads them), leaving five small operations per step inside
    # the loop. Each is written into its block of one buffer, with one scratch
    # buffer for 1 - ...
    blocks = cache.gate_steps.reshape(steps, 4, hidden, batch)
    i_all, f_all, g_all, o_all = (blocks[:, k] for k in range(4))
    chunk = min(CHUNK, steps)
    # dz_t = [dc * K_i, dc * K_f, dc * K_g, dh * K_o] (i, f, g scale with dc, o with dh)
    local_chunk = _buffer((chunk, 4, hidden, batch), dtype)
    scratch_chunk = _buffer((chunk, hidden, batch), dtype)
    dc_from_dh_chunk = _buffer((chunk, hidden, batch), dtype)

    def local_factors(begin: int, end: int) -> None:
        """K_i, K_f, K_g, K_o and dc_t/dh_t of steps begin .. end - 1, into buffers."""
        n = end - begin
        i, f, g, o = (block[begin:end] for block in (i_all, f_all, g_all, o_all))
        tanh_c = cache.tanh_c_steps[begin:end]
        k_i, k_f, k_g, k_o = (local_chunk[:n, k] for k in range(4))
        scratch = scratch_chunk[:n]
        np.subtract(1.0, i, out=scratch)
        np.multiply(g, i, out=k_i)
        k_i *= scratch  # K_i = g * i * (1 - i)
        if begin == 0:  # K_f = c_{t-1} * f * (1 - f)
            np.multiply(cache.c0.T, f[0], out=k_f[0])
            np.multiply(cache.c_steps[: end - 1], f[1:], out=k_f[1:])
        else:
            np.multiply(cache.c_steps[begin - 1 : end - 1], f, out=k_f)
        np.subtract(1.0, f, out=scratch)
        k_f *= scratch
        np.multiply(g, g, out=scratch)  # K_g = i * (1 - g * g)
        np.subtract(1.0, scratch, out=scratch)
        np.multiply(i, scratch, out=k_g)
        np.subtract(1.0, o, out=scratch)  # K_o = tanh(c) * o * (1 - o)
        np.multiply(tanh_c, o, out=k_o)
        k_o *= scratch
        dc_from_dh = np.multiply(
            tanh_c, tanh_c, out=dc_from_dh_chunk[:n]
        )  # dc_t/dh_t = o * (1 - tanh(c_t)^2)
        np.subtract(1.0, dc_from_dh, out=dc_from_dh)
        np.multiply(o, dc_from_dh, out=dc_from_dh)

    # dL/dh_t from above, feature-major like everything inside the loop: (T, H, B).
    dh_above = _transpose_into(
        _buffer((steps * hidden, batch), dtype), dhs.reshape(batch, steps * hidden)
    ).reshape(steps, hidden, batch)
    # dz_t of every step, stored (4H, T, B) so that the weight gradients below are
    # single products over all T * B rows; step t writes its (4H, B) slice.
    dz_steps = _buffer((4 * hidden, steps, batch), dtype)
    W, U, _ = params.weights()
    dh_next = np.zeros((hidden, batch), dtype=dtype)  # transposed, as all here: (H, B)
    dc_next = np.zeros((hidden, batch), dtype=dtype)
    if dc_last is not None:
        dc_next[...] = dc_last.T
    dh = np.empty((hidden, batch), dtype=dtype)
    dc = np.empty((hidden, batch), dtype=dtype)
    for end in range(steps, 0, -chunk):
        begin = max(0, end - chunk)
        local_factors(begin, end)
        for t in reversed(range(begin, end)):
            local_blocks, j = local_chunk[t - begin], t - begin
            np.add(dh_above[t], dh_next, out=dh)  # from the output at t and step t+1
            np.multiply(dh, dc_from_dh_chunk[j], out=dc)
            dc += dc_next
            if dcs is not None:
                dc += dcs[:, t].T
            dz = dz_steps[:, t]
            dz_blocks = dz.reshape(4, hidden, batch)
            np.multiply(local_blocks[:3], dc, out=dz_blocks[:3])
            np.multiply(local_blocks[3], dh, out=dz_blocks[3])
            np.matmul(U, dz, out=dh_next)  # dh_{t-1}^T = U dz_t^T
            # the constant error carousel: dc_{t-1} = dc_t * f_t
            np.multiply(dc, f_all[t], out=dc_next)
            if truncate is not None and t > 0 and t % truncate == 0:
                dh_next.fill(0.0)
                dc_next.fill(0.0)

    # The weight gradients sum over every step and example: one product each, over the
    # T * B rows of x_t (the cache's time-major copy) and h_{t-1}, computed transposed
    # (dW^T = dZ X) because BLAS is fastest at that layout, then transposed back.
    dz_flat = dz_steps.reshape(4 * hidden, steps * batch)
    # x_flat is a view of fast_forward's x_ones
    x_flat = cache.x.transpose(1, 0, 2).reshape(steps * batch, inputs)
    h_prev_flat = cache.h_time[:-1].reshape(steps * batch, hidden)  # h_0 .. h_{T-1}
    dW = _transpose_into(np.empty((inputs, 4 * hidden), dtype=dtype), dz_flat @ x_flat)
    dU_T = np.matmul(dz_flat, h_prev_flat, out=_buffer((4 * hidden, hidden), dtype))
    dU = _transpose_into(np.empty((hidden, 4 * hidden), dtype=dtype), dU_T)
    db = dz_flat.sum(axis=1)
    dx = (dz_flat.T @ W.T).reshape(steps, batch, inputs).transpose(1, 0, 2)
    return dx, (dW, dU, db), (dh_next.T.copy(), dc_next.T.copy())
