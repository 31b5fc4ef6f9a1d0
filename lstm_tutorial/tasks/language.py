"""A character-level language model: the model, and how well it predicts held-out text.

The model reads characters as ids and predicts the next one at every step
(many-to-many):

    ids (B, T)  ->  Embedding(V, E)  ->  LSTM(H) x layers, return_sequences  ->  Dense(V)
                ->  logits (B, T, V), loss "sparse_categorical_crossentropy" on the next ids

``char_model`` builds it; ``heldout_bits_per_char`` and ``log_probs`` measure
it on held-out text; ``stepping_twin`` is the same model run one call after
another with its state carried, what sampling and probing use. The neighbours:

    language_training  train_char_model: truncated BPTT over parallel streams, a learning curve
    sampling           sample: text from the model at a temperature
    probe              cell_internals: what one LSTM layer computed at every character

    B  streams (batch size)    T  steps per batch    V  vocabulary    E  embedding    H  units
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..nn import _checks
from ..nn.bidirectional import Bidirectional
from ..nn.cell import glorot_uniform
from ..nn.dropout import Dropout, check_rate
from ..nn.embedding import Embedding
from ..nn.layer import Layer
from ..nn.layers import Dense, Recurrent
from ..nn.losses import log_softmax
from ..nn.lstm import LSTMParams
from ..nn.model import Sequential
from .text import stream_batches

__all__ = ["char_model", "heldout_bits_per_char", "log_probs", "stepping_twin"]


def _dropout_seed(seed: int, k: int) -> int:
    """The seed of the k-th Dropout layer: one of its own, drawn from the model's seed."""
    return int(np.random.default_rng([seed, 2, k]).integers(2**31))


def char_model(
    vocab_size: int,
    embed: int = 32,
    hidden: int = 128,
    layers: int = 2,
    stateful: bool = True,
    seed: int = 0,
    dtype: Any = np.float32,
    dropout: float = 0.0,
) -> Sequential:
    """Embedding -> LSTM(return_sequences=True) x ``layers`` -> Dense(V), with Keras' defaults.

    With ``dropout`` p > 0, a ``Dropout(p)`` layer sits on every connection between
    layers that is not recurrent, as Zaremba, Sutskever & Vinyals (2014) regularise
    a language model: after the embedding, after each LSTM layer (before the next
    one, or before the Dense layer). The recurrent connections, the state carried
    from step to step, are left alone. Each Dropout layer has its own seed (drawn
    from ``seed``), so the masks repeat from run to run but differ between layers.

    Args:
        vocab_size: V, the number of distinct characters (ids 0 .. V-1).
        embed: E, the embedding size.
        hidden: H, units per LSTM layer.
        layers: how many LSTM layers are stacked.
        stateful: carry each layer's state from batch to batch (see the module docstring).
        seed: seeds every layer's initialisation and dropout masks.
        dtype: np.float32 (fast, as Keras) or np.float64.
        dropout: the rate p of each Dropout layer, in [0, 1); 0 (the default) adds none.

    Returns:
        A ``model.Sequential`` with loss ``"sparse_categorical_crossentropy"``.
    """
    vocab_size = _checks.positive_int("vocab_size", vocab_size)
    layers = _checks.positive_int("layers", layers)
    _checks.flag("stateful", stateful)
    dtype = _checks.dtype_arg("dtype", dtype)
    dropout = check_rate("dropout", dropout)
    stack: list[Layer] = [Embedding.init(vocab_size, embed, np.random.default_rng([seed, 0]), dtype)]
    width = embed
    for k in range(layers):
        if dropout:
            stack.append(Dropout(dropout, seed=_dropout_seed(seed, k)))
        cell = LSTMParams.init(width, hidden, seed=seed + 1 + k, dtype=dtype)
        stack.append(Recurrent(cell, return_sequences=True, stateful=stateful))
        width = hidden
    if dropout:
        stack.append(Dropout(dropout, seed=_dropout_seed(seed, layers)))
    kernel = glorot_uniform(np.random.default_rng([seed, 1]), (hidden, vocab_size), dtype)
    stack.append(Dense(kernel, np.zeros(vocab_size, dtype=dtype)))
    return Sequential(stack, loss="sparse_categorical_crossentropy")


def stepping_twin(model: Sequential) -> Sequential:
    """The model's layers (the same weights) with every recurrent layer stateful and per-step.

    What sampling and probing run: each recurrent layer carries its state from one
    call to the next and returns h_t at every step. ``model`` must be a character
    model (an ``Embedding`` first, one logit per id last) without Bidirectional layers.
    """
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
    twin = stepping_twin(model)
    ids = _checks.ids("ids", ids, twin.layers[0].input_size)
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
    twin = stepping_twin(model)
    ids = _checks.ids("ids", ids, twin.layers[0].input_size)
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
