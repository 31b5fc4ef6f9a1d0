"""A character-level language model: its layout of the text, the model, and sampling from it.

The model reads characters as ids and predicts the next one at every step
(many-to-many):

    ids (B, T)  ->  Embedding(V, E)  ->  LSTM(H) x layers, return_sequences  ->  Dense(V)
                ->  logits (B, T, V), loss "sparse_categorical_crossentropy" on the next ids

Training is truncated BPTT over a long text: the text is cut into B parallel
streams, and batch k holds the k-th window of T characters of every stream
(``text.stream_batches``). With ``stateful=True`` each LSTM layer starts batch
k + 1 from the state batch k ended in, so the model reads each stream from start
to end while gradients flow back at most T steps (Keras' ``stateful=True``):

    inputs, targets = text.stream_batches(ids, B, T)          # (K, B, T) each
    fit(model, inputs.reshape(-1, T), targets.reshape(-1, T), batch_size=B, shuffle=False)

``train_char_model`` is that loop with a learning curve: it trains for a number
of steps, cycling through the batches, and measures the held-out bits per
character (``heldout_bits_per_char``) every so many steps.

``sample`` runs a trained model one step at a time, carrying its state, and
draws each next character from the softmax of the logits divided by a
temperature.

``cell_internals`` runs a trained model over a text as one stream, its state
carried from start to end, and returns what one LSTM layer computed at every
character: the cell state, the hidden state and the four gates (chapter 12
correlates them with the text's structure).

    B  streams (batch size)    T  steps per batch    V  vocabulary    E  embedding    H  units
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..nn import _checks
from ..nn._progress import progress_bar
from ..nn.bidirectional import Bidirectional
from ..nn.cell import glorot_uniform
from ..nn.embedding import Embedding
from ..nn.layers import Dense, Layer, Recurrent
from ..nn.losses import log_softmax
from ..nn.lstm import LSTMParams
from ..nn.lstm_fast import fast_forward
from ..nn.model import Sequential
from ..nn.optim import SGD, Adam
from ..nn.train import fit
from .text import check_ids, stream_batches

__all__ = [
    "CellInternals",
    "LearningCurve",
    "cell_internals",
    "char_model",
    "heldout_bits_per_char",
    "inverse_cdf",
    "log_probs",
    "next_probabilities",
    "sample",
    "sample_streams",
    "train_char_model",
]


def char_model(
    vocab_size: int,
    embed: int = 32,
    hidden: int = 128,
    layers: int = 2,
    stateful: bool = True,
    seed: int = 0,
    dtype: Any = np.float32,
) -> Sequential:
    """Embedding -> LSTM(return_sequences=True) x ``layers`` -> Dense(V), with Keras' defaults.

    Args:
        vocab_size: V, the number of distinct characters (ids 0 .. V-1).
        embed: E, the embedding size.
        hidden: H, units per LSTM layer.
        layers: how many LSTM layers are stacked.
        stateful: carry each layer's state from batch to batch (see the module docstring).
        seed: seeds every layer's initialisation.
        dtype: np.float32 (fast, as Keras) or np.float64.

    Returns:
        A ``model.Sequential`` with loss ``"sparse_categorical_crossentropy"``.
    """
    vocab_size = _checks.positive_int("vocab_size", vocab_size)
    layers = _checks.positive_int("layers", layers)
    _checks.flag("stateful", stateful)
    dtype = _checks.dtype_arg("dtype", dtype)
    stack: list[Layer] = [Embedding.init(vocab_size, embed, np.random.default_rng([seed, 0]), dtype)]
    width = embed
    for k in range(layers):
        cell = LSTMParams.init(width, hidden, seed=seed + 1 + k, dtype=dtype)
        stack.append(Recurrent(cell, return_sequences=True, stateful=stateful))
        width = hidden
    kernel = glorot_uniform(np.random.default_rng([seed, 1]), (hidden, vocab_size), dtype)
    stack.append(Dense(kernel, np.zeros(vocab_size, dtype=dtype)))
    return Sequential(stack, loss="sparse_categorical_crossentropy")


def next_probabilities(logits: np.ndarray, temperature: float) -> np.ndarray:
    """softmax(logits / temperature) over the last axis, in float64.

    A temperature below 1 sharpens the distribution towards the most likely id
    (greedy decoding in the limit), above 1 flattens it towards uniform.

    Args:
        logits: (..., V) scores.
        temperature: a finite number > 0.

    Returns:
        (..., V) probabilities, each row summing to 1.
    """
    temperature = _checks.positive_number("temperature", temperature)
    _checks.float_array("logits", logits)
    scaled = logits.astype(np.float64) / temperature
    scaled -= scaled.max(axis=-1, keepdims=True)
    p = np.exp(scaled)
    return np.asarray(p / p.sum(axis=-1, keepdims=True))


def inverse_cdf(probabilities: np.ndarray, uniforms: np.ndarray) -> np.ndarray:
    """Draw one id per row by the inverse of the cumulative distribution.

    Row b's id is the first k whose cumulative probability ``p_0 + ... + p_k`` exceeds
    ``u_b`` times the row's total, so for u uniform in [0, 1) id k comes with
    probability ``p_k`` (the total is 1 up to rounding; scaling by it keeps the last
    id reachable).

    Args:
        probabilities: (B, V) rows of probabilities (``next_probabilities``).
        uniforms: (B,) numbers in [0, 1), e.g. ``rng.random(B)``.

    Returns:
        (B,) int64 ids in [0, V).
    """
    _checks.float_array("probabilities", probabilities)
    _checks.float_array("uniforms", uniforms)
    if probabilities.ndim != 2 or uniforms.shape != probabilities.shape[:1]:
        raise ValueError(
            f"probabilities must be (B, V) and uniforms (B,), got shapes {probabilities.shape} "
            f"and {uniforms.shape}"
        )
    cdf = np.cumsum(probabilities, axis=1)
    u = uniforms[:, None] * cdf[:, -1:]
    return np.minimum((cdf <= u).sum(axis=1), probabilities.shape[1] - 1).astype(np.int64)


def _stepping_twin(model: Sequential) -> Sequential:
    """The model's layers (the same weights) with every recurrent layer stateful and per-step."""
    if not isinstance(model, Sequential):
        raise TypeError(f"model must be a model.Sequential, got {_checks.describe(model)}")
    first = model.layers[0]
    if not isinstance(first, Embedding) or model.layers[-1].output_size != first.vocab_size:
        raise ValueError(
            "model must start with an Embedding and end with one logit per id (output_size = vocab_size), "
            f"got layers {[type(layer).__name__ for layer in model.layers]} with "
            f"output_size {model.layers[-1].output_size}"
        )
    twin: list[Layer] = []
    for k, layer in enumerate(model.layers):
        if isinstance(layer, Bidirectional):
            raise ValueError(f"model.layers[{k}] is Bidirectional: it needs the future, which sampling makes")
        twin.append(Recurrent(layer.cell, True, stateful=True) if isinstance(layer, Recurrent) else layer)
    return Sequential(twin, loss=model.loss)


