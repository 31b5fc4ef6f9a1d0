"""The checks of ``seq2seq``'s inputs: ids, their shapes and vocabularies, and the padding rules.

Kept apart so that ``seq2seq`` reads as the model; every message names the argument, what
it got and what it expected.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _checks
from .masking import check_mask

__all__ = ["check_model_inputs", "check_rows", "check_step_ids", "ids_arg"]


def ids_arg(name: str, value: Any, vocab: int, letters: str, ndim: int = 2) -> np.ndarray:
    """Integer ids in [0, vocab) of rank ``ndim``: an integer array, or nested lists of Python ints
    (as Keras' model API takes them); floats and bools are refused, not rounded."""
    if isinstance(value, (list, tuple)):
        try:
            array = np.asarray(value)
        except ValueError:
            raise ValueError(f"{name} must be a nested list of equal lengths, got a ragged one") from None
        if array.dtype.kind in "iu" and all(
            isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in array.ravel().tolist()
        ):
            value = array
    return _checks.index_array(name, value, ndim, vocab, letters)


def _right_padded(name: str, ids: np.ndarray) -> None:
    """Padding (0) at the end of each row only: a real id after a 0 is refused."""
    real = ids != 0
    late = real[:, 1:] & ~real[:, :-1]
    if late.any():
        row, step = (int(k) for k in np.argwhere(late)[0])
        raise ValueError(
            f"{name} must be padded on the right only (0s after the real ids), got a real id at "
            f"[{row}, {step + 1}] after a 0: the decoder runs unmasked, which equals Keras' masked "
            "decoder only when padding comes last"
        )


def check_model_inputs(model: Any, x: Any, y: Any = None) -> tuple[list[np.ndarray], np.ndarray | None]:
    """``x = [source_ids (N, S), decoder_input_ids (N, T)]`` and targets ``y`` (N, T) for ``model``.

    Returns the two id arrays (and y), checked: integer ids within each vocabulary, one N,
    the decoder input right-padded, and no real target where the decoder input is padding.
    """
    if not isinstance(x, (list, tuple)) or len(x) != 2:
        got = f"a {type(x).__name__} of {len(x)}" if isinstance(x, (list, tuple)) else _checks.describe(x)
        raise TypeError(
            "x must be a list [source_ids (N, S), decoder_input_ids (N, T)] of two integer arrays, "
            f"as Keras' model.fit([encoder_input, decoder_input], y) takes them, got {got}"
        )
    source = ids_arg("x[0] (source_ids)", x[0], model.source_vocab, "(N, S)")
    decoder_input = ids_arg("x[1] (decoder_input_ids)", x[1], model.target_vocab, "(N, T)")
    if len(source) != len(decoder_input):
        raise ValueError(
            f"x[0] (source_ids) and x[1] (decoder_input_ids) must have the same N, got {len(source)} "
            f"and {len(decoder_input)}"
        )
    _right_padded("x[1] (decoder_input_ids)", decoder_input)
    if y is None:
        return [source, decoder_input], None
    y = ids_arg("y", y, model.target_vocab, "(N, T)")
    if y.shape != decoder_input.shape:
        raise ValueError(
            f"y must have shape (N, T) = {decoder_input.shape}, one target per decoder input, got {y.shape}"
        )
    orphan = (y != 0) & (decoder_input == 0)
    if orphan.any():
        row, step = (int(k) for k in np.argwhere(orphan)[0])
        raise ValueError(
            f"y has a real target at [{row}, {step}] where x[1] (decoder_input_ids) is padding: with "
            "teacher forcing, the decoder input at a scored position is the previous target (or START)"
        )
    return [source, decoder_input], y


def check_rows(rows: Any, batch: int) -> np.ndarray:
    """A non-empty 1-D integer array of row indices in [0, batch)."""
    return _checks.index_array("rows", rows, 1, batch, "(K,)")


def check_step_ids(previous_ids: Any, state: Any, model: Any) -> np.ndarray:
    """One decoder step's (B,) previous ids and its ``DecoderState`` (its type checked by the
    caller), against ``model``."""
    previous = ids_arg("previous_ids", previous_ids, model.target_vocab, "(B,)", ndim=1)
    if len(previous) != state.batch_size:
        raise ValueError(
            f"previous_ids must have shape (B,) = ({state.batch_size},) as the state, got {previous.shape}"
        )
    hidden = model.hidden_size
    for name in ("h", "c"):
        _checks.matching(
            f"state.{name}",
            getattr(state, name),
            (state.batch_size, hidden),
            "(B, H)",
            model.dtype,
            "the model",
        )
    outputs = state.encoder_outputs
    _checks.float_array("state.encoder_outputs", outputs, ndim=3)
    if outputs.shape[0] != state.batch_size or outputs.shape[2] != hidden:
        raise ValueError(
            f"state.encoder_outputs must have shape (B, S, H) with B = {state.batch_size}, "
            f"H = {hidden}, got {outputs.shape}"
        )
    check_mask("state.source_mask", state.source_mask, outputs.shape[:2])
    return previous
