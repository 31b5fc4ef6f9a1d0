"""RepeatVector: one vector in, the same vector at n steps out (Keras' RepeatVector).

An encoder reads a question into one summary vector, its last hidden state h_T;
a decoder is a recurrent layer, and a recurrent layer reads a sequence. Keras'
addition example joins the two with ``RepeatVector(n)``: the decoder sees the same
summary at every one of its n steps, and its own state is what changes.

    y[:, t] = x          for t = 0 .. n-1        x (N, F)  ->  y (N, n, F)

The layer has no weights. Its backward pass is the forward pass's transpose: the
one vector was used n times, so its gradient is the sum of the n gradients,

    dx = sum over t of dy[:, t]                  dy (N, n, F)  ->  dx (N, F)

    N  batch size    n  repetitions (the decoder's steps)    F  features
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _checks
from .layer import SEQUENCE, VECTOR, _Weightless, check_config, check_weight_count

__all__ = ["RepeatVector", "repeat_vector_backward", "repeat_vector_forward"]


def repeat_vector_forward(x: np.ndarray, n: int) -> np.ndarray:
    """The vector x at each of n steps: ``y[:, t] = x``.

    Args:
        x: (N, F) float32 or float64, one vector per sample.
        n: the number of steps, an integer >= 1.

    Returns:
        y (N, n, F), x's dtype: a new array (writing to it leaves x alone).
    """
    _checks.float_array("x", x, ndim=2)
    return _repeat(x, _checks.positive_int("n", n))


def repeat_vector_backward(dy: np.ndarray) -> np.ndarray:
    """From dL/dy to dL/dx: x was used at every step, so its gradient is their sum.

    Args:
        dy: (N, n, F) float32 or float64, the gradient of each step's copy.

    Returns:
        dx (N, F), dy's dtype: ``dy.sum(axis=1)``.
    """
    _checks.float_array("dy", dy, ndim=3)
    return _sum_steps(dy)


def _repeat(x: np.ndarray, n: int) -> np.ndarray:
    return np.repeat(x[:, None, :], n, axis=1)


def _sum_steps(dy: np.ndarray) -> np.ndarray:
    return dy.sum(axis=1)


@dataclass
class RepeatVector(_Weightless):
    """Keras' ``RepeatVector(n)``: takes a vector (N, F), gives a sequence (N, n, F).

    It sits between an encoder that returns only its last state (``Recurrent(cell)``,
    a vector) and a decoder that reads a sequence (``Recurrent(cell, True)``,
    returning sequences). It has no weights and no width of its own
    (``layer._Weightless``): it gives the width F it reads, and a model reads F and
    the dtype off the layers before it.

    Attributes:
        n: the number of steps, an integer >= 1 (4 in Keras' addition example: the
            answer's length).
    """

    n: int

    takes = VECTOR

    def __post_init__(self) -> None:
        self.n = _checks.positive_int("n", self.n)

    def gives(self, taken: str) -> str:
        """(N, n, F): a sequence."""
        return SEQUENCE

    def output_steps(self, steps: int) -> int:
        """n, whatever the steps of the sequence the encoder before it read."""
        return self.n

    # --- no weights, no width of its own (layer._Weightless) ---------------------

    def with_weights(self, arrays: list[Any], check: bool = True) -> RepeatVector:
        """The same layer (``arrays`` must be ``[]``)."""
        check_weight_count(type(self).__name__, arrays, ())
        return RepeatVector(self.n)

    def get_config(self) -> dict[str, Any]:
        """``{"n": n}``, as Keras' config has it."""
        return {"n": int(self.n)}

    @classmethod
    def from_config(cls, config: Any, weights: list[np.ndarray]) -> RepeatVector:
        """``RepeatVector(n)`` from ``get_config``'s description; no weights."""
        config = check_config(cls.__name__, config, {"n": object})
        check_weight_count(cls.__name__, weights, ())
        return cls(config["n"])

    # --- running it --------------------------------------------------------------

    def forward(self, x: np.ndarray, training: bool = False) -> tuple[np.ndarray, None]:
        """(N, F) -> (N, n, F), x assumed checked; nothing to cache. The same in
        training and at inference."""
        return _repeat(x, self.n), None

    def backward(self, dy: np.ndarray, cache: None) -> tuple[np.ndarray, list[Any]]:
        """(N, n, F) -> (dx (N, F), []): the n gradients summed."""
        return _sum_steps(dy), []
