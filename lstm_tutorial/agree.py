"""Run the same LSTM in NumPy, Keras and PyTorch and measure how far apart they are.

Used by ``python -m lstm_tutorial agree`` and by the book. The reference runs
here call the real libraries (a ``keras.layers.LSTM``, a ``torch.nn.LSTM`` with
autograd); nothing of this package's LSTM code is used to produce them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .gradcheck import rel_error
from .interop import to_torch
from .lstm import LSTMParams, lstm_backward, lstm_forward

__all__ = [
    "AgreementRow",
    "TorchRun",
    "agreement_rows",
    "format_rows",
    "keras_lstm_run",
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
    import torch

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
    from .keras_model import keras

    layer = keras.layers.LSTM(
        params.hidden_size, return_sequences=True, return_state=True, dtype=str(params.dtype)
    )
    layer.build((None, None, params.input_size))
    layer.set_weights(params.as_list())
    hs, h_last, c_last = layer(x, initial_state=[h0, c0])
    to_numpy = keras.ops.convert_to_numpy
    return to_numpy(hs), to_numpy(h_last), to_numpy(c_last)


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
        dx, grads, dh0, dc0 = lstm_backward(dhs, cache)
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
