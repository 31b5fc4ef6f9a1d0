"""The classic sine model in NumPy: an LSTM layer, then Dense(1) on its last hidden state.

It is the NumPy twin of ``keras_model.build_sine_model``:

    h_1..h_T = LSTM(x)                (B, T, H), only h_T is used
    y_hat    = h_T V + a              (B,)  with V (H, 1), a (1,)
    loss     = mean((y_hat - y)**2)   Keras' "mean_squared_error"

``get_weights``/``set_weights`` use Keras' order, ``[kernel, recurrent_kernel,
bias, dense kernel, dense bias]``, so ``model.set_weights(keras_model.get_weights())``
moves a trained Keras model into NumPy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _checks
from .lstm import LSTMParams, _backward, _forward, check_sequence, glorot_uniform, lstm_forward

__all__ = ["LSTMRegressor", "dense_mse_grads"]


def dense_mse_grads(
    h_last: np.ndarray, dense_W: np.ndarray, dense_b: np.ndarray, y: np.ndarray
) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
    """Dense(1) on the last hidden state, the mean squared error, and its gradients.

    The head every regressor of the package shares (LSTM, RNN, GRU and the LSTM variants):

        y_hat = h_T V + a,   loss = mean((y_hat - y)**2),   d loss / d y_hat = 2 (y_hat - y) / N

    Args:
        h_last: (N, H) the last hidden state h_T.
        dense_W: (H, 1) V, the Dense kernel.
        dense_b: (1,) a, the Dense bias.
        y: (N,) targets.

    Returns:
        ``(loss, dh_last, d_dense_W, d_dense_b)``: the loss as a float, and the gradients with
        respect to h_T (N, H), V (H, 1) and a (1,).
    """
    error = (h_last @ dense_W + dense_b)[:, 0] - y
    d_pred = (2.0 / len(y)) * error[:, None]  # (N, 1)
    return float(np.mean(error * error)), d_pred @ dense_W.T, h_last.T @ d_pred, d_pred.sum(axis=0)


@dataclass
class LSTMRegressor:
    """LSTM(H) followed by Dense(1), predicting one number per input sequence.

    Attributes:
        lstm: the LSTM layer's weights.
        dense_W: (H, 1) the Dense layer's kernel.
        dense_b: (1,) the Dense layer's bias.
    """

    lstm: LSTMParams
    dense_W: np.ndarray
    dense_b: np.ndarray

    def __post_init__(self) -> None:
        if not isinstance(self.lstm, LSTMParams):
            raise TypeError(f"lstm must be an LSTMParams, got {_checks.describe(self.lstm)}")
        _checks.float_array("dense_W", self.dense_W, ndim=2)
        _checks.float_array("dense_b", self.dense_b, ndim=1)
        _checks.shape_is("dense_W", self.dense_W, (self.lstm.hidden_size, 1), "(H, 1)")
        _checks.shape_is("dense_b", self.dense_b, (1,), "(1,)")
        _checks.same_dtype("dense_W", self.dense_W, self.lstm.dtype, "lstm")
        _checks.same_dtype("dense_b", self.dense_b, self.lstm.dtype, "lstm")

    @classmethod
    def init(
        cls, input_size: int = 1, hidden_size: int = 4, seed: int = 0, dtype: Any = np.float64
    ) -> LSTMRegressor:
        """Fresh weights with Keras' defaults (Glorot-uniform kernels, orthogonal U, zero biases
        but 1.0 on the forget gate).

        Args:
            input_size: D, features per step (1 for the sine wave, 2 for the adding problem).
            hidden_size: H, the LSTM's units (4 in the classic model).
            seed: seed for NumPy's random generator.
            dtype: np.float32 (as Keras) or np.float64.
        """
        lstm = LSTMParams.init(input_size, hidden_size, seed=seed, dtype=dtype)
        rng = np.random.default_rng([seed, 1])
        dense_W = glorot_uniform(rng, (lstm.hidden_size, 1), lstm.dtype)
        return cls(lstm, dense_W, np.zeros(1, dtype=lstm.dtype))

    @property
    def dtype(self) -> np.dtype[Any]:
        """The dtype of every weight."""
        return self.lstm.dtype

    def count_params(self) -> int:
        """The number of weights, as Keras' ``count_params`` counts them."""
        return sum(w.size for w in self.parameters())

    def parameters(self) -> list[np.ndarray]:
        """The live weight arrays in Keras' order, for an optimizer to update in place."""
        return [self.lstm.W, self.lstm.U, self.lstm.b, self.dense_W, self.dense_b]

    def get_weights(self) -> list[np.ndarray]:
        """Copies of the weights in Keras' order: kernel, recurrent_kernel, bias, dense kernel, dense bias."""
        return [w.copy() for w in self.parameters()]

    def set_weights(self, weights: Sequence[np.ndarray]) -> None:
        """Replace the weights with copies of ``weights`` (Keras' order and shapes).

        Shapes and dtype must match this model exactly: nothing is cast.
        """
        names = ("kernel", "recurrent_kernel", "bias", "dense kernel", "dense bias")
        if len(weights) != len(names):
            raise ValueError(f"weights must be a list of {len(names)} arrays {names}, got {len(weights)}")
        for name, new, old in zip(names, weights, self.parameters(), strict=True):
            _checks.float_array(f"weights[{name}]", new)
            _checks.same_dtype(f"weights[{name}]", new, old.dtype, "the model")
            if new.shape != old.shape:
                raise ValueError(f"weights[{name}] must have shape {old.shape}, got {new.shape}")
        W, U, b, dense_W, dense_b = (np.array(w, copy=True) for w in weights)
        self.lstm = LSTMParams(W, U, b)
        self.dense_W, self.dense_b = dense_W, dense_b

    def copy(self) -> LSTMRegressor:
        """A deep copy."""
        return LSTMRegressor(self.lstm.copy(), self.dense_W.copy(), self.dense_b.copy())

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Predictions for a batch of sequences.

        Args:
            x: (N, T, D) windows, the model's dtype.

        Returns:
            (N,) one prediction per window (Keras' ``predict`` returns (N, 1)).
        """
        hs, _ = lstm_forward(x, self.lstm)
        return (hs[:, -1] @ self.dense_W + self.dense_b)[:, 0]

    def loss_and_grads(self, x: np.ndarray, y: np.ndarray) -> tuple[float, LSTMRegressor]:
        """Mean squared error and its gradient with respect to every weight.

        Args:
            x: (N, T, D) windows, the model's dtype.
            y: (N,) targets, the model's dtype.

        Returns:
            ``(loss, grads)``: the loss as a float, and an ``LSTMRegressor`` whose
            arrays are the gradients of the matching weights.
        """
        check_sequence(x, self.dtype, self.lstm.input_size)
        _checks.float_array("y", y, ndim=1)
        _checks.same_dtype("y", y, self.dtype, "the model")
        if y.shape[0] != x.shape[0]:
            raise ValueError(
                f"y must have shape (N,) = ({x.shape[0]},) to match x of shape {x.shape}, got {y.shape}"
            )
        return self._loss_and_grads(x, y)

    def _loss_and_grads(self, x: np.ndarray, y: np.ndarray) -> tuple[float, LSTMRegressor]:
        """``loss_and_grads`` without the input checks (``train.fit`` checks once per run)."""
        zeros = np.zeros((x.shape[0], self.lstm.hidden_size), dtype=self.dtype)
        cache = _forward(x, self.lstm, zeros, zeros)
        loss, dh_last, d_dense_W, d_dense_b = dense_mse_grads(cache.h_last, self.dense_W, self.dense_b, y)
        # Only h_T feeds the Dense layer: the other steps' outputs get no gradient of their own.
        dhs = np.zeros((x.shape[0], x.shape[1], self.lstm.hidden_size), dtype=self.dtype)
        dhs[:, -1] = dh_last
        _, lstm_grads, _, _ = _backward(dhs, cache, None, None)
        grads = object.__new__(LSTMRegressor)  # our own arrays: skip the checks (hot path)
        grads.lstm, grads.dense_W, grads.dense_b = lstm_grads, d_dense_W, d_dense_b
        return loss, grads
