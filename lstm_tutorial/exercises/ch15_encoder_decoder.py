"""Chapter 15's exercises: a masked loss, the decoder's inputs under teacher forcing, a masked step.

``masked_cross_entropy``: logits (B, T, V) and targets (B, T) whose id 0 is padding;
the loss is the mean of -log p[y] over the real (non-padding) positions of the
whole batch and its gradient ``(p - onehot(y)) / n`` there, zero at padding. The
reference is the package's ``masking.masked_sparse_categorical_crossentropy`` with
the mask ``y != PAD``; the known mistakes are that loss over every position, the
mean taken per sequence and then over the batch, the real positions' sum divided
by B T, and the gradient left non-zero at padding.

``decoder_inputs``: what the decoder reads in training, START and then the target
shifted right, PAD where the target is padding. The reference is
``vocab.teacher_forcing_inputs``; the known mistakes are the target itself (no
shift), a shift to the left, PAD in place of START, and END left where the target
is padding.

``masked_lstm_step``: one LSTM step that keeps the state of the rows whose step is
padding, as Keras' ``mask_zero=True`` does. The reference is
``masking.masked_forward`` over one step; the known mistakes are stepping every row,
zeroing the masked rows' state, and keeping the old cell state everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..nn.losses import sparse_categorical_crossentropy
from ..nn.lstm import LSTMParams
from ..nn.masking import masked_forward, masked_sparse_categorical_crossentropy
from ..tasks.vocab import END, PAD, START, teacher_forcing_inputs
from .checking import Case, CheckResult, Exercise, Mistake, normal_arrays, rng, run_cases

__all__ = [
    "EXERCISES",
    "check_decoder_inputs",
    "check_masked_cross_entropy",
    "check_masked_lstm_step",
    "decoder_inputs",
    "masked_cross_entropy",
    "masked_lstm_step",
]


def _padded_targets(seed: int, batch: int, steps: int, vocab: int, lengths: list[int]) -> np.ndarray:
    """(B, T) ids: row k holds lengths[k] - 1 symbols (ids 3 .. V - 1), then END, then PAD."""
    r = rng(seed)
    y = np.full((batch, steps), PAD, dtype=np.int64)
    for k, length in enumerate(lengths):
        if length:
            y[k, : length - 1] = r.integers(3, vocab, size=length - 1)
            y[k, length - 1] = END
    return y


# --------------------------------------------------------------------------- the masked loss


def masked_cross_entropy(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """The reference: ``masking.masked_sparse_categorical_crossentropy(logits, y, y != PAD)``."""
    return masked_sparse_categorical_crossentropy(logits, y, y != PAD)


def _every_position(logits: Any, y: Any) -> tuple[float, np.ndarray]:
    return sparse_categorical_crossentropy(logits, y)  # padding counted as a target (id 0)


def _per_sequence(logits: Any, y: Any) -> tuple[float, np.ndarray]:
    # Each row's own masked mean, then the mean of the rows: a short answer weighs as much as a long one.
    rows = [masked_cross_entropy(logits[k : k + 1], y[k : k + 1]) for k in range(len(y))]
    return float(np.mean([loss for loss, _ in rows])), np.concatenate([d for _, d in rows]) / len(y)


def _over_all_positions(logits: Any, y: Any) -> tuple[float, np.ndarray]:
    loss, d_logits = masked_cross_entropy(logits, y)  # the real positions' sum / (B T)
    share = (y != PAD).sum() / y.size
    return loss * share, d_logits * share


def _gradient_at_padding(logits: Any, y: Any) -> tuple[float, np.ndarray]:
    loss, _ = masked_cross_entropy(logits, y)
    _, d_every = sparse_categorical_crossentropy(logits, y)  # (p - onehot(y)) / (B T) everywhere
    return loss, d_every * (y.size / (y != PAD).sum())


def check_masked_cross_entropy(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``masked_cross_entropy(logits, y) -> (loss, d_logits)``.

    logits (B, T, V); y (B, T) integer ids, 0 = padding; loss: the mean of
    -log softmax(logits)[b, t, y[b, t]] over the n positions where y != 0 (all rows
    together); d_logits (B, T, V): ``(p - onehot(y)) / n`` at those positions, 0 elsewhere.
    """
    cases = []
    for k, (B, T, V, lengths) in enumerate(
        [
            (3, 5, 6, [5, 2, 3]),
            (2, 4, 5, [4, 4]),  # no padding at all
            (4, 6, 8, [1, 6, 0, 3]),  # a row of padding only
            (1, 3, 4, [2]),
        ]
    ):
        logits = 2.0 * rng(1500 + k).normal(size=(B, T, V))
        y = _padded_targets(1510 + k, B, T, V, lengths)
        cases.append(Case((logits, y), f"logits (B, T, V) = ({B}, {T}, {V}), answer lengths {lengths}"))
    mistakes = [
        Mistake(
            _every_position,
            "leave the padded positions (y == 0) out of the mean: they are not part of any answer.",
        ),
        Mistake(
            _per_sequence,
            "average over the real positions of the whole batch at once, as Keras does, not per "
            "sequence and then over the sequences.",
        ),
        Mistake(
            _over_all_positions,
            "divide by n, the number of real positions, not by B * T.",
        ),
        Mistake(
            _gradient_at_padding,
            "the gradient is zero at padded positions: their logits do not enter the loss.",
        ),
    ]
    return run_cases("masked_cross_entropy", your_fn, masked_cross_entropy, cases, mistakes)


# --------------------------------------------------------------------------- teacher forcing


