"""Mini-batch training for any ``model.Sequential``, in the spirit of Keras' ``model.fit``."""

from __future__ import annotations

import inspect
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import _checks
from ._progress import progress_bar
from .model import Sequential
from .optim import SGD, Adam, clip_by_global_norm
from .schedules import rate_at
from .seq2seq import EncoderDecoder

__all__ = ["OPTIMIZERS", "DivergenceError", "History", "batch_indices", "fit"]

OPTIMIZERS: dict[str, type[Adam] | type[SGD]] = {"adam": Adam, "sgd": SGD}
"""The optimizers ``fit`` builds from a name, as Keras' ``optimizer="adam"`` does (defaults)."""


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


class DivergenceError(FloatingPointError):
    """``fit`` stopped because a batch's loss or a gradient became NaN or inf.

    Keras' ``TerminateOnNaN`` callback stops quietly; this error says where and why.
    No update is ever made from a non-finite loss or gradient, so the model keeps
    the weights that step started from (the message says if an earlier update
    already made them non-finite).

    Attributes:
        step: the step that failed, counted from 1 over the whole run.
        epoch: its epoch, counted from 1.
        loss: its batch loss (finite when only a gradient was not).
        history: the ``History`` of the epochs completed before it.
    """

    def __init__(self, message: str, step: int, epoch: int, loss: float, history: History) -> None:
        super().__init__(message)
        self.step, self.epoch, self.loss, self.history = step, epoch, loss, history


def batch_indices(n_samples: int, batch_size: int, rng: np.random.Generator | None) -> Iterator[np.ndarray]:
    """The sample indices of each batch of one epoch.

    Args:
        n_samples: N, an integer >= 1.
        batch_size: samples per batch, an integer >= 1; the last batch may be smaller.
        rng: a generator to shuffle with, or None to keep the order.

    Yields:
        1-D index arrays that together cover 0..N-1 once.
    """
    n_samples = _checks.positive_int("n_samples", n_samples)
    batch_size = _checks.positive_int("batch_size", batch_size)
    if rng is not None:
        _checks.rng("rng", rng)
    return _batches(n_samples, batch_size, rng)


def _batches(n_samples: int, batch_size: int, rng: np.random.Generator | None) -> Iterator[np.ndarray]:
    order = rng.permutation(n_samples) if rng is not None else np.arange(n_samples)
    for start in range(0, n_samples, batch_size):
        yield order[start : start + batch_size]


def _optimizer(value: Any) -> Adam | SGD:
    """The optimizer ``fit`` runs: a new Adam for None, one built by name, or the one given."""
    if value is None:
        return Adam()
    if isinstance(value, str):
        if value.lower() not in OPTIMIZERS:
            raise ValueError(
                f"optimizer must be one of the names {sorted(OPTIMIZERS)} (built with Keras' defaults), "
                f"an Adam or SGD instance, or None, got {value!r}"
            )
        return OPTIMIZERS[value.lower()]()
    if isinstance(value, type) and issubclass(value, (Adam, SGD)):
        raise TypeError(f"optimizer must be an instance, {value.__name__}(), not the class {value.__name__}")
    if not isinstance(value, (Adam, SGD)):
        raise TypeError(
            f"optimizer must be an Adam or SGD instance (lstm_tutorial.nn.optim), one of the names "
            f"{sorted(OPTIMIZERS)}, or None, got {_checks.describe(value)}"
        )
    return value


def _non_finite(arrays: list[np.ndarray]) -> list[int]:
    """The indices of the arrays holding NaN or inf.

    A sum is finite only if every term is, so one sum per array clears the usual
    case; only a non-finite sum (or huge values whose sum overflowed) looks closer.
    """
    if all(math.isfinite(float(np.add.reduce(a, axis=None))) for a in arrays):
        return []
    return [k for k, a in enumerate(arrays) if not np.isfinite(a).all()]


def _diverged(
    model: Trainable, optimizer: Adam | SGD, where: tuple[int, int, int, int], loss: float, bad: list[int]
) -> str:
    """The message of a ``DivergenceError``: where, what, and what to try."""
    step, epoch, batch, batches = where
    labels = model.weight_labels()
    what = [f"the batch loss is {loss}" if not math.isfinite(loss) else f"the batch loss is {loss:.4g}"]
    if bad:
        what.append(f"the gradient of {', '.join(labels[k] for k in bad)} holds NaN or inf")
    kept = "the weights this step started from (no update was made)"
    if _non_finite(model.parameters()):
        kept += ", which are not finite either: the update of the step before overflowed"
    return (
        f"training diverged at step {step} (epoch {epoch}, batch {batch} of {batches}): "
        f"{' and '.join(what)}. The model keeps {kept}. Try a smaller learning rate "
        f"(this {type(optimizer).__name__}'s is {rate_at(optimizer.learning_rate, optimizer.iterations):g} "
        "at this step), or clip_norm=1.0"
    )


