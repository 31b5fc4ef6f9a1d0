"""Chapter 16's exercises: one step of beam search, and Wu et al.'s length normalisation.

``beam_step``: the reference is the package's own ``decoding.best_extensions`` (the step
``beam_search`` runs); the known mistakes are that step ranking by this step's
log-probability alone, keeping the worst extensions instead of the best, returning
probabilities instead of log-probabilities, or cutting the flat index by B instead of V.

``normalised_scores``: the reference divides each log-probability by
``decoding.length_penalty``; the known mistakes are that score multiplied by the
penalty, the power taken of 5 + |Y| without the division by 6, of |Y| alone, or the
power replaced by a product.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..nn.decoding import best_extensions, length_penalty
from ..nn.losses import log_softmax
from .checking import Case, CheckResult, Exercise, Mistake, rng, run_cases

__all__ = ["EXERCISES", "beam_step", "check_beam_step", "check_normalised_scores", "normalised_scores"]


def beam_step(
    log_probs: np.ndarray, beam_log_probs: np.ndarray, width: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The reference: ``decoding.best_extensions(log_probs, beam_log_probs, width)``."""
    return best_extensions(log_probs, beam_log_probs, width)


def _this_step_only(log_probs: Any, beam_log_probs: Any, width: int) -> tuple[np.ndarray, ...]:
    # ranked by log p(v | hypothesis b) alone, the totals then added correctly
    rows, ids, _ = beam_step(log_probs, np.zeros_like(beam_log_probs), width)
    return rows, ids, beam_log_probs[rows] + log_probs[rows, ids]


def _worst_first(log_probs: Any, beam_log_probs: Any, width: int) -> tuple[np.ndarray, ...]:
    # np.argsort(totals)[:width]: ascending, the least likely extensions
    rows, ids, totals = beam_step(-log_probs, -beam_log_probs, width)
    return rows, ids, -totals


def _probabilities(log_probs: Any, beam_log_probs: Any, width: int) -> tuple[np.ndarray, ...]:
    rows, ids, totals = beam_step(log_probs, beam_log_probs, width)
    return rows, ids, np.exp(totals)


def _cut_by_rows(log_probs: Any, beam_log_probs: Any, width: int) -> tuple[np.ndarray, ...]:
    # the flat index b V + v cut with B: b = index // B, v = index % B
    rows, ids, totals = beam_step(log_probs, beam_log_probs, width)
    flat = rows * log_probs.shape[1] + ids
    return flat // log_probs.shape[0], flat % log_probs.shape[0], totals


def _beam_case(seed: int, beams: int, vocab: int, width: int) -> Case:
    r = rng(seed)
    log_probs = log_softmax(r.normal(scale=2.0, size=(beams, vocab)))
    beam_log_probs = -r.exponential(2.0, size=beams)  # log-probabilities so far: <= 0
    return Case((log_probs, beam_log_probs, width), f"(B, V) = ({beams}, {vocab}), width {width}")


def check_beam_step(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``beam_step(log_probs, beam_log_probs, width) -> (rows, ids, totals)``.

    log_probs (B, V): log p(v | hypothesis b); beam_log_probs (B,): each hypothesis'
    log-probability so far; the result: the ``width`` extensions (b, v) with the largest
    ``beam_log_probs[b] + log_probs[b, v]`` (all B V if fewer), best first, as three (K,)
    arrays: b, v and that sum.
    """
    cases = [
        _beam_case(1600, 3, 5, 3),
        _beam_case(1601, 4, 6, 2),
        _beam_case(1602, 1, 7, 4),  # the first step: one hypothesis
        _beam_case(1603, 5, 3, 1),  # width 1: greedy
        _beam_case(1604, 2, 3, 10),  # width above B V = 6: all six
    ]
    mistakes = [
        Mistake(
            _this_step_only,
            "rank by the whole hypothesis' log-probability, beam_log_probs[b] + log_probs[b, v], "
            "not by this step's alone.",
        ),
        Mistake(_worst_first, "np.argsort sorts ascending: keep the LARGEST totals (sort -totals)."),
        Mistake(_probabilities, "return log-probabilities (the sums), not their exp."),
        Mistake(
            _cut_by_rows,
            "the flat index of (b, v) in a (B, V) array is b * V + v: b = index // V, v = index % V.",
        ),
    ]
    return run_cases("beam_step", your_fn, beam_step, cases, mistakes)


def normalised_scores(log_probs: np.ndarray, lengths: np.ndarray, alpha: float) -> np.ndarray:
    """The reference: each ``log_probs[k] / decoding.length_penalty(lengths[k], alpha)``, (K,)."""
    return np.array([lp / length_penalty(int(n), alpha) for lp, n in zip(log_probs, lengths, strict=True)])


def _multiplied(log_probs: Any, lengths: Any, alpha: float) -> np.ndarray:
    penalties = log_probs / normalised_scores(log_probs, lengths, alpha)
    return log_probs * penalties


def _without_six(log_probs: Any, lengths: Any, alpha: float) -> np.ndarray:
    return normalised_scores(log_probs, lengths, alpha) / 6.0**alpha  # (5 + |Y|) ** alpha


def _length_alone(log_probs: Any, lengths: Any, alpha: float) -> np.ndarray:
    # |Y| ** alpha = ((5 + |Y'|) / 6) ** alpha for |Y'| = 6 |Y| - 5
    return normalised_scores(log_probs, 6 * lengths - 5, alpha)


def _times_alpha(log_probs: Any, lengths: Any, alpha: float) -> np.ndarray:
    # ((5 + |Y|) / 6) * alpha: a power of 1, times alpha
    return normalised_scores(log_probs, lengths, 1.0) / alpha


def check_normalised_scores(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``normalised_scores(log_probs, lengths, alpha) -> scores``.

    log_probs (K,): each hypothesis' log p(Y); lengths (K,) integers >= 1: its |Y|, END
    included; alpha >= 0. scores (K,): log p(Y) / lp(Y) with Wu et al. (2016)'s
    lp(Y) = ((5 + |Y|) / 6) ** alpha.
    """
    cases = []
    for k, (count, alpha) in enumerate([(6, 0.6), (4, 1.0), (5, 2.0), (3, 0.25), (1, 0.8)]):
        r = rng(1610 + k)
        lengths = r.integers(1, 12, size=count)
        log_probs = -r.exponential(0.8, size=count) * lengths
        cases.append(Case((log_probs, lengths, alpha), f"K={count}, alpha={alpha}"))
    mistakes = [
        Mistake(
            _multiplied,
            "divide the log-probability by the penalty: log p is negative, and a "
            "longer Y must get a LESS negative score.",
        ),
        Mistake(_without_six, "lp = ((5 + |Y|) / 6) ** alpha: divide by 6 inside the power, so lp(1) = 1."),
        Mistake(_length_alone, "Wu et al.'s penalty is ((5 + |Y|) / 6) ** alpha, not |Y| ** alpha."),
        Mistake(_times_alpha, "raise (5 + |Y|) / 6 to the power alpha (** alpha), not times alpha."),
    ]
    return run_cases("normalised_scores", your_fn, normalised_scores, cases, mistakes)


EXERCISES = [
    Exercise("ch16-beam-step", "One step of beam search", check_beam_step, beam_step),
    Exercise("ch16-length-penalty", "Length normalisation", check_normalised_scores, normalised_scores),
]
