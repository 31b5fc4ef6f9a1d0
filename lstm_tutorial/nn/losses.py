"""Losses and their gradients with respect to the model's output.

Each loss takes the model's output and the targets and returns
``(loss, d_output)``, the mean over every target and its gradient.

``"sparse_categorical_crossentropy"`` takes integer targets (class ids); the
others take float targets of the output's dtype. The two cross-entropies read
logits: Keras' ``Dense(K, activation="softmax")`` followed by its cross-entropy on
probabilities is this package's ``Dense(K)`` followed by the loss, the softmax folded
into it (the same function; ``softmax(model.predict(x))`` gives the probabilities).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = [
    "LOSSES",
    "categorical_crossentropy",
    "log_softmax",
    "mean_squared_error",
    "softmax",
    "sparse_categorical_crossentropy",
]


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


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """log softmax over the last axis, computed stably: ``z - max(z) - log(sum(exp(z - max(z))))``.

    Args:
        logits: (..., V) unnormalised scores.

    Returns:
        (..., V) log-probabilities; ``exp`` of each row sums to 1.
    """
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def sparse_categorical_crossentropy(
    logits: np.ndarray,
    y: np.ndarray,
) -> tuple[float, np.ndarray]:
    """Keras' ``"sparse_categorical_crossentropy"`` from logits, at every position.

    With p = softmax(logits) over the V classes, the loss is the mean over the n
    positions of ``-log p[y]`` (nats); its gradient with respect to the logits is
    ``(p - onehot(y)) / n``.

    Args:
        logits: (..., V) the last Dense layer's output, (B, T, V) for a language model.
        y: (...) integer class ids in [0, V), (B, T): the next character at every step.

    Returns:
        ``(loss, d_logits)``, d_logits of the logits' shape and dtype.
    """
    # One exp pass: p = exp(z - max) / sum, and log p[y] = (z - max)[y] - log(sum).
    shifted = logits - logits.max(axis=-1, keepdims=True)
    p = np.exp(shifted)
    totals = p.sum(axis=-1, keepdims=True)
    rows, targets = p.reshape(-1, p.shape[-1]), y.reshape(-1)
    positions = np.arange(rows.shape[0])
    picked = shifted.reshape(rows.shape)[positions, targets] - np.log(totals.reshape(-1))
    p /= totals
    rows[positions, targets] -= 1.0  # p - onehot(y), in place
    p *= p.dtype.type(1.0 / rows.shape[0])
    return float(-picked.astype(np.float64).mean()), p


def softmax(logits: np.ndarray) -> np.ndarray:
    """Probabilities from logits over the last axis: ``exp(log_softmax(logits))``.

    Args:
        logits: (..., V) unnormalised scores, e.g. a model's ``predict`` output.

    Returns:
        (..., V) probabilities, logits' dtype; each row sums to 1.
    """
    return np.exp(log_softmax(logits))


def categorical_crossentropy(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Keras' ``"categorical_crossentropy"`` from logits, at every position, on one-hot targets.

    With p = softmax(logits) over the V classes, the loss is the mean over the n
    positions of ``-sum(y * log p)`` (nats), Keras' ``softmax`` activation and its
    ``categorical_crossentropy`` in one; its gradient with respect to the logits is
    ``(p * sum(y) - y) / n``, which is ``(p - y) / n`` when each row of y sums to 1.

    Args:
        logits: (..., V) the last Dense layer's output, (N, T, V) for a decoder.
        y: (..., V) targets of the logits' shape and dtype: one-hot rows (or any
            distributions over the V classes).

    Returns:
        ``(loss, d_logits)``, d_logits of the logits' shape and dtype.
    """
    log_p = log_softmax(logits)
    positions = log_p.size // log_p.shape[-1]
    picked = (y * log_p).sum(axis=-1)
    d_logits = np.exp(log_p) * y.sum(axis=-1, keepdims=True) - y
    d_logits *= d_logits.dtype.type(1.0 / positions)
    return float(-picked.astype(np.float64).sum() / positions), d_logits


LOSSES: dict[str, Callable[[np.ndarray, np.ndarray], tuple[float, np.ndarray]]] = {
    "mse": mean_squared_error,
    "mean_squared_error": mean_squared_error,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
    "categorical_crossentropy": categorical_crossentropy,
}
"""Every loss by the names Keras gives it."""
