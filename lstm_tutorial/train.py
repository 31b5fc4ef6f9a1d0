"""Mini-batch training for any ``model.Sequential``, in the spirit of Keras' ``model.fit``."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np

from . import _checks
from .model import Sequential
from .optim import SGD, Adam, clip_by_global_norm

__all__ = ["History", "batch_indices", "fit"]


@dataclass
class History:
    """What ``fit`` records, one entry per epoch.

    Attributes:
        loss: mean squared error over the epoch's samples, as Keras reports it
            (the average of the batch losses, weighted by batch size, with the
            weights changing during the epoch).
        seconds: wall time of each epoch.
    """

    loss: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)


def batch_indices(n_samples: int, batch_size: int, rng: np.random.Generator | None) -> Iterator[np.ndarray]:
    """The sample indices of each batch of one epoch.

    Args:
        n_samples: N.
        batch_size: samples per batch; the last batch may be smaller.
        rng: a generator to shuffle with, or None to keep the order.

    Yields:
        1-D index arrays that together cover 0..N-1 once.
    """
    order = rng.permutation(n_samples) if rng is not None else np.arange(n_samples)
    for start in range(0, n_samples, batch_size):
        yield order[start : start + batch_size]


def fit(
    model: Sequential,
    x: np.ndarray,
    y: np.ndarray,
    epochs: int = 1,
    batch_size: int = 32,
    shuffle: bool = True,
    seed: int = 0,
    optimizer: Adam | SGD | None = None,
    verbose: int = 1,
    on_batch_end: Callable[[int, float], None] | None = None,
    clip_norm: float | None = None,
) -> History:
    """Train ``model`` (any ``model.Sequential``: ``LSTMRegressor`` and its twins included)
    in place on its loss.

    Args:
        model: the model to train; its weights are updated in place.
        x: (N, T, D) inputs, the model's dtype.
        y: (N,) targets (one per sequence), the model's dtype.
        epochs: passes over the data.
        batch_size: samples per gradient step (1 in the classic example).
        shuffle: reshuffle the samples before every epoch (Keras' default).
        seed: seed of the shuffling; the same seed gives the same batches.
        optimizer: ``Adam()`` (Keras' defaults) if None.
        verbose: 0 silent; 1 prints a line per epoch, like Keras' ``verbose=2``.
        on_batch_end: called as ``on_batch_end(step, batch_loss)`` after every step.
        clip_norm: if given, clip the gradients to this global norm before each step
            (``optim.clip_by_global_norm``).

    Returns:
        A ``History`` with the loss and wall time of every epoch.
    """
    if not isinstance(model, Sequential):
        raise TypeError(
            f"model must be a model.Sequential (an LSTMRegressor, say), got {_checks.describe(model)}"
        )
    model.check_inputs(x, y)
    epochs = _checks.positive_int("epochs", epochs)
    batch_size = _checks.positive_int("batch_size", batch_size)
    optimizer = Adam() if optimizer is None else optimizer
    rng = np.random.default_rng(seed) if shuffle else None
    history = History()
    step = 0
    for epoch in range(epochs):
        start = time.perf_counter()
        total = 0.0
        for index in batch_indices(len(y), batch_size, rng):
            loss, grads = model.loss_and_grads(x[index], y[index], check=False)
            grad_arrays = grads.parameters()
            if clip_norm is not None:
                grad_arrays, _ = clip_by_global_norm(grad_arrays, clip_norm)
            optimizer.step(model.parameters(), grad_arrays)
            total += loss * len(index)
            step += 1
            if on_batch_end is not None:
                on_batch_end(step, loss)
        history.loss.append(total / len(y))
        history.seconds.append(time.perf_counter() - start)
        if verbose:
            print(
                f"Epoch {epoch + 1}/{epochs} - {history.seconds[-1]:.2f}s - loss: {history.loss[-1]:.4e}",
                flush=True,
            )
    return history
