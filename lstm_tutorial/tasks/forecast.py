"""Forecasting: the baselines an LSTM must beat, and forecasts many steps ahead.

Every forecaster here is a function from windows to one number per window,
``predict(x) -> y_hat`` with x of shape (N, look_back, 1) and y_hat of shape (N,),
the same contract as ``LSTMRegressor.predict``. So the baselines, the LSTM and
``recursive_forecast`` all plug into each other.

    persistence_forecast   "the next value is the last one"
    fit_autoregression     a linear autoregression AR(p), fitted by least squares
    recursive_forecast     many steps ahead by feeding each prediction back
    horizon_errors         forecast minus truth at every step ahead, from many origins
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..nn import _checks
from .data import MAX_VALUES

__all__ = [
    "LinearAR",
    "fit_autoregression",
    "horizon_errors",
    "persistence_forecast",
    "recursive_forecast",
    "rmse",
]

Forecaster = Callable[[np.ndarray], np.ndarray]


def _windows(name: str, x: Any) -> np.ndarray:
    """Check that ``x`` is a float array of windows (N, look_back, 1)."""
    _checks.float_array(name, x, ndim=3)
    if x.shape[2] != 1 or x.shape[0] < 1 or x.shape[1] < 1:
        raise ValueError(f"{name} must have shape (N, look_back, 1) with N, look_back >= 1, got {x.shape}")
    return np.asarray(x)


def persistence_forecast(x: np.ndarray) -> np.ndarray:
    """The naive forecast: every window's next value is its last value.

    Args:
        x: (N, look_back, 1) windows.

    Returns:
        (N,) ``x[:, -1, 0]``.
    """
    return _windows("x", x)[:, -1, 0].copy()


@dataclass(frozen=True)
class LinearAR:
    """A linear autoregression of order p: ``y_hat = x[t-p] coef[0] + ... + x[t-1] coef[p-1] + intercept``.

    Attributes:
        coef: (p,) weights of the last p values of a window, oldest first (the
            order of the window itself, so ``coef[-1]`` weighs the most recent value).
        intercept: the constant term.
    """

    coef: np.ndarray
    intercept: float

    def __post_init__(self) -> None:
        _checks.float_array("coef", self.coef, ndim=1)
        # A frozen dataclass sets its fields through object.__setattr__.
        object.__setattr__(self, "intercept", _checks.finite_number("intercept", self.intercept))

    @property
    def order(self) -> int:
        """p, the number of past values the model reads."""
        return int(self.coef.shape[0])

    def predict(self, x: np.ndarray) -> np.ndarray:
        """One-step forecasts.

        Args:
            x: (N, look_back, 1) windows with look_back >= p; only the last p values are used.

        Returns:
            (N,) predictions, in the dtype of ``x``.
        """
        x = _windows("x", x)
        if x.shape[1] < self.order:
            raise ValueError(
                f"x must hold at least p = {self.order} values per window, got windows of shape {x.shape}"
            )
        coef = self.coef.astype(x.dtype)
        return x[:, -self.order :, 0] @ coef + x.dtype.type(self.intercept)


def fit_autoregression(x: np.ndarray, y: np.ndarray, order: int) -> LinearAR:
    """Least squares fit of an AR(``order``) model with intercept to windows and their targets.

    Solves ``min ||A w - y||^2`` for the design matrix A whose row n is the last
    ``order`` values of window n followed by a 1, in float64.

    Args:
        x: (N, look_back, 1) windows, look_back >= order.
        y: (N,) the value after each window.
        order: p >= 1, the number of past values the model reads.

    Returns:
        The fitted ``LinearAR``.
    """
    x = _windows("x", x)
    _checks.float_array("y", y, ndim=1)
    _checks.same_dtype("y", y, x.dtype, "x")
    order = _checks.positive_int("order", order)
    if y.shape[0] != x.shape[0]:
        raise ValueError(
            f"y must have shape (N,) = ({x.shape[0]},) to match x of shape {x.shape}, got {y.shape}"
        )
    if x.shape[1] < order:
        raise ValueError(f"order must be at most look_back = {x.shape[1]} (the window length), got {order}")
    if x.shape[0] < order + 1:
        raise ValueError(
            f"x must hold at least order + 1 = {order + 1} windows to fit {order + 1} numbers, "
            f"got {x.shape[0]}"
        )
    design = np.hstack([x[:, -order:, 0], np.ones((x.shape[0], 1))]).astype(np.float64)
    solution, *_ = np.linalg.lstsq(design, y.astype(np.float64), rcond=None)
    return LinearAR(coef=solution[:order], intercept=float(solution[order]))


def recursive_forecast(predict: Forecaster, windows: np.ndarray, horizon: int) -> np.ndarray:
    """Forecast ``horizon`` steps ahead by feeding each prediction back as the newest input.

    Step k predicts from the window, then the window moves on by one: its
    oldest value is dropped and the prediction is appended. From step
    ``look_back + 1`` on, the model reads nothing but its own forecasts.

    Args:
        predict: a one-step forecaster, (N, look_back, 1) -> (N,), e.g. ``LSTMRegressor.predict``.
        windows: (B, look_back, 1) the last observed values at B forecast origins.
        horizon: number of steps ahead, >= 1; B horizon at most ``data.MAX_VALUES``.

    Returns:
        (B, horizon) forecasts; column k is the forecast k + 1 steps ahead.
    """
    if not callable(predict):
        raise TypeError(
            f"predict must be a function of windows (N, look_back, 1), got {_checks.describe(predict)}"
        )
    window = _windows("windows", windows).copy()
    horizon = _checks.positive_int("horizon", horizon)
    if window.shape[0] * horizon > MAX_VALUES:
        raise ValueError(
            f"horizon too large: {window.shape[0]} windows x {horizon:,} steps is more than the "
            f"{MAX_VALUES:,} forecasts (data.MAX_VALUES) one call may return"
        )
    out = np.empty((window.shape[0], horizon), dtype=window.dtype)
    for k in range(horizon):
        step = np.asarray(predict(window))
        if step.shape != (window.shape[0],) or step.dtype != window.dtype:
            raise ValueError(
                f"predict must return shape (N,) = ({window.shape[0]},) and dtype {window.dtype} for "
                f"windows of shape {window.shape}, got shape {step.shape} and dtype {step.dtype}"
            )
        if not np.isfinite(step).all():
            raise ValueError(
                f"predict must return finite values, got {np.count_nonzero(~np.isfinite(step))} NaN or "
                f"inf value(s) at step {k + 1} of {horizon}"
            )
        out[:, k] = step
        window = np.concatenate([window[:, 1:], out[:, k, None, None]], axis=1)
    return out


def horizon_errors(
    predict: Forecaster, series: np.ndarray, look_back: int, horizon: int, origins: Sequence[int]
) -> np.ndarray:
    """Recursive forecasts from many origins, minus the truth.

    From origin o the model sees ``series[o - look_back : o]`` and forecasts
    ``series[o : o + horizon]``.

    Args:
        predict: a one-step forecaster, (N, look_back, 1) -> (N,).
        series: (n,) the observed series.
        look_back: values per input window.
        horizon: steps ahead, >= 1.
        origins: indices o with look_back <= o and o + horizon <= n.

    Returns:
        (len(origins), horizon) forecast minus truth; column k is k + 1 steps ahead.
    """
    _checks.float_array("series", series, ndim=1)
    look_back = _checks.positive_int("look_back", look_back)
    horizon = _checks.positive_int("horizon", horizon)
    starts = np.asarray(origins)
    if starts.ndim != 1 or starts.size == 0 or not np.issubdtype(starts.dtype, np.integer):
        raise ValueError(f"origins must be a non-empty list of integer indices, got {origins!r}")
    low, high = look_back, len(series) - horizon
    if starts.min() < low or starts.max() > high:
        raise ValueError(
            f"origins must lie in [look_back, len(series) - horizon] = [{low}, {high}] so that every "
            f"window and target exists, got values from {starts.min()} to {starts.max()}"
        )
    starts = starts.astype(np.int64)  # uint64 plus int64 would be float64, which cannot index
    windows = series[starts[:, None] + np.arange(-look_back, 0)][:, :, None]
    truth = series[starts[:, None] + np.arange(horizon)]
    return recursive_forecast(predict, windows, horizon) - truth


def rmse(errors: np.ndarray, axis: int | None = None) -> Any:
    """Root mean squared error, ``sqrt(mean(errors**2))``, over all values or along ``axis``.

    Args:
        errors: a float array of forecast minus truth, any shape.
        axis: None for one number, or an axis of ``errors`` (negative counts from the end).

    Returns:
        A scalar for ``axis=None``, else an array with that axis removed; in the dtype of
        ``errors``, finite for every finite input (the squares of 1e200 do not overflow).
    """
    _checks.float_array("errors", errors)
    if axis is not None:
        if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
            raise TypeError(f"axis must be None or an integer, got {_checks.describe(axis)}")
        if not -errors.ndim <= axis < errors.ndim:
            raise ValueError(
                f"axis must be an axis of errors of shape {errors.shape}, i.e. in "
                f"[{-errors.ndim}, {errors.ndim - 1}], got {axis}"
            )
    # Work at the scale of the largest error, a power of two: exact, and no square overflows
    # (or underflows); the result is then scaled back by the same power.
    _, exponent = np.frexp(np.max(np.abs(errors), axis=axis, keepdims=True))
    root = np.sqrt(np.mean(np.square(np.ldexp(errors, -exponent)), axis=axis))
    return np.ldexp(root, exponent.reshape(np.shape(root)))
