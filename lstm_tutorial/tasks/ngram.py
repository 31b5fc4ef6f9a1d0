r"""Character n-gram language models: the honest baselines a character LSTM must beat.

    fit_ngram    count the n-grams of training ids, smoothed so that every id has probability > 0
    NGramModel   probs(context), log_probs(ids), cross_entropy(ids) in nats
    sweep_orders held-out bits of rising orders, until one more order stops helping

An order-k model predicts a character from the k characters before it (order 0
is the unigram model). Counts alone give probability 0 to every character never
seen after a context, and an infinite held-out cross-entropy; smoothing takes a
little probability from what was seen and gives it to a lower order, down to a
uniform floor. Both methods here interpolate (Chen & Goodman 1998, "An empirical
study of smoothing techniques for language modeling", Harvard TR-10-98).

For a context h of j characters (j = 0 .. k), h' the same without its oldest
character, and w a character of the vocabulary of size V:

.. math::

    P_j(w \mid h) = \frac{\max(c_j(h w) - D_j, 0)}{c_j(h)}
                    + \frac{D_j \, N_{1+}(h \bullet)}{c_j(h)} \, P_{j-1}(w \mid h'),
    \qquad P_{-1}(w) = 1 / V,

where ``c_j(h) = sum_w c_j(h w)`` and ``N_{1+}(h •)`` is the number of distinct
characters w with ``c_j(h w) > 0``. A context never seen (``c_j(h) = 0``), or one
longer than the text before a position, falls back whole: ``P_j(w | h) = P_{j-1}(w | h')``.
So the weights of every level sum to 1, and every id, the vocabulary's unknown id
included, gets at least 1 / V times the product of ``D_j N_{1+}(h •) / c_j(h)`` over
the levels whose context was seen: more than 0 if every ``D_j > 0``.

The counts differ between the two methods:

- ``"absolute"`` (interpolated absolute discounting): ``c_j(h w)`` is the number of
  times the (j + 1)-gram ``h w`` occurs in the training ids, at every level.
- ``"kneser_ney"`` (interpolated Kneser-Ney): the highest level (j = k) uses those
  raw counts; every lower level uses continuation counts, ``c_j(h w) = N_{1+}(• h w)``,
  the number of distinct characters seen before ``h w`` (an n-gram seen only at
  the very start of the text, with nothing before it, has none). A lower level
  weighs most where the longer context is rare, so it should estimate in how many
  contexts a string appears, not how often it occurs.

The discount of each level is Ney et al.'s estimate ``D_j = n_1 / (n_1 + 2 n_2)``,
with n_1 and n_2 the numbers of (j + 1)-grams whose count at that level is 1 and
2, or 0.5 where no (j + 1)-gram has count 1 (a text too small), unless ``discount``
fixes one value for all levels.

How the counts are stored: every distinct string of length L seen in training
gets a dense id, its rank among them; the (j + 1)-gram ``h w`` is the integer
``id(h) V + w``. So the codes stay below N V at every order (no limit on k), and
counting and looking up are a sort and a binary search over NumPy arrays. The codes
are int64: ``fit_ngram`` refuses a text and vocabulary for which N V (or N^2, the codes
of Kneser-Ney's continuation pairs) would not fit, before it counts anything.

Shapes: N ids of text, V the vocabulary size (``Vocabulary.size``), k the order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from ..nn import _checks

__all__ = ["SWEEP_ORDERS", "NGramModel", "Smoothing", "fit_ngram", "sweep_orders"]

Smoothing = Literal["kneser_ney", "absolute"]
_SMOOTHINGS = ("kneser_ney", "absolute")


@dataclass(frozen=True)
class _Level:
    """The counts of one level j, for the (j + 1)-grams ``h w`` coded as ``id(h) V + w``.

    ``id(h)`` is the dense id of the j-character context (0 for j = 0): its index in
    ``strings`` of level j - 1.

    Attributes:
        strings: (S,) sorted codes of every distinct (j + 1)-gram of the training ids;
            the index of one is the dense id of that (j + 1)-character string.
        keys: (G,) sorted codes of the (j + 1)-grams whose count at this level is > 0.
        counts: (G,) float64 ``c_j(h w)`` of each.
        context_keys: (C,) sorted dense ids of the contexts h (``keys // V``, distinct).
        context_totals: (C,) float64 ``c_j(h)``.
        context_types: (C,) float64 ``N_{1+}(h •)``.
        discount: ``D_j``.
    """

    strings: np.ndarray
    keys: np.ndarray
    counts: np.ndarray
    context_keys: np.ndarray
    context_totals: np.ndarray
    context_types: np.ndarray
    discount: float


def _count(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of ``codes``, sorted, and how often each occurs.

    (A sort and a difference: faster here than ``np.unique``, whose hash-based path
    NumPy 2.3 takes when no counts are asked for.)
    """
    ordered = np.sort(codes)
    if ordered.shape[0] == 0:
        return ordered, np.zeros(0, dtype=np.int64)
    first = np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]]))
    return ordered[first], np.diff(np.append(first, ordered.shape[0]))


