"""Optimizers that update NumPy arrays in place: plain SGD and Keras 3's Adam.

``Adam`` follows Keras 3's ``Adam.update_step`` operation for operation
(Kingma & Ba 2015, with the bias correction folded into the step size), so
that a NumPy run and a Keras run from the same weights on the same batches
stay together step by step. At step t = 1, 2, ...:

    alpha = lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)
    m     = m + (g - m) * (1 - beta_1)
    v     = v + (g**2 - v) * (1 - beta_2)
    w     = w - alpha * m / (sqrt(v) + epsilon)

Note where epsilon sits: outside the bias correction, so Keras' epsilon = 1e-7
is not the paper's epsilon = 1e-8 applied to the corrected v.

Keras' torch backend writes the two moment updates in another, fused form that
rounds differently in float32; ``KerasTorchAdam`` follows that form (chapter 7
measures the difference).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from . import _checks
from .schedules import CosineDecay, LearningRate, rate_at

__all__ = ["SGD", "Adam", "KerasTorchAdam", "clip_by_global_norm"]

TINY = float(np.finfo(np.float64).tiny)  # the smallest normal float64


def _check_pairs(params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
    """Parameters an optimizer may update in place, and gradients that fit them.

    Each parameter is a writeable float32/float64 array (an int array would be
    updated by a truncated step, i.e. not at all), no array appears twice, and
    each gradient has its parameter's shape and dtype. (Finiteness is checked
    by ``_check_finite``, once per step on as few arrays as possible.)
    """
    for name, arrays in (("params", params), ("grads", grads)):
        if isinstance(arrays, np.ndarray) or not isinstance(arrays, (list, tuple)):
            raise TypeError(
                f"{name} must be a list of NumPy arrays, got {_checks.describe(arrays)}; "
                f"for a single array write [{name}]"
            )
    if not params:
        raise ValueError("params must hold at least one array, got an empty list")
    if len(params) != len(grads):
        raise ValueError(
            f"grads must have one array per parameter: {len(params)} params, got {len(grads)} grads"
        )
    seen: dict[int, int] = {}
    for k, (param, grad) in enumerate(zip(params, grads, strict=True)):
        if not isinstance(param, np.ndarray) or not isinstance(grad, np.ndarray):
            raise TypeError(
                f"params[{k}] and grads[{k}] must be NumPy arrays, got "
                f"{_checks.describe(param)} and {_checks.describe(grad)}"
            )
        if param.dtype not in _checks.FLOAT_DTYPES:
            raise TypeError(
                f"params[{k}] must have dtype float32 or float64, got dtype {param.dtype}; "
                "an integer array cannot take a fractional step"
            )
        if not param.flags.writeable:
            raise ValueError(f"params[{k}] must be writeable: the optimizer updates it in place")
        if id(param) in seen:
            raise ValueError(f"params[{k}] is the same array as params[{seen[id(param)]}]; pass each once")
        seen[id(param)] = k
        if grad.shape != param.shape or grad.dtype != param.dtype:
            raise ValueError(
                f"grads[{k}] must match params[{k}] in shape and dtype, expected "
                f"{param.shape} {param.dtype}, got {grad.shape} {grad.dtype}"
            )


def _check_finite(grads: Sequence[np.ndarray], arrays: Sequence[np.ndarray]) -> None:
    """Refuse a NaN or inf gradient: the step would write it into the weights for good.

    ``arrays`` hold the same numbers as ``grads`` (``grads`` itself, or their
    concatenation). A sum is finite only if every term is, so one sum per array
    clears the usual case quickly; only a non-finite sum (a NaN or inf, or a
    sum of huge finite values that overflowed) looks at each gradient.
    """
    if all(math.isfinite(float(np.add.reduce(a, axis=None))) for a in arrays):
        return
    for k, grad in enumerate(grads):
        finite = np.isfinite(grad)
        if not finite.all():
            raise ValueError(
                f"grads[{k}] must be finite, got {grad.size - np.count_nonzero(finite)} NaN or inf "
                f"value(s) in shape {grad.shape}; the loss has probably diverged: try a smaller "
                "learning rate, or clipping"
            )


def _learning_rate(value: object) -> LearningRate:
    """A finite number > 0, or a schedule, as Keras' optimizers take."""
    if isinstance(value, CosineDecay):
        return value
    return _checks.positive_number("learning_rate", value)


