"""lstm_tutorial.tasks.mackey_glass: the delay equation's series, against its known behaviour.

Independent witnesses: the fixed point solved by hand, the known band of the tau = 17
attractor, the same equation integrated with a ten times finer step, and the order of
convergence the docstring claims.
"""

from __future__ import annotations

import numpy as np
import pytest

from lstm_tutorial.tasks.data import make_windows
from lstm_tutorial.tasks.forecast import fit_autoregression, rmse
from lstm_tutorial.tasks.mackey_glass import mackey_glass


def test_tau_17_stays_in_the_attractors_band_and_keeps_moving() -> None:
    series = mackey_glass(2000)
    assert series.shape == (2000,) and series.dtype == np.float64
    # The tau = 17 attractor lies in about 0.4 .. 1.35 (Mackey & Glass 1977; Farmer 1982).
    assert 0.2 < series.min() < 0.5 and 1.2 < series.max() < 1.4
    assert series.std() > 0.15  # not settled to a point


def test_tau_17_is_chaotic_and_tau_5_is_not() -> None:
    # Sensitive dependence on the initial history: a difference of 1e-8 grows about
    # a million-fold in 3000 time units at tau = 17, and does not grow at tau = 5 (a cycle).
    for tau, grows in ((17.0, True), (5.0, False)):
        one = mackey_glass(3000, tau=tau, warmup=0.0, seed=None)
        two = mackey_glass(3000, tau=tau, warmup=0.0, seed=None, initial=1.2 + 1e-8)
        late = np.abs(one - two)[2000:].max()
        assert (late > 1e-4) == grows and (late < 1e-7) == (not grows), (tau, late)


def test_the_series_is_deterministic() -> None:
    np.testing.assert_array_equal(mackey_glass(300, seed=3), mackey_glass(300, seed=3))
    assert not np.array_equal(mackey_glass(300, seed=3), mackey_glass(300, seed=4))
    np.testing.assert_array_equal(mackey_glass(300, dtype=np.float32), mackey_glass(300).astype(np.float32))


def test_a_finer_step_changes_it_little_over_a_short_horizon() -> None:
    coarse = mackey_glass(100, warmup=0.0, dt=0.1)  # 100 time units from the same history
    half = mackey_glass(100, warmup=0.0, dt=0.05)
    fine = mackey_glass(100, warmup=0.0, dt=0.01)
    assert np.abs(coarse - fine).max() < 1e-4
    # Second order in dt (the delayed value at the half step is interpolated):
    # halving the step divides the error by about 4.
    ratio = np.abs(coarse - fine).max() / np.abs(half - fine).max()
    assert 3.0 < ratio < 6.0


@pytest.mark.parametrize("beta", [0.2, 0.3])
def test_a_short_delay_settles_to_the_fixed_point(beta: float) -> None:
    # At a fixed point x(t) = x(t - tau) = x* and dx/dt = 0:
    #     beta x* / (1 + x*^n) = gamma x*   =>   1 + x*^n = beta / gamma
    #     =>   x* = (beta / gamma - 1) ** (1 / n),
    # which is 1 for beta = 0.2, gamma = 0.1 and 2 ** 0.1 = 1.0718 for beta = 0.3.
    # The linearised equation x' = -gamma x + a x(t - tau), a = f'(x*) < -gamma, is stable
    # for tau < arccos(-gamma / a) / sqrt(a^2 - gamma^2), about 3.4 and 2.5 here, so tau = 1 settles.
    fixed_point = (beta / 0.1 - 1.0) ** (1.0 / 10.0)
    series = mackey_glass(100, tau=1.0, beta=beta, warmup=500.0)
    np.testing.assert_allclose(series, fixed_point, atol=1e-9)
    assert abs(mackey_glass(10, tau=1.0, beta=beta, warmup=0.0)[0] - fixed_point) > 0.05


def test_a_linear_autoregression_is_far_from_perfect_six_time_units_ahead() -> None:
    # The bar a recurrent network must clear: AR(16) one sample ahead, samples 6 time units
    # apart, fitted on 1000 samples and scored on the next 500.
    series = mackey_glass(1500, sample_every=6.0)
    x, y = make_windows(series[:1000], 16, drop_last=False)
    x_test, y_test = make_windows(series[1000:], 16, drop_last=False)
    model = fit_autoregression(x, y, 16)
    error = rmse(model.predict(x_test) - y_test)
    assert 0.2 * series.std() < error < 0.5 * series.std()  # measured: 0.071, 0.31 of the std


def test_bad_arguments_are_named() -> None:
    with pytest.raises(ValueError, match="tau must be a whole number of dt"):
        mackey_glass(10, tau=17.05)
    with pytest.raises(ValueError, match="sample_every"):
        mackey_glass(10, sample_every=0.25)
    with pytest.raises(ValueError, match="tau must be at least one step"):
        mackey_glass(10, tau=1e-12, dt=0.1)
    with pytest.raises(ValueError, match="n_samples"):
        mackey_glass(0)
    with pytest.raises(ValueError, match="gamma"):
        mackey_glass(10, gamma=-0.1)
    with pytest.raises(ValueError, match="warmup"):
        mackey_glass(10, warmup=-1.0)
    with pytest.raises(TypeError, match="seed"):
        mackey_glass(10, seed=1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="dtype"):
        mackey_glass(10, dtype=np.int64)


def test_the_largest_stable_step_is_taken_and_a_larger_one_refused() -> None:
    # For gamma = 3 (beta = 0.2, n = 10) x must stay >= 0, which bounds gamma dt by 1.2956:
    # dt <= 0.43187; dt = 0.4 (tau = 2, 5 steps) is taken, dt = 0.5 (tau = 2, 4 steps) is not.
    series = mackey_glass(200, tau=2.0, gamma=3.0, dt=0.4, sample_every=0.4, warmup=0.0)
    assert np.all(np.isfinite(series)) and series.min() > 0 and series.max() < 1.31  # the history's top
    with pytest.raises(ValueError, match=r"dt = 0\.5 is too large .* dt must be at most 0\.4319"):
        mackey_glass(200, tau=2.0, gamma=3.0, dt=0.5, sample_every=0.5, warmup=0.0)
    # With gamma small, the stability of the delayed term binds: L = 0.01 + 0.2 * 81 / 40 = 0.415,
    # so dt <= 2.7853 / 0.415 = 6.712.
    with pytest.raises(ValueError, match=r"at most 6\.712"):
        mackey_glass(10, tau=7.0, gamma=0.01, dt=7.0, sample_every=7.0, warmup=0.0)
    assert np.all(np.isfinite(mackey_glass(10, tau=6.0, gamma=0.01, dt=6.0, sample_every=6.0, warmup=0.0)))