def sample_streams(
    model: Sequential, prime_ids: Any, length: int, temperature: float = 1.0, seed: int = 0, streams: int = 1
) -> np.ndarray:
    """Draw ``streams`` independent continuations of ``prime_ids`` at once (see ``sample``).

    Returns:
        (streams, length) integer ids.
    """
    twin = _stepping_twin(model)
    vocab = twin.layers[0].input_size
    prime = _checks.index_array("prime_ids", prime_ids, 1, vocab, "(P,)")
    length = _checks.positive_int("length", length)
    streams = _checks.positive_int("streams", streams)
    temperature = _checks.positive_number("temperature", temperature)
    rng = np.random.default_rng(_checks.seed("seed", seed, allow_none=False))
    logits = twin.predict(np.tile(prime, (streams, 1)))[:, -1]  # the whole prime, one pass
    out = np.empty((streams, length), dtype=np.int64)
    for t in range(length):
        out[:, t] = inverse_cdf(next_probabilities(logits, temperature), rng.random(streams))
        if t + 1 < length:
            logits = twin.predict(out[:, t : t + 1])[:, -1]  # one step, from the carried state
    return out


def sample(
    model: Sequential, prime_ids: Any, length: int, temperature: float = 1.0, seed: int = 0
) -> np.ndarray:
    """Generate ``length`` ids after ``prime_ids``, one step at a time.

    The model reads the priming ids, then repeatedly draws the next id from
    ``softmax(logits / temperature)`` and feeds it back, each LSTM layer carrying
    its state from step to step (on the fast path, one step per call). The model
    itself is not changed: a stateful twin sharing its weights runs.

    Args:
        model: a trained model that starts with an ``Embedding`` and ends with one
            logit per id (``char_model``'s shape); stateful or not.
        prime_ids: (P,) integer ids to start from, P >= 1.
        length: how many ids to generate.
        temperature: > 0; small is nearly greedy, 1 samples the model's own distribution.
        seed: seed of NumPy's generator: the same seed gives the same text.

    Returns:
        (length,) the generated ids (without the prime).
    """
    return sample_streams(model, prime_ids, length, temperature, seed, streams=1)[0]


