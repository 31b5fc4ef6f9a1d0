"""Run the same LSTM in NumPy, Keras and PyTorch and measure how far apart they are.

Used by ``python -m lstm_tutorial agree`` and by the book. The reference runs
here call the real libraries (a ``keras.layers.LSTM``, a ``torch.nn.LSTM`` with
autograd); nothing of this package's LSTM code is used to produce them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..nn import _checks
from ..nn.gradcheck import rel_error
from ..nn.losses import LOSSES
from ..nn.lstm import LSTMParams, lstm_backward, lstm_forward
from ..nn.model import Sequential
from ..nn.optim import Adam, KerasTorchAdam
from . import _imports
from .torch import to_torch

__all__ = [
    "AgreementRow",
    "LockstepRun",
    "TorchRun",
    "agreement_rows",
    "format_rows",
    "keras_loss_and_grads",
    "keras_lstm_run",
    "lockstep_training",
    "torch_lstm_run",
]


@dataclass
class TorchRun:
    """Outputs and autograd gradients of one ``torch.nn.LSTM`` run, as NumPy arrays.

    Shapes: hs (B, T, H); c_last, dh0, dc0 (B, H); dx (B, T, D); grads in our layout.
    """

    hs: np.ndarray
    c_last: np.ndarray
    dx: np.ndarray
    grads: LSTMParams
    dh0: np.ndarray
    dc0: np.ndarray


def torch_lstm_run(
    params: LSTMParams, x: np.ndarray, h0: np.ndarray, c0: np.ndarray, dhs: np.ndarray
) -> TorchRun:
    """Forward and backward through ``torch.nn.LSTM`` with the loss ``sum(hs * dhs)``.

    That loss makes dL/dh_t = dhs[:, t], so the gradients are directly
    comparable with ``lstm_backward(dhs, cache)``.
    """
    torch = _imports.torch("torch_lstm_run")
    module = to_torch(params)
    x_t = torch.tensor(x, requires_grad=True)
    h0_t = torch.tensor(h0[None], requires_grad=True)
    c0_t = torch.tensor(c0[None], requires_grad=True)
    hs, (_, c_last) = module(x_t, (h0_t, c0_t))
    (hs * torch.from_numpy(dhs)).sum().backward()
    grads = LSTMParams(
        module.weight_ih_l0.grad.numpy().T.copy(),
        module.weight_hh_l0.grad.numpy().T.copy(),
        module.bias_ih_l0.grad.numpy().copy(),
    )
    return TorchRun(
        hs.detach().numpy(),
        c_last.detach().numpy()[0],
        x_t.grad.numpy(),
        grads,
        h0_t.grad.numpy()[0],
        c0_t.grad.numpy()[0],
    )


def keras_lstm_run(
    params: LSTMParams, x: np.ndarray, h0: np.ndarray, c0: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A ``keras.layers.LSTM(return_sequences=True, return_state=True)`` carrying ``params``.

    Returns:
        ``(hs, h_last, c_last)`` as NumPy arrays: (B, T, H), (B, H), (B, H).
    """
    keras = _imports.keras("keras_lstm_run")
    layer = keras.layers.LSTM(
        params.hidden_size, return_sequences=True, return_state=True, dtype=str(params.dtype)
    )
    layer.build((None, None, params.input_size))
    layer.set_weights(params.as_list())
    hs, h_last, c_last = layer(x, initial_state=[h0, c0])
    to_numpy = keras.ops.convert_to_numpy
    return to_numpy(hs), to_numpy(h_last), to_numpy(c_last)


