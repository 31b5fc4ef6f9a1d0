"""Chapter 17's exercise: the attention weights and the context, with a mask.

``attention_weights``: the reference is the package's ``attention.attention_forward``
(Luong's dot-product score, Keras' ``Attention()``), returning its weights and its
context. Each known mistake is that reference called with the mistake made: the
softmax taken over the queries instead of the keys, the mask ignored, the masked
keys' weights zeroed after the softmax without renormalising, a masked score set to
0 instead of a large negative number, the scores scaled by 1/sqrt(D) (the
Transformer's score, not this one), or the context averaged from the keys.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..nn.attention import attention_forward
from .checking import Case, CheckResult, Exercise, Mistake, normal_arrays, rng, run_cases

__all__ = ["EXERCISES", "attention_weights", "check_attention_weights"]


def attention_weights(
    query: np.ndarray, keys: np.ndarray, values: np.ndarray, mask: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The reference: ``attention_forward(query, keys, values, mask)``'s weights and context."""
    context, cache = attention_forward(query, keys, values, mask)
    return cache.weights, context


def _over_queries(query: Any, keys: Any, values: Any, mask: Any) -> tuple[np.ndarray, np.ndarray]:
    # softmax(scores, axis=1): for each key, a distribution over the queries; a masked key's
    # scores all set to -1e9 give a uniform column. The reference with queries and keys swapped
    # (the masked keys made zeros, so that their column is constant) and no mask, transposed.
    everything = np.ones(query.shape[:2], dtype=bool)
    swapped, _ = attention_weights(keys * mask[..., None], query, query, everything)
    weights = swapped.transpose(0, 2, 1)
    return weights, weights @ values


def _mask_ignored(query: Any, keys: Any, values: Any, mask: Any) -> tuple[np.ndarray, np.ndarray]:
    return attention_weights(query, keys, values, np.ones_like(mask))


def _zeroed_after_softmax(query: Any, keys: Any, values: Any, mask: Any) -> tuple[np.ndarray, np.ndarray]:
    weights, _ = _mask_ignored(query, keys, values, mask)
    weights = weights * mask[:, None, :]  # the rows no longer sum to 1
    return weights, weights @ values


def _masked_score_zero(query: Any, keys: Any, values: Any, mask: Any) -> tuple[np.ndarray, np.ndarray]:
    # scores * mask: a masked key scores 0, as a key of zeros would, and keeps a weight
    return _mask_ignored(query, keys * mask[..., None], values, mask)


def _scaled(query: Any, keys: Any, values: Any, mask: Any) -> tuple[np.ndarray, np.ndarray]:
    return attention_weights(query / np.sqrt(query.shape[-1]), keys, values, mask)


def _context_from_keys(query: Any, keys: Any, values: Any, mask: Any) -> tuple[np.ndarray, np.ndarray]:
    weights, _ = attention_weights(query, keys, values, mask)
    return weights, weights @ keys


def _case(seed: int, B: int, T: int, S: int, D: int, masked: list[int]) -> Case:
    """Queries, keys and values (B, T, D), (B, S, D), (B, S, D); row b masks its last masked[b] keys."""
    query, keys, values = normal_arrays(seed, (B, T, D), (B, S, D), (B, S, D), scales=[1.0, 1.0, 1.0])
    mask = np.arange(S)[None, :] < (S - np.array(masked))[:, None]
    return Case((query, keys, values, mask), f"B={B}, T={T}, S={S}, D={D}, masked keys {masked}")


def check_attention_weights(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``attention_weights(query, keys, values, mask) -> (weights, context)``.

    query (B, T, D) the decoder's states s_t; keys (B, S, D) and values (B, S, Dv) the
    encoder's outputs; mask (B, S) bool, True at real source positions. weights (B, T, S):
    the softmax over the keys of the scores q . k, a masked key's weight 0; context
    (B, T, Dv): the values averaged with those weights.
    """
    cases = [
        _case(1700, 2, 3, 5, 4, [0, 2]),
        _case(1701, 1, 4, 6, 2, [3]),
        _case(1702, 3, 1, 4, 3, [1, 0, 2]),
    ]
    # values of another width than the keys: D = 3, Dv = 2
    query, keys = normal_arrays(1703, (2, 2, 3), (2, 4, 3))
    values = rng(1704).normal(size=(2, 4, 2))
    mask = np.array([[True, True, True, False], [True, True, False, False]])
    cases.append(Case((query, keys, values, mask), "B=2, T=2, S=4, D=3, Dv=2, masked keys [1, 2]"))
    mistakes = [
        Mistake(
            _over_queries, "take the softmax over the KEYS (the last axis): each query's weights sum to 1."
        ),
        Mistake(_mask_ignored, "a masked key (mask False) must get no weight at all."),
        Mistake(
            _zeroed_after_softmax,
            "mask the scores BEFORE the softmax (add a large negative number where the mask is False), "
            "so that the remaining weights still sum to 1.",
        ),
        Mistake(
            _masked_score_zero,
            "a masked score must become a large negative number (such as -1e9), not 0: exp(0) = 1 "
            "still gives the key a weight.",
        ),
        Mistake(_scaled, "the score is the plain dot product q . k, without the Transformer's 1/sqrt(D)."),
        Mistake(_context_from_keys, "the context averages the VALUES with the weights, not the keys."),
    ]
    return run_cases("attention_weights", your_fn, attention_weights, cases, mistakes)


EXERCISES = [
    Exercise("ch17-attention", "Attention weights", check_attention_weights, attention_weights),
]
