"""Masking: any cell over padded sequences, with Keras' semantics, and a loss that skips padding.

Sequences of different lengths share a batch by padding: id 0 fills the short ones
(Keras' ``Embedding(mask_zero=True)``), and a (B, T) bool mask says which steps are
real. A recurrent layer given a mask does what Keras' ``RNN`` does (checked against
Keras 3 on torch, leading and trailing padding):

    at a real step    state_t = cell.step(x_t, state_{t-1})     out_t = h_t
    at a masked step  state_t = state_{t-1}                      out_t = out_{t-1}

with ``out_0 = 0``: the state is carried over a masked step unchanged, and the output
repeats the last real step's output, or is zero before the first real step (even when
the initial state is not zero: Keras starts the repeated output at zeros). The final
state is the state after the last real step. A masked step's input changes nothing,
so its gradient is zero.

``masked_forward`` and ``masked_backward`` are that loop over ``cell.step`` and its
exact backward pass (the gradient of the initial state included); ``run`` is what
models call: it takes the cell's fast path (``sequence.run``) when no step is masked.

``masked_sparse_categorical_crossentropy`` is the loss Keras gives a masked output:
the mean of -log p[y] over the unmasked positions of the whole batch (Keras scales a
mask by total / count before its ``sum_over_batch_size``), so every real position
weighs the same, however the padding is spread over the rows.

    B  batch size    T  time steps    D  input size    H  hidden size    V  classes
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _checks, sequence
from .cell import CellParams, State

__all__ = [
    "MaskedRun",
    "check_mask",
    "masked_backward",
    "masked_forward",
    "masked_sparse_categorical_crossentropy",
    "run",
]


def check_mask(name: str, mask: Any, shape: tuple[int, int]) -> np.ndarray:
    """A (B, T) bool array of the given shape (True: a real step); returns it.

    Integer 0/1 masks are refused, not cast: ``ids != 0`` gives the bool mask of padded ids.
    """
    if not isinstance(mask, np.ndarray) or mask.dtype != np.bool_:
        raise TypeError(
            f"{name} must be a NumPy bool array (B, T), True at real steps, got {_checks.describe(mask)}; "
            "padded ids give one with ids != 0"
        )
    if mask.shape != shape:
        raise ValueError(f"{name} must have shape (B, T) = {shape}, got {mask.shape}")
    return mask


@dataclass
class MaskedRun(sequence.Run):
    """What ``masked_forward`` keeps for ``masked_backward``; a ``sequence.Run``, so a model
    runs it as it runs the unmasked loop or a fast path.

    Attributes:
        x: (B, T, D) the inputs.
        params: the cell that ran.
        mask: (B, T) bool, True at real steps.
        initial_state: the state before step 1, each (B, H).
        states: T states, ``states[t]`` after step t + 1 (carried over masked steps).
        steps: T step caches from ``params.step`` (every row is stepped; masked rows'
            results are discarded, and their gradients zeroed on the way back).
        outputs: (B, T, H) what the layer gives: h_t at real steps, the last output at masked ones.
    """

    x: np.ndarray
    params: CellParams
    mask: np.ndarray
    initial_state: State
    states: list[State]
    steps: list[Any]
    outputs: np.ndarray

    @property
    def hs(self) -> np.ndarray:
        """(B, T, H) the outputs (Keras' ``return_sequences=True`` with a mask)."""
        return self.outputs

    @property
    def last_state(self) -> State:
        """The state after the last real step of each row (Keras' ``return_state``)."""
        return self.states[-1]

    def state(self, name: str) -> np.ndarray:
        """(B, T, H) one state (``"h"`` or ``"c"``) after every step, carried over masked steps."""
        return sequence.state_over_time(self.params, self.states, name)

    def backward(
        self, dhs: np.ndarray, d_last_state: State | None, truncate: int | None
    ) -> tuple[np.ndarray, CellParams, State]:
        """``masked_backward`` on checked inputs; ``truncate`` must be None (no truncated BPTT here)."""
        if truncate is not None:
            raise ValueError(f"truncate must be None for a masked run, got {truncate!r}")
        return run_masked_backward(dhs, self, d_last_state)


def masked_forward(
    params: CellParams, x: np.ndarray, mask: np.ndarray, state: State | None = None
) -> tuple[np.ndarray, MaskedRun]:
    """Run any cell over padded sequences, Keras' way (see the module docstring).

    Args:
        params: the cell.
        x: (B, T, D) inputs, the cell's dtype.
        mask: (B, T) bool, True at real steps.
        state: the initial state, a tuple of (B, H) arrays (Keras' ``initial_state``); zeros if None.

    Returns:
        ``(outputs, cache)``: outputs (B, T, H), an array of its own; ``cache.last_state``
        is the state after each row's last real step. The cache keeps copies of ``x``,
        ``mask`` and ``state``.
    """
    _checks.instance("params", params, CellParams)
    batch, steps = _checks.sequence_input(x, params)
    check_mask("mask", mask, (batch, steps))
    state = sequence.initial_state(params, state, batch, tuple(f"{n}0" for n in params.state_names))
    cache = run_masked_forward(params, x.copy(), mask.copy(), tuple(s.copy() for s in state))
    return cache.outputs.copy(), cache


def run_masked_forward(params: CellParams, x: np.ndarray, mask: np.ndarray, state: State) -> MaskedRun:
    """``masked_forward`` on checked inputs: the loop itself."""
    batch, steps, _ = x.shape
    outputs = np.empty((batch, steps, params.hidden_size), dtype=params.dtype)
    cache = MaskedRun(x, params, mask, state, [], [], outputs)
    output = np.zeros((batch, params.hidden_size), dtype=params.dtype)  # Keras' first "last output"
    for t in range(steps):
        real = mask[:, t, None]
        stepped, step_cache = params.step(x[:, t], state)
        state = tuple(np.where(real, new, old) for new, old in zip(stepped, state, strict=True))
        output = np.where(real, stepped[0], output)
        outputs[:, t] = output
        cache.states.append(state)
        cache.steps.append(step_cache)
    return cache


def masked_backward(
    d_outputs: np.ndarray, cache: MaskedRun, d_last_state: State | None = None
) -> tuple[np.ndarray, CellParams, State]:
    """The exact backward pass of ``masked_forward``.

    Walking back from t = T, two gradients are carried: the one reaching the state
    (as in ``sequence.backward``) and the one reaching the repeated output. At a real
    step, the output's gradient joins the state's on h_t and the cell's
    ``step_backward`` runs; at a masked step both pass through unchanged, and the
    step's input and weights get nothing.

    Args:
        d_outputs: (B, T, H) dL/d outputs.
        cache: from ``masked_forward``.
        d_last_state: gradients on the final state (Keras' ``return_state``), each (B, H); zeros if None.

    Returns:
        ``(dx, grads, d_initial_state)``: dx (B, T, D), zero at masked steps; grads a cell
        of the same kind; the gradient of each initial state, (B, H).
    """
    if not isinstance(cache, MaskedRun):
        raise TypeError(f"cache must be the MaskedRun from masked_forward, got {_checks.describe(cache)}")
    params = cache.params
    batch, steps, _ = cache.x.shape
    _checks.matching(
        "d_outputs", d_outputs, (batch, steps, params.hidden_size), "(B, T, H)", params.dtype, "the cache"
    )
    if d_last_state is not None:
        params.check_state(d_last_state, batch, tuple(f"d{n}_last" for n in params.state_names))
    return run_masked_backward(d_outputs, cache, d_last_state)


def run_masked_backward(
    d_outputs: np.ndarray, cache: MaskedRun, d_last_state: State | None
) -> tuple[np.ndarray, CellParams, State]:
    """``masked_backward`` on checked inputs: the loop itself."""
    params = cache.params
    batch, steps, _ = cache.x.shape
    d_state = params.zero_state(batch) if d_last_state is None else tuple(d_last_state)
    d_output = np.zeros((batch, params.hidden_size), dtype=params.dtype)  # reaching the repeated output
    grads = params.zeros_like()
    dx = np.empty_like(cache.x)
    for t in reversed(range(steps)):
        real = cache.mask[:, t, None]
        d_output = d_output + d_outputs[:, t]
        # A real step's output is its h_t: both gradients meet there. Masked rows send
        # zeros into the step, so its input and weight gradients get nothing from them.
        into_step = tuple(np.where(real, d, 0.0) for d in (d_state[0] + d_output, *d_state[1:]))
        dx[:, t], d_before, step_grads = params.step_backward(into_step, cache.steps[t])
        grads.add_(step_grads)
        d_state = tuple(np.where(real, d_new, d_old) for d_new, d_old in zip(d_before, d_state, strict=True))
        d_output = np.where(real, 0.0, d_output)  # the output before a real step is not read by it
    return dx, grads, d_state


def _lengths_if_right_padded(mask: np.ndarray) -> np.ndarray | None:
    """Each row's number of real steps when every row is real steps then padding (at least one
    real step), else None."""
    lengths = mask.sum(axis=1)
    if lengths.min() < 1 or not np.array_equal(mask, np.arange(mask.shape[1])[None, :] < lengths[:, None]):
        return None
    return lengths


def run(params: CellParams, x: np.ndarray, mask: np.ndarray | None, state: State) -> sequence.Run:
    """The cell over (B, T, D) from ``state`` on checked inputs, the fastest exact way.

    Nothing masked (``mask`` None or all True): the cell's own path (``sequence.run``). Rows
    padded on the right only: the cell's own way over them if it has one
    (``CellParams.forward_padded``; the LSTM's fast path read at each row's last real step,
    the same numbers as the loop to rounding). Otherwise the masked loop. Either way the
    result's ``backward`` is the matching backward pass.
    """
    if mask is None or mask.all():
        return sequence.run(params, x, state)
    lengths = _lengths_if_right_padded(mask)
    padded = None if lengths is None else params.forward_padded(x, lengths, state)
    return run_masked_forward(params, x, mask, state) if padded is None else padded


def masked_sparse_categorical_crossentropy(
    logits: np.ndarray, y: np.ndarray, mask: np.ndarray
) -> tuple[float, np.ndarray]:
    """Mean cross-entropy over the unmasked positions of a batch, as Keras reduces a masked loss.

    With p = softmax(logits) and n the number of True entries of ``mask``, the loss is
    ``sum over masked-in positions of -log p[y] / n`` and its gradient ``(p - onehot(y)) / n``
    there, zero elsewhere. With no position masked in, the loss is 0 and so is the gradient
    (Keras divides with ``divide_no_nan``).

    Args:
        logits: (B, T, V) unnormalised scores.
        y: (B, T) integer class ids in [0, V) (anything at masked positions).
        mask: (B, T) bool, True where the position counts.

    Returns:
        ``(loss, d_logits)``, d_logits (B, T, V) in the logits' dtype.
    """
    _checks.float_array("logits", logits, ndim=3)
    _checks.index_array("y", y, 2, logits.shape[-1], "(B, T)")
    _checks.shape_is("y", y, logits.shape[:2], "(B, T)")
    check_mask("mask", mask, logits.shape[:2])
    return masked_crossentropy(logits, y, mask)


def masked_crossentropy(logits: np.ndarray, y: np.ndarray, mask: np.ndarray) -> tuple[float, np.ndarray]:
    """``masked_sparse_categorical_crossentropy`` on checked inputs."""
    count = int(mask.sum())
    shifted = logits - logits.max(axis=-1, keepdims=True)
    p = np.exp(shifted)
    totals = p.sum(axis=-1, keepdims=True)
    picked = np.take_along_axis(shifted, y[..., None], axis=-1)[..., 0] - np.log(totals[..., 0])
    if count == 0:
        return 0.0, np.zeros_like(logits)
    p /= totals
    np.put_along_axis(p, y[..., None], np.take_along_axis(p, y[..., None], axis=-1) - 1.0, axis=-1)
    p *= (mask[..., None] / count).astype(p.dtype)
    return float(-(picked.astype(np.float64)[mask]).sum() / count), p
