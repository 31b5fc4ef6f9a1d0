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

from collections.abc import Sequence

import numpy as np

from . import _checks

__all__ = ["SGD", "Adam", "KerasTorchAdam", "clip_by_global_norm"]


def _check_pairs(params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
    if len(params) != len(grads):
        raise ValueError(
            f"grads must have one array per parameter: {len(params)} params, got {len(grads)} grads"
        )
    for k, (param, grad) in enumerate(zip(params, grads, strict=True)):
        if not isinstance(param, np.ndarray) or not isinstance(grad, np.ndarray):
            raise TypeError(
                f"params[{k}] and grads[{k}] must be NumPy arrays, got "
                f"{_checks.describe(param)} and {_checks.describe(grad)}"
            )
        if grad.shape != param.shape or grad.dtype != param.dtype:
            raise ValueError(
                f"grads[{k}] must match params[{k}] in shape and dtype, expected "
                f"{param.shape} {param.dtype}, got {grad.shape} {grad.dtype}"
            )


class SGD:
    """Plain stochastic gradient descent: ``w = w - learning_rate * g``."""

    def __init__(self, learning_rate: float = 0.01) -> None:
        if not learning_rate > 0:
            raise ValueError(f"learning_rate must be positive, got {learning_rate}")
        self.learning_rate = learning_rate

    def step(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
        """Update every array of ``params`` in place from the matching gradient."""
        _check_pairs(params, grads)
        for param, grad in zip(params, grads, strict=True):
            param -= param.dtype.type(self.learning_rate) * grad


class Adam:
    """Adam with Keras 3's defaults and update rule (see the module docstring).

    Attributes:
        iterations: how many steps have been taken (Keras' ``optimizer.iterations``).
    """

    def __init__(
        self,
        learning_rate: float = 1e-3,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
    ) -> None:
        if not learning_rate > 0:
            raise ValueError(f"learning_rate must be positive, got {learning_rate}")
        for name, beta in (("beta_1", beta_1), ("beta_2", beta_2)):
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"{name} must lie in [0, 1), got {beta}")
        if not epsilon > 0:
            raise ValueError(f"epsilon must be positive, got {epsilon}")
        self.learning_rate = learning_rate
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.iterations = 0
        # The moments of all parameters, end to end in one flat array each: one
        # NumPy call updates every parameter's moments at once.
        self._shapes: list[tuple[int, ...]] = []
        self._m = np.zeros(0)
        self._v = np.zeros(0)

    def step(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
        """One Adam step on every array of ``params``, in place.

        The moment estimates are created on the first call; later calls must
        pass the same arrays in the same order.
        """
        _check_pairs(params, grads)
        if len({p.dtype for p in params}) > 1:
            raise TypeError(f"params must share one dtype, got {[str(p.dtype) for p in params]}")
        shapes = [p.shape for p in params]
        if not self._shapes:
            self._shapes = shapes
            self._m = np.zeros(sum(p.size for p in params), dtype=params[0].dtype)
            self._v = np.zeros_like(self._m)
        elif shapes != self._shapes:
            raise ValueError(
                f"params must be the same arrays on every step: expected shapes {self._shapes}, got {shapes}"
            )
        self.iterations += 1
        # The step size of this iteration, with both bias corrections folded in; the
        # scalars are computed in the parameters' dtype, as Keras does.
        real = params[0].dtype.type
        step = real(self.iterations)
        alpha = (
            real(self.learning_rate)
            * np.sqrt(real(1) - real(self.beta_2) ** step)
            / (real(1) - real(self.beta_1) ** step)
        )
        grad = np.concatenate([g.ravel() for g in grads])
        self._update_moments(grad)
        update = self._m * alpha / (np.sqrt(self._v) + real(self.epsilon))
        start = 0
        for param in params:  # each parameter takes its slice of the flat update
            param -= update[start : start + param.size].reshape(param.shape)
            start += param.size

    def _update_moments(self, grad: np.ndarray) -> None:
        """Move the flat moments ``self._m`` and ``self._v`` towards ``grad`` and ``grad**2``, in place."""
        real = grad.dtype.type
        self._m += (grad - self._m) * real(1 - self.beta_1)
        self._v += (grad * grad - self._v) * real(1 - self.beta_2)


def clip_by_global_norm(grads: Sequence[np.ndarray], max_norm: float) -> tuple[list[np.ndarray], float]:
    """Gradient-norm clipping (Pascanu, Mikolov & Bengio 2013).

    If the norm of all gradients together, ``g = sqrt(sum ||g_k||^2)``, exceeds
    ``max_norm``, every gradient is scaled by ``max_norm / g``: the step keeps its
    direction but not its length. ``torch.nn.utils.clip_grad_norm_`` does the same.

    Args:
        grads: the gradient arrays.
        max_norm: the largest allowed global norm (> 0).

    Returns:
        ``(clipped, norm)``: new arrays (the inputs are not changed) and the global
        norm before clipping.
    """
    if not max_norm > 0:
        raise ValueError(f"max_norm must be positive, got {max_norm}")
    for k, grad in enumerate(grads):
        if not isinstance(grad, np.ndarray):
            raise TypeError(f"grads[{k}] must be a NumPy array, got {_checks.describe(grad)}")
    norm = float(np.sqrt(sum(float(np.sum(g.astype(np.float64) ** 2)) for g in grads)))
    scale = min(1.0, max_norm / max(norm, np.finfo(np.float64).tiny))
    return [g * g.dtype.type(scale) for g in grads], norm


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
        self._m *= real(self.beta_1)
        self._m += grad * real(1 - self.beta_1)
        self._v *= real(self.beta_2)
        self._v += (grad * grad) * real(1 - self.beta_2)
