"""A bidirectional recurrent layer: one layer reads the sequence forward, another backward.

At step t a one-directional layer has seen x_1 .. x_t only. A bidirectional
layer (Schuster & Paliwal 1997) runs a second, independent layer over the
reversed sequence x_T .. x_1, so that together they have seen the whole
sequence at every step. As Keras' ``Bidirectional`` (and ``torch.nn.LSTM(...,
bidirectional=True)``) do it:

    y_fwd = forward_layer(x)                       (B, T, H)
    y_bwd = backward_layer(reverse(x))             (B, T, H), step s has read x_T .. x_{T-s+1}
    y     = [y_fwd, reverse(y_bwd)]  on the last axis      (B, T, 2H), "concat"

With ``return_sequences=True`` the backward layer's outputs are reversed back, so
``y[:, t]`` pairs both layers' outputs at the same input position t. With
``return_sequences=False`` each layer gives its last output: the forward one
after x_T, the backward one after x_1 (original time 0), concatenated (B, 2H).

    B  batch size    T  time steps    D  input features    H  units per direction
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _checks
from .cell import CellParams
from .layer import SEQUENCE, Layer, check_config
from .layers import Recurrent, cell_kinds

__all__ = ["MERGE_MODES", "Bidirectional"]

MERGE_MODES = ("concat", "sum", "mul", "ave")
"""How the two directions' outputs are combined (Keras' ``merge_mode``)."""


def _initialiser(cell_kind: Any) -> Any:
    """``cell_kind.init`` of a cell class; a cell (an instance) is refused: its weights would be
    ignored, since ``init`` draws fresh ones."""
    if isinstance(cell_kind, CellParams):
        name = type(cell_kind).__name__
        raise TypeError(
            f"cell_kind must be a cell class such as {name}, got an instance of {name}: init draws "
            "fresh weights and would ignore this cell's; to use the cells you have, build "
            "Bidirectional(Recurrent(forward_cell), Recurrent(backward_cell))"
        )
    if not (isinstance(cell_kind, type) and issubclass(cell_kind, CellParams) and hasattr(cell_kind, "init")):
        classes = sorted(name for name, kind in cell_kinds().items() if hasattr(kind, "init"))
        raise TypeError(
            f"cell_kind must be a cell class, one of {classes}, got {_checks.describe(cell_kind)}"
        )
    return cell_kind.init


@dataclass
class Bidirectional(Layer):
    """Keras' ``Bidirectional(layer, merge_mode)``: two recurrent layers, one per direction.

    The two layers may hold different cells (Keras' ``backward_layer`` argument); they
    share the input size, the units and ``return_sequences``. The layer holds the two
    layers themselves (``layer.Layer``): training it trains their cells.

    Attributes:
        forward_layer: reads x_1 .. x_T.
        backward_layer: reads x_T .. x_1 (Keras' ``go_backwards=True`` copy); its own weights.
        merge_mode: ``"concat"`` (forward then backward on the last axis, 2H wide),
            ``"sum"``, ``"mul"`` or ``"ave"`` (H wide).
    """

    forward_layer: Recurrent
    backward_layer: Recurrent
    merge_mode: str = "concat"

    takes = SEQUENCE

    def __post_init__(self) -> None:
        for name in ("forward_layer", "backward_layer"):
            layer = getattr(self, name)
            if not isinstance(layer, Recurrent):
                raise TypeError(f"{name} must be a Recurrent layer, got {_checks.describe(layer)}")
            if layer.stateful:
                raise ValueError(f"{name} must not be stateful: a bidirectional layer reads whole sequences")
        fwd, bwd = self.forward_layer, self.backward_layer
        if (fwd.input_size, fwd.output_size, fwd.return_sequences) != (
            bwd.input_size,
            bwd.output_size,
            bwd.return_sequences,
        ):
            raise ValueError(
                "backward_layer must have the input size, units and return_sequences of forward_layer "
                f"({fwd.input_size}, {fwd.output_size}, {fwd.return_sequences}), "
                f"got ({bwd.input_size}, {bwd.output_size}, {bwd.return_sequences})"
            )
        _checks.same_dtype("backward_layer", bwd.weights()[0], fwd.dtype, "forward_layer")
        if self.merge_mode not in MERGE_MODES:
            raise ValueError(f"merge_mode must be one of {MERGE_MODES}, got {self.merge_mode!r}")

    @classmethod
    def init(
        cls,
        cell_kind: type[CellParams],
        input_size: int,
        units: int,
        return_sequences: bool = False,
        merge_mode: str = "concat",
        seed: int = 0,
        dtype: Any = np.float64,
    ) -> Bidirectional:
        """Two fresh layers, each with the cell's own defaults (``cell_kind.init``).

        Args:
            cell_kind: ``LSTMParams``, ``GRUParams``, ``RNNParams``...
            input_size: D.
            units: H, per direction.
            return_sequences: outputs at every step (B, T, ·) or the last ones only (B, ·).
            merge_mode: see the class.
            seed: the forward layer's seed; the backward layer's is ``seed + 1``.
            dtype: np.float32 or np.float64.

        To use cells you already have, build the layer from them:
        ``Bidirectional(Recurrent(forward_cell, ...), Recurrent(backward_cell, ...))``.
        """
        make = _initialiser(cell_kind)
        layers = [
            Recurrent(make(input_size, units, seed=seed + k, dtype=dtype), return_sequences) for k in (0, 1)
        ]
        return cls(layers[0], layers[1], merge_mode)

    # --- what every layer has ---------------------------------------------------------

    @property
    def return_sequences(self) -> bool:
        """Whether both layers give an output at every step."""
        return self.forward_layer.return_sequences

    @property
    def input_size(self) -> int:
        """D."""
        return self.forward_layer.input_size

    @property
    def output_size(self) -> int:
        """2H for ``"concat"``, else H."""
        units = self.forward_layer.output_size
        return 2 * units if self.merge_mode == "concat" else units

    @property
    def dtype(self) -> np.dtype[Any]:
        """The weights' dtype."""
        return self.forward_layer.dtype

    def weights(self) -> list[np.ndarray]:
        """The forward layer's weights, then the backward layer's (Keras' order)."""
        return self.forward_layer.weights() + self.backward_layer.weights()

    def weight_labels(self) -> list[str]:
        """``forward kernel``, ..., ``backward bias``."""
        return [f"forward {label}" for label in self.forward_layer.weight_labels()] + [
            f"backward {label}" for label in self.backward_layer.weight_labels()
        ]

    def gives(self, taken: str) -> str:
        """A sequence (B, T, ·) with ``return_sequences``, else a vector (B, ·), as each direction gives."""
        return self.forward_layer.gives(taken)

    def get_config(self) -> dict[str, Any]:
        """Both layers' whole configs (their cells may differ) and ``merge_mode``."""
        return {
            "forward_layer": self.forward_layer.get_config(),
            "backward_layer": self.backward_layer.get_config(),
            "merge_mode": self.merge_mode,
        }

    @classmethod
    def from_config(cls, config: Any, weights: list[np.ndarray]) -> Bidirectional:
        """The layer ``get_config`` described: the forward layer's weights first, then the backward one's."""
        keys = {"forward_layer": dict, "backward_layer": dict, "merge_mode": str}
        config = check_config(cls.__name__, config, keys)
        if not isinstance(weights, (list, tuple)):
            raise ValueError(f"weights must be a list of arrays, got {_checks.describe(weights)}")
        forward_cell = cell_kinds().get(config["forward_layer"].get("cell"))
        count = len(forward_cell.weight_names()) if forward_cell is not None else 0
        sides = []
        for name, arrays in (("forward_layer", weights[:count]), ("backward_layer", weights[count:])):
            try:
                sides.append(Recurrent.from_config(config[name], arrays))
            except ValueError as error:
                raise ValueError(f"{name}: {error}") from None
        return cls(sides[0], sides[1], config["merge_mode"])

    def with_weights(self, arrays: list[np.ndarray], check: bool = True) -> Bidirectional:
        """The same layer holding ``arrays`` (forward layer's first)."""
        count = len(self.forward_layer.weights())
        fwd = self.forward_layer.with_weights(arrays[:count], check)
        bwd = self.backward_layer.with_weights(arrays[count:], check)
        if check:
            return Bidirectional(fwd, bwd, self.merge_mode)
        layer = object.__new__(Bidirectional)
        layer.forward_layer, layer.backward_layer, layer.merge_mode = fwd, bwd, self.merge_mode
        return layer

    def check_input(self, x: Any) -> None:
        """Check (B, T, D) inputs."""
        self.forward_layer.check_input(x)

    # --- forward and backward -----------------------------------------------------------

    def forward(self, x: np.ndarray, training: bool = False) -> tuple[np.ndarray, Any]:
        """(B, T, D) -> (B, T, 2H) or (B, 2H) for ``"concat"`` (H for the other modes).

        The cache holds both layers' caches and both outputs (the backward one in
        the original time order). ``training`` goes to both layers: each drops its
        inputs with its own mask if it has dropout.
        """
        y_fwd, cache_fwd = self.forward_layer.forward(x, training)
        y_bwd, cache_bwd = self.backward_layer.forward(np.ascontiguousarray(x[:, ::-1]), training)
        if self.return_sequences:
            y_bwd = y_bwd[:, ::-1]  # back to the original order: y_bwd[:, t] has read x_T .. x_t
        if self.merge_mode == "concat":
            y = np.concatenate([y_fwd, y_bwd], axis=-1)
        elif self.merge_mode == "sum":
            y = y_fwd + y_bwd
        elif self.merge_mode == "mul":
            y = y_fwd * y_bwd
        else:
            y = (y_fwd + y_bwd) * y_fwd.dtype.type(0.5)
        return y, (cache_fwd, cache_bwd, y_fwd, y_bwd)

    def backward(self, dy: np.ndarray, cache: Any) -> tuple[np.ndarray, list[np.ndarray]]:
        """From dL/dy to ``(dx (B, T, D), weight gradients)``, forward layer's first.

        Each direction's gradient is its part of dy; the backward layer's is
        reversed in time (as its output was), and so is the dx it returns.
        """
        cache_fwd, cache_bwd, y_fwd, y_bwd = cache
        units = self.forward_layer.output_size
        if self.merge_mode == "concat":
            dy_fwd, dy_bwd = dy[..., :units], dy[..., units:]
        elif self.merge_mode == "sum":
            dy_fwd, dy_bwd = dy, dy
        elif self.merge_mode == "mul":
            dy_fwd, dy_bwd = dy * y_bwd, dy * y_fwd
        else:
            dy_fwd = dy_bwd = dy * dy.dtype.type(0.5)
        if self.return_sequences:
            dy_bwd = dy_bwd[:, ::-1]
        dx_fwd, grads_fwd = self.forward_layer.backward(np.ascontiguousarray(dy_fwd), cache_fwd)
        dx_bwd, grads_bwd = self.backward_layer.backward(np.ascontiguousarray(dy_bwd), cache_bwd)
        return dx_fwd + dx_bwd[:, ::-1], grads_fwd + grads_bwd