def keras_loss_and_grads(keras_model: Any, x: np.ndarray, y: np.ndarray) -> tuple[float, list[np.ndarray]]:
    """The loss of a compiled Keras model on one batch and its gradients, by torch autograd.

    On the torch backend every Keras weight is a torch parameter (``variable.value``):
    the model is called on the batch (``training=True``), its compiled loss
    (``keras_model.compute_loss``) is evaluated and ``backward()`` fills each
    parameter's ``.grad``, exactly the gradients ``train_on_batch`` hands to its
    optimizer, before clipping. Nothing of this package computes them. A stateful
    model's layers carry their state on from this call, as after a ``train_on_batch``.

    Args:
        keras_model: a compiled ``keras.Model`` (on the torch backend).
        x: the batch's inputs, e.g. (B, T) integer ids for a language model.
        y: its targets, e.g. (B, T) integer ids.

    Returns:
        ``(loss, grads)``: the loss as a float and one NumPy gradient per weight, in
        the order of ``keras_model.trainable_variables`` (``get_weights()``'s order for
        a model whose weights are all trainable).
    """
    keras = _imports.keras("keras_loss_and_grads")
    from .keras import backend

    if not isinstance(keras_model, keras.Model):
        raise TypeError(f"keras_model must be a keras.Model, got {type(keras_model).__name__}")
    if backend() != "torch":
        raise RuntimeError(
            f"keras_loss_and_grads needs Keras on the torch backend (its weights are torch parameters), "
            f"got the {backend()!r} backend; set KERAS_BACKEND=torch before Keras is first imported"
        )
    if not keras_model.compiled:
        raise ValueError("keras_model must be compiled with its loss (keras_model.compile(loss=...)) first")
    for name, value in (("x", x), ("y", y)):
        if not isinstance(value, np.ndarray):
            raise TypeError(f"{name} must be a NumPy array, got {_checks.describe(value)}")
    variables = keras_model.trainable_variables
    for variable in variables:
        variable.value.grad = None
    x_t, y_t = keras.ops.convert_to_tensor(x), keras.ops.convert_to_tensor(y)
    y_pred = keras_model(x_t, training=True)
    loss = keras_model.compute_loss(x=x_t, y=y_t, y_pred=y_pred, training=True)
    loss.backward()
    grads = [variable.value.grad.detach().cpu().numpy().copy() for variable in variables]
    return float(loss.item()), grads


@dataclass
class AgreementRow:
    """Largest differences for one shape (B, T, D, H)."""

    shape: tuple[int, int, int, int]
    keras_forward_f32: float
    torch_forward_f64: float
    torch_grads_f64: float


def agreement_rows(
    shapes: list[tuple[int, int, int, int]] | None = None, seed: int = 0
) -> list[AgreementRow]:
    """Compare NumPy with Keras (float32 forward) and torch (float64 forward and gradients).

    For each (B, T, D, H): random weights (with a random bias), inputs, initial
    states and upstream gradients from ``seed``.

    Returns:
        One row per shape: the largest absolute forward differences (all h_t and
        the final c_T), and the largest relative error ``rel_error`` over the
        gradients of x, W, U, b, h0 and c0.
    """
    shapes = shapes or [(1, 10, 1, 4), (4, 7, 3, 5), (32, 50, 8, 32)]
    rows = []
    for k, (batch, steps, inputs, hidden) in enumerate(shapes):
        rng = np.random.default_rng([seed, k])
        params = LSTMParams.init(inputs, hidden, seed=seed + k)
        params.b[:] = rng.normal(size=params.b.shape)
        x = rng.normal(size=(batch, steps, inputs))
        h0, c0 = rng.normal(size=(2, batch, hidden))
        dhs = rng.normal(size=(batch, steps, hidden))

        hs, cache = lstm_forward(x, params, h0, c0)
        dx, grads, (dh0, dc0) = lstm_backward(dhs, cache)
        ref = torch_lstm_run(params, x, h0, c0, dhs)
        torch_forward = max(np.abs(hs - ref.hs).max(), np.abs(cache.c_last - ref.c_last).max())
        pairs: list[tuple[Any, Any]] = [(dx, ref.dx), (dh0, ref.dh0), (dc0, ref.dc0)]
        pairs += list(zip(grads.as_list(), ref.grads.as_list(), strict=True))
        torch_grads = max(rel_error(a, b) for a, b in pairs)

        p32 = LSTMParams(*(w.astype(np.float32) for w in params.as_list()))
        x32, h32, c32 = (a.astype(np.float32) for a in (x, h0, c0))
        hs32, cache32 = lstm_forward(x32, p32, h32, c32)
        k_hs, k_h, k_c = keras_lstm_run(p32, x32, h32, c32)
        keras_forward = max(
            np.abs(hs32 - k_hs).max(),
            np.abs(cache32.h_last - k_h).max(),
            np.abs(cache32.c_last - k_c).max(),
        )
        rows.append(
            AgreementRow(
                (batch, steps, inputs, hidden),
                float(keras_forward),
                float(torch_forward),
                torch_grads,
            )
        )
    return rows