def heldout_bits_per_char(model: Sequential, ids: Any, batch_size: int = 32, seq_len: int = 64) -> float:
    """The model's cross-entropy on ``ids`` in bits per character, reading them as it was trained.

    The ids are laid out as ``batch_size`` streams (``text.stream_batches``) and read
    batch after batch by a stateful twin of the model that shares its weights, from
    zero states, so every character but the first of each stream is predicted from
    all the characters before it in its stream. The model itself (and its carried
    state) is not changed.

    Args:
        model: a model that starts with an ``Embedding`` and ends with one logit per id.
        ids: (N,) integer ids of the held-out text.
        batch_size: B, the number of streams read at once.
        seq_len: T, characters per batch and stream (only the speed depends on it).

    Returns:
        The mean of ``-log2 p(next id)`` over every predicted position (the last
        ``N - B S - 1`` ids are left out, as ``stream_batches`` says).
    """
    twin = _stepping_twin(model)
    ids = check_ids("ids", ids, twin.layers[0].input_size)
    inputs, targets = stream_batches(ids, batch_size, seq_len)
    total = 0.0
    for x, y in zip(inputs, targets, strict=True):
        log_p = log_softmax(twin.predict(x).astype(np.float64))
        total -= float(np.take_along_axis(log_p, y[..., None], axis=-1).sum())
    return total / targets.size / math.log(2.0)


def log_probs(model: Sequential, ids: Any, chunk: int = 1024) -> np.ndarray:
    """Log-probability of each character of ``ids`` after the first, reading them as one stream.

    The same contract as ``ngram.NGramModel.log_probs``, so that the two models can
    be compared character by character: entry t - 1 is ``ln P(ids[t] | ids[:t])``,
    the model reading ``ids[:-1]`` from zero states, ``chunk`` characters per call,
    its stateful twin carrying the state (the chunk size changes only the speed).
    The model itself is not changed.

    Args:
        model: a model that starts with an ``Embedding`` and ends with one logit per id.
        ids: (N,) integer ids, N >= 2.
        chunk: characters per forward call, >= 1.

    Returns:
        (N - 1,) float64 natural-log probabilities.
    """
    twin = _stepping_twin(model)
    ids = check_ids("ids", ids, twin.layers[0].input_size)
    chunk = _checks.positive_int("chunk", chunk)
    if ids.shape[0] < 2:
        raise ValueError(f"ids must hold at least 2 ids (a context and a target), got {ids.shape[0]}")
    out = np.empty(ids.shape[0] - 1)
    for start in range(0, ids.shape[0] - 1, chunk):
        x = ids[start : min(start + chunk, ids.shape[0] - 1)]
        log_p = log_softmax(twin.predict(x[None])[0].astype(np.float64))
        out[start : start + x.shape[0]] = log_p[
            np.arange(x.shape[0]), ids[start + 1 : start + 1 + x.shape[0]]
        ]
    return out


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
        model: a stateful ``char_model`` (or any model of that shape), trained in place.
        train_ids: (N,) integer ids of the training text.
        steps: how many gradient steps, >= 1.
        heldout_ids: None, or (M,) ids of the held-out text.
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
    if not isinstance(model, Sequential):
        raise TypeError(f"model must be a model.Sequential, got {_checks.describe(model)}")
    steps = _checks.positive_int("steps", steps)
    eval_every = steps if eval_every is None else _checks.positive_int("eval_every", eval_every)
    inputs, targets = stream_batches(check_ids("train_ids", train_ids), batch_size, seq_len)
    if heldout_ids is not None:
        heldout_ids = check_ids("heldout_ids", heldout_ids)
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


