"""Sampling from a character model: the next character from the softmax at a temperature.

``sample`` runs a trained model (``language.char_model``'s shape) one step at a
time, carrying its state (``language.stepping_twin``), and draws each next
character from the softmax of the logits divided by a temperature
(``next_probabilities``), by inverting the cumulative distribution at a uniform
draw (``inverse_cdf``). ``sample_streams`` draws several continuations at once.

    B  streams    P  priming ids    V  vocabulary
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..nn import _checks
from ..nn.model import Sequential
from .data import MAX_VALUES
from .language import stepping_twin
from .ngram import NGramModel

__all__ = ["inverse_cdf", "next_probabilities", "sample", "sample_ngram", "sample_streams"]


def next_probabilities(logits: np.ndarray, temperature: float) -> np.ndarray:
    """softmax(logits / temperature) over the last axis, in float64.

    A temperature below 1 sharpens the distribution towards the most likely id
    (greedy decoding in the limit), above 1 flattens it towards uniform. Every
    finite input gives a distribution: the largest logit is subtracted *before*
    dividing, so no quotient overflows (logits of 1e308 at a temperature of 0.5, or
    any logits at 1e-310); a gap that overflows to -inf gives probability 0, which
    is what its exponential rounds to anyway.

    Args:
        logits: (..., V) scores.
        temperature: a finite number > 0.

    Returns:
        (..., V) probabilities, each row summing to 1 (for a temperature so small
        that every gap overflows, one-hot on the largest logit, shared among ties).
    """
    temperature = _checks.positive_number("temperature", temperature)
    _checks.float_array("logits", logits)
    wide = logits.astype(np.float64)
    with np.errstate(over="ignore"):  # a gap of -inf is a probability of exactly 0
        scaled = (wide - wide.max(axis=-1, keepdims=True)) / temperature
    p = np.exp(scaled)  # the largest logit gives exp(0) = 1, so every row sums to >= 1
    return np.asarray(p / p.sum(axis=-1, keepdims=True))


def inverse_cdf(probabilities: np.ndarray, uniforms: np.ndarray) -> np.ndarray:
    """Draw one id per row by the inverse of the cumulative distribution.

    Row b's id is the first k whose cumulative probability ``p_0 + ... + p_k`` exceeds
    ``u_b`` times the row's total, so for u uniform in [0, 1) id k comes with
    probability ``p_k`` (the total is 1 up to rounding; scaling by it keeps the last
    id reachable). An id of probability 0 is never drawn.

    Args:
        probabilities: (B, V) rows of probabilities (``next_probabilities``): every
            entry >= 0, every row's total > 0 and finite.
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
    if probabilities.min() < 0:
        row, column = np.unravel_index(int(np.argmin(probabilities)), probabilities.shape)
        raise ValueError(
            f"probabilities must be >= 0, got {probabilities[row, column]:.3g} at row {row}, id {column}"
        )
    with np.errstate(over="ignore"):  # a total that overflows is refused just below
        cdf = np.cumsum(probabilities, axis=1)
    totals = cdf[:, -1]
    bad = np.flatnonzero(~((totals > 0) & np.isfinite(totals)))
    if bad.size:
        raise ValueError(
            f"probabilities must have rows that sum to a finite number > 0, got a sum of "
            f"{totals[bad[0]]:.3g} in row {bad[0]}"
        )
    if uniforms.min() < 0 or uniforms.max() >= 1:
        outside = uniforms[(uniforms < 0) | (uniforms >= 1)]
        raise ValueError(
            f"uniforms must lie in [0, 1), got {outside.size} outside it, e.g. {float(outside[0])!r}"
        )
    u = uniforms[:, None] * cdf[:, -1:]
    # u * total can round up to the total itself; then the last id of probability > 0 is drawn.
    last = probabilities.shape[1] - 1 - np.argmax(probabilities[:, ::-1] > 0, axis=1)
    return np.minimum((cdf <= u).sum(axis=1), last).astype(np.int64)


def sample_streams(
    model: Sequential, prime_ids: Any, length: int, temperature: float = 1.0, seed: int = 0, streams: int = 1
) -> np.ndarray:
    """Draw ``streams`` independent continuations of ``prime_ids`` at once (see ``sample``).

    ``streams`` times ``length`` (and times P) may be at most ``data.MAX_VALUES``.

    Returns:
        (streams, length) integer ids.
    """
    twin = stepping_twin(model)
    vocab = twin.layers[0].input_size
    prime = _checks.index_array("prime_ids", prime_ids, 1, vocab, "(P,)")
    length = _checks.positive_int("length", length)
    streams = _checks.positive_int("streams", streams)
    temperature = _checks.positive_number("temperature", temperature)
    if streams * max(length, prime.shape[0]) > MAX_VALUES:
        raise ValueError(
            f"streams = {streams:,} and length = {length:,} (with a prime of {prime.shape[0]:,} ids) ask "
            f"for more than the {MAX_VALUES:,} ids (data.MAX_VALUES) one call may hold"
        )
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
        length: how many ids to generate, at most ``data.MAX_VALUES``.
        temperature: > 0; small is nearly greedy, 1 samples the model's own distribution.
        seed: seed of NumPy's generator: the same seed gives the same text.

    Returns:
        (length,) the generated ids (without the prime).
    """
    return sample_streams(model, prime_ids, length, temperature, seed, streams=1)[0]


def sample_ngram(
    model: NGramModel, prime_ids: Any, length: int, temperature: float = 1.0, seed: int = 0
) -> np.ndarray:
    """Generate ``length`` ids after ``prime_ids`` from an n-gram model, as ``sample`` does from an LSTM.

    Each next id is drawn from the model's distribution after the ids so far
    (``NGramModel.probs``, which reads the last ``order`` of them), sharpened or
    flattened by the temperature as ``next_probabilities`` does with logits:
    ``p ** (1 / temperature)``, renormalised (the softmax of ``log p / temperature``).

    Args:
        model: a fitted ``ngram.NGramModel``.
        prime_ids: (P,) integer ids to start from, P >= 1.
        length: how many ids to generate, at most ``data.MAX_VALUES``.
        temperature: > 0, as in ``sample``.
        seed: seed of NumPy's generator: the same seed gives the same text.

    Returns:
        (length,) the generated ids (without the prime).
    """
    model = _checks.instance("model", model, NGramModel)
    prime = _checks.index_array("prime_ids", prime_ids, 1, model.vocab_size, "(P,)")
    length = _checks.positive_int("length", length)
    temperature = _checks.positive_number("temperature", temperature)
    if length > MAX_VALUES:
        raise ValueError(
            f"length = {length:,} is more than the {MAX_VALUES:,} ids (data.MAX_VALUES) one call may hold"
        )
    rng = np.random.default_rng(_checks.seed("seed", seed, allow_none=False))
    ids = np.concatenate([prime, np.zeros(length, dtype=np.int64)])
    start = prime.shape[0]
    for t in range(start, start + length):
        context = ids[max(0, t - model.order) : t]
        # A probability of 0 (possible only with a discount of 0) stays 0: log of the smallest float.
        log_p = np.log(np.maximum(model.probs(context), np.finfo(np.float64).tiny))
        ids[t] = inverse_cdf(next_probabilities(log_p[None], temperature), rng.random(1))[0]
    return ids[start:]
