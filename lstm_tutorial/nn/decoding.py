"""Decoding: turning a trained decoder into an answer, by greedy search, beam search or exhaustive search.

A sequence-to-sequence model gives, step by step, the probability of the next output id
given the source and the ids so far. Decoding picks an output sequence Y = y_1 .. y_k
(y_k = END for a finished one) with a high

    log p(Y | source) = sum over t of log p(y_t | source, y_1 .. y_(t-1)).

Three searches, from cheapest to exact, all reading the model one step at a time:

    greedy_decode      the most likely id at every step; a batch of sources at once
    beam_search        the ``width`` most likely prefixes at every step (Graves 2012;
                       Sutskever et al. 2014 decode with it); a prefix that ends leaves the
                       beam, which shrinks by one, until every kept hypothesis has ended
    exhaustive_search  every sequence up to ``max_length``: the reference a beam approximates

A search may rank hypotheses by ``score = log p / length_penalty(|Y|, alpha)``, Wu et al.
(2016)'s length normalisation: with alpha = 0 the score is log p, which favours short
answers, since every further id multiplies p by a number below 1.

Any model with the two methods of ``StepDecoder`` works (the package's ``EncoderDecoder``,
or a toy): ``encode`` reads the sources, ``decode_step`` takes the previous ids and gives
the next step's logits. The state it carries knows how to keep some of its rows
(``select``): a beam's rows are its hypotheses, and a step keeps the rows of the parents
of the extensions it keeps.

    N  sources    S  source length    B  rows of a step (hypotheses)    V  output ids
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, runtime_checkable

import numpy as np

from . import _checks
from .losses import log_softmax

__all__ = [
    "END",
    "EXHAUSTIVE_LIMIT",
    "START",
    "Hypothesis",
    "StepDecoder",
    "StepState",
    "beam_search",
    "best_extensions",
    "exhaustive_search",
    "greedy_decode",
    "length_penalty",
]

START, END = 1, 2
"""The default ids of the start and end tokens (``tasks.vocab``'s ``PAD, START, END = 0, 1, 2``)."""
PAD = 0
"""What ``greedy_decode`` writes after a row's END."""
EXHAUSTIVE_LIMIT = 200_000
"""The most sequences ``exhaustive_search`` enumerates unless told otherwise."""


@runtime_checkable
class StepState(Protocol):
    """What a decoder carries from step to step, one row per hypothesis."""

    def select(self, rows: np.ndarray) -> Any:
        """The state of the given rows, in that order (a row may be taken twice)."""


S = TypeVar("S", bound=StepState)


@runtime_checkable
class StepDecoder(Protocol[S]):
    """A model that decodes one step at a time (``EncoderDecoder``, or any toy with the same two methods)."""

    def encode(self, source_ids: np.ndarray) -> S:
        """(N, S) source ids -> the decoder's state before its first step, N rows."""

    def decode_step(self, previous_ids: np.ndarray, state: S) -> tuple[np.ndarray, S]:
        """(B,) previous ids and a B-row state -> (logits (B, V), the state after the step)."""


@dataclass(frozen=True)
class Hypothesis:
    """One output sequence and how the model rates it.

    Attributes:
        ids: y_1 .. y_k, END included when ``finished``.
        log_prob: log p(Y | source), the sum of the k steps' log-probabilities (nats).
        score: ``log_prob / length_penalty(k, alpha)``, what the searches rank by.
        finished: whether Y ends with END (False: cut at ``max_length``).
    """

    ids: tuple[int, ...]
    log_prob: float
    score: float
    finished: bool

    @property
    def length(self) -> int:
        """k, the number of ids (END included): the |Y| of the length penalty."""
        return len(self.ids)


# --- the pieces: the length penalty, one step, the best extensions -------------------------


def length_penalty(length: int, alpha: float) -> float:
    """Wu et al. (2016)'s length penalty, lp(Y) = ((5 + |Y|) / 6) ** alpha.

    A hypothesis' score is ``log_prob / lp``: log p is negative, so a larger lp for
    a longer Y makes its score less negative. alpha = 0 gives lp = 1: no
    normalisation, the score is log p itself.

    Args:
        length: |Y| >= 1, the number of ids, END included.
        alpha: >= 0, the strength of the normalisation.
    """
    length = _checks.positive_int("length", length)
    alpha = _checks.finite_number("alpha", alpha, low=0.0)
    return float(((5.0 + length) / 6.0) ** alpha)


def best_extensions(
    log_probs: np.ndarray, beam_log_probs: np.ndarray, count: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One step of a beam: the ``count`` most likely one-id extensions of B hypotheses.

    Extending hypothesis b by id v gives the log-probability
    ``beam_log_probs[b] + log_probs[b, v]``; of the B V extensions the ``count``
    largest are kept, best first (a tie goes to the smaller b, then the smaller v).

    Args:
        log_probs: (B, V) float, log p(next id | hypothesis b) for every id.
        beam_log_probs: (B,) float, each hypothesis' log-probability so far.
        count: >= 1, how many to keep (all B V if fewer).

    Returns:
        ``(rows, ids, totals)``, each (K,) with K = min(count, B V): the hypothesis
        each extension extends (int64), the id it adds (int64), its log-probability
        (float64).
    """
    _checks.float_array("log_probs", log_probs, ndim=2)
    _checks.float_array("beam_log_probs", beam_log_probs, ndim=1)
    rows, vocab = log_probs.shape
    if beam_log_probs.shape != (rows,):
        raise ValueError(
            f"beam_log_probs must have shape (B,) = ({rows},) to match log_probs "
            f"of shape {log_probs.shape}, got {beam_log_probs.shape}"
        )
    count = _checks.positive_int("count", count)
    totals = (beam_log_probs[:, None].astype(np.float64) + log_probs).reshape(-1)
    best = np.argsort(-totals, kind="stable")[:count]  # ties: in the order (b, v)
    return best // vocab, best % vocab, totals[best]


# --- checks of what the caller and the model give -----------------------------------------


def _model(model: Any) -> StepDecoder[Any]:
    if not isinstance(model, StepDecoder):
        raise TypeError(
            "model must have encode(source_ids) and decode_step(previous_ids, state) methods "
            f"(an EncoderDecoder, say), got {_checks.describe(model)}"
        )
    return model


def _sources(name: str, value: Any, ndim: int, meaning: str) -> np.ndarray:
    """Integer source ids of rank ``ndim``, non-empty and >= 0 (the model checks the top of its range)."""
    if not isinstance(value, np.ndarray) or value.dtype.kind not in "iu":
        raise TypeError(
            f"{name} must be a NumPy array of integer ids {meaning}, got {_checks.describe(value)}"
        )
    if value.ndim != ndim or value.size == 0:
        hint = "; for one source of a batch pass source_ids[k]" if ndim == 1 and value.ndim == 2 else ""
        raise ValueError(
            f"{name} must be a non-empty array of shape {meaning}, got shape {value.shape}{hint}"
        )
    if value.min() < 0:
        raise ValueError(f"{name} must hold ids >= 0, got {int(value.min())}")
    return value.astype(np.int64, copy=False)


def _token(name: str, value: Any) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer id >= 0, got {_checks.describe(value)}")
    if value < 0:
        raise ValueError(f"{name} must be an integer id >= 0, got {value}")
    return int(value)


def _settings(max_length: Any, alpha: Any, start: Any, end: Any) -> tuple[int, float, int, int]:
    return (
        _checks.positive_int("max_length", max_length),
        _checks.finite_number("alpha", alpha, low=0.0),
        _token("start", start),
        _token("end", end),
    )


def _encode(model: StepDecoder[Any], source_ids: np.ndarray) -> Any:
    state = model.encode(source_ids)
    if not isinstance(state, StepState):
        raise TypeError(
            f"model.encode must return a state with a select(rows) method, got {_checks.describe(state)}"
        )
    return state


def _next_log_probs(
    model: StepDecoder[Any], previous_ids: np.ndarray, state: Any, start: int, end: int
) -> tuple[np.ndarray, Any]:
    """One decoder step: (B,) previous ids -> ((B, V) float64 log-probabilities, the new state).

    The logits are checked, and the ids ``start`` and ``end`` must be below V."""
    ids = (start, end)
    logits, state = model.decode_step(previous_ids, state)
    rows = len(previous_ids)
    if not isinstance(logits, np.ndarray) or logits.ndim != 2 or logits.shape[0] != rows:
        raise ValueError(
            f"model.decode_step must return logits of shape (B, V) with B = {rows}, "
            f"got {_checks.describe(logits)}"
        )
    _checks.float_array("the logits model.decode_step returned", logits)
    vocab = logits.shape[1]
    if max(ids) >= vocab:
        raise ValueError(f"start and end must be ids in [0, {vocab}) (V = {vocab} logits), got {ids}")
    return log_softmax(logits.astype(np.float64)), state


def _hypothesis(ids: Sequence[int], log_prob: float, alpha: float, finished: bool) -> Hypothesis:
    ids = tuple(int(i) for i in ids)
    return Hypothesis(ids, float(log_prob), float(log_prob) / length_penalty(len(ids), alpha), finished)


def _best_first(hypotheses: list[Hypothesis]) -> list[Hypothesis]:
    """Highest score first; equal scores in the order of their ids, so the result never depends on luck."""
    return sorted(hypotheses, key=lambda hyp: (-hyp.score, hyp.ids))


# --- the three searches ---------------------------------------------------------------------


def greedy_decode(
    model: StepDecoder[Any], source_ids: np.ndarray, max_length: int, *, start: int = START, end: int = END
) -> np.ndarray:
    """The most likely id at every step, for a batch of sources; a row stops at its END.

    Args:
        model: a ``StepDecoder`` (``EncoderDecoder``).
        source_ids: (N, S) integer source ids.
        max_length: >= 1, the most ids a row gets (END included).
        start: the id the decoder reads first.
        end: the id that ends a row.

    Returns:
        (N, L) int64 ids, L <= max_length the longest row: each row up to and including
        its END (if it reached one), then PAD (0).
    """
    model = _model(model)
    source_ids = _sources("source_ids", source_ids, 2, "(N, S)")
    max_length, _, start, end = _settings(max_length, 0.0, start, end)
    state = _encode(model, source_ids)
    out = np.full((len(source_ids), max_length), PAD, dtype=np.int64)
    live = np.arange(len(source_ids))  # the rows still decoding, in the state's order
    previous = np.full(len(live), start, dtype=np.int64)
    steps = 0
    while live.size and steps < max_length:
        log_probs, state = _next_log_probs(model, previous, state, start, end)
        previous = np.argmax(log_probs, axis=1)
        out[live, steps] = previous
        steps += 1
        going = previous != end
        if going.any() and not going.all():  # drop the finished rows from the batch
            state = state.select(np.flatnonzero(going))
        live, previous = live[going], previous[going]
    return out[:, :steps]


def beam_search(
    model: StepDecoder[Any],
    source_ids: np.ndarray,
    width: int,
    max_length: int,
    alpha: float = 0.0,
    *,
    start: int = START,
    end: int = END,
) -> list[Hypothesis]:
    """Beam search for one source: the ``width`` most likely prefixes at every step.

    Each step extends every live hypothesis by every id, in one batch, and keeps the
    best ``width - finished`` extensions (``best_extensions``); an extension ending in
    END is finished and set aside, so the beam shrinks by one. The search stops when
    no hypothesis is live, or after ``max_length`` steps, when the live ones are
    returned unfinished. Width 1 is greedy decoding.

    Args:
        model: a ``StepDecoder`` (``EncoderDecoder``).
        source_ids: (S,) integer ids of one source.
        width: >= 1, the beam's size.
        max_length: >= 1, the most ids a hypothesis gets (END included).
        alpha: >= 0, the length normalisation of the ranking (``length_penalty``).
        start: the id the decoder reads first.
        end: the id that ends a hypothesis.

    Returns:
        ``width`` hypotheses (fewer if there are fewer sequences), best score first.
    """
    model = _model(model)
    source_ids = _sources("source_ids", source_ids, 1, "(S,)")
    width = _checks.positive_int("width", width)
    max_length, alpha, start, end = _settings(max_length, alpha, start, end)
    state = _encode(model, source_ids[None])  # one row: the empty hypothesis
    prefixes: list[tuple[int, ...]] = [()]  # the live hypotheses, a state row each
    totals = np.zeros(1)  # their log-probabilities
    previous = np.array([start])  # the id each one reads next
    finished: list[Hypothesis] = []
    for _ in range(max_length):
        log_probs, state = _next_log_probs(model, previous, state, start, end)
        keep = width - len(finished)  # the beam shrinks as hypotheses end
        rows, ids, totals = best_extensions(log_probs, totals, keep)
        extended = [(*prefixes[r], int(v)) for r, v in zip(rows, ids, strict=True)]
        for hypothesis, total in zip(extended, totals, strict=True):
            if hypothesis[-1] == end:
                finished.append(_hypothesis(hypothesis, total, alpha, True))
        going = ids != end
        if not going.any():
            return _best_first(finished)
        prefixes = [p for p, live in zip(extended, going, strict=True) if live]
        state = state.select(rows[going])  # each kept extension's parent's state
        previous, totals = ids[going], totals[going]
    unfinished = zip(prefixes, totals, strict=True)
    cut = [_hypothesis(p, total, alpha, False) for p, total in unfinished]
    return _best_first(finished + cut)


def exhaustive_search(
    model: StepDecoder[Any],
    source_ids: np.ndarray,
    max_length: int,
    alpha: float = 0.0,
    *,
    start: int = START,
    end: int = END,
    limit: int = EXHAUSTIVE_LIMIT,
) -> list[Hypothesis]:
    """Every output sequence of one source up to ``max_length`` ids, best score first.

    The sequences are those ending in END after 1 .. max_length ids, and those of
    ``max_length`` ids without END (unfinished, as ``beam_search`` returns them): with V
    ids, 1 + (V - 1) + ... + (V - 1) ** max_length in all. Each step runs every live
    prefix as one batch.

    Args:
        model: a ``StepDecoder`` (``EncoderDecoder``).
        source_ids: (S,) integer ids of one source.
        max_length: >= 1, the most ids a sequence has (END included).
        alpha: >= 0, the length normalisation of the ranking (``length_penalty``).
        start: the id the decoder reads first.
        end: the id that ends a sequence.
        limit: >= 1, the most sequences to enumerate; more is refused before the search.

    Returns:
        Every sequence as a ``Hypothesis``, best score first.
    """
    model = _model(model)
    source_ids = _sources("source_ids", source_ids, 1, "(S,)")
    max_length, alpha, start, end = _settings(max_length, alpha, start, end)
    limit = _checks.positive_int("limit", limit)
    state = _encode(model, source_ids[None])
    prefixes: list[tuple[int, ...]] = [()]
    totals = np.zeros(1)
    previous = np.array([start])
    found: list[Hypothesis] = []
    for step in range(max_length):
        log_probs, state = _next_log_probs(model, previous, state, start, end)
        vocab = log_probs.shape[1]
        if step == 0:
            count = sum((vocab - 1) ** k for k in range(max_length + 1))
            if count > limit:
                raise ValueError(
                    f"exhaustive_search would enumerate {count:,} sequences (V = {vocab} ids, max_length = "
                    f"{max_length}), more than limit = {limit:,}; shorten max_length or raise limit"
                )
        rows, ids, totals = best_extensions(log_probs, totals, log_probs.size)  # all of them
        for row, token, total in zip(rows[ids == end], ids[ids == end], totals[ids == end], strict=True):
            found.append(_hypothesis((*prefixes[row], token), total, alpha, True))
        going = ids != end
        prefixes = [(*prefixes[row], int(token)) for row, token in zip(rows[going], ids[going], strict=True)]
        totals = totals[going]
        if not prefixes or step == max_length - 1:  # nothing left to extend
            break
        state, previous = state.select(rows[going]), ids[going]
    found += [_hypothesis(ids, total, alpha, False) for ids, total in zip(prefixes, totals, strict=True)]
    return _best_first(found)
