"""One model for every network of the book: layers in a row and a loss, as Keras' ``Sequential``.

    model = Sequential([Recurrent(LSTMParams.init(1, 4)), Dense(V, a)])

    y_hat = model.predict(x)                  (N, T, D) in; (N,) for one output, else (N, ..., K)
    loss = model.evaluate(x, y)               the loss, Keras' ``model.evaluate``
    loss, grads = model.loss_and_grads(x, y)  grads: a model of the same shape holding gradients

Like Keras' model API, ``predict``, ``evaluate`` and ``train.fit`` take floating
input of any precision (float16, float32 or float64 arrays, or nested lists of
floats) and cast it to the model's dtype; integers, bools, complex numbers,
objects and NaN or inf are refused. Everything below them (``loss_and_grads``,
the layers, ``lstm_forward`` and the steps) is strict: the model's dtype only.

``get_weights``/``set_weights``/``count_params`` follow Keras: one flat list of
arrays, layer by layer, each layer's in Keras' order. ``train.fit``, ``saving``
and ``interop`` take any ``Sequential``.

The classic sine model, LSTM(4) followed by Dense(1) on the last hidden state, is
``LSTMRegressor``; its simpler and fancier twins are ``RNNRegressor``,
``GRURegressor`` and ``VariantRegressor``:

    h_1..h_T = LSTM(x)                (B, T, H), only h_T is used
    y_hat    = h_T V + a              (B,)  with V (H, 1), a (1,)
    loss     = mean((y_hat - y)**2)   Keras' "mean_squared_error"
"""

from __future__ import annotations

import copy as _copy
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

import numpy as np

from . import _checks
from .bidirectional import Bidirectional
from .cell import CellParams, check_cell
from .embedding import Embedding
from .gru import GRUParams
from .layers import Dense, Layer, Recurrent
from .losses import LOSSES
from .lstm import LSTMParams
from .rnn import RNNParams
from .variants import VARIANTS, PeepholeParams, Variant

__all__ = ["GRURegressor", "LSTMRegressor", "RNNRegressor", "Sequential", "VariantRegressor"]

M = TypeVar("M", bound="Sequential")

FIRST_LAYERS = (Recurrent, Bidirectional, Embedding)
"""The layers a model can start with."""
LATER_LAYERS = (Recurrent, Bidirectional, Dense)
"""The layers that can follow."""


