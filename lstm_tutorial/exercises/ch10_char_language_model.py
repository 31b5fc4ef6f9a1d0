"""Chapter 10's exercises: a bigram baseline, a temperature sampler, perplexity from bits,
the novelty measure, a dropout mask's gradient.

Each reference is the package's own function (``ngram.fit_ngram``,
``metrics.bits_per_char``, ``sampling.next_probabilities``,
``sampling.inverse_cdf``, ``metrics.perplexity``, ``novelty.verbatim_share``,
``dropout.dropout_backward``), called
with the exercise's arguments; each known mistake is that reference called with the
mistake made.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ..nn.dropout import DropoutCache, dropout_backward
from ..tasks.metrics import bits_per_char, perplexity
from ..tasks.ngram import fit_ngram
from ..tasks.novelty import verbatim_mask, verbatim_share
from ..tasks.sampling import inverse_cdf, next_probabilities
from .checking import Case, CheckResult, Exercise, Mistake, rng, run_cases

__all__ = [
    "EXERCISES",
    "bigram_bits_per_char",
    "check_bigram_bits_per_char",
    "check_copied_share",
    "check_input_dropout_grad",
    "check_perplexity_from_bits",
    "check_sample_next",
    "copied_share",
    "input_dropout_grad",
    "perplexity_from_bits",
    "sample_next",
]


# --------------------------------------------------------------------------- a bigram baseline


def bigram_bits_per_char(
    train_ids: np.ndarray, heldout_ids: np.ndarray, vocab_size: int, discount: float
) -> float:
    """The reference: an order-1 ``fit_ngram`` with interpolated absolute discounting D,
    scored on ``heldout_ids[1:]`` (each id after the one before it), in bits per character."""
    model = fit_ngram(train_ids, vocab_size, 1, smoothing="absolute", discount=discount)
    return bits_per_char(model.cross_entropy(heldout_ids))


def _unsmoothed(train: np.ndarray, held: np.ndarray, vocab_size: int, discount: float) -> float:
    return bigram_bits_per_char(train, held, vocab_size, 0.0)


def _in_nats(train: np.ndarray, held: np.ndarray, vocab_size: int, discount: float) -> float:
    return bigram_bits_per_char(train, held, vocab_size, discount) * math.log(2.0)


def _over_every_character(train: np.ndarray, held: np.ndarray, vocab_size: int, discount: float) -> float:
    # N - 1 characters are predicted; dividing their total by N is the off-by-one.
    return bigram_bits_per_char(train, held, vocab_size, discount) * (len(held) - 1) / len(held)


def _markov_text(seed: int, n: int, vocab_size: int) -> np.ndarray:
    """Ids of a Markov chain over ``vocab_size - 1`` symbols (the last id, "unknown", never occurs)."""
    r = rng(seed)
    symbols = vocab_size - 1
    transitions = r.dirichlet(np.full(symbols, 0.4), size=symbols)
    ids = np.zeros(n, dtype=np.int64)
    for t in range(1, n):
        ids[t] = r.choice(symbols, p=transitions[ids[t - 1]])
    return ids


def check_bigram_bits_per_char(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``bigram_bits_per_char(train_ids, heldout_ids, vocab_size, discount) -> float``.

    P0(w) = (max(c(w) - D, 0) + D N1+(.) / V) / N over the training ids, and
    P(w | h) = (max(c(h w) - D, 0) + D N1+(h .) P0(w)) / c(h), or P0(w) after a
    context h never seen in training; the held-out score is the mean of
    -log2 P(held[t] | held[t - 1]) over t = 1 .. M - 1.
    """
    train = _markov_text(180, 400, 6)
    cases = [
        # Held-out text taken from the training text: every bigram seen, so even no smoothing is finite.
        Case((train, train[100:160].copy(), 6, 0.5), "N=400, M=60 seen, V=6, D=0.5"),
        Case((train, _markov_text(181, 80, 6), 6, 0.75), "N=400, M=80 new text, V=6, D=0.75"),
        Case((train[:30].copy(), np.array([5, 0, 5, 5, 1]), 6, 0.3), "N=30, M=5 with unknown ids"),
    ]
    mistakes = [
        Mistake(
            _unsmoothed,
            "subtract D from every seen count and give D N1+(h .) / c(h) of the mass to the lower "
            "level: without it, a pair never seen in training gets probability 0 (infinite bits).",
        ),
        Mistake(_in_nats, "bits per character use log base 2: np.log2, or nats / ln 2."),
        Mistake(
            _over_every_character,
            "M held-out ids give M - 1 predictions (the first id has no context): average over those.",
        ),
    ]
    return run_cases("bigram_bits_per_char", your_fn, bigram_bits_per_char, cases, mistakes)


