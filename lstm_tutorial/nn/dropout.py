"""Dropout, inverted as Keras does it: a forward/backward pair and a ``Dropout`` layer.

During training each unit is kept with probability 1 - p and set to zero with
probability p (Srivastava et al. 2014); the kept ones are scaled by 1 / (1 - p), so
the expected output equals the input and nothing needs rescaling at inference,
where dropout is the identity. Everything is in one *mask* of zeros and 1 / (1 - p):

    mask = keep / (1 - p)        keep ~ Bernoulli(1 - p), one per unit
    y    = x * mask              forward
    dx   = dy * mask             backward: a dropped unit passes no gradient

A mask may be shared along an axis by giving it size 1 there (Keras' ``noise_shape``):
the recurrent layer's input dropout (``layers.Recurrent(dropout=p)``) draws one
(B, 1, D) mask per batch, the same at every time step, as Keras' ``LSTM(dropout=p)``
does (Zaremba et al. 2014: dropout on the non-recurrent connections only).

    B  batch size    T  time steps    D  features    p  the rate, in [0, 1)
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from . import _checks
from .layer import FEATURES, _Weightless, check_config, check_weight_count

__all__ = ["Dropout", "DropoutCache", "check_rate", "dropout_backward", "dropout_forward", "dropout_mask"]


def check_rate(name: str, rate: Any) -> float:
    """A dropout rate: a number in [0, 1), the probability that a unit is dropped.

    1 is refused (Keras' ``Dropout`` takes it and zeros everything): nothing would be
    kept, and the kept values' scale 1 / (1 - p) would be infinite.
    """
    return _checks.finite_number(
        name, rate, 0.0, 1.0, high_open=True, expected="a number in [0, 1), the fraction of units dropped"
    )


def _scale(rate: float, dtype: np.dtype[Any]) -> np.floating[Any]:
    """1 / (1 - p) in ``dtype``: the value a kept unit's mask holds."""
    return dtype.type(1.0) / dtype.type(1.0 - rate)


def dropout_mask(shape: tuple[int, ...], rate: float, rng: np.random.Generator, dtype: Any) -> np.ndarray:
    """A fresh mask: each entry 0 with probability ``rate``, else 1 / (1 - rate).

    Args:
        shape: the mask's shape, a tuple of integers >= 1 (x's shape, or 1 on an axis to share along).
        rate: p, in [0, 1).
        rng: the generator to draw from; each call advances it, so the next mask differs.
        dtype: np.float32 or np.float64.

    Returns:
        The mask, ``shape`` in ``dtype``.
    """
    if not isinstance(shape, tuple):
        raise TypeError(f"shape must be a tuple of integers >= 1, got {_checks.describe(shape)}")
    shape = tuple(_checks.positive_int(f"shape[{k}]", size) for k, size in enumerate(shape))
    return _draw(shape, check_rate("rate", rate), _checks.rng("rng", rng), _checks.dtype_arg("dtype", dtype))


def _draw(shape: tuple[int, ...], rate: float, rng: np.random.Generator, dtype: np.dtype[Any]) -> np.ndarray:
    # True with probability 1 - rate (to 2^-24: float32 uniforms, drawn in about half the time).
    keep = rng.random(shape, dtype=np.float32) >= np.float32(rate)
    return np.multiply(keep, _scale(rate, dtype), dtype=dtype)


def _check_mask(name: str, mask: Any, rate: float, shape: tuple[int, ...], dtype: np.dtype[Any]) -> None:
    """A mask for x of ``shape``: x's dtype, x's rank, each axis x's or 1, every value 0 or 1 / (1 - rate)."""
    _checks.float_array(name, mask)
    _checks.same_dtype(name, mask, dtype, "x")
    if mask.ndim != len(shape) or any(m not in (1, s) for m, s in zip(mask.shape, shape, strict=True)):
        raise ValueError(
            f"{name} must have x's shape {shape}, or 1 on an axis it is shared along, got {mask.shape}"
        )
    scale = _scale(rate, dtype)
    # A few ulps of slack: another library may compute 1 / (1 - p) in another order.
    near = np.abs(mask - scale) <= 8 * np.finfo(dtype).eps * scale
    bad = ~((mask == 0) | near)
    if bad.any():
        found = np.unique(mask[bad])[:3].tolist()
        hint = (
            ": a 0/1 keep mask must be divided by (1 - rate), as inverted dropout scales what it keeps"
            if found == [1.0] and rate > 0
            else ""
        )
        raise ValueError(
            f"{name} must hold 0 (dropped) or 1 / (1 - rate) = {float(scale):.6g} (kept), got values "
            f"{found}{hint}"
        )


class DropoutCache(NamedTuple):
    """What ``dropout_backward`` needs: the mask, and the shape of the x it was applied to."""

    mask: np.ndarray
    """x's shape (or 1 on a shared axis): 0 or 1 / (1 - p)."""
    shape: tuple[int, ...]
    """x's shape, which dy must have."""


def dropout_forward(
    x: np.ndarray, rate: float, rng: np.random.Generator | None = None, mask: np.ndarray | None = None
) -> tuple[np.ndarray, DropoutCache]:
    """Inverted dropout in training: ``y = x * mask``.

    Give exactly one of ``rng`` (a new mask is drawn from it, x's shape) and ``mask``.

    Args:
        x: (...) float32 or float64, any shape.
        rate: p, in [0, 1), the probability that a unit is dropped.
        rng: a ``np.random.Generator`` to draw the mask from (``dropout_mask``).
        mask: a mask of x's dtype and rank, each axis x's or 1 (shared along it), holding
            0 or 1 / (1 - rate), as ``dropout_mask`` draws it.

    Returns:
        ``(y, cache)``: y (...) x's shape, x with the dropped units zeroed and the kept
        ones scaled by 1 / (1 - p); ``cache`` for ``dropout_backward``.
    """
    _checks.float_array("x", x)
    rate = check_rate("rate", rate)
    if (rng is None) == (mask is None):
        raise ValueError(
            "give exactly one of rng (to draw a new mask) and mask (to apply one you have), got "
            f"{'both' if rng is not None else 'neither'}"
        )
    if rng is not None:
        mask = _draw(x.shape, rate, _checks.rng("rng", rng), x.dtype)
    else:
        _check_mask("mask", mask, rate, x.shape, x.dtype)
    assert mask is not None
    return _apply(x, mask)


def _apply(x: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, DropoutCache]:
    """The forward pass on checked arrays: a new array, x untouched."""
    return x * mask, DropoutCache(mask, x.shape)


def dropout_backward(dy: np.ndarray, cache: DropoutCache) -> np.ndarray:
    """From dL/dy to dL/dx: ``dx = dy * mask``.

    Args:
        dy: (...) the gradient of the output, x's shape and dtype.
        cache: what ``dropout_forward`` returned.

    Returns:
        dx (...) x's shape: zero where a unit was dropped, dy / (1 - p) where it was kept.
    """
    _checks.instance("cache", cache, DropoutCache)
    _checks.float_array("dy", dy)
    _checks.same_dtype("dy", dy, cache.mask.dtype, "the cache's mask")
    _checks.shape_is("dy", dy, cache.shape, "x's shape")
    return _backward(dy, cache)


def _backward(dy: np.ndarray, cache: DropoutCache) -> np.ndarray:
    return dy * cache.mask


@dataclass
class Dropout(_Weightless):
    """Keras' ``Dropout(rate, seed=seed)``: drops units of whatever it reads, in training only.

    In training (``forward(x, training=True)``, which ``train.fit`` and
    ``Sequential.loss_and_grads`` use) every call draws a new mask of x's shape from
    the layer's generator; at inference (``predict``, ``evaluate``) it is the identity.
    It has no weights, and it gives what it takes, shape and kind, so it has no width
    of its own (``keeps_shape``). To drop a recurrent layer's inputs with one mask per
    sequence, as Keras' ``LSTM(dropout=p)``, use ``Recurrent(cell, dropout=p)``.

    Attributes:
        rate: p, in [0, 1), the fraction of units dropped.
        seed: the seed of the layer's generator, an integer >= 0; the same seed gives
            the same masks, call after call. None (Keras' default) seeds it from the
            operating system: masks that no run repeats. Two layers with one seed draw
            the same masks for inputs of one shape: give each its own.
    """

    rate: float
    seed: int | None = None
    _rng: np.random.Generator | None = field(default=None, init=False, repr=False, compare=False)

    takes = FEATURES
    keeps_shape = True

    def __post_init__(self) -> None:
        self.rate = check_rate("rate", self.rate)
        self.seed = _checks.seed("seed", self.seed)

    def _generator(self) -> np.random.Generator:
        """The layer's generator, made from ``seed`` when the first mask is drawn."""
        if self._rng is None:
            self._rng = np.random.default_rng(self.seed)
        return self._rng

    # --- what every layer has (no weights, no width: layer._Weightless) ---------------

    def with_weights(self, arrays: list[np.ndarray], check: bool = True) -> Dropout:
        """The same layer (``arrays`` must be ``[]``); a checked copy continues this one's masks."""
        check_weight_count(type(self).__name__, arrays, ())
        layer = Dropout(self.rate, self.seed)
        if check and self._rng is not None:  # a copy of the model draws the masks this one would
            layer._rng = copy.deepcopy(self._rng)
        return layer

    def get_config(self) -> dict[str, Any]:
        """``{"rate": p, "seed": seed}``, as Keras' config has them."""
        return {"rate": float(self.rate), "seed": self.seed}

    @classmethod
    def from_config(cls, config: Any, weights: list[np.ndarray]) -> Dropout:
        """``Dropout(rate, seed)`` from ``get_config``'s description; ``weights`` must be ``[]``."""
        config = check_config(cls.__name__, config, {"rate": object, "seed": object})
        check_weight_count(cls.__name__, weights, ())
        return cls(config["rate"], config["seed"])

    # --- running it ------------------------------------------------------------------------

    def forward(
        self, x: np.ndarray, training: bool = False, dropout_mask: np.ndarray | None = None
    ) -> tuple[np.ndarray, DropoutCache | None]:
        """(...) -> (...): x itself at inference; x times a new mask in training.

        Args:
            x: what the layer before gave (assumed checked).
            training: drop (True) or pass x through (False, Keras' default).
            dropout_mask: in training, the mask to use instead of drawing one (x's shape,
                0 or 1 / (1 - rate)): to replay a mask, or to use another library's.

        Returns:
            ``(y, cache)``; the cache is None when nothing was dropped.
        """
        if dropout_mask is not None:
            if not training:
                raise ValueError("dropout_mask is used in training only: pass training=True with it")
            _check_mask("dropout_mask", dropout_mask, self.rate, x.shape, x.dtype)
            return _apply(x, dropout_mask)
        if not training or self.rate == 0.0:  # as Keras: nothing drawn, nothing dropped
            return x, None
        return _apply(x, _draw(x.shape, self.rate, self._generator(), x.dtype))

    def backward(self, dy: np.ndarray, cache: DropoutCache | None) -> tuple[np.ndarray, list[np.ndarray]]:
        """(...) -> (dx (...), []): dy through the same mask (dy itself if nothing was dropped)."""
        return (dy if cache is None else _backward(dy, cache)), []