@dataclass
class Sequential:
    """Layers applied in order, and the loss on the last one's output.

    Attributes:
        layers: the layers; the first is recurrent and takes (N, T, D) input, or an
            ``Embedding`` and takes (N, T) integer ids.
        loss: the loss's name (``losses.LOSSES``): ``"mse"``, or
            ``"sparse_categorical_crossentropy"`` on logits with integer targets.
    """

    layers: list[Layer]
    loss: str = "mse"

    def __post_init__(self) -> None:
        if not isinstance(self.layers, list) or not self.layers:
            raise TypeError(f"layers must be a non-empty list of layers, got {_checks.describe(self.layers)}")
        if not isinstance(self.layers[0], FIRST_LAYERS):
            raise TypeError(
                f"layers[0] must be a Recurrent, Bidirectional or Embedding layer, "
                f"got {_checks.describe(self.layers[0])}"
            )
        if self.loss not in LOSSES:
            raise ValueError(f"loss must be one of {sorted(LOSSES)}, got {self.loss!r}")
        width = self.layers[0].output_size
        for k, layer in enumerate(self.layers[1:], start=1):
            if not isinstance(layer, LATER_LAYERS):
                raise TypeError(
                    f"layers[{k}] must be a Recurrent, Bidirectional or Dense layer, "
                    f"got {_checks.describe(layer)}"
                )
            inputs = layer.input_size
            if inputs != width:
                raise ValueError(
                    f"layers[{k}] takes {inputs} features but layers[{k - 1}] gives {width}: "
                    f"its weights must have shape ({width}, ...)"
                )
            _checks.same_dtype(f"layers[{k}]", layer.weights()[0], self.dtype, "layers[0]")
            width = layer.output_size

    # --- weights, as Keras' models have them ------------------------------------------

    @property
    def dtype(self) -> np.dtype[Any]:
        """The dtype of every weight."""
        return self.layers[0].dtype

    @property
    def input_size(self) -> int:
        """D, the features per time step the model takes (V, the ids, after an ``Embedding``)."""
        return self.layers[0].input_size

    def parameters(self) -> list[np.ndarray]:
        """The live weight arrays, layer by layer, for an optimizer to update in place."""
        return [w for layer in self.layers for w in layer.weights()]

    def get_weights(self) -> list[np.ndarray]:
        """Copies of the weights in Keras' order (``keras_model.get_weights()``)."""
        return [w.copy() for w in self.parameters()]

    def weight_labels(self) -> list[str]:
        """A name for every weight, in order: kernel, recurrent_kernel, bias, dense kernel, ..."""
        return [label for layer in self.layers for label in layer.weight_labels()]

    def set_weights(self, weights: Sequence[np.ndarray]) -> None:
        """Write ``weights`` (Keras' order and shapes) into the model's arrays, in place.

        As Keras assigns into its variables, the arrays stay the same objects, so an
        optimizer bound to them keeps working. Shapes and dtype must match exactly:
        nothing is cast.
        """
        names, old = self.weight_labels(), self.parameters()
        if not isinstance(weights, (list, tuple)) or len(weights) != len(names):
            count = len(weights) if isinstance(weights, (list, tuple)) else _checks.describe(weights)
            raise ValueError(f"weights must be a list of {len(names)} arrays {tuple(names)}, got {count}")
        for name, new, current in zip(names, weights, old, strict=True):
            _checks.float_array(f"weights[{name}]", new)
            _checks.same_dtype(f"weights[{name}]", new, current.dtype, "the model")
            if new.shape != current.shape:
                raise ValueError(f"weights[{name}] must have shape {current.shape}, got {new.shape}")
        self._rebuilt([np.asarray(w) for w in weights], check=True)  # the cells' own checks
        for current, new in zip(old, weights, strict=True):
            current[...] = new

    def count_params(self) -> int:
        """The number of weights, as Keras' ``count_params`` counts them."""
        return sum(w.size for w in self.parameters())

    def copy(self: M) -> M:
        """A deep copy."""
        return self._rebuilt([w.copy() for w in self.parameters()], check=True)

    @classmethod
    def from_layers(cls, layers: list[Layer], loss: str = "mse") -> Sequential:
        """A model of this class holding ``layers`` (what ``saving`` rebuilds models with)."""
        return cls(layers, loss)

    def _rebuilt(self: M, arrays: list[np.ndarray], check: bool) -> M:
        """The same model (same class and configuration) holding ``arrays``."""
        layers, start = [], 0
        for layer in self.layers:
            count = len(layer.weights())
            layers.append(layer.with_weights(arrays[start : start + count], check))
            start += count
        model = _copy.copy(self)
        model.layers = layers
        return model

    # --- running it -------------------------------------------------------------------

    @property
    def per_step(self) -> bool:
        """Whether the model gives an output at every step (its last recurrent layer returns sequences)."""
        recurrent = [layer for layer in self.layers if isinstance(layer, (Recurrent, Bidirectional))]
        return not recurrent or recurrent[-1].return_sequences

    def output_shape(self, x_shape: tuple[int, ...]) -> tuple[tuple[int, ...], str]:
        """The shape ``predict`` returns for inputs of shape (N, T, D), and its letters.

        (N,) for one output per sequence, (N, T) for one per step, with a last axis K
        when the last layer has K > 1 outputs.
        """
        outputs = self.layers[-1].output_size
        letters = ["N", "T"] if self.per_step else ["N"]
        shape = [x_shape[0], x_shape[1]][: len(letters)]
        if outputs > 1:
            letters, shape = [*letters, "K"], [*shape, outputs]
        spelled = f"({letters[0]},)" if len(letters) == 1 else "(" + ", ".join(letters) + ")"
        return tuple(shape), spelled

    def check_inputs(self, x: Any, y: Any = None) -> None:
        """Check (N, T, D) inputs ((N, T) ids after an ``Embedding``) and, if given, targets
        of the shape ``predict`` returns ((N, T) ids for ``"sparse_categorical_crossentropy"``)."""
        first = self.layers[0]
        assert isinstance(first, FIRST_LAYERS)
        first.check_input(x)
        if y is None:
            return
        if self.loss == "sparse_categorical_crossentropy":
            self._check_class_targets(x, y)
            return
        _checks.float_array("y", y)
        _checks.same_dtype("y", y, self.dtype, "the model")
        expected, letters = self.output_shape(x.shape)
        if y.shape != expected:
            raise ValueError(
                f"y must have shape {letters} = {expected} to match x of shape {x.shape}, got {y.shape}"
            )

    def cast_inputs(self, x: Any, y: Any = None) -> tuple[np.ndarray, np.ndarray | None]:
        """Inputs (and targets) as the model takes them, as Keras' model API accepts them.

        Floating input of any precision, float16, float32 or float64 arrays or nested
        lists/tuples of floats, is cast to the model's dtype (no copy when it already
        has it); integer, bool, complex and object input is refused, and so are NaN,
        inf, and values that overflow the model's dtype (1e300 in float32). Targets
        of shape (N, 1) are taken for a model with one output, (N,), as Keras does.
        Integer ids are not cast: the (N, T) inputs of a model that starts with an
        ``Embedding``, and the targets of ``"sparse_categorical_crossentropy"``, are
        checked as they are.

        Args:
            x: (N, T, D) inputs.
            y: targets shaped as ``predict``'s output, or None.

        Returns:
            ``(x, y)`` in the model's dtype, checked by ``check_inputs``.
        """
        if not isinstance(self.layers[0], Embedding):
            x = _floating("x", x, self.dtype)
        if y is not None and self.loss != "sparse_categorical_crossentropy":
            y = _floating("y", y, self.dtype)
            if x.ndim == 3 and self.layers[-1].output_size == 1:
                expected, _ = self.output_shape(x.shape)
                if y.shape == (*expected, 1):  # Keras' own (N, 1) targets for (N, 1) outputs
                    y = y.reshape(expected)
        self.check_inputs(x, y)
        return x, y

    def _check_class_targets(self, x: np.ndarray, y: Any) -> None:
        """Integer class ids in [0, K), one per output row: (N, T) or (N,)."""
        expected, letters = (x.shape[:2], "(N, T)") if self.per_step else (x.shape[:1], "(N,)")
        _checks.index_array("y", y, len(expected), self.layers[-1].output_size, letters)
        if y.shape != expected:
            raise ValueError(
                f"y must have shape {letters} = {expected} to match x of shape {x.shape}, got {y.shape}"
            )

    def reset_states(self) -> None:
        """Reset the carried state of every stateful layer to zeros (Keras' ``reset_states``)."""
        for layer in self.layers:
            if isinstance(layer, Recurrent):
                layer.reset_state()

    def _forward(self, x: np.ndarray) -> tuple[np.ndarray, list[Any]]:
        caches = []
        for layer in self.layers:
            x, cache = layer.forward(x)
            caches.append(cache)
        return x, caches

    def predict(self, x: Any) -> np.ndarray:
        """The model's output for (N, T, D) inputs: (N,) for one output (Keras gives (N, 1)).

        Args:
            x: (N, T, D) floating inputs of any precision (arrays or nested lists),
                cast to the model's dtype as ``cast_inputs`` says.

        Returns:
            The output in the model's dtype: (N,) for one output per sequence, else
            the shape ``output_shape`` gives.
        """
        x, _ = self.cast_inputs(x)
        output, _ = self._forward(x)
        return output[..., 0] if output.shape[-1] == 1 else output

    def evaluate(self, x: Any, y: Any) -> float:
        """The loss on (x, y), as Keras' ``model.evaluate(x, y)`` returns it (without metrics).

        One forward pass over all N samples (Keras averages batches of 32; the mean is
        the same up to rounding).

        Args:
            x: (N, T, D) floating inputs, cast to the model's dtype (``cast_inputs``).
            y: targets shaped as ``predict``'s output ((N,), or Keras' (N, 1)), cast alike.

        Returns:
            The loss, e.g. the mean squared error over every target, as a float.
        """
        x, y = self.cast_inputs(x, y)
        assert y is not None
        output, _ = self._forward(x)
        loss, _ = LOSSES[self.loss](output, y)
        return loss

    def loss_and_grads(self: M, x: np.ndarray, y: np.ndarray, check: bool = True) -> tuple[float, M]:
        """The loss on (x, y) and its gradient with respect to every weight.

        Strict, as the layers are: x and y must already have the model's dtype
        (``predict``, ``evaluate`` and ``train.fit`` cast floating input first).

        Args:
            x: (N, T, D) inputs, the model's dtype.
            y: targets, the model's dtype, shaped as ``predict``'s output: (N,) for one
                output per sequence.
            check: False skips the input checks (``train.fit`` checks once per run).

        Returns:
            ``(loss, grads)``: the loss as a float, and a model of the same shape whose
            arrays are the gradients of the matching weights (``grads.parameters()``).
        """
        if check:
            self.check_inputs(x, y)
        output, caches = self._forward(x)
        loss, d_output = LOSSES[self.loss](output, y)
        grads: list[np.ndarray] = []
        for layer, cache in zip(reversed(self.layers), reversed(caches), strict=True):
            d_output, layer_grads = layer.backward(d_output, cache)
            grads = layer_grads + grads
        return loss, self._rebuilt(grads, check=False)


