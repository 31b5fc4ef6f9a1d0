"""Copying or generalising: how much of a model's text is copied, and how much a model stores.

    verbatim_mask        for each n-character window of a sample, whether it occurs in the training text
    verbatim_share       the share of the samples' n-character windows found verbatim in the training text
    ngram_stored_counts  how many counts a fitted n-gram model keeps, all orders together

A model that has memorised its training text can write fluent text by copying it:
an order-k n-gram model, sampled, strings together pieces of training text joined
where two of them share k characters. A 20-character window of a sample that
occurs verbatim in a million characters of training text is unlikely to have
been made up (most 20-character strings of Python source are seen once), so the
share of such windows measures copying. The windows are every position of each
sample (they overlap): a sample of L characters has ``L - n + 1`` of them, and
no window runs from one sample into the next.

The size of a model at its score is the other side of the same question: an
n-gram model stores one count per distinct n-gram it saw (``ngram_stored_counts``),
an LSTM its weights (``model.count_params()``).

How the windows are looked up: every n-character window of the training text
gets a polynomial hash of its code points (arithmetic modulo 2**64, computed for
all windows at once with NumPy); a window of a sample whose hash no training
window has does not occur. A window whose hash does occur is compared, as a
string, with the training text at the first place that hash occurs, and, in the
rare case that this is a different string with the same hash, looked for with
``str.__contains__``. So the answer is exact, and a call on a million characters
of training text takes a fraction of a second (a ``window in training_text`` per
window scans the text once per window that is absent: seconds for a few thousand).

Shapes: L characters of a sample, n characters per window, N of training text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..nn import _checks
from .ngram import NGramModel

__all__ = ["ngram_stored_counts", "verbatim_mask", "verbatim_share"]

_BASE = np.uint64(0x9E3779B97F4A7C15)  # odd, so multiplying by it modulo 2**64 loses nothing


def _text(name: str, value: Any, n: int) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {_checks.describe(value)}")
    if len(value) < n:
        raise ValueError(
            f"{name} must hold at least n = {n} characters (one window), got {len(value)} characters"
        )
    return value


def _samples(value: Any, n: int) -> list[str]:
    """One str, or a list or tuple of them, each at least n characters long."""
    if isinstance(value, str):
        return [_text("samples", value, n)]
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"samples must be a str or a list or tuple of str, got {_checks.describe(value)}")
    if not value:
        raise ValueError("samples must hold at least one sample, got an empty sequence")
    return [_text(f"samples[{k}]", sample, n) for k, sample in enumerate(value)]


def _window_hashes(text: str, n: int) -> np.ndarray:
    """(len(text) - n + 1,) uint64 hashes: entry i is the hash of ``text[i : i + n]``.

    ``sum_k code(text[i + k]) * BASE ** (n - 1 - k)`` modulo 2**64 (Horner's rule, one
    pass over all windows per k; NumPy's unsigned arithmetic wraps silently).
    """
    # surrogatepass: a str may hold lone surrogates; each is one character with its own code.
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
    count = codes.shape[0] - n + 1
    hashes = np.zeros(count, dtype=np.uint64)
    for k in range(n):
        hashes *= _BASE
        hashes += codes[k : k + count]
    return hashes


def _found(windows: list[str], hashes: np.ndarray, training_text: str, n: int) -> np.ndarray:
    """(W,) bool: whether each window (its hash in ``hashes``) occurs in ``training_text``."""
    train = _window_hashes(training_text, n)
    # Look the N training hashes up among the W distinct hashes of the windows (W is small,
    # so this is faster than sorting the N), and keep the first training position of each.
    wanted, slot = np.unique(hashes, return_inverse=True)
    where = np.minimum(np.searchsorted(wanted, train), wanted.shape[0] - 1)
    hit = np.flatnonzero(wanted[where] == train)  # increasing training positions
    slots, earliest = np.unique(where[hit], return_index=True)  # the first index of each value
    first = np.full(wanted.shape[0], -1, dtype=np.int64)
    first[slots] = hit[earliest]
    candidate = first[slot.reshape(-1)]
    found = np.zeros(len(windows), dtype=bool)
    for k in np.flatnonzero(candidate >= 0).tolist():
        start = int(candidate[k])
        window = windows[k]
        # Equal hashes almost always mean equal strings; a collision is settled by a search.
        found[k] = training_text[start : start + n] == window or window in training_text
    return found


def verbatim_mask(sample: str, training_text: str, n: int = 20) -> np.ndarray:
    """Which n-character windows of ``sample`` occur verbatim in ``training_text``.

    Args:
        sample: L characters, L >= n (a model's sample, say).
        training_text: N characters, N >= n, the text the model was trained on.
        n: the window length, >= 1.

    Returns:
        (L - n + 1,) bool: entry i is True where ``sample[i : i + n]`` occurs in
        ``training_text`` (anywhere, overlapping windows at every position).
    """
    n = _checks.positive_int("n", n)
    sample = _text("sample", sample, n)
    training_text = _text("training_text", training_text, n)
    windows = [sample[i : i + n] for i in range(len(sample) - n + 1)]
    return _found(windows, _window_hashes(sample, n), training_text, n)


def verbatim_share(samples: str | Sequence[str], training_text: str, n: int = 20) -> float:
    """The share of the samples' n-character windows that occur verbatim in ``training_text``.

    Every window of every sample counts once: the windows start at every position
    (they overlap), and none runs across the boundary between two samples. So it is
    the number of True entries of ``verbatim_mask`` over all samples divided by
    their total length, ``sum(L - n + 1)``. 0 for text never seen, 1 for a sample
    taken from the training text.

    Args:
        samples: one sample (a str) or a list or tuple of them, each of L >= n characters.
        training_text: N characters, N >= n.
        n: the window length, >= 1 (20 by default: long enough that a match is
            rarely a coincidence in Python source).

    Returns:
        The share, in [0, 1].
    """
    n = _checks.positive_int("n", n)
    texts = _samples(samples, n)
    training_text = _text("training_text", training_text, n)
    windows = [text[i : i + n] for text in texts for i in range(len(text) - n + 1)]
    hashes = np.concatenate([_window_hashes(text, n) for text in texts])
    return float(_found(windows, hashes, training_text, n).mean())


def ngram_stored_counts(model: NGramModel) -> int:
    """How many counts a fitted n-gram model keeps: its parameters, all orders together.

    A model of order k keeps, for each context length j = 0 .. k, one count per
    (j + 1)-gram whose count at that level is > 0 (``ngram``'s docstring): the raw
    count of every distinct (j + 1)-gram of the training text with absolute
    discounting, and at the levels below k with Kneser-Ney the continuation count
    of every (j + 1)-gram seen after at least one character (one seen only at the
    very start of the text has none, and is not kept). The number returned is the
    total of those counts over the levels: for absolute discounting, the number of
    distinct strings of 1 .. k + 1 characters in the training text.

    Not counted: the per-context totals and type counts the model also keeps (sums
    over those counts, kept for speed), the discounts (one per level), and the key
    of each count, the n-gram itself, which an LSTM's weights do not need.

    Args:
        model: an ``NGramModel`` (``ngram.fit_ngram``).

    Returns:
        The number of counts, >= 1.
    """
    if not isinstance(model, NGramModel):
        raise TypeError(f"model must be an ngram.NGramModel (from fit_ngram), got {_checks.describe(model)}")
    return sum(int(level.keys.shape[0]) for level in model.levels)