def format_rows(rows: list[AgreementRow]) -> str:
    """A markdown table of ``agreement_rows``."""
    lines = [
        "| (B, T, D, H) | NumPy vs Keras forward, float32, max abs | "
        "NumPy vs torch forward, float64, max abs | NumPy vs torch gradients, float64, max rel |",
        "|---|---|---|---|",
    ]
    for row in rows:
        values = (row.keras_forward_f32, row.torch_forward_f64, row.torch_grads_f64)
        lines.append(f"| {row.shape} | " + " | ".join(f"{v:.2e}" for v in values) + " |")
    return "\n".join(lines)


@dataclass
class LockstepRun:
    """Losses and weight differences of ``lockstep_training``, one entry per step.

    Shapes: every field is (steps,). ``keras_losses[k]`` and ``numpy_losses[k]`` are the
    models' losses (the sine model's mean squared error) on batch k before that batch's
    update (what Keras' ``train_on_batch`` returns); ``max_weight_diff[k]`` is the largest absolute
    difference between any NumPy weight and the matching Keras weight after it.
    """

    keras_losses: np.ndarray
    numpy_losses: np.ndarray
    max_weight_diff: np.ndarray


def _described_layers(model: Sequential) -> list[tuple[str, dict[str, Any]]]:
    """Each layer's class name and config: what two models must share to compute the same thing."""
    return [(type(layer).__name__, layer.get_config()) for layer in model.layers]


