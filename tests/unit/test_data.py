"""The data sets, against the classic example's own loop and hand-checked properties."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_tutorial.tasks.data import adding_problem, make_windows, sine_wave, train_test_split


def classic_create_dataset(dataset: np.ndarray, look_back: int) -> tuple[np.ndarray, np.ndarray]:
    """The loop of the classic Keras example, as published (the reference)."""
    data_x, data_y = [], []
    for i in range(len(dataset) - look_back - 1):
        data_x.append(dataset[i : (i + look_back)])
        data_y.append(dataset[i + look_back])
    return np.array(data_x), np.array(data_y)


def test_sine_wave_is_the_classic_series() -> None:
    series = sine_wave()
    assert series.shape == (1000,)
    assert series[0] == 0.0
    np.testing.assert_allclose(
        series[[0, 25, 50, 12]], [0.0, 0.0, 0.0, np.sin(2 * np.pi * 12 / 50)], atol=1e-12
    )
    assert 0.99 < series.max() <= 1.0 and -1.0 <= series.min() < -0.99  # peaks fall between samples
    assert sine_wave(dtype=np.float32).dtype == np.float32


def test_make_windows_matches_the_classic_loop() -> None:
    series = sine_wave()
    x, y = make_windows(series, 10)
    ref_x, ref_y = classic_create_dataset(series, 10)
    assert x.shape == (989, 10, 1) and y.shape == (989,)
    np.testing.assert_array_equal(x[:, :, 0], ref_x)
    np.testing.assert_array_equal(y, ref_y)


def test_drop_last_false_keeps_the_window_the_loop_drops() -> None:
    series = np.arange(20, dtype=np.float64)
    x, y = make_windows(series, 5, drop_last=False)
    assert len(y) == 15 and y[-1] == 19.0  # the final sample is a target
    np.testing.assert_array_equal(x[-1, :, 0], [14, 15, 16, 17, 18])


def test_train_test_split_has_no_leakage() -> None:
    # A series whose values are their own indices shows where every number came from.
    series = np.arange(100, dtype=np.float64)
    x_train, y_train, x_test, y_test = train_test_split(series, look_back=5, train_fraction=0.6)
    cut = 60
    assert y_train.max() < cut and x_train.max() < cut  # training never sees index >= cut
    assert y_test.min() == cut and y_test.max() == 99  # every later sample is a test target once
    np.testing.assert_array_equal(y_test, np.arange(60, 100))
    assert len(y_train) == 55  # every window inside the training part
    np.testing.assert_array_equal(x_test[0, :, 0], [55, 56, 57, 58, 59])


def test_adding_problem_targets_are_the_marked_sums() -> None:
    x, y = adding_problem(200, 30, seed=4)
    assert x.shape == (200, 30, 2) and y.shape == (200,)
    markers = x[:, :, 1]
    np.testing.assert_array_equal(markers.sum(axis=1), np.full(200, 2.0))
    first = markers.argmax(axis=1)
    second = 29 - markers[:, ::-1].argmax(axis=1)
    assert first.max() < 10 and second.min() >= 15
    np.testing.assert_allclose(y, (x[:, :, 0] * markers).sum(axis=1))
    assert 0 <= x[:, :, 0].min() and x[:, :, 0].max() < 1
    # Predicting the mean scores about 1/6.
    assert np.mean((y - 1.0) ** 2) == pytest.approx(1 / 6, abs=0.03)
    # Same seed, same data; another seed, other data.
    np.testing.assert_array_equal(adding_problem(200, 30, seed=4)[0], x)
    assert not np.array_equal(adding_problem(200, 30, seed=5)[0], x)
