"""Losses and their gradients with respect to the model's output.

Each loss takes the model's output and the targets and returns
``(loss, d_output)``, the mean over every target and its gradient.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["LOSSES", "mean_squared_error"]


def mean_squared_error(output: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Keras' ``"mean_squared_error"``: ``mean((y_hat - y)**2)``.

    Args:
        output: y_hat, (N, K) or any shape.
        y: targets of the same size: (N,) for an (N, 1) output, as Keras accepts.

    Returns:
        ``(loss, d_output)``; the gradient is ``2 (y_hat - y) / n`` for n targets.
    """
    error = output - y.reshape(output.shape)
    return float(np.mean(error * error)), (2.0 / error.size) * error


LOSSES: dict[str, Callable[[np.ndarray, np.ndarray], tuple[float, np.ndarray]]] = {
    "mse": mean_squared_error,
    "mean_squared_error": mean_squared_error,
}
"""Every loss by the names Keras gives it."""
