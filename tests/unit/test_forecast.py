"""lstm_tutorial.tasks.forecast: baselines and multi-step forecasts, against closed forms and by hand.

Independent witnesses: the trigonometric identity sin(t + d) = 2 cos(d) sin(t) - sin(t - d), which makes
a sine an exact AR(2) process; a simulated AR(2) process with known coefficients; the normal equations
solved directly; sequences worked out by hand; and a plain loop written here.
"""

from __future__ import annotations

import numpy as np
import pytest

from lstm_tutorial.tasks.data import make_windows, sine_wave
from lstm_tutorial.tasks.forecast import (
    LinearAR,
    fit_autoregression,
    horizon_errors,
    persistence_forecast,
    recursive_forecast,
    rmse,
)


def test_persistence_repeats_the_last_value_of_each_window() -> None:
    x = np.arange(12.0).reshape(3, 4, 1)
    np.testing.assert_array_equal(persistence_forecast(x), [3.0, 7.0, 11.0])


@pytest.mark.parametrize("period", [50.0, 37.5, 8.0])
def test_a_sine_is_exactly_ar2_and_least_squares_finds_it(period: float) -> None:
    d = 2 * np.pi / period
    x, y = make_windows(sine_wave(400, period), look_back=10)
    model = fit_autoregression(x, y, order=2)
    # sin(t + d) = 2 cos(d) sin(t) - sin(t - d): oldest lag -1, newest 2 cos(d), no intercept.
    np.testing.assert_allclose(model.coef, [-1.0, 2 * np.cos(d)], rtol=0, atol=1e-10)
    assert abs(model.intercept) < 1e-10
    assert model.order == 2
    assert np.abs(model.predict(x) - y).max() < 1e-10


def test_recovers_a_simulated_ar2_process() -> None:
    """x_t = 0.5 + 0.6 x_(t-1) - 0.3 x_(t-2) + e_t with e_t ~ N(0, 1): OLS is consistent, standard
    errors are about 1/sqrt(n) ~ 0.007 for n = 20000, so 0.03 is more than four of them."""
    rng = np.random.default_rng(0)
    n = 20_000
    series = np.zeros(n)
    noise = rng.normal(size=n)
    for t in range(2, n):
        series[t] = 0.5 + 0.6 * series[t - 1] - 0.3 * series[t - 2] + noise[t]
    x, y = make_windows(series[100:], look_back=5, drop_last=False)  # skip the start-up transient
    model = fit_autoregression(x, y, order=2)
    np.testing.assert_allclose(model.coef, [-0.3, 0.6], atol=0.03)
    assert model.intercept == pytest.approx(0.5, abs=0.05)
    assert rmse(model.predict(x) - y) == pytest.approx(1.0, abs=0.02)  # the noise's standard deviation


