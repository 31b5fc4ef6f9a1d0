"""The classic sine model and its twins: a recurrent layer, then Dense(1) on its last hidden state.

The classic model, LSTM(4) followed by Dense(1), is ``LSTMRegressor``; its simpler
and fancier twins are ``RNNRegressor``, ``GRURegressor`` and ``VariantRegressor``.
Each is a ``model.Sequential`` of two layers with the loss ``"mse"``, and adds the
cell by its name (``model.lstm``) and the Dense layer's ``dense_W`` and ``dense_b``:

    h_1..h_T = LSTM(x)                (B, T, H), only h_T is used
    y_hat    = h_T V + a              (B,)  with V (H, 1), a (1,)
    loss     = mean((y_hat - y)**2)   Keras' "mean_squared_error"
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

import numpy as np

from . import _checks
from .cell import CellParams
from .gru import GRUParams
from .layer import Layer
from .layers import Dense, Recurrent
from .lstm import LSTMParams
from .model import Sequential
from .rnn import RNNParams
from .variants import VARIANTS, PeepholeParams, Variant

__all__ = ["GRURegressor", "LSTMRegressor", "RNNRegressor", "VariantRegressor"]


def _dense_head(dense_W: np.ndarray, dense_b: np.ndarray, cell: CellParams) -> Dense:
    _checks.matching("dense_W", dense_W, (cell.hidden_size, 1), "(H, 1)", cell.dtype, "the cell")
    _checks.matching("dense_b", dense_b, (1,), "(1,)", cell.dtype, "the cell")
    return Dense(dense_W, dense_b)


def _copied(
    cell: CellParams, dense_W: np.ndarray, dense_b: np.ndarray
) -> tuple[CellParams, np.ndarray, np.ndarray]:
    """Copies of a regressor's (checked) arrays: the model's own."""
    return cell.copy(), dense_W.copy(), dense_b.copy()


def _fresh_dense(cell: CellParams, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Keras' Dense(1) defaults on the cell's H units: a Glorot-uniform kernel, a zero bias."""
    dense = Dense.init(cell.hidden_size, 1, np.random.default_rng([seed, 1]), cell.dtype)
    return dense.W, dense.b


class _Regressor(Sequential):
    """A recurrent cell, then Dense(1) on its last hidden state: one number per sequence.

    The model owns its weights, as a Keras model owns its variables: it holds copies
    of ``cell``, ``dense_W`` and ``dense_b``, so training it never changes the
    caller's arrays (``model.lstm`` is the model's own cell).

    Args:
        cell: the recurrent layer's weights, a ``cell_kind`` (copied).
        dense_W: (H, 1) the Dense layer's kernel (copied).
        dense_b: (1,) the Dense layer's bias (copied).
    """

    cell_kind: ClassVar[type[CellParams]] = CellParams
    cell_name: ClassVar[str] = "cell"

    def __init__(self, cell: CellParams, dense_W: np.ndarray, dense_b: np.ndarray) -> None:
        _checks.instance(self.cell_name, cell, self.cell_kind)
        _dense_head(dense_W, dense_b, cell)  # checked before anything is copied
        self._assemble(*_copied(cell, dense_W, dense_b))

    def _assemble(self, cell: CellParams, dense_W: np.ndarray, dense_b: np.ndarray) -> None:
        """Build the two layers around these very arrays (no copy)."""
        super().__init__([Recurrent(cell), _dense_head(dense_W, dense_b, cell)])

    @classmethod
    def init(
        cls: type[R], input_size: int = 1, hidden_size: int = 4, seed: int = 0, dtype: Any = np.float64
    ) -> R:
        """Fresh weights with Keras' defaults: the cell's own ``init``, then Dense(1) with a
        Glorot-uniform kernel and a zero bias.

        Args:
            input_size: D, features per step (1 for the sine wave, 2 for the adding problem).
            hidden_size: H, the cell's units (4 in the classic model).
            seed: seed for NumPy's random generator.
            dtype: np.float32 (as Keras) or np.float64.
        """
        cell = cls.cell_kind.init(input_size, hidden_size, seed=seed, dtype=dtype)  # type: ignore[attr-defined]
        return cls(cell, *_fresh_dense(cell, seed))

    @classmethod
    def from_layers(cls, layers: list[Layer], loss: str = "mse") -> Sequential:
        """The regressor holding ``layers`` = [Recurrent(cell), Dense(1)], checked as ``__init__`` checks."""
        if len(layers) != 2 or not isinstance(layers[0], Recurrent) or layers[0].return_sequences:
            raise ValueError(f"layers must be [Recurrent(cell), Dense(1)] for a {cls.__name__}")
        if layers[0].dropout:  # a regressor builds its own Recurrent(cell), which would lose it
            raise ValueError(
                f"layers[0] has dropout={layers[0].dropout}, which a {cls.__name__} does not hold: "
                "keep the layers in a model.Sequential"
            )
        _checks.instance(cls.cell_name, layers[0].cell, cls.cell_kind)
        model = cls.__new__(cls)
        model._assemble(layers[0].cell, *layers[1].weights())  # the layers' own arrays, as Sequential holds
        model.loss = loss
        model.__post_init__()
        return model

    @property
    def cell_params(self) -> CellParams:
        """The recurrent layer's cell."""
        first = self.layers[0]
        assert isinstance(first, Recurrent)
        return first.cell

    def _replace_cell(self, cell: CellParams) -> None:
        """Swap in a copy of another cell of the same kind and shape (``model.lstm = ...``)."""
        _checks.instance(self.cell_name, cell, self.cell_kind)
        old = self.cell_params
        if (cell.input_size, cell.hidden_size, cell.dtype) != (old.input_size, old.hidden_size, old.dtype):
            raise ValueError(
                f"{self.cell_name} must have input_size {old.input_size}, hidden_size {old.hidden_size} "
                f"and dtype {old.dtype}, got {cell.input_size}, {cell.hidden_size} and {cell.dtype}"
            )
        self.layers[0] = Recurrent(cell.copy())

    @property
    def dense_W(self) -> np.ndarray:
        """(H, 1) the Dense layer's kernel: the model's own array, not a copy."""
        return self.layers[1].weights()[0]

    @property
    def dense_b(self) -> np.ndarray:
        """(1,) the Dense layer's bias: the model's own array, not a copy."""
        return self.layers[1].weights()[1]


