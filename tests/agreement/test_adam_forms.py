"""optim.KerasTorchAdam: Adam as Keras 3 computes it on the torch backend.

Compared against keras.optimizers.Adam itself (torch backend), against optim.Adam
in float64 (the same algorithm), and against a closed form for a constant gradient.
"""

from __future__ import annotations

import numpy as np
import pytest

from lstm_tutorial.frameworks.keras import backend, keras
from lstm_tutorial.nn.optim import Adam, KerasTorchAdam

needs_torch = pytest.mark.skipif(backend() != "torch", reason="compares with Keras' torch-backend Adam")


@needs_torch
def test_follows_keras_torch_adam_more_closely_than_adam() -> None:
    rng = np.random.default_rng(0)
    start = rng.normal(size=(30, 40)).astype(np.float32)
    gradients = rng.normal(size=(300, 30, 40)).astype(np.float32)
    variable = keras.Variable(start.copy())
    keras_adam = keras.optimizers.Adam()
    generic, torch_form = start.copy(), start.copy()
    generic_adam, torch_adam = Adam(), KerasTorchAdam()
    for grad in gradients:
        keras_adam.apply_gradients([(keras.ops.convert_to_tensor(grad), variable)])
        generic_adam.step([generic], [grad])
        torch_adam.step([torch_form], [grad])
    theirs = keras.ops.convert_to_numpy(variable)
    keras_v = keras.ops.convert_to_numpy(keras_adam._velocities[0])

    assert np.abs(torch_form - theirs).max() <= 1.2e-7  # one float32 step at |w| ~ 1
    assert np.abs(torch_form - theirs).mean() < np.abs(generic - theirs).mean() / 3
    # The second moments, kept as one flat buffer over all parameters (here one).
    torch_v, generic_v = torch_adam._v.reshape(keras_v.shape), generic_adam._v.reshape(keras_v.shape)
    assert np.max(np.abs(torch_v - keras_v) / keras_v) <= 1e-6
    assert np.max(np.abs(generic_v - keras_v) / keras_v) > 1e-6  # the drift this class removes
    assert np.abs(torch_form - start).max() > 1e-2  # 300 steps of about 1e-3 moved it


def test_is_adam_in_float64() -> None:
    """The two forms are one algorithm: in float64 they agree to rounding."""
    rng = np.random.default_rng(1)
    start = rng.normal(size=(5, 6))
    ours, theirs = start.copy(), start.copy()
    torch_adam, generic_adam = KerasTorchAdam(), Adam()
    for _ in range(200):
        grad = rng.normal(size=(5, 6))
        torch_adam.step([ours], [grad])
        generic_adam.step([theirs], [grad])
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)
    assert np.abs(ours - start).max() > 1e-2


@pytest.mark.parametrize("steps", [1000, 3000])
def test_second_moment_drift_matches_the_closed_form(steps: int) -> None:
    """Constant gradient 1: v_t = 1 - d**t with d the effective float32 decay of each form."""
    generic_w, torch_w = np.zeros(1, np.float32), np.zeros(1, np.float32)
    generic_adam, torch_adam = Adam(), KerasTorchAdam()
    grad = np.ones(1, np.float32)
    for _ in range(steps):
        generic_adam.step([generic_w], [grad])
        torch_adam.step([torch_w], [grad])
    decay_generic = 1.0 - float(np.float32(0.001))  # v += (g^2 - v) * float32(1 - 0.999)
    decay_torch = float(np.float32(0.999))  # v = v * float32(0.999) + ...
    expected = ((1 - decay_torch**steps) - (1 - decay_generic**steps)) / (1 - decay_generic**steps)
    measured = float((torch_adam._v[0] - generic_adam._v[0]) / generic_adam._v[0])
    assert expected < 0
    assert 0.5 < measured / expected < 2.0


def test_checks_its_inputs() -> None:
    adam = KerasTorchAdam()
    w = np.zeros((2, 3), np.float32)
    with pytest.raises(ValueError, match="grads"):
        adam.step([w], [])
    adam.step([w], [np.ones((2, 3), np.float32)])
    with pytest.raises(ValueError, match="same arrays on every step"):
        adam.step([np.zeros(4, np.float32)], [np.ones(4, np.float32)])
    with pytest.raises(ValueError, match="beta_2"):
        KerasTorchAdam(beta_2=1.0)
