"""Chapter 8's exercises: the persistence baseline, recursive forecasts, an autoregression, a split in time.

Each reference is the package's own function (``forecast``, ``data``), called
with the exercise's arguments; each known mistake is that reference called with
the mistake made.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..tasks.data import train_test_split
from ..tasks.forecast import fit_autoregression
from ..tasks.forecast import persistence_forecast as package_persistence
from ..tasks.forecast import recursive_forecast as package_recursive
from .checking import Case, CheckResult, Exercise, Mistake, rng, run_cases

__all__ = [
    "EXERCISES",
    "check_fit_ar",
    "check_persistence_forecast",
    "check_recursive_forecast",
    "check_split_in_time",
    "fit_ar",
    "persistence_forecast",
    "recursive_forecast",
    "split_in_time",
]


Predict = Callable[[np.ndarray], np.ndarray]


# --------------------------------------------------------------------------- persistence


def persistence_forecast(x: np.ndarray) -> np.ndarray:
    """The reference: ``forecast.persistence_forecast``, the last value of every window."""
    return package_persistence(x)


def _first_value(x: np.ndarray) -> np.ndarray:
    return persistence_forecast(x[:, :1])


def _window_mean(x: np.ndarray) -> np.ndarray:
    return x[:, :, 0].mean(axis=1)  # another baseline altogether


def check_persistence_forecast(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``persistence_forecast(x) -> y_hat``, "tomorrow = today": x (N, look_back, 1), y_hat (N,)."""
    cases = [
        Case((rng(130).normal(size=(5, 10, 1)),), "N=5, look_back=10"),
        Case((rng(131).normal(size=(1, 1, 1)),), "N=1, look_back=1"),
    ]
    mistakes = [
        Mistake(_first_value, "persistence repeats the LAST value of each window, x[:, -1, 0]."),
        Mistake(_window_mean, "that is the window mean; persistence repeats the last value."),
    ]
    return run_cases("persistence_forecast", your_fn, persistence_forecast, cases, mistakes)


# --------------------------------------------------------------------------- recursive forecasts


def recursive_forecast(predict_fn: Predict, window: np.ndarray, horizon: int) -> np.ndarray:
    """The reference: ``forecast.recursive_forecast`` from one origin, the window (look_back,)."""
    return package_recursive(predict_fn, window.reshape(1, -1, 1), horizon)[0]


def _same_window(predict_fn: Predict, window: np.ndarray, horizon: int) -> np.ndarray:
    return np.repeat(recursive_forecast(predict_fn, window, 1), horizon)  # the first forecast, repeated


def _newest_first(predict_fn: Predict, window: np.ndarray, horizon: int) -> np.ndarray:
    # Prepending each prediction and dropping the newest value is the reference run on the reversed
    # window, with a model that reverses what it is shown.
    def reversed_view(x: np.ndarray) -> np.ndarray:
        return predict_fn(x[:, ::-1])

    return recursive_forecast(reversed_view, window[::-1], horizon)


def _linear(weights: np.ndarray) -> Predict:
    return lambda x: x[:, :, 0] @ weights