R = TypeVar("R", bound=_Regressor)


class LSTMRegressor(_Regressor):
    """LSTM(H) followed by Dense(1): the classic sine model, the NumPy twin of
    ``frameworks.keras.build_sine_model``; ``LSTMRegressor(lstm, dense_W, dense_b)``.

    ``get_weights``/``set_weights`` use Keras' order, ``[kernel, recurrent_kernel,
    bias, dense kernel, dense bias]``, so ``model.set_weights(keras_twin.get_weights())``
    moves a trained Keras model into NumPy.
    """

    cell_kind = LSTMParams
    cell_name = "lstm"

    @property
    def lstm(self) -> LSTMParams:
        """The LSTM layer's weights."""
        return self.cell_params  # type: ignore[return-value]

    @lstm.setter
    def lstm(self, cell: LSTMParams) -> None:
        self._replace_cell(cell)


class RNNRegressor(_Regressor):
    """A vanilla RNN followed by Dense(1) on its last hidden state: ``LSTMRegressor``'s simpler twin."""

    cell_kind = RNNParams
    cell_name = "rnn"

    @property
    def rnn(self) -> RNNParams:
        """The recurrent layer's weights."""
        return self.cell_params  # type: ignore[return-value]

    @rnn.setter
    def rnn(self, cell: RNNParams) -> None:
        self._replace_cell(cell)


class GRURegressor(_Regressor):
    """GRU(H) followed by Dense(1) on the last state: the GRU twin of ``LSTMRegressor``."""

    cell_kind = GRUParams
    cell_name = "gru"

    @property
    def gru(self) -> GRUParams:
        """The GRU layer's weights."""
        return self.cell_params  # type: ignore[return-value]

    @gru.setter
    def gru(self, cell: GRUParams) -> None:
        self._replace_cell(cell)


class VariantRegressor(_Regressor):
    """A variant cell followed by Dense(1) on its last hidden state.

    Args:
        cell: the cell's weights (copied, as every regressor copies what it is given).
        variant: which parts of the cell are present (replaces ``cell.variant``).
        dense_W: (H, 1) the Dense layer's kernel (copied).
        dense_b: (1,) the Dense layer's bias (copied).
    """

    cell_kind = PeepholeParams

    def __init__(
        self, cell: PeepholeParams, variant: Variant, dense_W: np.ndarray, dense_b: np.ndarray
    ) -> None:
        if not isinstance(cell, PeepholeParams):
            raise TypeError(f"cell must be a PeepholeParams, got {_checks.describe(cell)}")
        super().__init__(cell.with_variant(variant), dense_W, dense_b)

    @classmethod
    def init(  # type: ignore[override]
        cls,
        variant: Variant = VARIANTS["vanilla"],
        input_size: int = 1,
        hidden_size: int = 4,
        seed: int = 0,
        dtype: Any = np.float64,
    ) -> VariantRegressor:
        """Fresh weights: ``PeepholeParams.init`` and a Glorot-uniform Dense kernel, as ``LSTMRegressor``."""
        cell = PeepholeParams.init(input_size, hidden_size, seed=seed, dtype=dtype)
        return cls(cell, variant, *_fresh_dense(cell, seed))

    @property
    def cell(self) -> PeepholeParams:
        """The cell's weights (with its variant)."""
        return self.cell_params  # type: ignore[return-value]

    @property
    def variant(self) -> Variant:
        """Which parts of the cell are present."""
        return self.cell.variant