def lockstep_training(
    keras_model: Any,
    numpy_model: Sequential,
    x: np.ndarray,
    y: np.ndarray,
    steps: int,
    batch_size: int,
    seed: int = 0,
    optimizer: Adam | None = None,
) -> LockstepRun:
    """Train a Keras model and its NumPy twin side by side on the same batches (the sine model,
    Keras' addition model, any model ``keras.from_keras`` carries).

    Both models must start from the same weights (e.g. ``numpy_model = from_keras(keras_model)``)
    and the Keras model's Adam must not have stepped yet. Each step takes the next
    batch, calls ``keras_model.train_on_batch`` and, for NumPy, ``loss_and_grads``
    followed by the NumPy optimizer's step. The batches are those of
    ``train.fit(..., batch_size=batch_size, seed=seed)``: a fresh shuffle of all N
    samples per pass, the last batch of a pass possibly smaller. Both models are
    trained in place.

    Args:
        keras_model: a compiled Keras model with a fresh ``keras.optimizers.Adam``, e.g.
            ``build_sine_model()`` (loss ``"mean_squared_error"``).
        numpy_model: a ``model.Sequential`` with the Keras model's layers (as ``from_keras``
            reads them: a softmax head is our Dense, its softmax folded into the loss), its
            loss, and exactly its weights, in float32.
        x: (N, T, D) float32 inputs ((N, T) ids after an ``Embedding``).
        y: targets as ``numpy_model`` takes them: (N,) float32 for the sine model.
        steps: number of optimizer steps (batches).
        batch_size: samples per batch.
        seed: seed of the shuffling.
        optimizer: the NumPy optimizer, fresh, with the Keras optimizer's hyperparameters:
            ``optim.Adam`` (Keras' ``Adam.update_step``, as on the TensorFlow and JAX
            backends) or ``optim.KerasTorchAdam`` (the update Keras runs on the torch
            backend). None: a new one of the kind that matches the running backend.

    Returns:
        A ``LockstepRun`` with (steps,) arrays.
    """
    keras = _imports.keras("lockstep_training")
    from ..nn.train import batch_indices
    from .keras import backend, from_keras

    numpy_model = _checks.instance("numpy_model", numpy_model, Sequential)
    if not isinstance(keras_model, keras.Model):
        raise TypeError(f"keras_model must be a keras.Model, got {type(keras_model).__name__}")
    if not keras_model.compiled:
        raise ValueError(
            "keras_model must be compiled with its loss and Adam (keras_model.compile(...)) first"
        )
    twin = from_keras(keras_model)  # refuses a layer or a loss this package cannot carry, naming it
    assert isinstance(twin, Sequential)  # a keras.Model gives a model
    theirs_layers, ours_layers = _described_layers(twin), _described_layers(numpy_model)
    if theirs_layers != ours_layers:
        raise ValueError(f"keras_model must have numpy_model's layers {ours_layers}, got {theirs_layers}")
    if LOSSES[twin.loss] is not LOSSES[numpy_model.loss]:
        raise ValueError(
            f"keras_model must be compiled with numpy_model's loss {numpy_model.loss!r}, got {twin.loss!r} "
            f"(Keras' {keras_model.loss!r})"
        )
    numpy_model.check_inputs(x, y)
    steps = _checks.positive_int("steps", steps)
    batch_size = _checks.positive_int("batch_size", batch_size)
    keras_optimizer = keras_model.optimizer
    if not isinstance(keras_optimizer, keras.optimizers.Adam):
        raise TypeError(
            f"keras_model must be compiled with keras.optimizers.Adam, got {type(keras_optimizer).__name__}"
        )
    extras = {
        name: getattr(keras_optimizer, name, None)
        for name in ("amsgrad", "weight_decay", "clipnorm", "clipvalue", "global_clipnorm", "use_ema")
    }
    if any(value for value in extras.values()):
        raise ValueError(
            f"keras_model's Adam must be plain Adam (no amsgrad, weight decay, clipping or EMA), got {extras}"
        )
    if int(keras_optimizer.iterations) != 0:
        raise ValueError(
            f"keras_model's optimizer must be fresh (0 iterations), got {int(keras_optimizer.iterations)} "
            "iterations; build a new model, e.g. build_sine_model(seed=...)"
        )
    ours_shapes = [w.shape for w in numpy_model.parameters()]
    theirs_shapes = [tuple(w.shape) for w in keras_model.get_weights()]
    if ours_shapes != theirs_shapes:
        raise ValueError(
            f"numpy_model's weight shapes {ours_shapes} must match keras_model's {theirs_shapes}"
        )
    start_diff = max(
        float(np.abs(ours - theirs).max())
        for ours, theirs in zip(numpy_model.parameters(), keras_model.get_weights(), strict=True)
    )
    if start_diff != 0.0:
        raise ValueError(
            "numpy_model must start from keras_model's weights, got a largest difference of "
            f"{start_diff:.3e}; copy them with numpy_model = keras.from_keras(keras_model)"
        )
    hyper = {
        "learning_rate": float(keras_optimizer.learning_rate),
        "beta_1": float(keras_optimizer.beta_1),
        "beta_2": float(keras_optimizer.beta_2),
        "epsilon": float(keras_optimizer.epsilon),
    }
    if optimizer is None:
        optimizer = (KerasTorchAdam if backend() == "torch" else Adam)(**hyper)
    elif not isinstance(optimizer, Adam):
        raise TypeError(
            f"optimizer must be an optim.Adam or optim.KerasTorchAdam, got {_checks.describe(optimizer)}"
        )
    else:
        ours = {name: getattr(optimizer, name) for name in hyper}
        if optimizer.iterations != 0:
            raise ValueError(f"optimizer must be fresh (0 iterations), got {optimizer.iterations} iterations")
        if any(np.float32(ours[name]) != np.float32(value) for name, value in hyper.items()):
            raise ValueError(f"optimizer must have keras_model's hyperparameters {hyper}, got {ours}")
    rng = np.random.default_rng(seed)
    keras_losses: list[float] = []
    numpy_losses: list[float] = []
    weight_diffs: list[float] = []
    batches: Iterator[np.ndarray] = iter(())
    for _ in range(steps):
        index = next(batches, None)
        if index is None:  # a new pass over the data, freshly shuffled, as in train.fit
            batches = batch_indices(len(x), batch_size, rng)
            index = next(batches)
        loss, grads = numpy_model.loss_and_grads(x[index], y[index])
        optimizer.step(numpy_model.parameters(), grads.parameters())
        numpy_losses.append(loss)
        logs = keras_model.train_on_batch(x[index], y[index], return_dict=True)  # the loss, and any metrics
        keras_losses.append(float(logs["loss"]))
        weight_diffs.append(
            max(
                float(np.abs(ours - theirs).max())
                for ours, theirs in zip(numpy_model.parameters(), keras_model.get_weights(), strict=True)
            )
        )
    return LockstepRun(np.array(keras_losses), np.array(numpy_losses), np.array(weight_diffs))
