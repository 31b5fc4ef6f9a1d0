"""Language-model scores: bits per character and perplexity from a cross-entropy.

A model that gives the held-out characters mean log-probability -H nats has a
cross-entropy of H nats per character, H / ln 2 bits per character, and a
per-character perplexity of 2 ** (H / ln 2) = e ** H: the number of equally likely
characters it is, on average, as unsure as.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..nn import _checks

__all__ = ["bits_per_char", "perplexity"]


def _nonnegative(name: str, value: Any, unit: str) -> float:
    """A real number >= 0; inf is allowed (a model that gave a character probability 0)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a real number >= 0 ({unit}), got {_checks.describe(value)}")
    number = float(value)
    if math.isnan(number) or number < 0:
        raise ValueError(f"{name} must be a number >= 0 ({unit}), got {value}")
    return number


def bits_per_char(nats: float) -> float:
    """Cross-entropy in bits per character: ``nats / ln 2``.

    Args:
        nats: mean cross-entropy per character in nats (natural log), >= 0; inf gives inf.
    """
    return _nonnegative("nats", nats, "a cross-entropy in nats per character") / math.log(2.0)


def perplexity(bpc: float) -> float:
    """Per-character perplexity: ``2 ** bpc``.

    Args:
        bpc: cross-entropy in bits per character, >= 0; inf gives inf.
    """
    bits = _nonnegative("bpc", bpc, "a cross-entropy in bits per character")
    return math.inf if bits >= 1024 else 2.0**bits
