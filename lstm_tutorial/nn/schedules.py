"""Learning-rate schedules: the step size as a function of the step, as Keras' are.

An optimizer given a schedule instead of a number asks it for the step size of
every step: step k (counting from 0, Keras' ``optimizer.iterations`` before the
step) moves the weights by ``schedule(k)`` times what a fixed rate of 1 would.

``CosineDecay`` is Keras' ``keras.optimizers.schedules.CosineDecay``
(Loshchilov & Hutter 2017, "SGDR", without restarts), with its optional linear
warm-up (Goyal et al. 2017): over ``warmup_steps`` the rate climbs in a straight
line from ``initial_learning_rate`` to ``warmup_target``; then, over
``decay_steps``, it follows half a cosine down to ``alpha`` times where it
started, and stays there:

    warm-up   (k < w):        r0 + (target - r0) k / w
    decay     (w <= k):       peak ((1 - alpha) (1 + cos(pi min(k - w, d) / d)) / 2 + alpha)

where ``peak`` is ``warmup_target`` with a warm-up and ``initial_learning_rate``
without one (w = 0). A fast start and a slow finish: the large early steps
cross the loss landscape, the small late ones settle into a minimum, which is
why a short training run ends lower with a decay than at any fixed rate.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import _checks

__all__ = ["CosineDecay", "LearningRate", "rate_at"]


def _count(name: str, value: Any) -> int:
    """An integer >= 0 (a bool is not one)."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be an integer >= 0, got {_checks.describe(value)}")
    if value < 0:
        raise ValueError(f"{name} must be an integer >= 0, got {value}")
    return int(value)


class CosineDecay:
    """Keras' cosine decay with an optional linear warm-up (see the module docstring).

    Args:
        initial_learning_rate: the rate at step 0, a finite number >= 0 (> 0 without a
            warm-up).
        decay_steps: how many steps the cosine takes, an integer >= 1.
        alpha: the floor, as a fraction of the peak rate, in [0, 1].
        warmup_target: the peak rate the warm-up climbs to, a finite number > 0, or None
            for no warm-up.
        warmup_steps: how many steps the warm-up takes, an integer >= 0 (0 without a
            ``warmup_target``).
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        alpha: float = 0.0,
        warmup_target: float | None = None,
        warmup_steps: int = 0,
    ) -> None:
        self.decay_steps = _checks.positive_int("decay_steps", decay_steps)
        self.alpha = _checks.finite_number("alpha", alpha, 0.0, 1.0)
        self.warmup_steps = _count("warmup_steps", warmup_steps)
        if warmup_target is None:
            self.initial_learning_rate = _checks.positive_number(
                "initial_learning_rate", initial_learning_rate
            )
            if self.warmup_steps:
                raise ValueError(
                    f"warmup_steps = {self.warmup_steps} needs a warmup_target (the rate to climb to), "
                    "got None; give warmup_target, or warmup_steps = 0"
                )
            self.warmup_target: float | None = None
        else:
            self.initial_learning_rate = _checks.finite_number(
                "initial_learning_rate", initial_learning_rate, 0.0, math.inf
            )
            self.warmup_target = _checks.positive_number("warmup_target", warmup_target)

    def __call__(self, step: int) -> float:
        """The learning rate of step ``step`` (an integer >= 0, counting from 0)."""
        step = _count("step", step)
        peak = self.initial_learning_rate
        if self.warmup_target is not None:
            if step < self.warmup_steps:
                climbed = step / self.warmup_steps
                return (
                    self.initial_learning_rate + (self.warmup_target - self.initial_learning_rate) * climbed
                )
            peak, step = self.warmup_target, step - self.warmup_steps
        done = min(step, self.decay_steps) / self.decay_steps
        cosine = 0.5 * (1.0 + math.cos(math.pi * done))
        return peak * ((1.0 - self.alpha) * cosine + self.alpha)

    def get_config(self) -> dict[str, Any]:
        """The constructor's arguments, as Keras' ``get_config`` gives them."""
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }

    @classmethod
    def from_config(cls, config: Any) -> CosineDecay:
        """The schedule ``get_config`` described (a dict of the constructor's arguments)."""
        keys = ["alpha", "decay_steps", "initial_learning_rate", "warmup_steps", "warmup_target"]
        if not isinstance(config, dict) or sorted(config) != keys:
            got = sorted(config) if isinstance(config, dict) else repr(config)
            raise ValueError(f"a CosineDecay's config must be a JSON object with the keys {keys}, got {got}")
        return cls(**config)

    def __repr__(self) -> str:
        arguments = ", ".join(f"{key}={value!r}" for key, value in self.get_config().items())
        return f"CosineDecay({arguments})"


LearningRate = float | CosineDecay
"""What an optimizer's ``learning_rate`` may be: a fixed rate, or a schedule."""


def rate_at(learning_rate: LearningRate, step: int) -> float:
    """The step size of step ``step`` (from 0): the number itself, or the schedule's value."""
    return learning_rate(step) if isinstance(learning_rate, CosineDecay) else learning_rate
