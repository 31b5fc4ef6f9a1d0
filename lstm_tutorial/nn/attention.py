"""Dot-product attention (Luong, Pham & Manning 2015), as Keras' ``layers.Attention()`` computes it.

Each query looks at every key, scores it by a dot product, and takes the values'
average weighted by the softmax of those scores:

    scores   = q k^T                       (B, Tq, Tk)
    scores  -= 1e9 where the key is masked   (Keras' large negative number)
    weights  = softmax(scores) over keys   (B, Tq, Tk), each row sums to 1
    context  = weights v                   (B, Tq, Dv)

This is Keras' ``Attention()`` with its defaults (``score_mode="dot"``, no scale, no
dropout): ``Attention()([query, value, key], mask=[None, value_mask])``. In a sequence
to sequence model the queries are the decoder's outputs s_t and the keys and values
the encoder's outputs (Keras uses the value as the key when no key is given).

A masked key gets ``exp(score - 1e9 - max) = 0``: no weight at all. A row whose keys
are all masked is defined as Keras defines it, not refused: every score is shifted by
the same 1e9, so its weights are the softmax of its unmasked scores (in float32 the
shift rounds the scores to multiples of 64, which makes small scores' weights uniform).
A query's mask would only zero its output row; none is taken here (a sequence to
sequence model ignores padded queries in its loss).

    B  batch size    Tq  queries    Tk  keys    D  key size    Dv  value size
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from . import _checks
from .masking import check_mask

__all__ = [
    "MASKED_SCORE",
    "AttentionCache",
    "attend",
    "attend_backward",
    "attention_backward",
    "attention_forward",
]

MASKED_SCORE = 1.0e9
"""What Keras subtracts from a masked key's score (``Attention._apply_scores``)."""


class AttentionCache(NamedTuple):
    """What ``attention_forward`` keeps for ``attention_backward``.

    Attributes:
        query: (B, Tq, D).
        key: (B, Tk, D).
        value: (B, Tk, Dv).
        weights: (B, Tq, Tk) the attention weights.
    """

    query: np.ndarray
    key: np.ndarray
    value: np.ndarray
    weights: np.ndarray


def _check(query: Any, key: Any, value: Any, key_mask: Any) -> None:
    _checks.float_array("query", query, ndim=3)
    batch, _, size = query.shape
    _checks.float_array("value", value, ndim=3)
    _checks.same_dtype("value", value, query.dtype, "query")
    if value.shape[0] != batch:
        raise ValueError(f"value must have shape (B, Tk, Dv) with B = {batch} as query, got {value.shape}")
    _checks.matching("key", key, (batch, value.shape[1], size), "(B, Tk, D)", query.dtype, "query")
    if key_mask is not None:
        check_mask("key_mask", key_mask, (batch, value.shape[1]))


def attention_forward(
    query: np.ndarray, key: np.ndarray, value: np.ndarray, key_mask: np.ndarray | None = None
) -> tuple[np.ndarray, AttentionCache]:
    """Luong's dot-product attention, Keras' ``Attention()`` (see the module docstring).

    Args:
        query: (B, Tq, D) the queries (a decoder's outputs s_t).
        key: (B, Tk, D) the keys (an encoder's outputs; pass the value again for Keras' default).
        value: (B, Tk, Dv) the values.
        key_mask: (B, Tk) bool, True at real keys (Keras' ``value_mask``), or None: every key counts.

    Returns:
        ``(context, cache)``: context (B, Tq, Dv); ``cache.weights`` (B, Tq, Tk) the attention weights.
    """
    _check(query, key, value, key_mask)
    return attend(query, key, value, key_mask)


def attend(
    query: np.ndarray, key: np.ndarray, value: np.ndarray, key_mask: np.ndarray | None
) -> tuple[np.ndarray, AttentionCache]:
    """Luong's dot-product attention on checked inputs: the equations, nothing else.

    Scores S = q k^T, minus ``MASKED_SCORE`` at masked keys; weights A = softmax(S)
    over the keys; context = A v. ``attention_forward`` checks, then calls this.

    Args:
        query: (B, Tq, D); key: (B, Tk, D); value: (B, Tk, Dv).
        key_mask: (B, Tk) bool, True at real keys, or None.

    Returns:
        ``(context (B, Tq, Dv), cache)``, ``cache.weights`` (B, Tq, Tk).
    """
    scores = query @ key.transpose(0, 2, 1)  # (B, Tq, Tk)
    if key_mask is not None:
        scores -= (MASKED_SCORE * ~key_mask[:, None, :]).astype(scores.dtype)
    scores -= scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights /= weights.sum(axis=-1, keepdims=True)
    return weights @ value, AttentionCache(query, key, value, weights)


def attention_backward(
    d_context: np.ndarray, cache: AttentionCache
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The backward pass of ``attention_forward``.

    With A the weights and S the scores: dA = d_context v^T; through the softmax,
    dS = A * (dA - sum over keys of A * dA); then dq = dS k, dk = dS^T q and
    dv = A^T d_context. The mask's constant shift passes dS through unchanged (a masked
    key's weight is 0, so its dS is too).

    Args:
        d_context: (B, Tq, Dv) dL/d context.
        cache: from ``attention_forward``.

    Returns:
        ``(d_query (B, Tq, D), d_key (B, Tk, D), d_value (B, Tk, Dv))``.
    """
    if not isinstance(cache, AttentionCache):
        raise TypeError(
            f"cache must be the AttentionCache from attention_forward, got {_checks.describe(cache)}"
        )
    query, _, value, _ = cache
    expected = (query.shape[0], query.shape[1], value.shape[2])
    _checks.matching("d_context", d_context, expected, "(B, Tq, Dv)", query.dtype, "the cache")
    return attend_backward(d_context, cache)


def attend_backward(
    d_context: np.ndarray, cache: AttentionCache
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The backward pass of ``attend`` (its inputs checked by ``attention_backward``).

    Args:
        d_context: (B, Tq, Dv) dL/d context.
        cache: from ``attend`` or ``attention_forward``.

    Returns:
        ``(d_query (B, Tq, D), d_key (B, Tk, D), d_value (B, Tk, Dv))``.
    """
    query, key, value, weights = cache
    d_weights = d_context @ value.transpose(0, 2, 1)  # (B, Tq, Tk)
    d_scores = weights * (d_weights - (weights * d_weights).sum(axis=-1, keepdims=True))
    d_query = d_scores @ key
    d_key = d_scores.transpose(0, 2, 1) @ query
    d_value = weights.transpose(0, 2, 1) @ d_context
    return d_query, d_key, d_value
