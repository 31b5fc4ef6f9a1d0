"""Training a character model: truncated BPTT over parallel streams, with a learning curve.

The training ids are cut into B parallel streams, and batch k holds the k-th
window of T characters of every stream (``text.stream_batches``). With
``stateful=True`` each LSTM layer starts batch k + 1 from the state batch k ended
in, so the model reads each stream from start to end while gradients flow back at
most T steps (Keras' ``stateful=True``):

    inputs, targets = text.stream_batches(ids, B, T)          # (K, B, T) each
    fit(model, inputs.reshape(-1, T), targets.reshape(-1, T), batch_size=B, shuffle=False)

``train_char_model`` is that loop with a learning curve: it trains for a number
of steps, cycling through the batches, and measures the held-out bits per
character (``language.heldout_bits_per_char``) every so many steps.

    B  streams (batch size)    T  steps per batch
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..nn import _checks
from ..nn._progress import progress_bar
from ..nn.model import Sequential
from ..nn.optim import SGD, Adam
from ..nn.train import fit
from .language import heldout_bits_per_char, stepping_twin
from .text import stream_batches

__all__ = ["LearningCurve", "train_char_model"]


@dataclass(frozen=True)
class LearningCurve:
    """What ``train_char_model`` measured, one entry per evaluation.

    Attributes:
        steps: (K,) training steps done at each evaluation.
        characters: (K,) training characters read by then (steps x B x T).
        train_bpc: (K,) mean training loss of the steps since the previous evaluation,
            in bits per character.
        heldout_bpc: (K,) held-out bits per character after those steps (NaN if no
            held-out ids were given).
        seconds: (K,) wall time spent training by then (evaluations excluded).
    """

    steps: np.ndarray
    characters: np.ndarray
    train_bpc: np.ndarray
    heldout_bpc: np.ndarray
    seconds: np.ndarray


def train_char_model(
    model: Sequential,
    train_ids: Any,
    steps: int,
    heldout_ids: Any = None,
    batch_size: int = 32,
    seq_len: int = 64,
    optimizer: Adam | SGD | str | None = None,
    clip_norm: float | None = 5.0,
    eval_every: int | None = None,
    verbose: int = 0,
) -> LearningCurve:
    """Truncated BPTT on a long text with the state carried over, and a learning curve.

    The training ids are laid out as ``batch_size`` streams (``text.stream_batches``);
    step s trains on batch ``s mod K`` of the K batches, so the model reads the
    streams from start to end and then again, its stateful layers carrying their
    state from batch to batch (they start each pass from zeros). Every
    ``eval_every`` steps, and after the last, the held-out bits per character are
    measured (``heldout_bits_per_char``, read in the same B x T layout).

    Args:
        model: a stateful ``char_model`` (or any model of that shape: an ``Embedding`` of V
            ids first, one logit per id last), trained in place.
        train_ids: (N,) integer ids of the training text, in [0, V).
        steps: how many gradient steps, >= 1.
        heldout_ids: None, or (M,) ids of the held-out text, in [0, V), M >= B T + 1.
        batch_size: B, the number of parallel streams.
        seq_len: T, the truncation length: characters per batch and stream.
        optimizer: as ``train.fit`` takes it; ``Adam(learning_rate=3e-3)`` if None.
        clip_norm: clip the gradients to this global norm (None: no clipping).
        eval_every: steps between evaluations (None: only after the last step).
        verbose: 0 silent; 1 one progress bar over all the steps (tqdm, on stderr; a
            widget in Jupyter when ipywidgets is installed) showing the training loss of
            the last step and, from the first evaluation on, the held-out bits per
            character; 2 one line per evaluation on stdout.

    Returns:
        The ``LearningCurve``.
    """
    # Every argument is checked here, before the first step: an evaluation that could only
    # fail after minutes of training (held-out ids the model has no embedding for, a held-out
    # text shorter than one batch) fails now instead.
    vocab_size = stepping_twin(model).layers[0].input_size  # the shape each evaluation reads
    steps = _checks.positive_int("steps", steps)
    eval_every = steps if eval_every is None else _checks.positive_int("eval_every", eval_every)
    inputs, targets = stream_batches(_checks.ids("train_ids", train_ids, vocab_size), batch_size, seq_len)
    if heldout_ids is not None:
        heldout_ids = _checks.ids("heldout_ids", heldout_ids, vocab_size)
        if heldout_ids.shape[0] < batch_size * seq_len + 1:
            raise ValueError(
                f"heldout_ids must hold at least batch_size * seq_len + 1 = {batch_size * seq_len + 1} ids "
                f"for one batch of shape ({batch_size}, {seq_len}), got {heldout_ids.shape[0]}"
            )
    if isinstance(verbose, bool) or verbose not in (0, 1, 2):
        raise ValueError(f"verbose must be 0, 1 or 2, got {_checks.describe(verbose)}")
    optimizer = Adam(learning_rate=3e-3) if optimizer is None else optimizer
    n_batches = inputs.shape[0]
    rows: list[tuple[int, float, float, float]] = []
    pending: list[float] = []  # training losses since the last evaluation
    done = 0
    evaluating = 0.0  # seconds spent on evaluations, taken out of the training time
    start = time.perf_counter()
    bar = progress_bar(steps, "training") if verbose == 1 else None
    held_text = ""

    def after_step(_step: int, loss: float) -> None:
        nonlocal done, evaluating, held_text
        done += 1
        pending.append(loss)
        if bar is not None:
            bar.set_postfix_str(f"train {loss / math.log(2.0):.3f} bpc{held_text}", refresh=False)
            bar.update(1)
        if done % eval_every == 0 or done == steps:
            begin = time.perf_counter()
            held = (
                math.nan
                if heldout_ids is None
                else heldout_bits_per_char(model, heldout_ids, batch_size, seq_len)
            )
            evaluating += time.perf_counter() - begin
            train_bpc = float(np.mean(pending)) / math.log(2.0)
            rows.append((done, train_bpc, held, time.perf_counter() - start - evaluating))
            pending.clear()
            held_text = "" if heldout_ids is None else f", held-out {held:.3f} bpc"
            if bar is not None:
                bar.set_postfix_str(f"train {train_bpc:.3f} bpc{held_text}")
            if verbose == 2:
                print(f"step {done}/{steps}: train {train_bpc:.3f} bpc{held_text}", flush=True)

    try:
        while done < steps:  # one fit epoch per pass over the streams (it resets the states)
            count = min(steps - done, n_batches)
            fit(
                model,
                inputs[:count].reshape(-1, seq_len),
                targets[:count].reshape(-1, seq_len),
                batch_size=batch_size,
                shuffle=False,
                optimizer=optimizer,
                verbose=0,
                clip_norm=clip_norm,
                on_batch_end=after_step,
            )
    finally:
        if bar is not None:
            bar.close()
    done_steps = np.array([row[0] for row in rows])
    return LearningCurve(
        steps=done_steps,
        characters=done_steps * batch_size * seq_len,
        train_bpc=np.array([row[1] for row in rows]),
        heldout_bpc=np.array([row[2] for row in rows]),
        seconds=np.array([row[3] for row in rows]),
    )
