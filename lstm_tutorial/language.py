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

``sample`` runs a trained model one step at a time, carrying its state, and
draws each next character from the softmax of the logits divided by a
temperature.

    B  streams (batch size)    T  steps per batch    V  vocabulary    E  embedding    H  units
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _checks
from .bidirectional import Bidirectional
from .cell import glorot_uniform
from .embedding import Embedding
from .layers import Dense, Layer, Recurrent
from .lstm import LSTMParams
from .model import Sequential

__all__ = ["char_model", "next_probabilities", "sample", "sample_streams"]


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
        cdf = np.cumsum(next_probabilities(logits, temperature), axis=1)
        u = rng.random((streams, 1)) * cdf[:, -1:]
        out[:, t] = np.minimum((cdf <= u).sum(axis=1), vocab - 1)  # inverse CDF
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
