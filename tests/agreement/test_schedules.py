"""schedules.CosineDecay against Keras' own ``keras.optimizers.schedules.CosineDecay``,
value by value, and an optimizer driven by it against Keras' Adam driven by Keras' schedule."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_tutorial.frameworks.keras import backend, keras
from lstm_tutorial.nn.optim import SGD, KerasTorchAdam
from lstm_tutorial.nn.schedules import CosineDecay

SCHEDULES = [
    {"initial_learning_rate": 0.01, "decay_steps": 100},
    {"initial_learning_rate": 0.005, "decay_steps": 37, "alpha": 0.05},
    {
        "initial_learning_rate": 0.0,
        "decay_steps": 90,
        "alpha": 0.05,
        "warmup_target": 0.005,
        "warmup_steps": 10,
    },
    {"initial_learning_rate": 1e-4, "decay_steps": 7, "alpha": 0.5, "warmup_target": 0.02, "warmup_steps": 3},
]


@pytest.mark.parametrize("config", SCHEDULES, ids=lambda c: ", ".join(f"{k}={v}" for k, v in c.items()))
def test_every_step_is_keras_value(config: dict[str, float]) -> None:
    ours, theirs = CosineDecay(**config), keras.optimizers.schedules.CosineDecay(**config)
    last = config["decay_steps"] + config.get("warmup_steps", 0) + 20  # past the end: the floor
    steps = range(last)
    expected = np.array([float(keras.ops.convert_to_numpy(theirs(step))) for step in steps])
    got = np.array([ours(step) for step in steps])
    # Keras computes in float32; ours in float64: they agree to float32 rounding.
    np.testing.assert_allclose(got, expected, rtol=2e-6, atol=1e-9)
    assert got.max() - got.min() > 0.4 * max(
        config["initial_learning_rate"], config.get("warmup_target") or 0
    )
    assert got[-1] == pytest.approx(got[-2])  # held at the floor after decay_steps


@pytest.mark.skipif(backend() != "torch", reason="compares with Keras' torch-backend Adam")
def test_adam_with_a_schedule_follows_keras_adam_with_keras_schedule() -> None:
    config = SCHEDULES[2]
    rng = np.random.default_rng(0)
    start = rng.normal(size=(20, 30)).astype(np.float32)
    variable = keras.Variable(start.copy())
    keras_adam = keras.optimizers.Adam(learning_rate=keras.optimizers.schedules.CosineDecay(**config))
    ours, adam = start.copy(), KerasTorchAdam(learning_rate=CosineDecay(**config))
    fixed, fixed_adam = start.copy(), KerasTorchAdam(learning_rate=0.005)
    for grad in rng.normal(size=(120, 20, 30)).astype(np.float32):
        keras_adam.apply_gradients([(keras.ops.convert_to_tensor(grad), variable)])
        adam.step([ours], [grad])
        fixed_adam.step([fixed], [grad])
    theirs = keras.ops.convert_to_numpy(variable)
    assert np.abs(ours - theirs).max() <= 1e-6  # float32 rounding of ~1e-3 steps over 120 steps
    assert np.abs(fixed - theirs).max() > 1e-3  # a fixed rate ends elsewhere: the schedule mattered


def test_sgd_steps_by_the_schedule() -> None:
    schedule = CosineDecay(0.5, decay_steps=2)  # 0.5, then 0.25, then 0 from step 2 on
    w, sgd = np.array([1.0]), SGD(schedule)
    for _ in range(4):
        sgd.step([w], [np.array([1.0])])
    assert w[0] == pytest.approx(1.0 - 0.5 - 0.25)
    assert sgd.iterations == 4
