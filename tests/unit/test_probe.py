"""Chapter 12's tools: a char model's per-step internals against the textbook step loop, and
unit correlations and gate saturation against numpy.corrcoef and hand counts."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_tutorial.nn.activations import sigmoid
from lstm_tutorial.nn.layers import Recurrent
from lstm_tutorial.nn.lstm import LSTMParams
from lstm_tutorial.tasks import language, probe


def _textbook(model: object, ids: np.ndarray, layer: int) -> dict[str, np.ndarray]:
    """The model read one character at a time with ``LSTMParams.step``, every state carried."""
    layers = model.layers  # type: ignore[attr-defined]
    x = layers[0].W[ids]  # (N, E): the embedding is a row lookup
    cells = [each.cell for each in layers if isinstance(each, Recurrent)]
    out: dict[str, list[np.ndarray]] = {name: [] for name in "chifgo"}
    states = [cell.zero_state(1) for cell in cells]
    for t in range(ids.shape[0]):
        inp = x[t : t + 1]
        for k, cell in enumerate(cells[: layer + 1]):
            states[k], cache = cell.step(inp, states[k])
            inp = states[k][0]
        h, c = states[layer]
        for name, value in zip("chifgo", (c, h, cache.i, cache.f, cache.g, cache.o), strict=True):
            out[name].append(value[0])
    return {name: np.array(rows) for name, rows in out.items()}


@pytest.mark.parametrize(("layer", "chunk"), [(0, 7), (1, 5), (1, 1000)])
def test_cell_internals_equal_the_textbook_step_loop(layer: int, chunk: int) -> None:
    model = language.char_model(11, embed=3, hidden=4, layers=2, seed=3, dtype=np.float64)
    for cell in (each.cell for each in model.layers if isinstance(each, Recurrent)):
        cell.U *= 3.0  # larger weights: saturated gates, states far from zero
        cell.W *= 3.0
    model.layers[0].W *= 40.0
    ids = np.random.default_rng(0).integers(0, 11, size=23)
    model.predict(ids[None, :6])  # the model's own carried state must not leak in or change
    before = [each.state for each in model.layers if isinstance(each, Recurrent)]
    got = probe.cell_internals(model, ids, layer=layer, chunk=chunk)
    expected = _textbook(model, ids, layer)
    for name in "chifgo":
        assert getattr(got, name).shape == (23, 4)
        np.testing.assert_allclose(getattr(got, name), expected[name], rtol=0, atol=1e-12)
    assert np.all(got.f > 0) and np.all(got.f < 1) and np.any(np.abs(got.c) > 1)
    after = [each.state for each in model.layers if isinstance(each, Recurrent)]
    for a, b in zip(before, after, strict=True):
        assert a is b


def test_cell_internals_gates_are_the_sigmoids_of_the_step() -> None:
    # o_t = sigmoid(x_t W_o + h_(t-1) U_o + b_o) written out for one gate, from the recorded h
    model = language.char_model(5, embed=2, hidden=3, layers=1, seed=1, dtype=np.float64)
    ids = np.array([0, 4, 2, 2, 1, 3])
    got = probe.cell_internals(model, ids)
    cell = model.layers[1].cell
    assert isinstance(cell, LSTMParams)
    W_o, U_o, b_o = cell.gate("o")
    h_prev = np.vstack([np.zeros(3), got.h[:-1]])
    o = sigmoid(model.layers[0].W[ids] @ W_o + h_prev @ U_o + b_o)
    np.testing.assert_allclose(got.o, o, atol=1e-12)
    np.testing.assert_allclose(got.h, got.o * np.tanh(got.c), atol=1e-12)


def test_cell_internals_refuses_bad_arguments() -> None:
    model = language.char_model(5, embed=2, hidden=3, layers=1, seed=1)
    with pytest.raises(ValueError, match=r"layer must be an int in \[0, 0\]"):
        probe.cell_internals(model, np.array([0, 1]), layer=1)
    with pytest.raises(ValueError, match="ids must hold ids in"):
        probe.cell_internals(model, np.array([0, 5]))
    with pytest.raises(ValueError, match="chunk"):
        probe.cell_internals(model, np.array([0, 1]), chunk=0)


def test_unit_correlations_equal_numpy_corrcoef() -> None:
    rng = np.random.default_rng(1)
    labels = rng.integers(0, 4, size=200)
    a = rng.normal(size=(200, 6)) + np.outer(labels, [0, 1, -2, 0.1, 0, 5])
    a[:, 4] += 100.0  # an offset changes nothing
    r = probe.unit_correlations(a, labels)
    expected = [np.corrcoef(a[:, j], labels)[0, 1] for j in range(6)]
    np.testing.assert_allclose(r, expected, rtol=0, atol=1e-12)
    assert probe.best_unit(a, labels) == (5, pytest.approx(expected[5], abs=1e-12))
    assert probe.best_unit(a, labels.astype(bool).astype(np.float64))[0] in range(6)


def test_best_unit_ranks_by_absolute_r_and_skips_constant_units() -> None:
    labels = np.array([0.0, 1.0, 0.0, 1.0, 1.0, 0.0])
    a = np.column_stack(
        [
            np.full(6, 0.3),
            labels + np.array([0.3, 0, 0, 0, 0.2, 0.1]),
            -labels,
            [0.0, 0.1, 0.5, 0.2, 0.3, 0.1],
        ]
    )
    r = probe.unit_correlations(a, labels)
    assert np.isnan(r[0]) and r[2] == pytest.approx(-1.0) and 0 < r[1] < 1
    assert probe.best_unit(a, labels) == (2, pytest.approx(-1.0))
    assert probe.best_unit(a, labels, absolute=False) == (1, pytest.approx(r[1]))
    with pytest.raises(ValueError, match="at least one unit that is not constant"):
        probe.best_unit(a[:, :1], labels)
    with pytest.raises(ValueError, match="labels must not all be equal"):
        probe.unit_correlations(a, np.ones(6))
    with pytest.raises(ValueError, match=r"labels must have shape \(6,\)"):
        probe.unit_correlations(a, np.ones(5))
    with pytest.raises(TypeError, match="activations must be a NumPy array"):
        probe.unit_correlations(a.tolist(), labels)


def test_gate_saturation_counts_steps_beyond_the_thresholds() -> None:
    gates = np.array([[0.05, 0.5], [0.95, 0.5], [0.1, 0.91], [0.02, 0.99]])
    left, right = probe.gate_saturation(gates)
    np.testing.assert_array_equal(left, [0.5, 0.0])  # 0.1 itself is not below 0.1
    np.testing.assert_array_equal(right, [0.25, 0.5])
    left, right = probe.gate_saturation(gates, low=0.6, high=0.7)
    np.testing.assert_array_equal(left, [0.75, 0.5])
    with pytest.raises(ValueError, match="low must be below high"):
        probe.gate_saturation(gates, low=0.9, high=0.1)


def test_character_ratio_is_the_r_of_least_squares_on_one_hot_ids() -> None:
    rng = np.random.default_rng(2)
    ids = rng.integers(0, 6, size=300)
    labels = rng.normal(size=300) + np.array([0.0, 1.0, -1.0, 0.5, 0.0, 2.0])[ids]
    one_hot = np.eye(6)[ids]
    fit, *_ = np.linalg.lstsq(one_hot, labels, rcond=None)  # the best function of the id
    r_squared = 1 - np.sum((labels - one_hot @ fit) ** 2) / np.sum((labels - labels.mean()) ** 2)
    eta = probe.character_ratio(ids, labels)
    assert eta == pytest.approx(np.sqrt(r_squared), abs=1e-12)
    for seed in range(20):  # no other function of the id correlates better
        g = np.random.default_rng(seed).normal(size=6)[ids]
        assert abs(np.corrcoef(g, labels)[0, 1]) <= eta + 1e-12
    assert probe.character_ratio(ids, ids % 2 == 0) == pytest.approx(1.0)  # a function of the id
    assert probe.character_ratio(np.zeros(4, dtype=np.int64), np.array([0, 1, 0, 1])) == 0.0
    with pytest.raises(TypeError, match="ids must be a 1-D NumPy array of integer ids"):
        probe.character_ratio(ids.astype(float), labels)
    with pytest.raises(ValueError, match=r"labels must have shape \(300,\)"):
        probe.character_ratio(ids, labels[:5])
