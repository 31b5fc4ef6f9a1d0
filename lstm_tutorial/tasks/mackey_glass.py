r"""The Mackey-Glass series: a nonlinear delay system, a classic benchmark for recurrent networks.

.. math::

    \frac{dx}{dt} = \beta \, \frac{x(t - \tau)}{1 + x(t - \tau)^n} - \gamma \, x(t),

with beta = 0.2, gamma = 0.1, n = 10 (Mackey & Glass 1977). For tau = 17 the
solution is chaotic; for small tau (below about 3.4 with these constants) it
settles to the fixed point ``x* = (beta / gamma - 1) ** (1 / n)``, here 1.

    mackey_glass   the series, sampled every ``sample_every`` time units

Shapes: n_samples values of the series.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..nn import _checks

__all__ = ["mackey_glass"]

MAX_STEPS = 10**7  # integration steps of one call: about 10 s and 400 MB of Python floats
# The classical Runge-Kutta method applied to x' = -z x / dt multiplies x by
# R(-z) = 1 - z + z^2/2 - z^3/6 + z^4/24 per step: |R| <= 1 (stable) for 0 <= z <= RK4_STABLE.
RK4_STABLE = 2.7852935634052804
# With the delayed term taken from the history, one step is x_new = R(-z) x + dt (a P_before +
# b P_middle + c P_after), P >= 0 the production terms; a = (1 - z + z^2/2 - z^3/4) / 6 is >= 0
# (so x stays >= 0, as the equation's x does) for z <= RK4_POSITIVE, and b, c always are.
RK4_POSITIVE = 1.295597742522086


def _multiple(name: str, value: float, step: float, step_name: str) -> int:
    """``value / step`` as an integer, refusing values that are not a whole number of steps,
    or more than ``MAX_STEPS`` of them."""
    if value / step > MAX_STEPS:
        raise ValueError(
            f"{step_name} = {step:g} makes {name} = {value:g} a span of {value / step:.3g} steps, more "
            f"than the {MAX_STEPS:,} (MAX_STEPS) one integration may take; use a larger {step_name} "
            f"or a smaller {name}"
        )
    count = round(value / step)
    if abs(count * step - value) > 1e-9 * max(1.0, abs(value)):
        raise ValueError(
            f"{name} must be a whole number of {step_name} = {step:g} time units, got {value:g} "
            f"({value / step:.4g} steps)"
        )
    return int(count)


def mackey_glass(
    n_samples: int = 2000,
    *,
    tau: float = 17.0,
    beta: float = 0.2,
    gamma: float = 0.1,
    n: float = 10.0,
    dt: float = 0.1,
    sample_every: float = 1.0,
    warmup: float = 500.0,
    initial: float = 1.2,
    seed: int | None = 0,
    dtype: Any = np.float64,
) -> np.ndarray:
    """Integrate the Mackey-Glass equation and sample it.

    Integration: the classical fourth-order Runge-Kutta method with step ``dt``
    on a grid that is also the history buffer: the delayed value at grid time
    t - tau is the stored value ``tau / dt`` steps back (so ``tau`` must be a
    whole number of steps), and at the half step t - tau + dt / 2, which falls
    between two stored values, it is their mean (linear interpolation). The
    error is therefore second order in ``dt`` in the delayed term; at the default
    ``dt = 0.1`` it is well below 1e-3 over 100 time units (see the tests).

    Initial history: x(t) for t in [-tau, 0]. With ``seed=None`` it is the
    constant ``initial``; with a seed, ``initial`` plus values drawn uniformly
    in [-0.1, 0.1] one time unit apart and linearly interpolated in between, so
    the same seed gives the same history whatever ``dt``. The first ``warmup``
    time units are discarded, so that the samples lie on the attractor.

    Args:
        n_samples: number of values returned, >= 1.
        tau: the delay, > 0, a whole number of steps ``dt`` (17 is chaotic).
        beta, gamma: the production and decay rates, > 0.
        n: the exponent of the nonlinearity, > 0.
        dt: the integration step, > 0, small enough for the scheme to be stable and keep x
            positive (see below); the whole integration, history included, may take at most
            ``MAX_STEPS`` = 10,000,000 steps.
        sample_every: time between samples, a whole number of steps ``dt``.
        warmup: time integrated before the first sample, >= 0, a whole number of steps.
        initial: the history's level, > 0 (> 0.1 with a seed, so that the history stays positive).
        seed: seed of the history's perturbation (an integer >= 0), or None for none.
        dtype: np.float64 (default) or np.float32, the dtype of the result.

    Returns:
        (n_samples,) x at times ``warmup + i * sample_every``, i = 0 .. n_samples - 1.

    Raises:
        ValueError: for a step ``dt`` the scheme cannot take. The method is explicit, so
            ``dt L`` must stay within its stability interval, ``dt L <= 2.785`` for the Lipschitz
            constant ``L = gamma + beta max|f'|`` of the right-hand side (``f(y) = y / (1 + y^n)``,
            ``max|f'| = max(1, (n - 1)^2 / (4 n))``); and ``gamma dt <= 1.296`` keeps x >= 0. The
            message gives the largest dt that meets both.
    """
    n_samples = _checks.positive_int("n_samples", n_samples)
    tau = _checks.positive_number("tau", tau)
    beta = _checks.positive_number("beta", beta)
    gamma = _checks.positive_number("gamma", gamma)
    n = _checks.positive_number("n", n)
    dt = _checks.positive_number("dt", dt)
    sample_every = _checks.positive_number("sample_every", sample_every)
    warmup = _checks.finite_number("warmup", warmup, 0.0)
    initial = _checks.positive_number("initial", initial)
    chosen_seed = _checks.seed("seed", seed)
    out_dtype = _checks.dtype_arg("dtype", dtype)
    delay = _multiple("tau", tau, dt, "dt")
    stride = _multiple("sample_every", sample_every, dt, "dt")
    skip = _multiple("warmup", warmup, dt, "dt")
    if delay < 1:
        raise ValueError(f"tau must be at least one step dt = {dt:g}, got {tau:g}")
    if stride < 1:
        raise ValueError(f"sample_every must be at least one step dt = {dt:g}, got {sample_every:g}")
    if chosen_seed is not None and initial <= 0.1:
        raise ValueError(
            f"initial must be > 0.1 with a seed (the history is initial plus up to +-0.1, and x must "
            f"stay positive: x**n of a negative x is complex for a fractional n), got {initial:g}"
        )
    _check_step(dt, gamma, beta, n)
    steps = skip + (n_samples - 1) * stride
    if delay + steps > MAX_STEPS:
        raise ValueError(
            f"n_samples = {n_samples} at sample_every = {sample_every:g} after warmup = {warmup:g} "
            f"(with tau = {tau:g}) takes {delay + steps:,} steps of dt = {dt:g}, more than the "
            f"{MAX_STEPS:,} (MAX_STEPS) one integration may take; ask for fewer samples or use a larger dt"
        )

    # x[k] is x(t_k) at t_k = (k - delay) dt: the history fills x[0 .. delay].
    x = np.empty(delay + 1 + steps)
    times = np.arange(-delay, 1) * dt
    if chosen_seed is None:
        x[: delay + 1] = initial
    else:
        knots = np.arange(-np.ceil(tau), 1.0)
        bumps = np.random.default_rng(chosen_seed).uniform(-0.1, 0.1, size=knots.shape[0])
        x[: delay + 1] = initial + np.interp(times, knots, bumps)

    def slope(value: float, delayed: float) -> float:
        return beta * delayed / (1.0 + delayed**n) - gamma * value

    half = 0.5 * dt
    values = x.tolist()  # Python floats: a scalar loop runs faster on a list than on an array
    try:
        for k in range(delay, delay + steps):
            now, before, after = values[k], values[k - delay], values[k - delay + 1]
            middle = 0.5 * (before + after)
            k1 = slope(now, before)
            k2 = slope(now + half * k1, middle)
            k3 = slope(now + half * k2, middle)
            k4 = slope(now + dt * k3, after)
            values[k + 1] = now + dt / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
    except OverflowError:  # Python's float power raises where NumPy's would give inf
        raise ValueError(
            f"the integration overflowed: x**n passed the float range at t = {(k - delay) * dt:g} "
            f"(initial = {initial:g}, n = {n:g}, beta / gamma = {beta / gamma:g}); use a smaller "
            f"initial level or n"
        ) from None
    series = np.array(values[delay + skip :: stride], dtype=np.float64)
    if not np.isfinite(series).all():
        raise ValueError(f"the integration diverged: dt = {dt:g} is too large for these constants")
    return series.astype(out_dtype)


def _check_step(dt: float, gamma: float, beta: float, n: float) -> None:
    """Refuse a step outside the scheme's stability interval, or one that can make x negative."""
    # max |f'(y)| over y >= 0 for f(y) = y / (1 + y^n): 1 at y = 0, or (n - 1)^2 / (4 n) where
    # y^n = (n + 1) / (n - 1); written so that a huge n does not overflow the square.
    steepest = max(1.0, (n - 1.0) / (4.0 * n) * (n - 1.0))
    lipschitz = gamma + beta * steepest
    largest = min(RK4_STABLE / lipschitz, RK4_POSITIVE / gamma)
    if dt > largest:
        raise ValueError(
            f"dt = {dt:g} is too large a step for gamma = {gamma:g}, beta = {beta:g}, n = {n:g}: the "
            f"Runge-Kutta scheme is stable for dt * (gamma + beta * max|f'|) = dt * {lipschitz:.4g} <= "
            f"{RK4_STABLE:.4g} and keeps x >= 0 for gamma * dt <= {RK4_POSITIVE:.4g}, so dt must be at "
            f"most {largest:.4g}"
        )