# --------------------------------------------------------------------------- a temperature sampler


def sample_next(
    logits: np.ndarray, temperature: float, uniforms: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The reference: ``(p, ids)`` with ``p = sampling.next_probabilities(logits, temperature)``
    and ``ids = sampling.inverse_cdf(p, uniforms)``."""
    probabilities = next_probabilities(logits, temperature)
    return probabilities, inverse_cdf(probabilities, uniforms)


def _times_temperature(logits: np.ndarray, temperature: float, uniforms: np.ndarray) -> tuple[Any, Any]:
    return sample_next(logits, 1.0 / temperature, uniforms)  # softmax(logits * T)


def _not_normalised(logits: np.ndarray, temperature: float, uniforms: np.ndarray) -> tuple[Any, Any]:
    scaled = logits / temperature
    totals = np.exp(scaled - scaled.max(axis=1, keepdims=True)).sum(axis=1)
    probabilities, _ = sample_next(logits, temperature, uniforms)
    # The cumulative sum of unnormalised weights passes u where the normalised one passes u / total.
    return probabilities * totals[:, None], sample_next(logits, temperature, uniforms / totals)[1]


def _sampler_case(seed: int, batch: int, vocab: int, scale: float, temperature: float) -> Case:
    r = rng(seed)
    logits = scale * r.normal(size=(batch, vocab))
    return Case((logits, temperature, r.random(batch)), f"B={batch}, V={vocab}, T={temperature}")


def check_sample_next(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``sample_next(logits, temperature, uniforms) -> (probabilities, ids)``.

    logits (B, V), temperature > 0, uniforms (B,) in [0, 1); probabilities (B, V)
    = softmax(logits / temperature) per row; ids (B,) the inverse-CDF draw: the
    first k with p_0 + ... + p_k > u.
    """
    cases = [
        _sampler_case(190, 8, 5, 2.0, 0.5),
        _sampler_case(191, 6, 12, 1.0, 2.0),
        _sampler_case(192, 1, 3, 3.0, 1.0),
        _sampler_case(193, 5, 7, 600.0, 0.7),  # logits of a confident model: exp(z / T) overflows
    ]
    mistakes = [
        Mistake(_times_temperature, "divide the logits by the temperature: softmax(logits / T)."),
        Mistake(
            _not_normalised,
            "divide exp(z - max) by its row sum, so that each row of probabilities sums to 1 "
            "before the cumulative sum is compared with u.",
        ),
    ]
    return run_cases("sample_next", your_fn, sample_next, cases, mistakes, strict_warnings=True)


# --------------------------------------------------------------------------- perplexity from bits


def perplexity_from_bits(bpc: float) -> float:
    """The reference: ``metrics.perplexity``, ``2 ** bpc``."""
    return perplexity(bpc)


def _base_e(bpc: float) -> float:
    return perplexity(bpc / math.log(2.0))  # e ** bpc = 2 ** (bpc / ln 2)


def _converted_twice(bpc: float) -> float:
    return perplexity(bpc * math.log(2.0))  # 2 ** (bpc ln 2): bits treated as nats


def _inverted(bpc: float) -> float:
    return 1.0 / perplexity(bpc)


def check_perplexity_from_bits(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``perplexity_from_bits(bpc) -> float``: the per-character perplexity of a
    cross-entropy of ``bpc`` bits per character."""
    cases = [Case((bpc,), f"bpc = {bpc}") for bpc in (2.15, 4.5, 1.0, 0.0)]
    mistakes = [
        Mistake(_base_e, "bits are base-2 logarithms: the perplexity is 2 ** bpc, not e ** bpc."),
        Mistake(
            _converted_twice,
            "bpc is already in bits: 2 ** bpc (e ** nats is the same number; 2 ** (bpc ln 2) is neither).",
        ),
        Mistake(_inverted, "perplexity is 2 ** (+bpc), at least 1: the number of equally likely choices."),
    ]
    return run_cases("perplexity_from_bits", your_fn, perplexity_from_bits, cases, mistakes)


EXERCISES = [
    Exercise(
        "ch10-bigram",
        "A bigram baseline",
        check_bigram_bits_per_char,
        bigram_bits_per_char,
    ),
    Exercise("ch10-sampler", "A temperature sampler", check_sample_next, sample_next),
    Exercise(
        "ch10-perplexity",
        "Perplexity from bits per character",
        check_perplexity_from_bits,
        perplexity_from_bits,
    ),
]


# --------------------------------------------------------------------------- the novelty measure


def copied_share(sample: str, training_text: str, n: int) -> float:
    """The reference: ``novelty.verbatim_share``, the share of the sample's n-character windows
    (every position, overlapping) that occur verbatim in the training text."""
    return verbatim_share(sample, training_text, n)


def _every_nth_window(sample: str, training_text: str, n: int) -> float:
    return float(verbatim_mask(sample, training_text, n)[::n].mean())  # windows that do not overlap


def _last_window_left_out(sample: str, training_text: str, n: int) -> float:
    return float(verbatim_mask(sample, training_text, n)[:-1].mean())  # range(len(sample) - n)


def _over_sample_length(sample: str, training_text: str, n: int) -> float:
    return float(verbatim_mask(sample, training_text, n).sum() / len(sample))


def _count_not_share(sample: str, training_text: str, n: int) -> float:
    return float(verbatim_mask(sample, training_text, n).sum())


def _novelty_case(seed: int, train_chars: int, copied: int, new: int, n: int) -> Case:
    """A training text of short words, and a sample that copies ``copied`` characters of it
    (at a random place) and adds ``new`` characters of fresh words before and after."""
    r = rng(seed)
    words = ["def", "self", "return", "x", "in", "for", "(", ")", ":", "\n    "]

    def text(length: int) -> str:
        out = ""
        while len(out) < length:
            out += words[int(r.integers(len(words)))] + " "
        return out[:length]

    training_text = text(train_chars)
    start = int(r.integers(train_chars - copied))
    sample = text(new // 2) + training_text[start : start + copied] + text(new - new // 2)
    return Case(
        (sample, training_text, n),
        f"sample of {len(sample)} characters, training text of {train_chars}, n = {n}",
    )


def check_copied_share(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``copied_share(sample, training_text, n) -> float``.

    The windows of a sample of L characters are ``sample[i : i + n]`` for every
    i = 0 .. L - n (L - n + 1 of them, overlapping); the result is the share of them
    that occur somewhere in ``training_text``, a number in [0, 1].
    """
    cases = [
        _novelty_case(200, 400, 30, 23, 6),
        _novelty_case(201, 600, 45, 40, 10),
        _novelty_case(202, 300, 0, 25, 4),  # nothing copied: only chance matches
        _novelty_case(203, 500, 50, 0, 8),  # copied whole: every window is found
    ]
    mistakes = [
        Mistake(
            _every_nth_window,
            "count a window at EVERY position i = 0 .. L - n (they overlap), not only at multiples of n.",
        ),
        Mistake(
            _last_window_left_out,
            "a sample of L characters has L - n + 1 windows: range(len(sample) - n + 1) includes the last.",
        ),
        Mistake(
            _over_sample_length,
            "divide by the number of windows, L - n + 1, not by the sample's length L.",
        ),
        Mistake(_count_not_share, "return the share of windows found (found / windows), not their count."),
    ]
    return run_cases("copied_share", your_fn, copied_share, cases, mistakes)


EXERCISES.append(Exercise("ch10-novelty", "The novelty measure", check_copied_share, copied_share))


# --------------------------------------------------------------------------- a dropout mask's gradient
# Input dropout, as Recurrent(dropout=p) and Keras' LSTM(dropout=p) apply it: one keep mask (B, D) per
# batch of sequences, the same at every step, the kept inputs scaled by 1 / (1 - p). The reader writes
# the gradient that reaches the inputs x (B, T, D) from the gradient of the dropped inputs.


def input_dropout_grad(d_dropped: np.ndarray, keep: np.ndarray, rate: float) -> np.ndarray:
    """The reference: ``dropout.dropout_backward`` with the layer's mask, ``keep`` scaled by
    1 / (1 - rate) and shared by every step, (B, 1, D)."""
    mask = keep[:, None, :] / (1.0 - rate)
    return dropout_backward(d_dropped, DropoutCache(mask, d_dropped.shape))


def _unscaled(d_dropped: np.ndarray, keep: np.ndarray, rate: float) -> np.ndarray:
    return input_dropout_grad(d_dropped, keep, 0.0)  # keep / (1 - 0): the 0/1 mask alone


def _times_keep_probability(d_dropped: np.ndarray, keep: np.ndarray, rate: float) -> np.ndarray:
    return input_dropout_grad(d_dropped, keep, rate) * (1.0 - rate) ** 2  # keep * (1 - p)


def _over_rate(d_dropped: np.ndarray, keep: np.ndarray, rate: float) -> np.ndarray:
    return input_dropout_grad(d_dropped, keep, rate) * (1.0 - rate) / rate  # keep / p


def _through_the_dropped(d_dropped: np.ndarray, keep: np.ndarray, rate: float) -> np.ndarray:
    return input_dropout_grad(d_dropped, ~keep, rate)  # the gradient let through where x was dropped


def _not_masked(d_dropped: np.ndarray, keep: np.ndarray, rate: float) -> np.ndarray:
    return input_dropout_grad(d_dropped, np.ones_like(keep), rate)  # every input treated as kept


def _summed_over_time(d_dropped: np.ndarray, keep: np.ndarray, rate: float) -> np.ndarray:
    return input_dropout_grad(d_dropped, keep, rate).sum(axis=1)  # (B, D): one gradient per mask entry


def _dropout_case(seed: int, batch: int, steps: int, features: int, rate: float) -> Case:
    r = rng(seed)
    keep = r.random((batch, features)) >= rate
    keep.flat[0], keep.flat[-1] = False, True  # at least one input dropped and one kept
    if batch * features == 1:
        keep[...] = True
    d_dropped = r.normal(size=(batch, steps, features))
    return Case((d_dropped, keep, rate), f"(B, T, D) = ({batch}, {steps}, {features}), rate {rate}")


def check_input_dropout_grad(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``input_dropout_grad(d_dropped, keep, rate) -> dx``, the gradient through input dropout.

    d_dropped (B, T, D) is dL/d(dropped inputs); keep (B, D) bools, True where an input is kept,
    one mask per sequence shared by its T steps; rate p in [0, 1). The forward pass was
    ``dropped[:, t] = x[:, t] * keep / (1 - p)``; dx (B, T, D) is dL/dx.
    """
    cases = [
        _dropout_case(200, 3, 5, 4, 0.25),
        _dropout_case(201, 2, 6, 3, 0.6),
        _dropout_case(202, 1, 1, 1, 0.5),
        _dropout_case(203, 4, 2, 5, 0.0),
    ]
    mistakes = [
        Mistake(
            _unscaled,
            "inverted dropout scales the kept inputs by 1 / (1 - rate) on the way forward, so their "
            "gradient is scaled by 1 / (1 - rate) too.",
        ),
        Mistake(
            _times_keep_probability,
            "divide by the keep probability 1 - rate; multiplying by it is how the original dropout "
            "rescaled at test time, which inverted dropout does not need.",
        ),
        Mistake(_over_rate, "the scale is 1 / (1 - rate), the keep probability, not 1 / rate."),
        Mistake(
            _through_the_dropped,
            "keep is True where an input was KEPT: the gradient flows there, and is zero where "
            "it was dropped.",
        ),
        Mistake(
            _not_masked,
            "a dropped input added nothing to the output, so it gets no gradient: multiply by keep "
            "(the same mask as on the way forward), not only by the scale.",
        ),
        Mistake(
            _summed_over_time,
            "the mask is shared by the steps, but each x_t is an input of its own: dx has the shape "
            "(B, T, D) of x, each step's gradient times the same mask; do not sum over time.",
        ),
    ]
    return run_cases("input_dropout_grad", your_fn, input_dropout_grad, cases, mistakes)


EXERCISES.append(
    Exercise("ch10-dropout-grad", "A dropout mask's gradient", check_input_dropout_grad, input_dropout_grad)
)
