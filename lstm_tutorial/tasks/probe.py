"""What single units track: correlation with a labelled quantity, and gate saturation.

After Karpathy, Johnson & Fei-Fei (2015), "Visualizing and Understanding
Recurrent Networks". Given what a layer computed at every character of a text
(``cell_internals``: N steps, H units) and a quantity known at every character
(``text.python_labels``: inside a string, bracket depth, column ...):

    cell_internals      what one LSTM layer of a character model computed at every character

    unit_correlations   Pearson's r of every unit's activation with the quantity, (H,)
    best_unit           the unit with the largest |r|, and its r
    character_ratio     the best r any function of the current character alone reaches
    gate_saturation     the share of steps each unit's gate is below 0.1 or above 0.9

A unit "tracks" a quantity when its activation rises and falls with it over the
text; the sign of r is arbitrary (a unit may as well fall inside strings as
rise), so units are ranked by |r|. A unit that never changes has no correlation
(0 / 0): its r is NaN and it is never the best unit.

    N  characters (steps)    H  units
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..nn import _checks
from ..nn.layers import Recurrent
from ..nn.lstm import LSTMParams, lstm_forward
from ..nn.model import Sequential
from .language import stepping_twin

__all__ = [
    "CellInternals",
    "best_unit",
    "cell_internals",
    "character_ratio",
    "gate_saturation",
    "unit_correlations",
]


@dataclass(frozen=True)
class CellInternals:
    """What one LSTM layer computed at every character of a text (``cell_internals``).

    Every array has shape (N, H): row t is the step that read character t, so it
    holds the states *after* reading it. The gates are in the package's order
    i, f, g, o, as Keras stores them (the candidate g is Keras' c).

    Attributes:
        c: cell states c_t.
        h: hidden states h_t = o_t * tanh(c_t).
        i: input gate, in (0, 1).
        f: forget gate, in (0, 1).
        g: candidate, in (-1, 1).
        o: output gate, in (0, 1).
    """

    c: np.ndarray
    h: np.ndarray
    i: np.ndarray
    f: np.ndarray
    g: np.ndarray
    o: np.ndarray


def cell_internals(model: Sequential, ids: Any, layer: int = 0, chunk: int = 1024) -> CellInternals:
    """Run a character model over ``ids`` as one stream and record one LSTM layer's internals.

    The text is read from zero states, ``chunk`` characters at a time, every
    recurrent layer carrying its state from one chunk to the next, so step t sees
    all of ``ids[:t + 1]`` (the chunk size changes only the speed). It runs the
    LSTM over each chunk with ``lstm.lstm_forward``, the same numbers as
    ``LSTMParams.step`` step after step. The model and its carried states are not
    changed.

    Args:
        model: a model that starts with an ``Embedding`` (``char_model``'s shape);
            every recurrent layer up to the one asked for runs forward in time.
        ids: (N,) integer ids of the text.
        layer: which LSTM layer, counting recurrent layers from 0 (the first above
            the embedding).
        chunk: characters per forward call, >= 1.

    Returns:
        The ``CellInternals``, arrays of shape (N, H) in the model's dtype.
    """
    twin = stepping_twin(model)
    ids = _checks.ids("ids", ids, twin.layers[0].input_size)
    chunk = _checks.positive_int("chunk", chunk)
    recurrent = [k for k, each in enumerate(twin.layers) if isinstance(each, Recurrent)]
    if isinstance(layer, bool) or not isinstance(layer, (int, np.integer)) or not 0 <= layer < len(recurrent):
        raise ValueError(
            f"layer must be an int in [0, {len(recurrent) - 1}] (the model has {len(recurrent)} "
            f"recurrent layers), got {layer!r}"
        )
    target = twin.layers[recurrent[layer]]
    assert isinstance(target, Recurrent)
    cell = _checks.instance(f"the cell of layer {layer}", target.cell, LSTMParams)  # gates are an LSTM's
    hidden = cell.hidden_size
    out = {name: np.empty((ids.shape[0], hidden), dtype=twin.dtype) for name in "chifgo"}
    below = twin.layers[: recurrent[layer]]  # the embedding and the layers under the one asked for
    for start in range(0, ids.shape[0], chunk):
        x: np.ndarray = ids[None, start : start + chunk]
        for each in below:
            x, _ = each.forward(x)  # stateful recurrent layers carry their state over
        _, cache = lstm_forward(x, cell, *target.initial_state(1))
        target.state = cache.last_state
        rows = slice(start, start + x.shape[1])
        out["c"][rows], out["h"][rows] = cache.cs[0], cache.hs[0]
        gates = (cache.input_gate, cache.forget_gate, cache.candidate, cache.output_gate)
        for name, gate in zip("ifgo", gates, strict=True):
            out[name][rows] = gate[0]
    return CellInternals(**out)


def _activations(value: Any, name: str = "activations", fewest: int = 2) -> np.ndarray:
    """(N, H) finite floats with N >= ``fewest`` steps, as float64."""
    _checks.float_array(name, value, ndim=2)
    if value.shape[0] < fewest or value.shape[1] < 1:
        raise ValueError(f"{name} must have shape (N, H) with N >= {fewest} steps, got shape {value.shape}")
    return np.asarray(value, dtype=np.float64)


def _to_unit_range(values: np.ndarray) -> np.ndarray:
    """``values`` scaled, column by column (axis 0), by the power of two that brings its largest
    magnitude into [0.5, 1). Exact, and r does not depend on the scale: so the sums of squares
    of 1e200 cannot overflow, nor those of 1e-200 underflow, and r is what it is at scale 1."""
    _, exponent = np.frexp(np.abs(values).max(axis=0))
    return np.ldexp(values, -exponent)


def _labels(value: Any, n: int) -> np.ndarray:
    """(n,) finite numbers or booleans, not all equal, as float64."""
    if not isinstance(value, np.ndarray) or value.dtype.kind not in "biuf":
        raise TypeError(f"labels must be a NumPy array of numbers or booleans, got {_checks.describe(value)}")
    if value.shape != (n,):
        raise ValueError(f"labels must have shape ({n},), one per step, got {value.shape}")
    y = value.astype(np.float64)
    if not np.all(np.isfinite(y)):
        raise ValueError("labels must be finite")
    if np.all(y == y[0]):
        raise ValueError("labels must not all be equal: a constant has no correlation with anything")
    return y


def unit_correlations(activations: Any, labels: Any) -> np.ndarray:
    """Pearson's correlation of each unit's activation with the labels, over the N steps.

    ``r_j = sum_t (a_tj - mean_j)(y_t - mean_y) / sqrt(sum_t (a_tj - mean_j)^2 sum_t (y_t - mean_y)^2)``,
    computed in float64 over axis 0 (time), never across units.

    Args:
        activations: (N, H) floating, one column per unit (e.g. ``CellInternals.c``).
        labels: (N,) numbers or booleans, one per step, not all equal.

    Returns:
        (H,) float64 r in [-1, 1]; NaN for a unit whose activation is constant.
    """
    a = _to_unit_range(_activations(activations))
    y = _to_unit_range(_labels(labels, a.shape[0]))
    y = y - y.mean()
    y_norm = np.sqrt(y @ y)
    scale = np.abs(a).max(axis=0)
    a = a - a.mean(axis=0)
    a_norm = np.sqrt(np.einsum("nh,nh->h", a, a))
    constant = a_norm <= 1e-12 * np.sqrt(a.shape[0]) * np.maximum(scale, np.finfo(np.float64).tiny)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (y @ a) / (a_norm * y_norm)
    r[constant] = np.nan
    return np.clip(r, -1.0, 1.0)


def best_unit(activations: Any, labels: Any, absolute: bool = True) -> tuple[int, float]:
    """The unit whose activation correlates best with the labels (``unit_correlations``).

    Args:
        activations: (N, H) floating activations.
        labels: (N,) numbers or booleans, not all equal.
        absolute: rank by |r| (True: the sign of a unit is arbitrary) or by r itself.

    Returns:
        ``(unit, r)``: the unit's index in 0 .. H-1 (the first of equals) and its r,
        with its sign. Constant units are never chosen.
    """
    _checks.flag("absolute", absolute)
    r = unit_correlations(activations, labels)
    if np.all(np.isnan(r)):
        raise ValueError("activations must have at least one unit that is not constant")
    score = np.where(np.isnan(r), -np.inf, np.abs(r) if absolute else r)
    unit = int(np.argmax(score))
    return unit, float(r[unit])


def character_ratio(ids: Any, labels: Any) -> float:
    """The largest correlation with the labels that any function of the current id can reach.

    A unit whose activation were any function of the character just read, and
    of nothing before it, could correlate with the labels at most this well:
    the best such function is the labels' mean for each id, ``m[ids]``, and the
    best r is the correlation ratio ``eta = corr(m[ids], labels)`` (Pearson 1903;
    ``eta^2`` is the share of the labels' variance the current id explains). A
    unit that beats it carries context, memory of earlier characters.

    Args:
        ids: (N,) integer ids >= 0 of the characters read, N >= 2 (any size of id: only the
            distinct ones are counted).
        labels: (N,) numbers or booleans, not all equal.

    Returns:
        eta in [0, 1].
    """
    if not isinstance(ids, np.ndarray) or ids.dtype.kind not in "iu" or ids.ndim != 1:
        raise TypeError(f"ids must be a 1-D NumPy array of integer ids, got {_checks.describe(ids)}")
    if ids.shape[0] < 2:
        raise ValueError(f"ids must hold at least 2 ids, got {ids.shape[0]}")
    if ids.min() < 0:
        raise ValueError(f"ids must be >= 0, got a smallest id of {ids.min()}")
    y = _labels(labels, ids.shape[0])
    # Number the distinct ids 0, 1, ...: counting by the ids themselves would allocate max(ids) + 1
    # bins (an id of 10**11 asks for 800 GB), and bincount refuses uint64.
    _, codes = np.unique(ids, return_inverse=True)
    sums, counts = np.bincount(codes, weights=y), np.bincount(codes)
    r = unit_correlations((sums / counts)[codes][:, None], y)[0]
    return 0.0 if np.isnan(r) else float(r)


def gate_saturation(gates: Any, low: float = 0.1, high: float = 0.9) -> tuple[np.ndarray, np.ndarray]:
    """How often each unit's gate is nearly closed or nearly open (Karpathy et al. 2015).

    A gate is left-saturated at a step when its value is below ``low`` and
    right-saturated when it is above ``high``.

    Args:
        gates: (N, H) gate values of N steps (e.g. ``CellInternals.f``).
        low: the left threshold.
        high: the right threshold, > low.

    Returns:
        ``(left, right)``, each (H,) float64: the fraction of the N steps each unit's
        gate is below ``low`` and above ``high``.
    """
    g = _activations(gates, "gates", fewest=1)
    low = _checks.finite_number("low", low)
    high = _checks.finite_number("high", high)
    if not low < high:
        raise ValueError(f"low must be below high, got low = {low} and high = {high}")
    return (g < low).mean(axis=0), (g > high).mean(axis=0)