Trainable = Sequential | EncoderDecoder
"""What ``fit`` trains: a ``model.Sequential`` (one input array) or a ``seq2seq.EncoderDecoder``
(a list of two, Keras' ``fit([encoder_input, decoder_input], y)``)."""


def _rows(x: np.ndarray | list[np.ndarray], index: np.ndarray) -> Any:
    """The samples ``index`` of x: of each array, when x is a list of inputs (Keras' multi-input fit)."""
    return [part[index] for part in x] if isinstance(x, list) else x[index]


def fit(
    model: Trainable,
    x: Any,
    y: Any,
    epochs: int = 1,
    batch_size: int = 32,
    shuffle: bool = True,
    seed: int = 0,
    optimizer: Adam | SGD | str | None = None,
    verbose: int = 1,
    on_batch_end: Callable[[int, float], None] | None = None,
    clip_norm: float | None = None,
) -> History:
    """Train ``model`` (any ``model.Sequential``: ``LSTMRegressor`` and its twins included)
    in place on its loss.

    Every argument is checked before the first update. Training stops with a
    ``DivergenceError`` (step, epoch, loss, a hint) as soon as a batch's loss or a
    gradient is NaN or inf; the model then keeps the weights that step started from.

    Args:
        model: the model to train; its weights are updated in place.
        x: (N, T, D) inputs: floating arrays or nested lists of any precision, cast
            to the model's dtype as Keras does (``Sequential.cast_inputs``); for an
            ``EncoderDecoder``, ``[source_ids (N, S), decoder_input_ids (N, T)]``, as Keras'
            multi-input ``fit`` takes them (``EncoderDecoder.cast_inputs``).
        y: (N,) targets (one per sequence; Keras' (N, 1) is accepted), cast alike; (N, T)
            target ids for an ``EncoderDecoder``.
        epochs: passes over the data, an integer >= 1.
        batch_size: samples per gradient step (1 in the classic example), an integer >= 1.
        shuffle: reshuffle the samples before every epoch (Keras' default); a real bool.
        seed: seed of the shuffling, an integer >= 0; the same seed gives the same batches.
        optimizer: an ``Adam`` or ``SGD``; ``"adam"`` or ``"sgd"`` (Keras' names, with
            their defaults); ``Adam()`` (Keras' defaults) if None. An optimizer keeps
            state for the arrays it updates (Adam's moments): give each model its own.
            An ``Adam`` that has stepped other arrays (another model's, or this model's
            before ``set_weights`` replaced them) is refused by its first step here with
            a ValueError, before any update (``optim.Adam``); the same ``Adam`` on the
            same model continues with its moments, as a second Keras ``fit`` does.
        verbose: 0 silent; 1 a progress bar per epoch over its batches with the running
            loss (tqdm, on stderr; a widget in Jupyter when ipywidgets is installed), like
            Keras' ``verbose=1``; 2 one line per epoch on stdout, like Keras' ``verbose=2``.
        on_batch_end: None, or a callable run as ``on_batch_end(step, batch_loss)`` after
            every step.
        clip_norm: None, or a finite number > 0: clip the gradients to this global norm
            before each step (``optim.clip_by_global_norm``).

    Dropout (a ``Dropout`` layer, ``Recurrent(..., dropout=p)``) is active in every step
    here, each batch with new masks from the layers' own generators (their ``seed``),
    and never in ``predict`` or ``evaluate``, as in Keras.

    A model with stateful layers (``Recurrent(..., stateful=True)``) needs
    ``shuffle=False`` and a batch size that divides N (or is at least N: one batch
    per epoch); its states are reset at the start of every epoch and carried from
    batch to batch within it. Both are checked before the first update, as is
    ``on_batch_end``'s signature.

    Returns:
        A ``History`` with the loss and wall time of every epoch.

    Raises:
        DivergenceError: a batch's loss or gradient is not finite (see above).
    """
    if not isinstance(model, (Sequential, EncoderDecoder)):
        raise TypeError(
            "model must be a model.Sequential (an LSTMRegressor, say) or a seq2seq.EncoderDecoder, "
            f"got {_checks.describe(model)}"
        )
    x, y = model.cast_inputs(x, y)
    assert y is not None
    epochs = _checks.positive_int("epochs", epochs)
    batch_size = _checks.positive_int("batch_size", batch_size)
    shuffle = _checks.flag("shuffle", shuffle)
    seed = _checks.seed("seed", seed, allow_none=False)  # type: ignore[assignment]
    if isinstance(verbose, bool) or verbose not in (0, 1, 2):
        raise ValueError(f"verbose must be 0, 1 or 2, got {_checks.describe(verbose)}")
    _check_callback("on_batch_end", on_batch_end, ("step", "batch_loss"))
    if clip_norm is not None:
        clip_norm = _checks.finite_number(
            "clip_norm", clip_norm, 0.0, low_open=True, expected="a finite number > 0, or None"
        )
    optimizer = _optimizer(optimizer)
    stateful = isinstance(model, Sequential) and any(
        getattr(layer, "stateful", False) for layer in model.layers
    )
    n_samples = len(y)
    if stateful:
        _check_stateful(shuffle, n_samples, batch_size)
    rng = np.random.default_rng(seed) if shuffle else None
    history = History()
    batches = -(-n_samples // batch_size)
    step = 0
    for epoch in range(epochs):
        start = time.perf_counter()
        if isinstance(model, Sequential) and stateful:
            model.reset_states()  # each epoch reads the streams from their start
        bar = progress_bar(batches, f"Epoch {epoch + 1}/{epochs}") if verbose == 1 else None
        try:
            position = (step, epoch, batches, history)
            step = _epoch(model, (x, y), (batch_size, rng), optimizer, clip_norm, on_batch_end, position, bar)
        finally:
            if bar is not None:
                bar.close()
        history.seconds.append(time.perf_counter() - start)
        if verbose == 2:
            print(
                f"Epoch {epoch + 1}/{epochs} - {history.seconds[-1]:.2f}s - loss: {history.loss[-1]:.4e}",
                flush=True,
            )
    return history


def _check_callback(name: str, callback: Any, arguments: tuple[str, ...]) -> None:
    """None, or a callable that takes ``arguments`` positionally: refused before training starts,
    not at the end of the first step, after the first update."""
    expected = f"None or a function of ({', '.join(arguments)})"
    if callback is None:
        return
    if not callable(callback):
        raise TypeError(f"{name} must be {expected}, got {_checks.describe(callback)}")
    try:
        signature = inspect.signature(callback)
    except (TypeError, ValueError):  # some builtins have no signature to read: called as they are
        return
    try:
        signature.bind(*(0 for _ in arguments))
    except TypeError as error:
        raise TypeError(
            f"{name} must be {expected}, called as {name}({', '.join(arguments)}), "
            f"got {getattr(callback, '__qualname__', type(callback).__name__)}{signature}: {error}"
        ) from None


def _check_stateful(shuffle: bool, n_samples: int, batch_size: int) -> None:
    """A model with stateful layers reads parallel streams: unshuffled, in batches of one size."""
    if shuffle:
        raise ValueError(
            "shuffle must be False for a model with stateful layers: batch k + 1 continues batch k "
            "(lay the data out with text.stream_batches)"
        )
    if n_samples > batch_size and n_samples % batch_size:
        raise ValueError(
            f"batch_size must divide N for a model with stateful layers, which carry the state of "
            f"batch_size streams from batch to batch: N = {n_samples} samples in batches of "
            f"{batch_size} leave a last batch of {n_samples % batch_size}; use a batch_size that "
            f"divides {n_samples}, or drop the last {n_samples % batch_size} samples"
        )


def _epoch(
    model: Trainable,
    data: tuple[Any, np.ndarray],
    batching: tuple[int, np.random.Generator | None],
    optimizer: Adam | SGD,
    clip_norm: float | None,
    on_batch_end: Callable[[int, float], None] | None,
    position: tuple[int, int, int, History],
    bar: Any,
) -> int:
    """One epoch of ``fit``: a step per batch. Appends the epoch's loss to the history and
    returns the number of steps taken so far; ``position`` is (steps so far, epoch index,
    batches per epoch, history)."""
    x, y = data
    batch_size, rng = batching
    step, epoch, batches, history = position
    total, seen = 0.0, 0
    for batch, index in enumerate(_batches(len(y), batch_size, rng), start=1):
        with np.errstate(over="ignore", invalid="ignore"):  # a diverged loss is caught below
            loss, grads = model.loss_and_grads(_rows(x, index), y[index], check=False, training=True)
        grad_arrays = grads.parameters()
        bad = _non_finite(grad_arrays)
        if bad or not math.isfinite(loss):
            where = (step + 1, epoch + 1, batch, batches)
            message = _diverged(model, optimizer, where, loss, bad)
            raise DivergenceError(message, step + 1, epoch + 1, loss, history)
        if clip_norm is not None:
            grad_arrays, _ = clip_by_global_norm(grad_arrays, clip_norm)
        with np.errstate(over="ignore"):  # an update that overflows shows in the next loss
            optimizer.step(model.parameters(), grad_arrays)
        total += loss * len(index)
        seen += len(index)
        step += 1
        if bar is not None:  # the mean loss of the epoch so far, as Keras' bar shows it
            bar.set_postfix_str(f"loss={total / seen:.4e}", refresh=False)
            bar.update(1)
        if on_batch_end is not None:
            on_batch_end(step, loss)
    history.loss.append(total / len(y))
    return step
