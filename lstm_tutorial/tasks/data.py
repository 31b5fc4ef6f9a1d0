"""The data sets of the book: the sine wave, sliding windows over it, and the adding problem.

Windows follow Keras' convention for recurrent layers, ``[samples, time steps,
features]``: a batch of N windows of ``look_back`` steps of one feature is an
array of shape (N, look_back, 1).

No function here returns an array of more than ``MAX_VALUES`` = 10,000,000 numbers
(80 MB in float64, far more than the book needs): a larger request is refused
before anything is allocated, with the sizes that make it up.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..nn import _checks

__all__ = ["adding_problem", "make_windows", "sine_wave", "train_test_split"]

MAX_VALUES = 10**7


def _within_limit(name: str, count: int, how: str) -> None:
    """Refuse an array of ``count`` numbers above ``MAX_VALUES``; ``how`` says how it was counted."""
    if count > MAX_VALUES:
        raise ValueError(
            f"{name} too large: {count:,} values ({how}), more than the {MAX_VALUES:,} (MAX_VALUES) "
            f"one array of this module may hold"
        )


def sine_wave(
    n: int = 1000,
    period: float = 50.0,
    *,
    noise: float = 0.0,
    seed: int | None = 0,
    dtype: Any = np.float64,
) -> np.ndarray:
    """The series ``sin(2 * pi * t / period)`` for t = 0, 1, ..., n - 1.

    Args:
        n: number of samples (the classic example uses 1000), at most ``MAX_VALUES``.
        period: samples per cycle (the classic example uses 50).
        noise: standard deviation of Gaussian noise added to every sample, a finite
            number >= 0 (0: none).
        seed: seed of the noise generator, an integer >= 0 (None: fresh, unreproducible
            noise); unused when ``noise`` is 0.
        dtype: np.float32 or np.float64.

    Returns:
        (n,) array.
    """
    n = _checks.positive_int("n", n)
    _within_limit("n", n, "one per sample")
    dtype = _checks.dtype_arg("dtype", dtype)
    period = _checks.positive_number("period", period)
    noise = _checks.finite_number("noise", noise, 0.0)
    seed = _checks.seed("seed", seed)
    t = np.arange(n, dtype=np.float64)
    series = np.sin(2.0 * np.pi * t / period)
    if noise > 0:
        series = series + np.random.default_rng(seed).normal(0.0, noise, size=n)
    return series.astype(dtype)


def make_windows(
    series: np.ndarray, look_back: int = 10, *, drop_last: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Sliding windows: ``look_back`` past values as input, the next value as target.

    With the default ``drop_last=True`` this is exactly the classic example's loop

        for i in range(len(series) - look_back - 1):
            x.append(series[i : i + look_back]); y.append(series[i + look_back])

    which yields N = len(series) - look_back - 1 windows. The ``- 1`` drops one
    usable window: the last one, whose target is the final sample. (For 1000
    samples and a look-back of 10 that is 989 windows instead of 990.)
    ``drop_last=False`` keeps it.

    Args:
        series: (n,) float array.
        look_back: number of past steps in each input window; N look_back at most ``MAX_VALUES``.
        drop_last: drop the last usable window, as the classic example does (True or
            False: a string such as ``"no"`` is refused, not read as true).

    Returns:
        ``(x, y)``: x of shape (N, look_back, 1), y of shape (N,), dtype of ``series``.
    """
    _checks.float_array("series", series, ndim=1)
    look_back = _checks.positive_int("look_back", look_back)
    drop_last = _checks.flag("drop_last", drop_last)
    n_windows = len(series) - look_back - (1 if drop_last else 0)
    if n_windows < 1:
        raise ValueError(
            f"look_back must be shorter than the series: look_back={look_back} with a series "
            f"of {len(series)} samples leaves {n_windows} windows; it must leave at least 1"
        )
    _within_limit(
        "series and look_back", n_windows * look_back, f"{n_windows:,} windows of {look_back:,} steps"
    )
    # Row i of the index matrix is i, i+1, ..., i+look_back-1.
    index = np.arange(n_windows)[:, None] + np.arange(look_back)[None, :]
    x = series[index][:, :, None]
    y = series[look_back : look_back + n_windows].copy()
    return x, y