def decoder_inputs(target: np.ndarray) -> np.ndarray:
    """The reference: ``vocab.teacher_forcing_inputs(target)``."""
    return teacher_forcing_inputs(target)


def _not_shifted(target: Any) -> np.ndarray:
    return target.copy()  # the decoder would read the very character it must give


def _shifted_left(target: Any) -> np.ndarray:
    shifted = np.full_like(target, PAD)
    shifted[:, :-1] = target[:, 1:]  # the NEXT character: the answer given away
    return shifted


def _no_start(target: Any) -> np.ndarray:
    inputs = decoder_inputs(target)
    inputs[:, 0] = PAD  # column 0 left as padding
    return inputs


def _end_kept(target: Any) -> np.ndarray:
    inputs = decoder_inputs(target)
    inputs[:, 1:] = target[:, :-1]  # the step after END reads END, though its target is padding
    return inputs


def check_decoder_inputs(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``decoder_inputs(target) -> inputs``.

    target (N, T) ids: each row's answer, then END (2), then padding (0); inputs (N, T):
    START (1) in column 0, ``target[:, t - 1]`` in column t, and 0 wherever the
    target is padding.
    """
    cases = []
    for k, (N, T, lengths) in enumerate(
        [(3, 5, [5, 2, 4]), (1, 1, [1]), (4, 4, [4, 4, 4, 4]), (5, 6, [1, 3, 6, 2, 2])]
    ):
        target = _padded_targets(1520 + k, N, T, 13, lengths)
        cases.append(Case((target,), f"target (N, T) = ({N}, {T}), answer lengths with END {lengths}"))
    mistakes = [
        Mistake(
            _not_shifted,
            "at step t the decoder reads the PREVIOUS target character, target[:, t - 1]: shift right.",
        ),
        Mistake(_shifted_left, "shift to the right (the previous character), not to the left."),
        Mistake(_no_start, f"column 0 is START ({START}): what the decoder reads before any character."),
        Mistake(
            _end_kept,
            "where the target is padding the input is padding too (0), even right after END.",
        ),
    ]
    return run_cases("decoder_inputs", your_fn, decoder_inputs, cases, mistakes)


# --------------------------------------------------------------------------- a masked step


def masked_lstm_step(
    x: np.ndarray,
    h: np.ndarray,
    c: np.ndarray,
    mask: np.ndarray,
    W: np.ndarray,
    U: np.ndarray,
    b: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The reference: ``masking.masked_forward`` over one step, from the state (h, c)."""
    _, run = masked_forward(LSTMParams(W, U, b), x[:, None], mask[:, None].copy(), (h, c))
    h_new, c_new = run.last_state
    return h_new, c_new


def _every_row_stepped(x: Any, h: Any, c: Any, mask: Any, W: Any, U: Any, b: Any) -> tuple[Any, Any]:
    return masked_lstm_step(x, h, c, np.ones_like(mask), W, U, b)


def _masked_rows_zeroed(x: Any, h: Any, c: Any, mask: Any, W: Any, U: Any, b: Any) -> tuple[Any, Any]:
    h_new, c_new = masked_lstm_step(x, h, c, mask, W, U, b)
    real = mask[:, None]
    return np.where(real, h_new, 0.0), np.where(real, c_new, 0.0)


def _old_cell_kept(x: Any, h: Any, c: Any, mask: Any, W: Any, U: Any, b: Any) -> tuple[Any, Any]:
    h_new, _ = masked_lstm_step(x, h, c, mask, W, U, b)
    return h_new, c.copy()


def check_masked_lstm_step(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``masked_lstm_step(x, h, c, mask, W, U, b) -> (h_new, c_new)``.

    x (B, D); h, c (B, H); mask (B,) bool, False where this step is padding; W (D, 4H),
    U (H, 4H), b (4H,), gate blocks i, f, g, o. Rows with mask True take an LSTM step;
    rows with mask False keep h and c unchanged.
    """
    cases = []
    for k, (B, D, H, real) in enumerate(
        [
            (4, 3, 2, [True, False, True, False]),
            (2, 1, 3, [True, True]),  # nothing masked
            (3, 2, 1, [False, True, False]),
            (1, 2, 2, [False]),  # everything masked
        ]
    ):
        shapes = [(B, D), (B, H), (B, H), (D, 4 * H), (H, 4 * H), (4 * H,)]
        x, h, c, W, U, b = normal_arrays(1530 + k, *shapes, scales=[1, 0.7, 1, 0.7, 0.7, 0.5])
        mask = np.array(real)
        cases.append(Case((x, h, c, mask, W, U, b), f"B={B}, D={D}, H={H}, mask {real}"))
    mistakes = [
        Mistake(
            _every_row_stepped,
            "a row whose mask is False does not step: its h and c stay as they were (Keras' mask_zero).",
        ),
        Mistake(
            _masked_rows_zeroed,
            "keep a masked row's state, h and c as they came in: do not reset it to zero.",
        ),
        Mistake(_old_cell_kept, "the real rows' cell state changes too: return the new c for them."),
    ]
    return run_cases("masked_lstm_step", your_fn, masked_lstm_step, cases, mistakes)


EXERCISES = [
    Exercise("ch15-masked-loss", "A masked loss", check_masked_cross_entropy, masked_cross_entropy),
    Exercise("ch15-teacher-forcing", "Teacher forcing", check_decoder_inputs, decoder_inputs),
    Exercise("ch15-masked-step", "A masked LSTM step", check_masked_lstm_step, masked_lstm_step),
]