@dataclass(frozen=True)
class CellInternals:
    """What one LSTM layer computed at every character of a text (``cell_internals``).

    Every array has shape (N, H): row t is the step that read character t, so it
    holds the states *after* reading it. The gates are in the package's order
    i, f, g, o (Keras' i, f, c, o).

    Attributes:
        c: cell states c_t.
        h: hidden states h_t = o_t * tanh(c_t).
        i: input gate, in (0, 1).
        f: forget gate, in (0, 1).
        g: candidate, in (-1, 1).
        o: output gate, in (0, 1).
    """

    c: np.ndarray
    h: np.ndarray
    i: np.ndarray
    f: np.ndarray
    g: np.ndarray
    o: np.ndarray


def cell_internals(model: Sequential, ids: Any, layer: int = 0, chunk: int = 1024) -> CellInternals:
    """Run a character model over ``ids`` as one stream and record one LSTM layer's internals.

    The text is read from zero states, ``chunk`` characters at a time, every
    recurrent layer carrying its state from one chunk to the next, so step t sees
    all of ``ids[:t + 1]`` (the chunk size changes only the speed). It runs the
    fast path (``lstm_fast.fast_forward``), the same numbers as ``LSTMParams.step``
    step after step. The model and its carried states are not changed.

    Args:
        model: a model that starts with an ``Embedding`` (``char_model``'s shape);
            every recurrent layer up to the one asked for runs forward in time.
        ids: (N,) integer ids of the text.
        layer: which LSTM layer, counting recurrent layers from 0 (the first above
            the embedding).
        chunk: characters per forward call, >= 1.

    Returns:
        The ``CellInternals``, arrays of shape (N, H) in the model's dtype.
    """
    twin = _stepping_twin(model)
    ids = check_ids("ids", ids, twin.layers[0].input_size)
    chunk = _checks.positive_int("chunk", chunk)
    recurrent = [k for k, each in enumerate(twin.layers) if isinstance(each, Recurrent)]
    if isinstance(layer, bool) or not isinstance(layer, (int, np.integer)) or not 0 <= layer < len(recurrent):
        raise ValueError(
            f"layer must be an int in [0, {len(recurrent) - 1}] (the model has {len(recurrent)} "
            f"recurrent layers), got {layer!r}"
        )
    target = twin.layers[recurrent[layer]]
    assert isinstance(target, Recurrent)
    if type(target.cell) is not LSTMParams:
        raise ValueError(f"layer {layer} must be an LSTM layer, got a {type(target.cell).__name__} cell")
    hidden = target.cell.hidden_size
    out = {name: np.empty((ids.shape[0], hidden), dtype=twin.dtype) for name in "chifgo"}
    below = twin.layers[: recurrent[layer]]  # the embedding and the layers under the one asked for
    for start in range(0, ids.shape[0], chunk):
        x: np.ndarray = ids[None, start : start + chunk]
        for each in below:
            x, _ = each.forward(x)  # stateful recurrent layers carry their state over
        cache = fast_forward(target.cell, x, target.initial_state(1))
        target.state = cache.last_state
        rows = slice(start, start + x.shape[1])
        out["c"][rows], out["h"][rows] = cache.c_steps[:, 0], cache.h_steps[:, 0]
        for k, name in enumerate("ifgo"):
            out[name][rows] = cache.gate_steps[:, 0, k * hidden : (k + 1) * hidden]
    return CellInternals(**out)