def _floating(name: str, value: Any, dtype: np.dtype[Any]) -> np.ndarray:
    """``value`` as a finite array of ``dtype``: floating arrays, or nested lists/tuples of floats."""
    expected = "floating-point numbers (a float16, float32 or float64 array, or nested lists of floats)"
    if isinstance(value, (list, tuple)):
        try:
            array = np.asarray(value)
        except ValueError:
            raise ValueError(f"{name} must be a nested list of equal lengths, got a ragged one") from None
        if array.dtype.kind == "f":  # NumPy turns True and 1 into 1.0 without a word: look at each number
            bad = next(
                (v for v in np.asarray(value, dtype=object).flat if not isinstance(v, (float, np.floating))),
                None,
            )
            if bad is not None:
                raise TypeError(
                    f"{name} must hold {expected}, got {_checks.describe(bad)} in a list; "
                    f"convert it explicitly, e.g. np.asarray({name}, dtype=np.{dtype})"
                )
    elif isinstance(value, np.ndarray):
        array = value
    else:
        raise TypeError(f"{name} must hold {expected}, got {_checks.describe(value)}")
    if array.dtype.kind != "f" or array.dtype.itemsize > 8:
        raise TypeError(
            f"{name} must hold {expected}, got dtype {array.dtype}; "
            f"convert it explicitly, e.g. np.asarray({name}, dtype=np.{dtype})"
        )
    if array.size and not np.isfinite(array).all():
        _checks.float_array(name, array.astype(np.float64))  # the package's message for NaN and inf
    with np.errstate(over="ignore"):  # an overflow is reported just below
        cast = array.astype(dtype, copy=False)
    if cast is not array and array.size and not np.isfinite(cast).all():
        largest = float(np.max(np.abs(array)))
        raise ValueError(
            f"{name} has values too large for the model's dtype {dtype}: the largest is {largest:.3g}, "
            f"and {dtype} holds at most {float(np.finfo(dtype).max):.3g}"
        )
    return cast