def test_least_squares_solution_satisfies_the_normal_equations() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(60, 6, 1))
    y = rng.normal(size=60)
    model = fit_autoregression(x, y, order=4)
    design = np.hstack([x[:, -4:, 0], np.ones((60, 1))])
    expected = np.linalg.solve(design.T @ design, design.T @ y)
    np.testing.assert_allclose(np.append(model.coef, model.intercept), expected, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(model.predict(x), design @ expected, rtol=1e-10, atol=1e-12)


def test_ar_predict_reads_only_the_last_p_values_and_keeps_the_dtype() -> None:
    model = LinearAR(coef=np.array([2.0, 10.0]), intercept=1.0)
    x = np.array([[[100.0], [3.0], [4.0]]], dtype=np.float32)  # 100 is outside the last two values
    prediction = model.predict(x)
    assert prediction.dtype == np.float32
    np.testing.assert_array_equal(prediction, [2 * 3 + 10 * 4 + 1])


def test_recursive_forecast_continues_a_sine_with_the_exact_ar2_model() -> None:
    d = 2 * np.pi / 50
    exact = LinearAR(coef=np.array([-1.0, 2 * np.cos(d)]), intercept=0.0)
    t0 = np.array([10, 333])
    windows = np.sin(d * (t0[:, None] + np.arange(-10, 0)))[:, :, None]
    forecast = recursive_forecast(exact.predict, windows, horizon=200)
    truth = np.sin(d * (t0[:, None] + np.arange(200)))
    assert forecast.shape == (2, 200)
    assert np.abs(forecast - truth).max() < 1e-10


def test_recursive_forecast_appends_the_newest_value_and_drops_the_oldest() -> None:
    def plus_one(x: np.ndarray) -> np.ndarray:
        return x[:, -1, 0] + 1

    def oldest(x: np.ndarray) -> np.ndarray:
        return x[:, 0, 0].copy()

    windows = np.array([[[1.0], [2.0], [3.0]], [[5.0], [0.0], [-1.0]]])
    np.testing.assert_array_equal(recursive_forecast(plus_one, windows, 4), [[4, 5, 6, 7], [0, 1, 2, 3]])
    # Feeding back the oldest value rotates the window: 1, 2, 3, 1, 2, 3, ...
    np.testing.assert_array_equal(recursive_forecast(oldest, windows[:1], 7), [[1, 2, 3, 1, 2, 3, 1]])
    # A plain loop, one origin at a time: predict, append the prediction, drop the oldest value.
    window, plain = windows[1, :, 0], []
    for _ in range(4):
        plain.append(plus_one(window.reshape(1, -1, 1))[0])
        window = np.append(window[1:], plain[-1])
    np.testing.assert_array_equal(recursive_forecast(plus_one, windows[1:], 4)[0], plain)


def test_horizon_errors_of_persistence_on_a_ramp() -> None:
    """On series[t] = t, persistence from origin o forecasts o - 1 forever: the error k + 1 steps ahead
    is (o - 1) - (o + k) = -(k + 1), from every origin."""
    series = np.arange(100.0)
    errors = horizon_errors(persistence_forecast, series, look_back=3, horizon=5, origins=[3, 50, 95])
    np.testing.assert_array_equal(errors, np.tile(-np.arange(1.0, 6.0), (3, 1)))


def test_rmse() -> None:
    assert rmse(np.array([3.0, -4.0])) == pytest.approx(np.sqrt(12.5))
    np.testing.assert_allclose(rmse(np.array([[3.0, 0.0], [-4.0, 2.0]]), axis=0), [np.sqrt(12.5), np.sqrt(2)])


BAD_INPUT = [
    (
        lambda: persistence_forecast(np.zeros((3, 4))),
        ValueError,
        r"x must have 3 dimensions, got shape \(3, 4\)",
    ),
    (lambda: persistence_forecast(np.zeros((3, 4, 2))), ValueError, r"x must have shape \(N, look_back, 1\)"),
    (lambda: persistence_forecast(np.arange(12).reshape(3, 4, 1)), TypeError, "x must have dtype float32"),
    (
        lambda: fit_autoregression(np.zeros((9, 3, 1)), np.zeros(9), order=4),
        ValueError,
        "order must be at most look_back = 3",
    ),
    (
        lambda: fit_autoregression(np.zeros((9, 3, 1)), np.zeros(8), order=2),
        ValueError,
        r"y must have shape \(N,\) = \(9,\)",
    ),
    (
        lambda: fit_autoregression(np.zeros((2, 3, 1)), np.zeros(2), order=2),
        ValueError,
        "at least order \\+ 1 = 3 windows",
    ),
    (
        lambda: fit_autoregression(np.zeros((9, 3, 1)), np.zeros(9, np.float32), order=2),
        TypeError,
        "y has dtype float32 but x has dtype float64",
    ),
    (
        lambda: fit_autoregression(np.zeros((9, 3, 1)), np.zeros(9), order=0),
        ValueError,
        "order must be an integer >= 1, got 0",
    ),
    (
        lambda: LinearAR(np.ones(4), 0.0).predict(np.zeros((2, 3, 1))),
        ValueError,
        r"at least p = 4 values per window, got windows of shape \(2, 3, 1\)",
    ),
    (
        lambda: recursive_forecast("not a model", np.zeros((2, 3, 1)), 5),  # type: ignore[arg-type]
        TypeError,
        "predict must be a function",
    ),
    (
        lambda: recursive_forecast(lambda x: x[:, -1], np.zeros((2, 3, 1)), 5),
        ValueError,
        r"predict must return shape \(N,\) = \(2,\) and dtype float64 .* got shape \(2, 1\)",
    ),
    (
        lambda: recursive_forecast(lambda x: x[:, -1, 0].astype(np.float32), np.zeros((2, 3, 1)), 5),
        ValueError,
        "got shape \\(2,\\) and dtype float32",
    ),
    (
        lambda: recursive_forecast(persistence_forecast, np.zeros((2, 3, 1)), 0),
        ValueError,
        "horizon must be an integer >= 1, got 0",
    ),
    (
        lambda: horizon_errors(persistence_forecast, np.arange(20.0), 3, 5, origins=[2, 10]),
        ValueError,
        r"origins must lie in \[look_back, len\(series\) - horizon\] = \[3, 15\] .* from 2 to 10",
    ),
    (
        lambda: horizon_errors(persistence_forecast, np.arange(20.0), 3, 5, origins=[16]),
        ValueError,
        "got values from 16 to 16",
    ),
    (
        lambda: horizon_errors(persistence_forecast, np.arange(20.0), 3, 5, origins=[4.0]),
        ValueError,
        "origins must be a non-empty list of integer indices",
    ),
]


@pytest.mark.parametrize(("call", "error", "message"), BAD_INPUT)
def test_bad_input_is_refused_with_a_message_that_names_it(call: object, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        call()  # type: ignore[operator]
