"""Layers that stack: a recurrent layer around any cell, and a dense layer.

Each layer is a small dataclass of weights deriving from ``layer.Layer``, with the same methods:

    weights()                  the live arrays, in Keras' order
    forward(x)        -> (y, cache)
    backward(dy, cache) -> (dx, grads)      grads: one array per weight, same order
    with_weights(arrays, check)              the same layer holding other arrays
    get_config()                             everything but the weights, as JSON (Keras' get_config)
    from_config(config, weights)             the layer rebuilt from the two (Keras' from_config)

``model.Sequential`` chains them, as Keras' ``Sequential`` does. A recurrent layer's
config names its cell's class; ``cell_config`` and ``cell_from_config`` describe and
rebuild the cell (any subclass of ``CellParams``, found by its name). A recurrent layer
may drop its inputs in training, as Keras' ``LSTM(dropout=p)`` does (``dropout``).

    B  batch size    T  time steps    D  input features    H  units    K  outputs
"""

from __future__ import annotations

import copy
import dataclasses
import typing
from dataclasses import KW_ONLY, dataclass, field
from typing import Any

import numpy as np

from . import _checks, sequence
from .cell import CellParams, State
from .dropout import DropoutCache, _apply, _backward, _check_mask, _draw, check_rate
from .layer import FEATURES, SEQUENCE, VECTOR, Layer, check_config, check_weight_count

__all__ = ["Dense", "MatrixSized", "Recurrent", "cell_config", "cell_from_config", "cell_kinds"]

KERAS_NAMES = {"W": "kernel", "U": "recurrent_kernel", "b": "bias", "P": "peephole"}
"""Keras' names of the package's weights, for messages."""

# --- cells, described and rebuilt -------------------------------------------------------------


def cell_kinds() -> dict[str, type[CellParams]]:
    """Every cell class defined so far, by name: ``CellParams``' subclasses (private ones left out)."""
    found: dict[str, type[CellParams]] = {}
    todo = list(CellParams.__subclasses__())
    while todo:
        kind = todo.pop(0)
        if not kind.__name__.startswith("_"):
            found[kind.__name__] = kind
        todo += kind.__subclasses__()
    return found


def _cell_kind(name: Any) -> type[CellParams]:
    kinds = cell_kinds()
    if not isinstance(name, str) or name not in kinds:
        raise ValueError(f"cell {name!r}, expected one of {sorted(kinds)}")
    return kinds[name]


def cell_config(cell: CellParams) -> dict[str, Any]:
    """A cell's non-array fields (``cell.config()``) as JSON; a dataclass (a ``Variant``) as an object."""
    return {
        name: dataclasses.asdict(value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type)
        else value
        for name, value in cell.config().items()
    }


def cell_from_config(name: Any, config: Any, weights: Any) -> CellParams:
    """The cell ``name`` (a key of ``cell_kinds()``) with ``cell_config``'s fields and ``weights``.

    Args:
        name: the cell's class name, e.g. ``"LSTMParams"``.
        config: what ``cell_config`` gave: a JSON object, its keys among the cell's non-array fields.
        weights: its arrays in Keras' order, checked by the cell's constructor.

    Raises:
        ValueError: an unknown cell, config keys it does not have, or the wrong number of arrays.
    """
    kind = _cell_kind(name)
    hints = typing.get_type_hints(kind)
    fields = {f.name: hints[f.name] for f in dataclasses.fields(kind) if f.name not in kind.weight_names()}
    if not isinstance(config, dict) or not set(config) <= set(fields):
        raise ValueError(
            f"a {name}'s config must be a JSON object with keys among {sorted(fields)}, got {config!r}"
        )
    values: dict[str, Any] = {}
    for key, value in config.items():
        kind_of_value = fields[key]
        if dataclasses.is_dataclass(kind_of_value):  # a Variant: rebuilt by its own checked constructor
            allowed = {f.name for f in dataclasses.fields(kind_of_value)}
            if not isinstance(value, dict) or not set(value) <= allowed:
                raise ValueError(
                    f"config {key!r} must be a JSON object with keys among {sorted(allowed)}, got {value!r}"
                )
            try:
                value = typing.cast(Any, kind_of_value)(**value)
            except TypeError as error:
                raise ValueError(f"config {key!r}: {error}") from None
        values[key] = value
    arrays = check_weight_count(name, weights, kind.weight_names())
    return kind(*arrays, **values)


