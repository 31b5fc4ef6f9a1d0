r"""Character n-gram language models: the honest baselines a character LSTM must beat.

    fit_ngram    count the n-grams of training ids, smoothed so that every id has probability > 0
    NGramModel   probs(context), log_probs(ids), cross_entropy(ids) in nats

An order-k model predicts a character from the k characters before it (order 0
is the unigram model). Counts alone give probability 0 to every character never
seen after a context, and an infinite held-out cross-entropy; smoothing takes a
little probability from what was seen and gives it to a lower order, down to a
uniform floor. Both methods here interpolate (Chen & Goodman 1998, "An empirical
study of smoothing techniques for language modeling", sections 2.5 and 2.7).

For a context h of j characters (j = 0 .. k), h' the same without its oldest
character, and w a character of the vocabulary of size V:

.. math::

    P_j(w \mid h) = \frac{\max(c_j(h w) - D_j, 0)}{c_j(h)}
                    + \frac{D_j \, N_{1+}(h \bullet)}{c_j(h)} \, P_{j-1}(w \mid h'),
    \qquad P_{-1}(w) = 1 / V,

where ``c_j(h) = sum_w c_j(h w)`` and ``N_{1+}(h •)`` is the number of distinct
characters w with ``c_j(h w) > 0``. A context never seen (``c_j(h) = 0``), or one
longer than the text before a position, falls back whole: ``P_j(w | h) = P_{j-1}(w | h')``.
So the weights of every level sum to 1 and every id, the vocabulary's unknown id
included, gets probability at least ``prod_j (D_j N_{1+} / c_j) / V > 0``.

The counts differ between the two methods:

- ``"absolute"`` (interpolated absolute discounting): ``c_j(h w)`` is the number of
  times the (j + 1)-gram ``h w`` occurs in the training ids, at every level.
- ``"kneser_ney"`` (interpolated Kneser-Ney): the highest level (j = k) uses those
  raw counts; every lower level uses continuation counts, ``c_j(h w) = N_{1+}(• h w)``,
  the number of distinct characters seen before ``h w``. A lower level is only
  asked when the longer context is rare, so it should estimate how many contexts
  a string continues, not how often it occurs.

The discount of each level is Ney et al.'s estimate ``D_j = n_1 / (n_1 + 2 n_2)``,
with n_1 and n_2 the numbers of (j + 1)-grams whose count at that level is 1 and
2 (0.5 where that is undefined or 0, on a text too small to have both), unless
``discount`` fixes one value for all levels.

Shapes: N ids of text, V the vocabulary size (``Vocabulary.size``), k the order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from . import _checks
from .text import check_ids

__all__ = ["NGramModel", "Smoothing", "fit_ngram"]

Smoothing = Literal["kneser_ney", "absolute"]
_SMOOTHINGS = ("kneser_ney", "absolute")


@dataclass(frozen=True)
class _Level:
    """The counts of one level j: (j + 1)-grams ``h w`` coded as ``code(h) V + w``.

    Attributes:
        keys: (G,) sorted codes of the (j + 1)-grams with a count > 0.
        counts: (G,) float64 ``c_j(h w)`` of each.
        context_keys: (C,) sorted codes of the contexts h (``keys // V``, distinct).
        context_totals: (C,) float64 ``c_j(h)``.
        context_types: (C,) float64 ``N_{1+}(h •)``.
        discount: ``D_j``.
    """

    keys: np.ndarray
    counts: np.ndarray
    context_keys: np.ndarray
    context_totals: np.ndarray
    context_types: np.ndarray
    discount: float


def _grams(ids: np.ndarray, length: int, vocab_size: int) -> np.ndarray:
    """(N - length + 1,) int64 codes of every ``length``-gram of ``ids``, oldest id most significant."""
    codes = ids.astype(np.int64)
    for j in range(1, length):
        codes = codes[:-1] * vocab_size + ids[j:]
    return codes


def _lookup(keys: np.ndarray, values: np.ndarray, query: np.ndarray) -> np.ndarray:
    """values[i] where keys[i] == query, else 0 (keys sorted and distinct)."""
    if keys.shape[0] == 0:
        return np.zeros(query.shape, dtype=np.float64)
    position = np.minimum(np.searchsorted(keys, query), keys.shape[0] - 1)
    return np.where(keys[position] == query, values[position], 0.0)


def _ney_discount(counts: np.ndarray) -> float:
    n1 = int(np.count_nonzero(counts == 1))
    n2 = int(np.count_nonzero(counts == 2))
    return n1 / (n1 + 2 * n2) if n1 > 0 else 0.5


def _level(keys: np.ndarray, counts: np.ndarray, vocab_size: int, discount: float | None) -> _Level:
    contexts = keys // vocab_size
    context_keys, first, types = np.unique(contexts, return_index=True, return_counts=True)
    totals = np.add.reduceat(counts, first) if counts.shape[0] else np.zeros(0)
    return _Level(
        keys=keys,
        counts=counts.astype(np.float64),
        context_keys=context_keys,
        context_totals=totals.astype(np.float64),
        context_types=types.astype(np.float64),
        discount=_ney_discount(counts) if discount is None else discount,
    )


@dataclass(frozen=True)
class NGramModel:
    """A smoothed character n-gram model (see the module's docstring for the formula).

    Build it with ``fit_ngram``.

    Attributes:
        order: k, the number of previous characters it reads (0: the unigram model).
        vocab_size: V; every id in [0, V) has a probability > 0 (if every discount is > 0).
        smoothing: ``"kneser_ney"`` or ``"absolute"``.
        levels: the counts of each context length j = 0 .. k.
    """

    order: int
    vocab_size: int
    smoothing: Smoothing
    levels: tuple[_Level, ...]

    @property
    def discounts(self) -> tuple[float, ...]:
        """``D_j`` for j = 0 .. k."""
        return tuple(level.discount for level in self.levels)

    def _conditional(self, grams: list[np.ndarray], valid: list[np.ndarray]) -> np.ndarray:
        """P(w | h) from the (j + 1)-gram codes of each level; ``valid[j]`` is False where the
        context is shorter than j. Returns (M,) float64 probabilities."""
        prob = np.full(grams[0].shape, 1.0 / self.vocab_size)
        for level, gram, ok in zip(self.levels, grams, valid, strict=True):
            context = gram // self.vocab_size
            total = _lookup(level.context_keys, level.context_totals, context)
            seen = ok & (total > 0)
            if not seen.any():
                continue
            count = _lookup(level.keys, level.counts, gram)
            types = _lookup(level.context_keys, level.context_types, context)
            d = level.discount
            smoothed = (np.maximum(count - d, 0.0) + d * types * prob) / np.where(seen, total, 1.0)
            prob = np.where(seen, smoothed, prob)
        return prob

    def probs(self, context: np.ndarray) -> np.ndarray:
        """The next character's distribution after ``context``.

        Args:
            context: (L,) ids of the preceding characters, L >= 0; only the last
                ``order`` are read (fewer if L < order).

        Returns:
            (V,) float64 probabilities, summing to 1.
        """
        context = check_ids("context", context, self.vocab_size, allow_empty=True)
        candidates = np.arange(self.vocab_size, dtype=np.int64)
        grams: list[np.ndarray] = []
        valid: list[np.ndarray] = []
        for j in range(self.order + 1):
            ok = context.shape[0] >= j
            code = int(_grams(context[context.shape[0] - j :], j, self.vocab_size)[0]) if ok and j else 0
            grams.append(code * self.vocab_size + candidates)
            valid.append(np.full(self.vocab_size, ok))
        return self._conditional(grams, valid)

    def log_probs(self, ids: np.ndarray) -> np.ndarray:
        """Log-probability of each character of ``ids`` after the first, given the ones before it.

        Entry t - 1 is ``ln P(ids[t] | ids[t - k : t])`` for t = 1 .. N - 1 (with
        fewer context characters where t < k): the same N - 1 targets a language
        model that reads ``ids[:-1]`` predicts.

        Args:
            ids: (N,) integer ids in [0, V), N >= 2.

        Returns:
            (N - 1,) float64 natural-log probabilities (-inf only if a discount is 0).
        """
        ids = check_ids("ids", ids, self.vocab_size)
        if ids.shape[0] < 2:
            raise ValueError(f"ids must hold at least 2 ids (a context and a target), got {ids.shape[0]}")
        positions = np.arange(1, ids.shape[0])
        grams: list[np.ndarray] = []
        valid: list[np.ndarray] = []
        for j in range(self.order + 1):
            codes = _grams(ids, j + 1, self.vocab_size)  # codes[s] ends at position s + j
            ok = positions >= j
            if codes.shape[0] == 0:
                codes = np.zeros(1, dtype=np.int64)  # no position has j characters before it
            grams.append(np.where(ok, codes[np.maximum(positions - j, 0)], 0))
            valid.append(ok)
        with np.errstate(divide="ignore"):
            return np.log(self._conditional(grams, valid))

    def cross_entropy(self, ids: np.ndarray) -> float:
        """Mean negative log-probability of ``ids[1:]`` in nats per character (see ``log_probs``).

        Args:
            ids: (N,) integer ids in [0, V), N >= 2, e.g. the held-out text encoded.
        """
        return float(-self.log_probs(ids).mean())


def fit_ngram(
    ids: np.ndarray,
    vocab_size: int,
    order: int,
    smoothing: Smoothing = "kneser_ney",
    discount: float | None = None,
) -> NGramModel:
    """Count the n-grams of training ids up to length ``order + 1`` and smooth them.

    Args:
        ids: (N,) integer ids of the training text, in [0, vocab_size).
        vocab_size: V >= 1, the number of ids the model spreads probability over
            (``Vocabulary.size``, which includes the unknown id).
        order: k >= 0, the number of previous characters read; 0 is the unigram model.
            ``vocab_size ** (order + 1)`` must fit in int64 (for V = 100, k <= 8).
        smoothing: ``"kneser_ney"`` (default) or ``"absolute"``; see the module's docstring.
        discount: one ``D`` in [0, 1] for every level, or None for Ney's estimate per
            level. ``D = 0`` is the unsmoothed maximum-likelihood model: characters
            never seen after a context get probability 0.

    Returns:
        The fitted ``NGramModel``.
    """
    vocab_size = _checks.positive_int("vocab_size", vocab_size)
    ids = check_ids("ids", ids, vocab_size)
    if isinstance(order, bool) or not isinstance(order, (int, np.integer)) or order < 0:
        raise ValueError(f"order must be an integer >= 0, got {_checks.describe(order)}")
    order = int(order)
    if vocab_size ** (order + 1) >= 2**63:
        raise ValueError(
            f"order must keep vocab_size ** (order + 1) below 2**63 (the n-gram codes are int64), "
            f"got order {order} with vocab_size {vocab_size}"
        )
    if smoothing not in _SMOOTHINGS:
        raise ValueError(f"smoothing must be one of {_SMOOTHINGS}, got {smoothing!r}")
    if discount is not None:
        discount = _checks.finite_number("discount", discount, 0.0, 1.0)
    levels = []
    for j in range(order + 1):
        if smoothing == "absolute" or j == order:
            keys, counts = np.unique(_grams(ids, j + 1, vocab_size), return_counts=True)
        else:  # continuation counts: distinct characters seen before each (j + 1)-gram
            longer = np.unique(_grams(ids, j + 2, vocab_size))
            keys, counts = np.unique(longer % vocab_size ** (j + 1), return_counts=True)
        levels.append(_level(keys, counts, vocab_size, discount))
    return NGramModel(order=order, vocab_size=vocab_size, smoothing=smoothing, levels=tuple(levels))