class SGD:
    """Plain stochastic gradient descent: ``w = w - learning_rate * g``.

    Args:
        learning_rate: the step size, a finite number > 0, or a schedule
            (``schedules.CosineDecay``) giving the step size of every step.

    Attributes:
        iterations: how many steps have been taken (Keras' ``optimizer.iterations``).
    """

    def __init__(self, learning_rate: LearningRate = 0.01) -> None:
        self.learning_rate = _learning_rate(learning_rate)
        self.iterations = 0

    def step(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
        """Update every array of ``params`` in place from the matching gradient.

        Args:
            params: the parameter arrays (float32 or float64, writeable).
            grads: one finite gradient per parameter, of its shape and dtype.
        """
        _check_pairs(params, grads)
        _check_finite(grads, grads)
        rate = rate_at(self.learning_rate, self.iterations)  # a schedule's rate of this step
        self.iterations += 1
        for param, grad in zip(params, grads, strict=True):
            param -= param.dtype.type(rate) * grad


class Adam:
    """Adam with Keras 3's defaults and update rule (see the module docstring).

    Like a Keras optimizer, an ``Adam`` belongs to one set of parameters: its
    moments are built on the first ``step`` for the arrays given then, and every
    later step must pass those same array objects, in the same order. Use a new
    ``Adam`` for each model (or after replacing a model's arrays).

    Args:
        learning_rate: the step size, a finite number > 0, or a schedule
            (``schedules.CosineDecay``) giving the step size of every step.
        beta_1: decay of the first moment (the mean of the gradients), in [0, 1).
        beta_2: decay of the second moment (the mean of their squares), in [0, 1).
        epsilon: added to sqrt(v) against division by zero, a finite number > 0.

    Attributes:
        iterations: how many steps have been taken (Keras' ``optimizer.iterations``).
    """

    def __init__(
        self,
        learning_rate: LearningRate = 1e-3,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
    ) -> None:
        self.learning_rate = _learning_rate(learning_rate)
        self.beta_1 = _checks.finite_number("beta_1", beta_1, 0.0, 1.0, high_open=True)
        self.beta_2 = _checks.finite_number("beta_2", beta_2, 0.0, 1.0, high_open=True)
        self.epsilon = _checks.positive_number("epsilon", epsilon)
        self.iterations = 0
        # The parameters the moments belong to (set by the first step), and the
        # moments of all of them, end to end in one flat array each: one NumPy
        # call updates every parameter's moments at once.
        self._params: list[np.ndarray] = []
        self._m = np.zeros(0)
        self._v = np.zeros(0)

    def step(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
        """One Adam step on every array of ``params``, in place.

        The moment estimates are created on the first call for the arrays given;
        later calls must pass the same array objects in the same order (see the
        class docstring).

        Args:
            params: the parameter arrays (float32 or float64, one dtype, writeable).
            grads: one finite gradient per parameter, of its shape and dtype.
        """
        _check_pairs(params, grads)
        if len({p.dtype for p in params}) > 1:
            raise TypeError(f"params must share one dtype, got {[str(p.dtype) for p in params]}")
        grad = np.concatenate([g.ravel() for g in grads])
        _check_finite(grads, [grad])
        if not self._params:
            self._params = list(params)
            self._m = np.zeros(sum(p.size for p in params), dtype=params[0].dtype)
            self._v = np.zeros_like(self._m)
        elif len(params) != len(self._params) or any(
            p is not q for p, q in zip(params, self._params, strict=False)
        ):
            raise ValueError(
                "params must be the same arrays on every step: this Adam's moments belong to the "
                f"{len(self._params)} arrays of its first step, of shapes {[p.shape for p in self._params]}; "
                f"got {len(params)} arrays of shapes {[p.shape for p in params]}, not the same objects. "
                "Use a new Adam for each model (an optimizer keeps state per parameter, as in Keras)"
            )
        rate = rate_at(self.learning_rate, self.iterations)  # a schedule's rate of this step
        self.iterations += 1
        # The step size of this iteration, with both bias corrections folded in; the
        # scalars are computed in the parameters' dtype, as Keras does.
        real = params[0].dtype.type
        step = real(self.iterations)
        alpha = (
            real(rate) * np.sqrt(real(1) - real(self.beta_2) ** step) / (real(1) - real(self.beta_1) ** step)
        )
        self._update_moments(grad)
        # update = m * alpha / (sqrt(v) + epsilon), in place in two buffers (grad's is free now)
        update = np.multiply(self._m, alpha, out=grad)
        denominator = np.sqrt(self._v)
        denominator += real(self.epsilon)
        update /= denominator
        start = 0
        for param in params:  # each parameter takes its slice of the flat update
            param -= update[start : start + param.size].reshape(param.shape)
            start += param.size

    def resume(
        self,
        params: Sequence[np.ndarray],
        m: Sequence[np.ndarray],
        v: Sequence[np.ndarray],
        iterations: int,
    ) -> None:
        """Continue from a saved state: bind to ``params`` with moments ``m`` and ``v``
        (one array per parameter, of its shape) after ``iterations`` steps.

        What Keras does when it restores an optimizer's variables from a checkpoint.
        Everything is checked before the optimizer changes, so that the next step
        cannot be NaN or inf: ``m`` finite, ``v`` finite and >= 0 (a mean of squares;
        sqrt of a negative v is NaN), and the step the moments call for,
        ``alpha * m / (sqrt(v) + epsilon)``, finite in the parameters' dtype.

        Args:
            params: the parameter arrays (float32 or float64, one dtype, writeable).
            m: the first moments, one array per parameter, of its shape and dtype.
            v: the second moments, likewise.
            iterations: the steps already taken, an integer >= 0.
        """
        if self._params:
            raise ValueError("resume needs a fresh Adam: this one has taken steps already")
        _check_pairs(params, m)
        _check_pairs(params, v)
        if len({p.dtype for p in params}) > 1:
            raise TypeError(f"params must share one dtype, got {[str(p.dtype) for p in params]}")
        if isinstance(iterations, bool) or not isinstance(iterations, (int, np.integer)) or iterations < 0:
            raise ValueError(f"iterations must be an integer >= 0, got {_checks.describe(iterations)}")
        self._check_moments(m, v, int(iterations) + 1)
        self._params = list(params)
        self._m = np.concatenate([a.ravel() for a in m]).astype(params[0].dtype)
        self._v = np.concatenate([a.ravel() for a in v]).astype(params[0].dtype)
        self.iterations = int(iterations)

    def _check_moments(self, m: Sequence[np.ndarray], v: Sequence[np.ndarray], step: int) -> None:
        """Refuse moments that would make step ``step`` NaN or inf (see ``resume``)."""
        for name, arrays in (("m", m), ("v", v)):
            for k, array in enumerate(arrays):
                bad = array.size - np.count_nonzero(np.isfinite(array))
                if bad:
                    raise ValueError(
                        f"{name}[{k}] must be finite, got {bad} NaN or inf value(s) in shape {array.shape}: "
                        "the next step would write them into the weights"
                    )
        for k, array in enumerate(v):
            negative = np.count_nonzero(array < 0)
            if negative:
                raise ValueError(
                    f"v[{k}] must be >= 0 (a mean of squared gradients), got {negative} negative value(s), "
                    f"the smallest {float(array.min()):.3g}: sqrt(v) in the next step would be NaN"
                )
        # The step size of that step (as ``step`` computes it, in float64 here) and the move the
        # moments alone call for: it must fit the parameters' dtype.
        alpha = (
            rate_at(self.learning_rate, step - 1) * math.sqrt(1 - self.beta_2**step) / (1 - self.beta_1**step)
        )
        for k, (first, second) in enumerate(zip(m, v, strict=True)):
            with np.errstate(over="ignore"):  # an overflow is the inf caught below
                move = (
                    np.abs(first.astype(np.float64))
                    * alpha
                    / (np.sqrt(second.astype(np.float64)) + self.epsilon)
                )
            largest, limit = float(move.max()), float(np.finfo(first.dtype).max)
            if not largest <= limit:
                raise ValueError(
                    f"m[{k}] is too large for v[{k}]: the next step would move a weight by {largest:.3g}, "
                    f"beyond {first.dtype}'s range ({limit:.3g}); these are not the moments of an Adam run"
                )

    def moments(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Copies of the moments m and v, one array per parameter, of its shape."""
        m, v, start = [], [], 0
        for param in self._params:
            m.append(self._m[start : start + param.size].reshape(param.shape).copy())
            v.append(self._v[start : start + param.size].reshape(param.shape).copy())
            start += param.size
        return m, v

    def _update_moments(self, grad: np.ndarray) -> None:
        """Move the flat moments ``self._m`` and ``self._v`` towards ``grad`` and ``grad**2``, in place."""
        real = grad.dtype.type
        change = grad - self._m
        change *= real(1 - self.beta_1)
        self._m += change
        np.multiply(grad, grad, out=change)
        change -= self._v
        change *= real(1 - self.beta_2)
        self._v += change


def clip_by_global_norm(grads: Sequence[np.ndarray], max_norm: float) -> tuple[list[np.ndarray], float]:
    """Gradient-norm clipping (Pascanu, Mikolov & Bengio 2013).

    If the norm of all gradients together, ``g = sqrt(sum ||g_k||^2)``, exceeds
    ``max_norm``, every gradient is scaled by ``max_norm / g``: the step keeps its
    direction but not its length. ``torch.nn.utils.clip_grad_norm_`` does the same.

    Args:
        grads: the gradient arrays, float32 or float64, finite (a NaN or inf
            gradient is refused: it has no direction to keep).
        max_norm: the largest allowed global norm, a finite number > 0.

    Returns:
        ``(clipped, norm)``: new arrays (the inputs are not changed) and the global
        norm before clipping.
    """
    max_norm = _checks.positive_number("max_norm", max_norm)
    if isinstance(grads, np.ndarray) or not isinstance(grads, (list, tuple)):
        raise TypeError(f"grads must be a list of NumPy arrays, got {_checks.describe(grads)}")
    for k, grad in enumerate(grads):
        _checks.float_array(f"grads[{k}]", grad)
    with np.errstate(over="ignore", under="ignore"):  # both are detected and handled below
        squares = sum(float(np.sum(np.square(g.astype(np.float64)))) for g in grads)
    if math.isfinite(squares) and squares >= TINY:  # the usual case: the plain formula
        norm = math.sqrt(squares)
        return [g * g.dtype.type(min(1.0, max_norm / norm)) for g in grads], norm
    # The squares overflowed (1e200**2) or underflowed (1e-200**2): scale by the largest
    # entry m before squaring, sqrt(sum g^2) = m sqrt(sum (g/m)^2) with every (g/m)^2 <= 1.
    largest = max((float(np.max(np.abs(g))) for g in grads), default=0.0)
    if largest == 0.0:
        return [g.copy() for g in grads], 0.0
    root = math.sqrt(sum(float(np.sum(np.square(g.astype(np.float64) / largest))) for g in grads))
    norm = largest * root  # inf beyond 1.8e308; the scaling below stays finite
    if max_norm / root / largest >= 1.0:
        return [g.copy() for g in grads], norm
    factor = max_norm / root  # the clipped g is (g / m) * max_norm / sqrt(sum (g/m)^2)
    return [(g / g.dtype.type(largest)) * g.dtype.type(factor) for g in grads], norm


class KerasTorchAdam(Adam):
    """Adam written the way Keras 3 computes it on the torch backend.

    Keras' torch backend does not run ``Adam.update_step`` (which ``Adam`` above
    follows) but a fused version, ``TorchParallelOptimizer._parallel_update_step``
    in ``keras/src/backend/torch/optimizers/torch_adam.py``, which writes the
    moment updates as

        m = m * beta_1 + g * (1 - beta_1)
        v = v * beta_2 + g**2 * (1 - beta_2)

    In exact arithmetic this is ``Adam``. In float32 it is not: 0.999 has no exact
    float32, and float32(0.999) = 0.99900001287 while ``Adam``'s effective decay,
    1 - float32(0.001), is 0.99899999995. The second moments of the two forms
    drift apart by about 1e-8 per step, and the difference accumulates.
    The step size ``alpha`` and the final update are the same as in ``Adam``.
    Use this class to follow a Keras-on-torch run step for step
    (``agree.lockstep_training`` does); ``Adam`` follows the other backends.
    """

    def _update_moments(self, grad: np.ndarray) -> None:
        """The fused form: decay the moments, then add the scaled gradient (see the class docstring)."""
        real = grad.dtype.type
        scaled = grad * real(1 - self.beta_1)
        self._m *= real(self.beta_1)
        self._m += scaled
        np.multiply(grad, grad, out=scaled)
        scaled *= real(1 - self.beta_2)
        self._v *= real(self.beta_2)
        self._v += scaled