@dataclass
class Recurrent(Layer):
    """Any cell run over time: Keras' ``RNN(cell)`` (and ``LSTM``, ``GRU``, ``SimpleRNN``).

    The cell runs over time through ``sequence.run``: its own fast path if it has
    one (the LSTM does), else the loop. The initial state is zeros, as in Keras.
    The layer holds ``cell`` itself, as Keras' ``RNN(cell)`` does: training the
    layer trains the cell's arrays (pass ``cell.copy()`` to keep yours).

    With ``stateful=True`` (Keras' ``stateful``), the state a batch ends in is the
    initial state of the next batch: row i of batch k + 1 continues row i of batch k,
    so consecutive batches must hold parallel streams of one text and keep one batch
    size. The state is carried as a constant (detached): backpropagation stops at the
    start of each batch, which is truncated BPTT over batches. ``reset_state()``
    starts again from zeros.

    With ``dropout=p`` (Keras' ``dropout``), a training step drops the layer's inputs
    x_t, the non-recurrent connections only (Zaremba et al. 2014): one (B, D) mask per
    batch of sequences, drawn from the layer's generator, the same at every time step
    and for every gate, as Keras' ``LSTM``, ``GRU`` and ``SimpleRNN`` draw it
    (``dropout.dropout_forward`` with a (B, 1, D) mask). At inference nothing is
    dropped. Keras' ``recurrent_dropout`` (masks on h_{t-1}) is not implemented here.

    Attributes:
        cell: the cell's weights.
        return_sequences: output h_t at every step, (B, T, H), or only h_T, (B, H).
        stateful: carry the final state of one batch into the next.
        dropout: p, in [0, 1), the fraction of the inputs dropped in training; keyword only.
        recurrent_dropout: must be 0 (Keras' argument, refused otherwise); keyword only.
        seed: the seed of the dropout masks' generator, an integer >= 0, or None (Keras'
            default: seeded by the operating system, masks no run repeats); keyword only.
        state: the carried state (a tuple of (B, H) arrays), or None before the first
            batch and after ``reset_state()``; not a constructor argument.
    """

    cell: CellParams
    return_sequences: bool = False
    stateful: bool = False
    _: KW_ONLY
    dropout: float = 0.0
    recurrent_dropout: float = field(default=0.0, repr=False)  # always 0: refused otherwise
    seed: int | None = None
    state: State | None = field(default=None, init=False, repr=False, compare=False)
    _rng: np.random.Generator | None = field(default=None, init=False, repr=False, compare=False)

    takes = SEQUENCE

    def __post_init__(self) -> None:
        _checks.instance("cell", self.cell, CellParams)
        _checks.flag("return_sequences", self.return_sequences)
        _checks.flag("stateful", self.stateful)
        self.dropout = check_rate("dropout", self.dropout)
        recurrent = check_rate("recurrent_dropout", self.recurrent_dropout)
        if recurrent != 0.0:
            raise ValueError(
                f"recurrent_dropout must be 0, got {self.recurrent_dropout}: dropout on the recurrent "
                "connections h_(t-1) (Keras' recurrent_dropout, Gal & Ghahramani 2016) is not "
                "implemented here; dropout= drops the layer's inputs x_t (Zaremba et al. 2014)"
            )
        self.seed = _checks.seed("seed", self.seed)

    def reset_state(self) -> None:
        """Forget the carried state: the next batch starts from zeros (Keras' ``reset_state``)."""
        self.state = None

    @property
    def input_size(self) -> int:
        """D."""
        return self.cell.input_size

    def check_input(self, x: Any) -> None:
        """Check (B, T, D) inputs for this layer (what ``model.Sequential`` does for its first layer)."""
        _checks.sequence_input(x, self.cell)

    @property
    def output_size(self) -> int:
        """H."""
        return self.cell.hidden_size

    @property
    def dtype(self) -> np.dtype[Any]:
        """The cell's dtype."""
        return self.cell.dtype

    def weights(self) -> list[np.ndarray]:
        """The cell's weights, in Keras' order."""
        return self.cell.weights()

    def weight_labels(self) -> list[str]:
        """Keras' names of the weights: kernel, recurrent_kernel, bias (and peephole)."""
        return [KERAS_NAMES.get(name, name) for name in self.cell.weight_names()]

    def gives(self, taken: str) -> str:
        """(B, T, H), a sequence, with ``return_sequences``; else (B, H), a vector."""
        return SEQUENCE if self.return_sequences else VECTOR

    def get_config(self) -> dict[str, Any]:
        """The cell's class name and its own config (a variant, say), ``return_sequences``, ``stateful``;
        and ``dropout`` and ``seed`` when it drops (so a layer without dropout is described, and
        saved, as before there was any)."""
        config = {
            "cell": type(self.cell).__name__,
            "cell_config": cell_config(self.cell),
            "return_sequences": bool(self.return_sequences),
            "stateful": bool(self.stateful),
        }
        if self.dropout > 0.0:
            config.update(dropout=float(self.dropout), seed=self.seed)
        return config

    @classmethod
    def from_config(cls, config: Any, weights: list[np.ndarray]) -> Recurrent:
        """The layer ``get_config`` described, its cell holding ``weights`` (checked as a new cell)."""
        keys = {"cell": str, "cell_config": dict, "return_sequences": bool, "stateful": bool}
        config = check_config(cls.__name__, config, keys, optional={"dropout": object, "seed": object})
        cell = cell_from_config(config["cell"], config["cell_config"], weights)
        dropout = {key: config[key] for key in ("dropout", "seed") if key in config}
        return cls(cell, config["return_sequences"], config["stateful"], **dropout)

    def with_weights(self, arrays: list[np.ndarray], check: bool = True) -> Recurrent:
        """The same layer holding ``arrays`` (checked as a new cell unless ``check`` is False)."""
        kind = type(self.cell)
        cell = kind(*arrays, **self.cell.config()) if check else kind.unchecked(*arrays, **self.cell.config())
        layer = Recurrent(cell, self.return_sequences, self.stateful, dropout=self.dropout, seed=self.seed)
        if check:  # a copy of the layer keeps its carried state and draws the masks this one would
            layer.state = self.state
            layer._rng = copy.deepcopy(self._rng)
        return layer

    def initial_state(self, batch: int) -> State:
        """Zeros, or the carried state of a stateful layer (which must have this batch size)."""
        if not self.stateful or self.state is None:
            return self.cell.zero_state(batch)
        carried = self.state[0].shape[0]
        if carried != batch:
            raise ValueError(
                f"x has a batch of {batch} sequences but this stateful layer carries the state of "
                f"{carried}: keep one batch size (N a multiple of batch_size) or call reset_state() first"
            )
        return self.state

    def forward(
        self, x: np.ndarray, training: bool = False, dropout_mask: np.ndarray | None = None
    ) -> tuple[np.ndarray, sequence.Run | tuple[sequence.Run, DropoutCache]]:
        """(B, T, D) -> (B, T, H) or (B, H); x is assumed checked.

        A stateful layer starts from its carried state and keeps a copy of the state
        it ends in for the next call. The output may be a view of the cache, and the
        loop's cache holds ``x`` itself (``Layer.forward``): write to neither before
        ``backward``.

        Args:
            x: (B, T, D) the inputs.
            training: with ``dropout`` > 0, drop inputs with a new (B, D) mask (True), or
                not (False, Keras' default): a layer without dropout runs the same either way.
            dropout_mask: in training, the (B, D) mask to use instead of drawing one
                (0 or 1 / (1 - dropout)): to replay a mask, or to use the one Keras drew.

        Returns:
            ``(y, cache)``: the cache is the pass's ``sequence.Run``, paired with the
            ``DropoutCache`` when inputs were dropped.
        """
        dropped = None
        if dropout_mask is not None or (training and self.dropout > 0.0):
            x, dropped = self._drop_inputs(x, training, dropout_mask)
        cache = sequence.run(self.cell, x, self.initial_state(x.shape[0]))
        if self.stateful:
            self.state = tuple(s.copy() for s in cache.last_state)
        hs = cache.hs
        return (hs if self.return_sequences else hs[:, -1]), (cache if dropped is None else (cache, dropped))

    def _drop_inputs(
        self, x: np.ndarray, training: bool, given: np.ndarray | None
    ) -> tuple[np.ndarray, DropoutCache]:
        """x times one (B, 1, D) mask: the given one, or a new one from the layer's generator."""
        batch, _, features = x.shape
        if given is None:
            if self._rng is None:  # made when the first mask is drawn
                self._rng = np.random.default_rng(self.seed)
            return _apply(x, _draw((batch, 1, features), self.dropout, self._rng, x.dtype))
        if not training or self.dropout == 0.0:
            raise ValueError(
                "dropout_mask is used in training only, by a layer with dropout > 0: got "
                f"training={training!r} and dropout={self.dropout}"
            )
        _checks.float_array("dropout_mask", given)
        if given.shape != (batch, features):
            raise ValueError(
                f"dropout_mask must have shape (B, D) = {(batch, features)}, one mask per sequence that "
                f"every step shares, got {given.shape}"
            )
        mask = given[:, None, :]  # the same mask at every step
        _check_mask("dropout_mask", mask, self.dropout, x.shape, x.dtype)
        return _apply(x, mask)

    def backward(
        self, dy: np.ndarray, cache: sequence.Run | tuple[sequence.Run, DropoutCache]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """BPTT from the gradient of this layer's output; returns (dx (B, T, D), weight gradients).

        dx is the gradient of the layer's inputs x, through the dropout mask when they were dropped.
        """
        dropped = None
        if not isinstance(cache, sequence.Run):  # the inputs were dropped: (run, dropout cache)
            cache, dropped = cache
        if self.return_sequences:
            dhs = dy
        else:  # only h_T was used: the other steps' outputs get no gradient of their own
            batch, steps, _ = cache.x.shape
            dhs = np.zeros((batch, steps, self.cell.hidden_size), dtype=self.cell.dtype)
            dhs[:, -1] = dy
        dx, cell_grads, _ = cache.backward(dhs, None, None)
        if dropped is not None:
            dx = _backward(dx, dropped)
        return dx, cell_grads.weights()


class MatrixSized:
    """The sizes of a layer whose first weight ``W`` is (inputs, outputs): Dense, Embedding."""

    W: np.ndarray

    @property
    def input_size(self) -> int:
        """The features (or, for an embedding, the ids) it takes: W's rows."""
        return int(self.W.shape[0])

    @property
    def output_size(self) -> int:
        """The features it gives: W's columns."""
        return int(self.W.shape[1])

    @property
    def dtype(self) -> np.dtype[Any]:
        """W's dtype, every weight's."""
        return self.W.dtype


@dataclass
class Dense(MatrixSized, Layer):
    """``y = x V + a`` on the last axis: Keras' ``Dense(K)`` without an activation.

    The layer holds ``W`` and ``b`` themselves (``layer.Layer``): training it trains them.

    Attributes:
        W: (H, K) the kernel V.
        b: (K,) the bias a.
    """

    W: np.ndarray
    b: np.ndarray

    takes = FEATURES

    def __post_init__(self) -> None:
        _checks.float_array("W", self.W, ndim=2)
        _checks.matching("b", self.b, (self.W.shape[1],), "(K,)", self.W.dtype, "W")

    @classmethod
    def init(cls, input_size: int, units: int, rng: np.random.Generator, dtype: Any) -> Dense:
        """Keras' defaults: a Glorot-uniform kernel (H, K) and a zero bias.

        Args:
            input_size: H, the features it takes.
            units: K, the outputs.
            rng: the generator the kernel is drawn from (``np.random.default_rng(seed)``).
            dtype: np.float32 or np.float64.
        """
        from .cell import glorot_uniform

        input_size = _checks.positive_int("input_size", input_size)
        units = _checks.positive_int("units", units)
        _checks.rng("rng", rng)
        kernel = glorot_uniform(rng, (input_size, units), _checks.dtype_arg("dtype", dtype))
        return cls(kernel, np.zeros(units, dtype=kernel.dtype))

    def weights(self) -> list[np.ndarray]:
        """``[kernel, bias]``."""
        return [self.W, self.b]

    def weight_labels(self) -> list[str]:
        """Keras' names."""
        return ["dense kernel", "dense bias"]

    @classmethod
    def unchecked(cls, W: np.ndarray, b: np.ndarray) -> Dense:
        """Wrap arrays this package computed itself (gradients), skipping the checks,
        as ``CellParams.unchecked`` does for cells."""
        layer = object.__new__(cls)
        layer.__dict__.update(W=W, b=b)
        return layer

    def get_config(self) -> dict[str, Any]:
        """Nothing but the weights: ``{}`` (no activation, always a bias)."""
        return {}

    @classmethod
    def from_config(cls, config: Any, weights: list[np.ndarray]) -> Dense:
        """``Dense(kernel, bias)`` from ``weights``; ``config`` must be ``{}``."""
        check_config(cls.__name__, config, {})
        return cls(*check_weight_count(cls.__name__, weights, ("kernel", "bias")))

    def with_weights(self, arrays: list[np.ndarray], check: bool = True) -> Dense:
        """The same layer holding ``arrays`` (checked unless ``check`` is False)."""
        return Dense(*arrays) if check else Dense.unchecked(*arrays)

    def forward(self, x: np.ndarray, training: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """(..., H) -> (..., K); the cache is x. The same in training and at inference."""
        y = x @ self.W
        y += self.b
        return y, x

    def backward(self, dy: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        """(..., K) -> (dx (..., H), [dW (H, K), db (K,)]), summed over every leading axis."""
        x_rows, dy_rows = x.reshape(-1, x.shape[-1]), dy.reshape(-1, dy.shape[-1])
        return dy @ self.W.T, [x_rows.T @ dy_rows, dy_rows.sum(axis=0)]
