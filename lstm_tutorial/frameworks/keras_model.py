"""The classic Keras sine model: LSTM(4) then Dense(1), Adam, mean squared error.

Keras 3 runs on several backends. This package selects PyTorch's (CPU) before
Keras is first imported, unless the reader already chose one by setting the
``KERAS_BACKEND`` environment variable, or imported Keras earlier: an imported
Keras keeps the backend it started with. Everything in ``interop`` works on
whichever backend is loaded.
"""

from __future__ import annotations

import os
from typing import Any

from ..nn import _checks
from . import _imports

# Without the ``frameworks`` extra, importing this module raises an ImportError that says how to install it.
keras = _imports.keras("lstm_tutorial.frameworks.keras_model")

__all__ = ["backend", "build_sine_model", "keras", "load_keras_model", "save_keras_model"]


def backend() -> str:
    """The name of the backend Keras is running on, e.g. ``"torch"``."""
    return str(keras.backend.backend())


def build_sine_model(
    units: int = 4,
    look_back: int = 10,
    seed: int | None = 0,
    learning_rate: float = 1e-3,
    features: int = 1,
) -> Any:
    """The classic model, compiled: ``Sequential([LSTM(units), Dense(1)])``.

    Its input shape is ``[samples, time steps, features]`` = (N, look_back, features).

    Args:
        units: the LSTM's hidden size H (4 in the classic example).
        look_back: time steps per input window (10 in the classic example).
        seed: passed to ``keras.utils.set_random_seed`` (which seeds Python, NumPy and
            the backend) so the initial weights are the same on every run: an integer
            in [0, 2**32 - 1], NumPy's range; None leaves the global seeds alone.
        learning_rate: Adam's step size, a positive finite number (Keras' default
            1e-3; Keras itself would accept -1, NaN or 0 and train to nonsense).
        features: D, inputs per step (1 for the sine wave).

    Returns:
        A compiled ``keras.Sequential`` with loss ``"mean_squared_error"`` and Adam.
    """
    units = _checks.positive_int("units", units)
    look_back = _checks.positive_int("look_back", look_back)
    features = _checks.positive_int("features", features)
    seed = _checks.seed("seed", seed, high=2**32 - 1)
    learning_rate = _checks.positive_number("learning_rate", learning_rate)
    if seed is not None:
        keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input(shape=(look_back, features)),
            keras.layers.LSTM(units),
            keras.layers.Dense(1),
        ],
        name="classic_sine_model",
    )
    model.compile(loss="mean_squared_error", optimizer=keras.optimizers.Adam(learning_rate=learning_rate))
    return model


def save_keras_model(model: Any, path: str | os.PathLike[str]) -> None:
    """Save a Keras model in Keras' native ``.keras`` format (architecture, weights, optimizer).

    Args:
        model: a Keras model.
        path: a file name ending in ``.keras``.
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    _keras_path(path)
    model.save(path)


def _keras_path(path: Any) -> None:
    """A file name (str or path-like) ending in ``.keras``."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file name (str or os.PathLike), got {_checks.describe(path)}")
    if not str(path).endswith(".keras"):
        raise ValueError(f"path must end in '.keras', got {str(path)!r}")


def load_keras_model(path: str | os.PathLike[str]) -> Any:
    """Load a ``.keras`` file with ``safe_mode=True``: a file that would run arbitrary
    code (for example a ``Lambda`` layer's pickled function) is refused, not executed."""
    _keras_path(path)
    return keras.saving.load_model(path, safe_mode=True)