def _sort_with_positions(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``codes`` sorted, and where each sorted value came from.

    The same as ``codes[np.argsort(codes)]`` and ``np.argsort(codes)`` (ties in some
    order), but by one ``np.sort`` of ``code << b | position`` when that fits in int64:
    NumPy's sort of plain integers is several times faster than its argsort.
    """
    if codes.shape[0] == 0:
        return codes.astype(np.int64), np.zeros(0, dtype=np.int64)
    shift = int(codes.shape[0]).bit_length()
    low = int(codes.min())
    if (int(codes.max()) - low + 1) << shift < 2**62:
        offset = (codes.astype(np.int64) - low) << shift
        packed = np.sort(offset | np.arange(codes.shape[0], dtype=np.int64))
        return (packed >> shift) + low, packed & ((1 << shift) - 1)
    order = np.argsort(codes)
    return codes[order], order


def _rank(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``_count`` plus the index of each code among the distinct values."""
    ordered, order = _sort_with_positions(codes)
    new = np.concatenate([[True], ordered[1:] != ordered[:-1]]) if codes.size else ordered.astype(bool)
    first = np.flatnonzero(new)
    rank = np.empty(codes.shape[0], dtype=np.int64)
    rank[order] = np.cumsum(new) - 1
    return ordered[first], np.diff(np.append(first, codes.shape[0])), rank


def _find(keys: np.ndarray, query: np.ndarray) -> np.ndarray:
    """The index of each query in the sorted, distinct ``keys``, or -1 where it is absent.

    The queries are sorted first: a binary search of sorted queries stays in cache.
    """
    if keys.shape[0] == 0 or query.shape[0] == 0:
        return np.full(query.shape, -1, dtype=np.int64)
    ordered, order = _sort_with_positions(query)
    position = np.minimum(np.searchsorted(keys, ordered), keys.shape[0] - 1)
    index = np.empty(query.shape[0], dtype=np.int64)
    index[order] = np.where(keys[position] == ordered, position, -1)
    return index


def _lookup(keys: np.ndarray, values: np.ndarray, query: np.ndarray) -> np.ndarray:
    """values[i] where keys[i] == query, else 0."""
    index = _find(keys, query)
    return np.where(index >= 0, values[np.maximum(index, 0)] if values.shape[0] else 0.0, 0.0)


def _ney_discount(counts: np.ndarray) -> float:
    n1 = int(np.count_nonzero(counts == 1))
    n2 = int(np.count_nonzero(counts == 2))
    return n1 / (n1 + 2 * n2) if n1 > 0 else 0.5


def _string_ids(ids: np.ndarray, strings: list[np.ndarray], vocab_size: int) -> list[np.ndarray]:
    """Dense ids of the strings that end at each position of ``ids``.

    Returns ``[S_1, ..., S_m]`` for ``m = len(strings)``: ``S_L[t]`` is the dense id of
    ``ids[t - L + 1 : t + 1]`` (its index in ``strings[L - 1]``), or -1 where that string
    never occurred in training or t < L - 1. Each (N,) int64.
    """
    out: list[np.ndarray] = []
    context = np.zeros(ids.shape[0], dtype=np.int64)  # the empty string, id 0, before every position
    for level_strings in strings:
        dense = _find(level_strings, context * vocab_size + ids)
        dense[context < 0] = -1  # a string whose prefix was never seen was never seen either
        out.append(dense)
        context = np.concatenate([[-1], dense[:-1]])  # S_L at t - 1: the context of length L
    return out


def _level(
    strings: np.ndarray, keys: np.ndarray, counts: np.ndarray, vocab_size: int, discount: float | None
) -> _Level:
    contexts = keys // vocab_size  # sorted, since keys are
    first = np.flatnonzero(np.concatenate([[True], contexts[1:] != contexts[:-1]])) if keys.size else keys
    totals = np.add.reduceat(counts, first) if keys.size else np.zeros(0)
    return _Level(
        strings=strings,
        keys=keys,
        counts=counts.astype(np.float64),
        context_keys=contexts[first],
        context_totals=totals.astype(np.float64),
        context_types=np.diff(np.append(first, keys.shape[0])).astype(np.float64),
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
    levels: tuple[_Level, ...] = field(repr=False)

    @property
    def discounts(self) -> tuple[float, ...]:
        """``D_j`` for j = 0 .. k."""
        return tuple(level.discount for level in self.levels)

    def _conditional(self, contexts: list[np.ndarray], targets: np.ndarray) -> np.ndarray:
        """P(w | h): ``contexts[j]`` holds the dense id of the j-character context of each
        target (-1 where it is unseen or too short), ``targets`` the (M,) ids w.
        Returns (M,) float64 probabilities."""
        prob = np.full(targets.shape, 1.0 / self.vocab_size)
        for level, context in zip(self.levels, contexts, strict=True):
            where = _find(level.context_keys, context)  # -1 for an unseen context (or id -1)
            seen = where >= 0
            if not seen.any():
                continue
            total = level.context_totals[np.maximum(where, 0)]
            types = level.context_types[np.maximum(where, 0)]
            count = _lookup(level.keys, level.counts, context * self.vocab_size + targets)
            d = level.discount
            smoothed = (np.maximum(count - d, 0.0) + d * types * prob) / np.where(seen, total, 1.0)
            prob = np.where(seen, smoothed, prob)
        return prob

    def _contexts(self, ids: np.ndarray) -> list[np.ndarray]:
        """For each position t of ``ids``, the dense ids of the contexts that end at t - 1:
        ``[zeros, S_1[t - 1], ..., S_k[t - 1]]``, each (N,), -1 where unseen or too short."""
        strings = [level.strings for level in self.levels[: self.order]]
        before = [np.concatenate([[-1], s[:-1]]) for s in _string_ids(ids, strings, self.vocab_size)]
        return [np.zeros(ids.shape[0], dtype=np.int64), *before]

    def probs(self, context: np.ndarray) -> np.ndarray:
        """The next character's distribution after ``context``.

        Args:
            context: (L,) ids of the preceding characters, L >= 0; only the last
                ``order`` are read (fewer if L < order).

        Returns:
            (V,) float64 probabilities, summing to 1.
        """
        context = _checks.ids("context", context, self.vocab_size, allow_empty=True)
        padded = np.append(context, 0)  # a placeholder target after the context
        last = [c[-1:] for c in self._contexts(padded)]
        candidates = np.arange(self.vocab_size, dtype=np.int64)
        return self._conditional([np.repeat(c, self.vocab_size) for c in last], candidates)

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
        ids = _checks.ids("ids", ids, self.vocab_size)
        if ids.shape[0] < 2:
            raise ValueError(f"ids must hold at least 2 ids (a context and a target), got {ids.shape[0]}")
        contexts = [c[1:] for c in self._contexts(ids)]
        with np.errstate(divide="ignore"):
            return np.log(self._conditional(contexts, ids[1:]))

    def cross_entropy(self, ids: np.ndarray) -> float:
        """Mean negative log-probability of ``ids[1:]`` in nats per character (see ``log_probs``).

        Args:
            ids: (N,) integer ids in [0, V), N >= 2, e.g. the held-out text encoded.
        """
        return float(-self.log_probs(ids).mean())


def _check_codes_fit(n: int, vocab_size: int, order: int) -> None:
    """Refuse a text of ``n`` ids and a vocabulary whose n-gram codes would overflow int64.

    Order 0 codes the ids themselves; from order 1 on a code is ``id(h) V + w < N V``,
    and Kneser-Ney's continuation pairs ``id(h w) S + id(v h w) < N^2`` (S <= N strings).
    """
    if order == 0:
        return
    largest = n * max(vocab_size, n)
    if largest >= 2**63:
        raise ValueError(
            f"vocab_size = {vocab_size} with order = {order} and {n} ids gives n-gram codes up to "
            f"len(ids) * max(vocab_size, len(ids)) = {largest:.3g}, beyond the int64 they are stored in "
            f"(< 2**63 = {2.0**63:.3g}); use a smaller vocabulary (Vocabulary.size) or order 0"
        )


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
        smoothing: ``"kneser_ney"`` (default) or ``"absolute"``; see the module's docstring.
        discount: one ``D`` in [0, 1] for every level, or None for Ney's estimate per
            level. ``D = 0`` is the unsmoothed maximum-likelihood model: characters
            never seen after a context get probability 0.

    Returns:
        The fitted ``NGramModel``.
    """
    vocab_size = _checks.positive_int("vocab_size", vocab_size)
    ids = _checks.ids("ids", ids, vocab_size)
    if isinstance(order, bool) or not isinstance(order, (int, np.integer)) or order < 0:
        raise ValueError(f"order must be an integer >= 0, got {_checks.describe(order)}")
    order = int(order)
    if smoothing not in _SMOOTHINGS:
        raise ValueError(f"smoothing must be one of {_SMOOTHINGS}, got {smoothing!r}")
    if discount is not None:
        discount = _checks.finite_number("discount", discount, 0.0, 1.0)
    _check_codes_fit(ids.shape[0], vocab_size, order)
    return _Counts(ids, vocab_size).model(order, smoothing, discount)


class _Counts:
    """The counts of one training text, level by level, for models of any order.

    Level j holds the (j + 1)-character strings: their raw counts, and the dense id
    of the string ending at each position t. An order-k model takes the raw counts
    of level k and, with Kneser-Ney, the continuation counts of the levels below it,
    which read level j + 1. So models of several orders share their levels: counting
    once for the highest order serves every lower one, with the same numbers.
    """

    def __init__(self, ids: np.ndarray, vocab_size: int) -> None:
        self.ids, self.vocab_size = ids, vocab_size
        self.strings: list[np.ndarray] = []
        self.raw: list[tuple[np.ndarray, np.ndarray]] = []
        self.dense: list[np.ndarray] = []
        self.continuation: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._context = np.zeros(ids.shape[0], dtype=np.int64)

    def count_to(self, level: int) -> None:
        """Count the strings of every length up to ``level + 1``."""
        ids, vocab_size = self.ids, self.vocab_size
        while len(self.strings) <= level:
            known = self._context >= 0  # False where t is too close to the start for this length
            keys, counts, rank = _rank(self._context[known] * vocab_size + ids[known])
            self.strings.append(keys)
            self.raw.append((keys, counts))
            dense = np.full(ids.shape[0], -1, dtype=np.int64)
            dense[known] = rank
            self.dense.append(dense)
            self._context = np.concatenate([[-1], dense[:-1]])

    def continuation_counts(self, j: int) -> tuple[np.ndarray, np.ndarray]:
        """Level j's continuation counts: distinct characters seen before each (j + 1)-gram."""
        if j not in self.continuation:
            self.count_to(j + 1)
            strings = self.strings
            suffix, longer = self.dense[j], self.dense[j + 1]  # the (j + 1)- and (j + 2)-grams ending at t
            pairs, _ = _count(suffix[longer >= 0] * strings[j + 1].shape[0] + longer[longer >= 0])
            seen_after, counts = _count(pairs // strings[j + 1].shape[0])  # dense ids of h w, N1+(. h w)
            self.continuation[j] = (strings[j][seen_after], counts)
        return self.continuation[j]

    def model(self, order: int, smoothing: Smoothing, discount: float | None) -> NGramModel:
        """The order-``order`` model of these counts."""
        self.count_to(order)
        levels = []
        for j in range(order + 1):
            if smoothing == "absolute" or j == order:
                keys, counts = self.raw[j]
            else:
                keys, counts = self.continuation_counts(j)
            levels.append(_level(self.strings[j], keys, counts, self.vocab_size, discount))
        return NGramModel(order=order, vocab_size=self.vocab_size, smoothing=smoothing, levels=tuple(levels))


SWEEP_ORDERS = (0, 1, 2, 3, 4, 5, 6, 8, 10, 16, 24, 32, 48, 64)
"""The orders ``sweep_orders`` tries, in turn: every order up to 6, then wider steps."""


def sweep_orders(
    train_ids: np.ndarray,
    vocab_size: int,
    heldout_ids: np.ndarray,
    at_least: int = 10,
    min_gain: float = 0.005,
) -> dict[int, float]:
    """Held-out bits per character of Kneser-Ney models of rising order, until more stops helping.

    Fits the model ``fit_ngram(train_ids, vocab_size, k)`` would (the same numbers, its
    counts shared between orders) for k in ``SWEEP_ORDERS``, in turn, and
    stops after the first order k >= ``at_least`` that gains less than ``min_gain`` bits
    per character over the order tried before it. The best n-gram is the one with the
    fewest bits among those tried: the baseline a character LSTM must beat.

    Args:
        train_ids: (N,) training ids, in [0, vocab_size).
        vocab_size: V, as ``fit_ngram`` takes it.
        heldout_ids: (M,) held-out ids scored by each model (``NGramModel.cross_entropy``).
        at_least: the sweep goes on at least to this order (one of ``SWEEP_ORDERS``).
        min_gain: bits per character an order must gain over the previous one for the
            sweep to go on, a number > 0.

    Returns:
        Order -> held-out bits per character, in the order tried.
    """
    if at_least not in SWEEP_ORDERS:
        raise ValueError(f"at_least must be one of SWEEP_ORDERS {SWEEP_ORDERS}, got {at_least!r}")
    min_gain = _checks.positive_number("min_gain", min_gain)
    vocab_size = _checks.positive_int("vocab_size", vocab_size)
    train_ids = _checks.ids("train_ids", train_ids, vocab_size)
    heldout_ids = _checks.ids("heldout_ids", heldout_ids, vocab_size)
    _check_codes_fit(train_ids.shape[0], vocab_size, SWEEP_ORDERS[-1])
    counts = _Counts(train_ids, vocab_size)  # shared by every order: one count of each level
    found: dict[int, float] = {}
    for k in SWEEP_ORDERS:
        model = counts.model(k, "kneser_ney", None)
        found[k] = model.cross_entropy(heldout_ids) / math.log(2.0)
        if len(found) > 1 and k >= at_least and list(found.values())[-2] - found[k] < min_gain:
            break
    return found
