"""agree.lockstep_training: Keras and NumPy trained side by side on the same batches.

Each test compares against something computed without the function: Keras'
own ``evaluate`` and a hand-written MSE before training, a plain Keras
``train_on_batch`` loop over independently drawn batches, ``train.fit``, and the
tolerance that test_agreement_keras.py establishes for 50 Adam steps.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from lstm_tutorial.frameworks.agree import LockstepRun, lockstep_training
from lstm_tutorial.frameworks.keras import backend, build_sine_model, from_keras, keras
from lstm_tutorial.nn.optim import Adam, KerasTorchAdam
from lstm_tutorial.nn.regressors import LSTMRegressor
from lstm_tutorial.nn.train import fit
from lstm_tutorial.tasks.data import make_windows, sine_wave

X, Y = make_windows(sine_wave(dtype=np.float32), 10)


def twins(seed: int) -> tuple[Any, LSTMRegressor]:
    keras_model = build_sine_model(seed=seed)
    numpy_model = from_keras(keras_model)
    assert isinstance(numpy_model, LSTMRegressor)
    return keras_model, numpy_model


def test_first_losses_are_the_untrained_models_losses_on_the_first_batch() -> None:
    keras_model, numpy_model = twins(seed=4)
    batch_size = 32
    first = np.random.default_rng(7).permutation(len(Y))[:batch_size]  # fit's first batch for seed 7
    keras_before = float(keras_model.evaluate(X[first], Y[first], batch_size=batch_size, verbose=0))
    numpy_before = float(np.mean((numpy_model.predict(X[first]) - Y[first]) ** 2))

    run = lockstep_training(keras_model, numpy_model, X, Y, steps=3, batch_size=batch_size, seed=7)

    assert isinstance(run, LockstepRun)
    assert run.keras_losses.shape == run.numpy_losses.shape == run.max_weight_diff.shape == (3,)
    assert run.keras_losses[0] == pytest.approx(keras_before, rel=1e-6)
    assert run.numpy_losses[0] == pytest.approx(numpy_before, rel=1e-6)


def test_fifty_steps_stay_within_the_tolerance_of_the_keras_agreement_test() -> None:
    keras_model, numpy_model = twins(seed=3)
    start = numpy_model.get_weights()

    run = lockstep_training(keras_model, numpy_model, X, Y, steps=50, batch_size=16, seed=0)

    assert np.max(np.abs(run.numpy_losses - run.keras_losses) / run.keras_losses) <= 1e-4
    largest = 0.0
    for ours, theirs, before in zip(numpy_model.get_weights(), keras_model.get_weights(), start, strict=True):
        assert np.abs(ours - theirs).max() <= 1e-4
        assert np.abs(ours - before).max() > 1e-2  # training really moved the weights
        largest = max(largest, float(np.abs(ours - theirs).max()))
    assert run.max_weight_diff[-1] == largest  # the recorded difference is the real one
    assert run.numpy_losses[-10:].mean() < run.numpy_losses[:10].mean()


def test_keras_side_is_a_plain_train_on_batch_loop_over_fresh_shuffles() -> None:
    """Batches of 400 from 989 samples: passes of 400, 400, 189, each pass freshly shuffled."""
    keras_model, numpy_model = twins(seed=5)
    reference = build_sine_model(seed=5)
    rng = np.random.default_rng(11)
    batches = []
    while len(batches) < 7:
        order = rng.permutation(len(Y))
        batches += [order[:400], order[400:800], order[800:]]
    reference_losses = [float(reference.train_on_batch(X[b], Y[b])) for b in batches[:7]]

    run = lockstep_training(keras_model, numpy_model, X, Y, steps=7, batch_size=400, seed=11)

    np.testing.assert_array_equal(run.keras_losses, reference_losses)
    for ours, theirs in zip(keras_model.get_weights(), reference.get_weights(), strict=True):
        np.testing.assert_array_equal(ours, theirs)


def test_numpy_side_takes_the_batches_of_fit() -> None:
    keras_model, numpy_model = twins(seed=6)
    reference = numpy_model.copy()
    fit_losses: list[float] = []
    fit(
        reference,
        X,
        Y,
        epochs=2,
        batch_size=100,
        seed=2,
        verbose=0,
        on_batch_end=lambda _, loss: fit_losses.append(loss),
    )

    run = lockstep_training(
        keras_model, numpy_model, X, Y, steps=20, batch_size=100, seed=2, optimizer=Adam()
    )

    np.testing.assert_array_equal(run.numpy_losses, fit_losses)  # fit's default optimizer is Adam()
    for ours, theirs in zip(numpy_model.get_weights(), reference.get_weights(), strict=True):
        np.testing.assert_array_equal(ours, theirs)


def test_refuses_models_that_do_not_start_together() -> None:
    keras_model, numpy_model = twins(seed=0)
    numpy_model.lstm.W[0, 0] += np.float32(1e-3)
    with pytest.raises(ValueError, match="numpy_model must start from keras_model's weights"):
        lockstep_training(keras_model, numpy_model, X, Y, steps=1, batch_size=8)


def test_refuses_a_used_optimizer_a_non_adam_optimizer_and_mixed_dtypes() -> None:
    keras_model, _ = twins(seed=0)
    keras_model.train_on_batch(X[:8], Y[:8])
    with pytest.raises(ValueError, match="fresh"):
        lockstep_training(keras_model, from_keras(keras_model), X, Y, steps=1, batch_size=8)

    sgd_model = build_sine_model(seed=0)
    sgd_model.compile(loss="mean_squared_error", optimizer=keras.optimizers.SGD())
    with pytest.raises(TypeError, match=r"keras\.optimizers\.Adam"):
        lockstep_training(sgd_model, from_keras(sgd_model), X, Y, steps=1, batch_size=8)

    fresh, twin = twins(seed=0)
    with pytest.raises(TypeError, match="x has dtype float64"):
        lockstep_training(fresh, twin, X.astype(np.float64), Y, steps=1, batch_size=8)
    with pytest.raises(ValueError, match="steps must be an integer >= 1"):
        lockstep_training(fresh, twin, X, Y, steps=0, batch_size=8)


def test_default_optimizer_is_the_one_keras_runs_and_it_stays_closer() -> None:
    """On the torch backend the default is KerasTorchAdam; it keeps the twins closer than Adam."""
    runs = {}
    for name, optimizer in (("default", None), ("torch form", KerasTorchAdam()), ("generic", Adam())):
        keras_model, numpy_model = twins(seed=0)
        run = lockstep_training(
            keras_model, numpy_model, X, Y, steps=600, batch_size=32, seed=0, optimizer=optimizer
        )
        runs[name] = run
    if backend() == "torch":
        np.testing.assert_array_equal(runs["default"].numpy_losses, runs["torch form"].numpy_losses)
    # Same Keras run every time: the NumPy optimizer is the only difference.
    np.testing.assert_array_equal(runs["torch form"].keras_losses, runs["generic"].keras_losses)
    assert runs["torch form"].max_weight_diff[-1] <= 1e-6
    assert runs["generic"].max_weight_diff[-1] > 2 * runs["torch form"].max_weight_diff[-1]


def test_refuses_an_optimizer_that_is_used_or_differently_configured() -> None:
    keras_model, numpy_model = twins(seed=0)
    with pytest.raises(ValueError, match="hyperparameters"):
        lockstep_training(
            keras_model, numpy_model, X, Y, steps=1, batch_size=8, optimizer=Adam(learning_rate=0.01)
        )
    used = Adam()
    used.step([np.zeros(1, np.float32)], [np.ones(1, np.float32)])
    with pytest.raises(ValueError, match="optimizer must be fresh"):
        lockstep_training(keras_model, numpy_model, X, Y, steps=1, batch_size=8, optimizer=used)