def check_recursive_forecast(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``recursive_forecast(predict_fn, window, horizon) -> (horizon,)``.

    Predict one step, append the prediction to the window, drop its oldest
    value, repeat. predict_fn maps (1, look_back, 1) to (1,); window is (look_back,).
    """
    cases = [
        Case(
            (_linear(np.array([-1.0, 2 * np.cos(0.3)])), np.sin(np.array([0.0, 0.3])), 20),
            "AR(2) on a sine, 20 steps",
        ),
        Case((_linear(np.array([0.2, 0.3, 0.4])), np.array([1.0, 2.0, 3.0]), 5), "look_back=3, 5 steps"),
    ]
    mistakes = [
        Mistake(
            _same_window, "feed each prediction back: the window must move forward one step per prediction."
        ),
        Mistake(
            _newest_first,
            "append the prediction at the END of the window (newest last) and drop the oldest value.",
        ),
    ]
    return run_cases("recursive_forecast", your_fn, recursive_forecast, cases, mistakes)


# --------------------------------------------------------------------------- an autoregression


def fit_ar(x: np.ndarray, y: np.ndarray, order: int) -> tuple[np.ndarray, float]:
    """The reference: ``forecast.fit_autoregression``, as ``(coef, intercept)``."""
    model = fit_autoregression(x, y, order)
    return model.coef, model.intercept


def _no_constant(x: np.ndarray, y: np.ndarray, order: int) -> tuple[np.ndarray, float]:
    coef, *_ = np.linalg.lstsq(x[:, -order:, 0], y, rcond=None)  # no column of ones
    return coef, 0.0


def _oldest_values(x: np.ndarray, y: np.ndarray, order: int) -> tuple[np.ndarray, float]:
    return fit_ar(x[:, :order], y, order)


def _newest_first_coef(x: np.ndarray, y: np.ndarray, order: int) -> tuple[np.ndarray, float]:
    coef, intercept = fit_ar(x, y, order)
    return coef[::-1], intercept


def check_fit_ar(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``fit_ar(x, y, order) -> (coef, intercept)``, least squares AR(order) with a constant.

    x (N, look_back, 1) windows and y (N,) their targets; coef (order,), the
    weights of the last ``order`` values, oldest first; intercept a float.
    """
    cases = []
    for k, (n, look_back, order) in enumerate([(40, 10, 2), (30, 5, 5), (12, 3, 1)]):
        r = rng(160 + k)
        x = r.normal(size=(n, look_back, 1))
        # Targets that depend on the last values unevenly, plus a constant and noise: every slip shows.
        y = x[:, -order:, 0] @ r.normal(size=order) + 0.7 + 0.1 * r.normal(size=n)
        cases.append(Case((x, y, order), f"N={n}, look_back={look_back}, order={order}"))
    mistakes = [
        Mistake(_no_constant, "the model has a constant c: add a column of ones to the design matrix."),
        Mistake(
            _oldest_values,
            "use the LAST `order` values of each window, x[:, -order:, 0]: the most recent past.",
        ),
        Mistake(
            _newest_first_coef,
            "return coef oldest first, in the window's own order: coef[-1] weighs y_(t-1).",
        ),
    ]
    return run_cases("fit_ar", your_fn, fit_ar, cases, mistakes)


# --------------------------------------------------------------------------- a split in time


def split_in_time(series: np.ndarray, look_back: int, cut: int) -> tuple[np.ndarray, ...]:
    """The reference: ``data.train_test_split`` cutting the series at sample ``cut``.

    train_test_split cuts at ``int(n * train_fraction)``; a fraction half a
    sample past the cut makes that exactly ``cut``.
    """
    return train_test_split(series, look_back, train_fraction=(cut + 0.5) / len(series))


def _windows_split_at_cut(series: np.ndarray, look_back: int, cut: int) -> tuple[np.ndarray, ...]:
    # The reference's windows, training then test, are every window of the series, in order.
    x_train, y_train, x_test, y_test = split_in_time(series, look_back, cut)
    x, y = np.concatenate([x_train, x_test]), np.concatenate([y_train, y_test])
    return x[:cut], y[:cut], x[cut:], y[cut:]


def _test_after_cut(series: np.ndarray, look_back: int, cut: int) -> tuple[np.ndarray, ...]:
    x_train, y_train, x_test, y_test = split_in_time(series, look_back, cut)
    # The first look_back test windows reach back before the cut; without them the test windows
    # are made of the samples after the cut alone.
    return x_train, y_train, x_test[look_back:], y_test[look_back:]


def _classic_loop(series: np.ndarray, look_back: int, cut: int) -> tuple[np.ndarray, ...]:
    return tuple(part[:-1] for part in split_in_time(series, look_back, cut))  # the last window dropped


def check_split_in_time(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``split_in_time(series, look_back, cut) -> (x_train, y_train, x_test, y_test)``.

    series (n,); training windows (N_train, look_back, 1) and targets (N_train,)
    lie entirely before ``cut``; one test window (N_test, look_back, 1) for every
    target at or after ``cut`` (N_test = n - cut).
    """
    cases = [
        Case((np.arange(30.0), 4, 20), "n=30, look_back=4, cut=20"),
        Case((np.sin(np.arange(60) / 4.0), 10, 40), "n=60, look_back=10, cut=40"),
        Case((rng(170).normal(size=9), 1, 5), "n=9, look_back=1, cut=5"),
    ]
    mistakes = [
        Mistake(
            _windows_split_at_cut,
            "splitting the windows at index cut leaks: window i's target is series[i + look_back], so "
            "training targets run past the cut. Cut the SERIES, then make windows on each side.",
        ),
        Mistake(
            _test_after_cut,
            "the first test target is series[cut]; its inputs may reach back before the cut "
            "(the known past), so start the test windows at cut - look_back.",
        ),
        Mistake(
            _classic_loop, "keep every window on both sides: the classic loop's `- 1` drops the last one."
        ),
    ]
    return run_cases("split_in_time", your_fn, split_in_time, cases, mistakes)


EXERCISES = [
    Exercise("ch08-persistence", "A persistence baseline", check_persistence_forecast, persistence_forecast),
    Exercise("ch08-fit-ar", "An autoregression by least squares", check_fit_ar, fit_ar),
    Exercise(
        "ch08-recursive", "A recursive multi-step forecast", check_recursive_forecast, recursive_forecast
    ),
    Exercise("ch08-split", "A split in time", check_split_in_time, split_in_time),
]