def _dense_head(dense_W: np.ndarray, dense_b: np.ndarray, cell: CellParams) -> Dense:
    _checks.matching("dense_W", dense_W, (cell.hidden_size, 1), "(H, 1)", cell.dtype, "the cell")
    _checks.matching("dense_b", dense_b, (1,), "(1,)", cell.dtype, "the cell")
    return Dense(dense_W, dense_b)


def _fresh_dense(cell: CellParams, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Keras' Dense(1) defaults on the cell's H units: a Glorot-uniform kernel, a zero bias."""
    dense = Dense.init(cell.hidden_size, 1, np.random.default_rng([seed, 1]), cell.dtype)
    return dense.W, dense.b


class _Regressor(Sequential):
    """A recurrent cell, then Dense(1) on its last hidden state: one number per sequence.

    Args:
        cell: the recurrent layer's weights, a ``cell_kind``.
        dense_W: (H, 1) the Dense layer's kernel.
        dense_b: (1,) the Dense layer's bias.
    """

    cell_kind: ClassVar[type[CellParams]] = CellParams
    cell_name: ClassVar[str] = "cell"

    def __init__(self, cell: CellParams, dense_W: np.ndarray, dense_b: np.ndarray) -> None:
        check_cell(self.cell_name, cell, self.cell_kind)
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
        model = cls.__new__(cls)
        _Regressor.__init__(model, layers[0].cell, *layers[1].weights())
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
        """Swap in another cell of the same kind and shape (``model.lstm = ...``)."""
        check_cell(self.cell_name, cell, self.cell_kind)
        old = self.cell_params
        if (cell.input_size, cell.hidden_size, cell.dtype) != (old.input_size, old.hidden_size, old.dtype):
            raise ValueError(
                f"{self.cell_name} must have input_size {old.input_size}, hidden_size {old.hidden_size} "
                f"and dtype {old.dtype}, got {cell.input_size}, {cell.hidden_size} and {cell.dtype}"
            )
        self.layers[0] = Recurrent(cell)

    @property
    def dense_W(self) -> np.ndarray:
        """(H, 1) the Dense layer's kernel."""
        return self.layers[1].weights()[0]

    @property
    def dense_b(self) -> np.ndarray:
        """(1,) the Dense layer's bias."""
        return self.layers[1].weights()[1]


R = TypeVar("R", bound=_Regressor)


class LSTMRegressor(_Regressor):
    """LSTM(H) followed by Dense(1): the classic sine model, the NumPy twin of
    ``keras_model.build_sine_model``; ``LSTMRegressor(lstm, dense_W, dense_b)``.

    ``get_weights``/``set_weights`` use Keras' order, ``[kernel, recurrent_kernel,
    bias, dense kernel, dense bias]``, so ``model.set_weights(keras_model.get_weights())``
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
        cell: the cell's weights.
        variant: which parts of the cell are present (replaces ``cell.variant``).
        dense_W: (H, 1) the Dense layer's kernel.
        dense_b: (1,) the Dense layer's bias.
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