def train_test_split(
    series: np.ndarray, look_back: int = 10, train_fraction: float = 0.67
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A chronological split into training and test windows, with no leakage.

    The series is cut at ``s = int(len(series) * train_fraction)``. Training
    windows use only samples before ``s``; every test target lies at or after
    ``s``, so no test target was ever seen in training, not even as part of an
    input window. Test inputs may reach back before ``s``: at forecast time the
    recent past is known.

    Args:
        series: (n,) float array.
        look_back: steps per input window.
        train_fraction: share of the series used for training, a number in (0, 1).

    Returns:
        ``(x_train, y_train, x_test, y_test)`` with shapes (N_train, look_back, 1),
        (N_train,), (N_test, look_back, 1), (N_test,).
    """
    _checks.float_array("series", series, ndim=1)
    look_back = _checks.positive_int("look_back", look_back)
    train_fraction = _checks.finite_number(
        "train_fraction",
        train_fraction,
        0,
        1,
        low_open=True,
        high_open=True,
        expected="a number strictly between 0 and 1",
    )
    cut = int(len(series) * train_fraction)
    if cut <= look_back or len(series) - cut < 1:
        raise ValueError(
            f"train_fraction={train_fraction} cuts a series of {len(series)} samples at {cut}, "
            f"which leaves no training window for look_back={look_back} or no test target"
        )
    x_train, y_train = make_windows(series[:cut], look_back, drop_last=False)
    x_test, y_test = make_windows(series[cut - look_back :], look_back, drop_last=False)
    return x_train, y_train, x_test, y_test


def adding_problem(
    n_samples: int, length: int, seed: int | None = 0, dtype: Any = np.float64
) -> tuple[np.ndarray, np.ndarray]:
    """The adding problem, a test of long time lags (Hochreiter & Schmidhuber 1997, exp. 4).

    Each sequence has two features per step: a value drawn uniformly from [0, 1)
    and a marker that is 1 at exactly two steps and 0 elsewhere. The target is
    the sum of the two marked values. The first marker falls in the first
    ``min(10, length // 2)`` steps and the second in the second half, so the
    network must carry the first value across at least ``length // 2`` steps.
    Always predicting the mean, 1.0, scores a mean squared error of 1/6.

    Args:
        n_samples: N, the number of sequences.
        length: T, steps per sequence (>= 2); N T 2 at most ``MAX_VALUES``.
        seed: seed of the random generator, an integer >= 0 (None: fresh,
            unreproducible data).
        dtype: np.float32 or np.float64.

    Returns:
        ``(x, y)`` with x of shape (N, T, 2) and y of shape (N,).
    """
    n_samples = _checks.positive_int("n_samples", n_samples)
    length = _checks.positive_int("length", length)
    if length < 2:
        raise ValueError(f"length must be at least 2 to hold two markers, got {length}")
    _within_limit(
        "n_samples * length",
        n_samples * length * 2,
        f"{n_samples:,} sequences of {length:,} steps, 2 features",
    )
    dtype = _checks.dtype_arg("dtype", dtype)
    seed = _checks.seed("seed", seed)
    rng = np.random.default_rng(seed)
    values = rng.uniform(0.0, 1.0, size=(n_samples, length))
    half = length // 2
    first = rng.integers(0, min(10, half), size=n_samples)
    second = rng.integers(half, length, size=n_samples)
    markers = np.zeros((n_samples, length))
    rows = np.arange(n_samples)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    x = np.stack([values, markers], axis=2).astype(dtype)
    y = (values[rows, first] + values[rows, second]).astype(dtype)
    return x, y
