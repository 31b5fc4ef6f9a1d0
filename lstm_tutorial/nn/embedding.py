"""An embedding layer: integer ids in, one learned vector per id out (Keras' ``Embedding``).

A character-level language model reads characters as ids 0 .. V-1. The first
layer looks each id up in a table of V rows, one E-vector per id:

    y[b, t] = W[ids[b, t]]          ids (B, T) integers  ->  y (B, T, E)

This is the same as multiplying a one-hot row by W, without building the one-hot
rows. Its backward pass adds each output gradient into the row it was read from;
an id that appears twice in a batch gets both gradients (``dW[ids] += dy`` would
keep only one of them). That sum is the one-hot product again, ``onehot(ids)^T dy``:
one matrix product, several times faster than ``np.add.at``, which sums repeated
indices one at a time (it still serves a vocabulary too large for the one-hot rows).

    B  batch size    T  time steps    V  vocabulary size (ids)    E  embedding size
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _checks
from .layer import IDS, SEQUENCE, Layer, check_config, check_weight_count
from .layers import MatrixSized

__all__ = ["Embedding"]

ONE_HOT_LIMIT = 2**24
"""The largest V x (B T) one-hot matrix the backward pass builds (64 MB in float32)."""


@dataclass
class Embedding(MatrixSized, Layer):
    """``y = W[ids]``: Keras' ``Embedding(V, E)``; the first layer of a ``model.Sequential``.

    ``input_size`` is V (the ids it takes are 0 .. V-1), ``output_size`` E. The layer
    holds ``W`` itself (``layer.Layer``): training it trains that array.

    Attributes:
        W: (V, E) one row per id; Keras' ``embeddings``.
    """

    W: np.ndarray

    takes = IDS

    def __post_init__(self) -> None:
        _checks.float_array("W", self.W, ndim=2)

    def gives(self, taken: str) -> str:
        """(B, T, E): a sequence of vectors, one per id."""
        return SEQUENCE

    def get_config(self) -> dict[str, Any]:
        """Nothing but the table: ``{}``."""
        return {}

    @classmethod
    def from_config(cls, config: Any, weights: list[np.ndarray]) -> Embedding:
        """``Embedding(embeddings)`` from ``weights``; ``config`` must be ``{}``."""
        check_config(cls.__name__, config, {})
        return cls(*check_weight_count(cls.__name__, weights, ("embeddings",)))

    @classmethod
    def init(cls, vocab_size: int, output_dim: int, rng: np.random.Generator, dtype: Any) -> Embedding:
        """Keras' default: every entry uniform in [-0.05, 0.05].

        Args:
            vocab_size: V, the number of ids.
            output_dim: E, the size of each vector.
            rng: the generator to draw from.
            dtype: np.float32 or np.float64.
        """
        shape = (
            _checks.positive_int("vocab_size", vocab_size),
            _checks.positive_int("output_dim", output_dim),
        )
        dtype = _checks.dtype_arg("dtype", dtype)
        return cls(rng.uniform(-0.05, 0.05, size=shape).astype(dtype))

    @property
    def vocab_size(self) -> int:
        """V, the number of ids the table holds."""
        return int(self.W.shape[0])

    def weights(self) -> list[np.ndarray]:
        """``[embeddings]``."""
        return [self.W]

    def weight_labels(self) -> list[str]:
        """Keras' name."""
        return ["embeddings"]

    def with_weights(self, arrays: list[np.ndarray], check: bool = True) -> Embedding:
        """The same layer holding ``arrays``."""
        if check:
            return Embedding(*arrays)
        layer = object.__new__(Embedding)
        (layer.W,) = arrays
        return layer

    def check_input(self, ids: Any, name: str = "x") -> None:
        """Check (B, T) integer ids in [0, V): floats are refused, not rounded."""
        _checks.index_array(name, ids, 2, self.vocab_size, "(B, T)")

    def forward(self, ids: np.ndarray, training: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """(B, T) ids -> (B, T, E) rows of W; the cache is the ids (assumed checked). The same in
        training and at inference."""
        return self.W[ids], ids

    def backward(self, dy: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        """(B, T, E) -> (dx, [dW (V, E)]): every output gradient added into the row it came from.

        Integer ids have no gradient: ``dx`` is an empty (B, T, 0) array.
        """
        flat, rows = ids.reshape(-1), dy.reshape(-1, dy.shape[-1])
        if self.vocab_size * flat.size <= ONE_HOT_LIMIT:
            one_hot = np.zeros((self.vocab_size, flat.size), dtype=self.W.dtype)
            one_hot[flat, np.arange(flat.size)] = 1.0
            dW = one_hot @ rows
        else:
            dW = np.zeros_like(self.W)
            np.add.at(dW, flat, rows)
        return np.empty((*ids.shape, 0), dtype=self.W.dtype), [dW]
