"""The LSTM fast path reuses its large buffers from call to call, and never one that is still held.

``lstm_fast._buffer`` keeps the buffers of each shape and hands one out again only when no
array refers to it: a cache, a view of it, or an output the caller kept. Here every buffer
is kept (``REUSE_FROM`` set to 1), so small shapes exercise all of them.
"""

from __future__ import annotations

import threading
import weakref

import numpy as np
import pytest

from lstm_tutorial.nn import lstm_fast
from lstm_tutorial.nn.layers import Dense, Recurrent
from lstm_tutorial.nn.lstm import LSTMParams
from lstm_tutorial.nn.model import Sequential

B, T, D, H = 3, 6, 2, 5


@pytest.fixture(autouse=True)
def keep_every_buffer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lstm_fast, "REUSE_FROM", 1)


def inputs(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.normal(size=(B, T, D)), rng.normal(size=(B, T, H))


def step(params: LSTMParams, seed: int) -> tuple[np.ndarray, lstm_fast.Grads]:
    """A forward and backward pass whose cache is dropped at the end, as in training."""
    x, dhs = inputs(seed)
    cache = lstm_fast.fast_forward(params, x, params.zero_state(B))
    dx, grads, _ = lstm_fast.fast_backward(dhs, cache, None, None)
    return dx, grads


def test_a_freed_buffer_serves_the_next_call() -> None:
    params = LSTMParams.init(D, H, seed=0)
    x, _ = inputs(0)
    first = lstm_fast.fast_forward(params, x, params.zero_state(B))
    gates = weakref.ref(first.gate_steps)  # does not keep it alive
    second = lstm_fast.fast_forward(params, x, params.zero_state(B))
    assert second.gate_steps is not gates()  # the first cache still holds its own
    del first
    assert gates() is not None  # kept for the next call
    third = lstm_fast.fast_forward(params, x, params.zero_state(B))
    assert third.gate_steps is gates()  # nothing held it any more
    np.testing.assert_array_equal(third.hs, second.hs)


def test_an_output_or_a_cache_the_caller_keeps_is_never_overwritten() -> None:
    params = LSTMParams.init(D, H, seed=0)
    layer = Recurrent(params, return_sequences=True)
    x, dhs = inputs(1)
    hs, cache = layer.forward(x)  # hs is the cache's own array: a Dense layer keeps it
    kept_cache = lstm_fast.fast_forward(params, x, params.zero_state(B))
    forget = kept_cache.forget_gate  # a view: it keeps its base alive
    expected = hs.copy(), forget.copy(), kept_cache.cs.copy()
    gradients = lstm_fast.fast_backward(dhs, kept_cache, None, None)[1]
    del cache
    for seed in range(2, 2 + 2 * lstm_fast.KEEP):
        step(params, seed)
    for array, before in zip((hs, forget, kept_cache.cs), expected, strict=True):
        np.testing.assert_array_equal(array, before)
    again = lstm_fast.fast_backward(dhs, kept_cache, None, None)[1]
    for a, b in zip(gradients, again, strict=True):
        np.testing.assert_array_equal(a, b)


def test_reused_buffers_give_the_same_numbers_as_fresh_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    params = LSTMParams.init(D, H, seed=0)
    reused = [step(params, seed) for seed in (3, 4, 3)]  # the third call reuses the first's buffers
    monkeypatch.setattr(lstm_fast, "REUSE_FROM", 10**9)
    fresh = step(params, 3)
    for dx, grads in (reused[0], reused[2]):
        np.testing.assert_array_equal(dx, fresh[0])
        for a, b in zip(grads, fresh[1], strict=True):
            np.testing.assert_array_equal(a, b)


def test_returned_gradients_are_arrays_of_their_own() -> None:
    params = LSTMParams.init(D, H, seed=0)
    first_dx, first = step(params, 5)
    kept = [first_dx.copy(), *(g.copy() for g in first)]
    for seed in range(6, 6 + 2 * lstm_fast.KEEP):
        step(params, seed)
    for array, before in zip((first_dx, *first), kept, strict=True):
        np.testing.assert_array_equal(array, before)


def test_a_model_trained_with_reuse_matches_one_trained_without(monkeypatch: pytest.MonkeyPatch) -> None:
    def train() -> list[np.ndarray]:
        rng = np.random.default_rng(7)
        model = Sequential(
            [
                Recurrent(LSTMParams.init(D, H, seed=1), return_sequences=True),
                Recurrent(LSTMParams.init(H, H, seed=2)),
                Dense(rng.normal(size=(H, 1)), np.zeros(1)),
            ]
        )
        x, y = rng.normal(size=(8, T, D)), rng.normal(size=8)
        for _ in range(3):
            _, grads = model.loss_and_grads(x, y)
            for weight, grad in zip(model.parameters(), grads.parameters(), strict=True):
                weight -= 0.1 * grad
        return model.parameters()

    with_reuse = train()
    monkeypatch.setattr(lstm_fast, "REUSE_FROM", 10**9)
    for a, b in zip(with_reuse, train(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_each_thread_keeps_its_own_buffers() -> None:
    params = LSTMParams.init(D, H, seed=0)
    x, _ = inputs(8)
    here = lstm_fast.fast_forward(params, x, params.zero_state(B))
    gates = weakref.ref(here.gate_steps)
    del here
    seen: list[bool] = []

    def elsewhere() -> None:
        seen.append(lstm_fast.fast_forward(params, x, params.zero_state(B)).gate_steps is gates())

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    assert seen == [False]  # the other thread did not get this thread's buffer
    assert lstm_fast.fast_forward(params, x, params.zero_state(B)).gate_steps is gates()
