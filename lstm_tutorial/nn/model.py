"""One model for every network of the book: layers in a row and a loss, as Keras' ``Sequential``.

    model = Sequential([Recurrent(LSTMParams.init(1, 4)), Dense(V, a)])

    y_hat = model.predict(x)                  (N, T, D) in; (N,) for one output, else (N, ..., K)
    loss = model.evaluate(x, y)               the loss, Keras' ``model.evaluate``
    loss, grads = model.loss_and_grads(x, y)  grads: a model of the same shape holding gradients
                                              (a training step's: dropout drops, as in fit)

Any stack of layers (``layer.Layer``) that can work is a model: the first layer
takes the model's input, a sequence (N, T, D) or ids (N, T), and each later one
takes what the one before gives (``Layer.takes``, ``Layer.gives``) with matching
widths. A stack that cannot work is refused when the model is built, naming both
layers (and, if ``model.layers`` was edited since, when it is next used). The model
asks its layers, never a list of layer types.

Like Keras' model API, ``predict``, ``evaluate`` and ``train.fit`` take floating
input of any precision (float16, float32 or float64 arrays, or nested lists of
floats) and cast it to the model's dtype (``_checks.cast_floating``); integers,
bools, complex numbers, objects and NaN or inf are refused. Everything below them
(``loss_and_grads``, the layers, ``lstm_forward`` and the steps) is strict: the
model's dtype only.

``get_weights``/``set_weights``/``count_params`` follow Keras: one flat list of
arrays, layer by layer, each layer's in Keras' order. ``train.fit``, ``saving``
and the framework bridges take any ``Sequential``; ``regressors`` holds the
classic [recurrent, Dense(1)] models built on it.
"""

from __future__ import annotations

import copy as _copy
import inspect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from . import _checks
from .layer import IDS, LAYERS, MODEL_INPUTS, SEQUENCE, Layer, describe_kind, reads, takers
from .losses import LOSSES

__all__ = ["Sequential"]

M = TypeVar("M", bound="Sequential")


def _one_of(names: list[str]) -> str:
    """``"a Recurrent, Bidirectional or Dense"``: the names as one choice, with its article."""
    if not names:
        return "no"
    spelled = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return ("an " if spelled[0] in "AEIOU" else "a ") + spelled


_TAKES_TRAINING: dict[type, bool] = {}


def _takes_training(kind: type[Layer]) -> bool:
    """Whether a layer class's ``forward`` names ``training`` (Keras asks ``call`` the same)."""
    if kind not in _TAKES_TRAINING:
        _TAKES_TRAINING[kind] = "training" in inspect.signature(kind.forward).parameters
    return _TAKES_TRAINING[kind]


def _described(layer: Layer) -> str:
    """``"Recurrent(cell='LSTMParams', return_sequences=False, stateful=False)"``: class and plain config."""
    plain = {key: value for key, value in layer.get_config().items() if not isinstance(value, (dict, list))}
    return f"{type(layer).__name__}({', '.join(f'{key}={value!r}' for key, value in plain.items())})"


@dataclass
class Sequential:
    """Layers applied in order, and the loss on the last one's output.

    The model holds the layers themselves, as Keras' ``Sequential`` does: training
    it trains them (and the arrays each holds, ``layer.Layer``); ``copy()`` gives a
    model of its own.

    Attributes:
        layers: the layers; the first takes the model's input, a sequence (N, T, D)
            (a ``Recurrent`` or ``Bidirectional`` layer) or (N, T) integer ids (an
            ``Embedding``), and each takes what the one before gives.
        loss: the loss's name (``losses.LOSSES``): ``"mse"``, or
            ``"sparse_categorical_crossentropy"`` on logits with integer targets, or
            ``"categorical_crossentropy"`` on logits with one-hot targets.
    """

    layers: list[Layer]
    loss: str = "mse"

    def __post_init__(self) -> None:
        self._check_stack()

    def _check_stack(self) -> None:
        """Refuse a stack that cannot work, naming the two layers that do not fit; remember it as checked."""
        if not isinstance(self.layers, list) or not self.layers:
            raise TypeError(f"layers must be a non-empty list of layers, got {_checks.describe(self.layers)}")
        for k, layer in enumerate(self.layers):
            if not isinstance(layer, Layer):
                # The layers that build a model first, then those that only pass their input on (Dropout).
                kinds = sorted(LAYERS, key=lambda name: LAYERS[name].keeps_shape)
                raise TypeError(f"layers[{k}] must be a layer, one of {kinds}, got {_checks.describe(layer)}")
        first = self.layers[0]
        if first.takes not in MODEL_INPUTS:
            starters = [name for kind in MODEL_INPUTS for name in takers(kind) if LAYERS[name].takes == kind]
            raise TypeError(
                f"layers[0] must be {_one_of(starters)} layer, one that takes the model's input "
                f"({describe_kind(SEQUENCE, 'D')} or ids (N, T)), got {_described(first)}, which takes "
                f"{describe_kind(first.takes, 'F' if first.keeps_width else first.input_size)}"
            )
        if self.loss not in LOSSES:
            raise ValueError(f"loss must be one of {sorted(LOSSES)}, got {self.loss!r}")
        given, width = first.gives(first.takes), first.output_size
        for k, layer in enumerate(self.layers[1:], start=1):
            before = f"layers[{k - 1}], {_described(self.layers[k - 1])},"
            if not reads(layer.takes, given):
                raise TypeError(
                    f"layers[{k}] must be {_one_of(takers(given))} layer: {before} gives "
                    f"{describe_kind(given, width)}, and layers[{k}], {_described(layer)}, takes "
                    f"{describe_kind(layer.takes, width if layer.keeps_width else layer.input_size)}"
                )
            if layer.keeps_width:  # a Dropout or RepeatVector: it gives the width and dtype it took
                given = layer.gives(given)
                continue
            inputs = layer.input_size
            if inputs != width:
                raise ValueError(
                    f"layers[{k}] takes {inputs} features but layers[{k - 1}] gives {width}: "
                    f"its weights must have shape ({width}, ...) ({before} gives "
                    f"{describe_kind(given, width)}; layers[{k}], {_described(layer)}, takes "
                    f"{describe_kind(layer.takes, inputs)})"
                )
            _checks.same_dtype(f"layers[{k}]", layer.weights()[0], self.dtype, "layers[0]")
            given, width = layer.gives(given), layer.output_size
        self._checked = list(self.layers)

    def _check_stack_unchanged(self) -> None:
        """Check the stack again if its layers changed since (``model.layers.append(...)``, say):
        Keras checks a layer when it is added; here the list can be edited, so it is checked on use."""
        checked: list[Layer] = getattr(self, "_checked", [])
        layers = self.layers
        if (
            not isinstance(layers, list)
            or len(layers) != len(checked)
            or any(a is not b for a, b in zip(layers, checked, strict=True))
        ):
            self._check_stack()

    # --- weights, as Keras' models have them ------------------------------------------

    @property
    def dtype(self) -> np.dtype[Any]:
        """The dtype of every weight."""
        return self.layers[0].dtype

    @property
    def input_size(self) -> int:
        """D, the features per time step the model takes (V, the ids, after an ``Embedding``)."""
        return self.layers[0].input_size

    @property
    def output_size(self) -> int:
        """K, the width of the model's output: that of its last layer with a width of its own
        (a ``Dropout`` at the end gives the width it reads)."""
        return next(layer for layer in reversed(self.layers) if not layer.keeps_width).output_size

    def parameters(self) -> list[np.ndarray]:
        """The live weight arrays, layer by layer, for an optimizer to update in place."""
        return [w for layer in self.layers for w in layer.weights()]

    def get_weights(self) -> list[np.ndarray]:
        """Copies of the weights in Keras' order (a Keras model's ``get_weights()``)."""
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
        """Whether the model gives an output at every step: what its last layer gives is a sequence."""
        kind = self.layers[0].takes
        for layer in self.layers:
            kind = layer.gives(kind)
        return kind == SEQUENCE

    def output_steps(self, steps: int) -> int:
        """The steps of the model's output for inputs of ``steps`` steps: T, unless a layer
        sets its own (a ``RepeatVector(n)`` gives n, whatever the encoder read)."""
        for layer in self.layers:
            steps = layer.output_steps(steps)
        return steps

    def output_shape(self, x_shape: tuple[int, ...]) -> tuple[tuple[int, ...], str]:
        """The shape ``predict`` returns for inputs of shape (N, T, D), and its letters.

        (N,) for one output per sequence, (N, T) for one per step, with a last axis K
        when the last layer has K > 1 outputs.
        """
        outputs = self.output_size
        letters = ["N", "T"] if self.per_step else ["N"]
        shape = [x_shape[0], self.output_steps(x_shape[1])][: len(letters)]
        if outputs > 1:
            letters, shape = [*letters, "K"], [*shape, outputs]
        spelled = f"({letters[0]},)" if len(letters) == 1 else "(" + ", ".join(letters) + ")"
        return tuple(shape), spelled

    def check_inputs(self, x: Any, y: Any = None) -> None:
        """Check (N, T, D) inputs ((N, T) ids after an ``Embedding``) and, if given, targets
        of the shape ``predict`` returns ((N, T) ids for ``"sparse_categorical_crossentropy"``).
        A stack edited since the model was built is checked again first."""
        self._check_stack_unchanged()
        self.layers[0].check_input(x)
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
        self._check_stack_unchanged()  # before reading the first layer and the dtype
        if self.layers[0].takes != IDS:
            x = _checks.cast_floating("x", x, self.dtype)
        if y is not None and self.loss != "sparse_categorical_crossentropy":
            y = _checks.cast_floating("y", y, self.dtype)
            if x.ndim == 3 and self.output_size == 1:
                expected, _ = self.output_shape(x.shape)
                if y.shape == (*expected, 1):  # Keras' own (N, 1) targets for (N, 1) outputs
                    y = y.reshape(expected)
        self.check_inputs(x, y)
        return x, y

    def _check_class_targets(self, x: np.ndarray, y: Any) -> None:
        """Integer class ids in [0, K), one per output row: (N, T) or (N,)."""
        per_step = (x.shape[0], self.output_steps(x.shape[1]))
        expected, letters = (per_step, "(N, T)") if self.per_step else (x.shape[:1], "(N,)")
        _checks.index_array("y", y, len(expected), self.output_size, letters)
        if y.shape != expected:
            raise ValueError(
                f"y must have shape {letters} = {expected} to match x of shape {x.shape}, got {y.shape}"
            )

    def reset_states(self) -> None:
        """Reset the carried state of every stateful layer to zeros (Keras' ``reset_states``)."""
        for layer in self.layers:
            layer.reset_state()

    def _forward(self, x: np.ndarray, training: bool = False) -> tuple[np.ndarray, list[Any]]:
        """Every layer in turn; ``training`` goes to the layers whose ``forward`` takes it."""
        caches = []
        for layer in self.layers:
            if training and _takes_training(type(layer)):
                x, cache = layer.forward(x, training=True)
            else:
                x, cache = layer.forward(x)
            caches.append(cache)
        return x, caches

    def predict(self, x: Any) -> np.ndarray:
        """The model's output for (N, T, D) inputs: (N,) for one output (Keras gives (N, 1)).

        Inference, as Keras' ``predict``: no dropout.

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
        the same up to rounding), at inference: no dropout.

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

    def loss_and_grads(
        self: M, x: np.ndarray, y: np.ndarray, check: bool = True, training: bool = True
    ) -> tuple[float, M]:
        """The loss on (x, y) and its gradient with respect to every weight.

        Strict, as the layers are: x and y must already have the model's dtype
        (``predict``, ``evaluate`` and ``train.fit`` cast floating input first).

        Args:
            x: (N, T, D) inputs, the model's dtype.
            y: targets, the model's dtype, shaped as ``predict``'s output: (N,) for one
                output per sequence.
            check: False skips the input checks (``train.fit`` checks once per run).
            training: a training step's loss and gradients, as ``train.fit`` takes them
                (True: each dropout layer draws a new mask, as Keras' ``train_on_batch``
                does), or inference's (False: nothing dropped, the loss ``evaluate``
                gives). A model without dropout gives the same either way.

        Returns:
            ``(loss, grads)``: the loss as a float, and a model of the same shape whose
            arrays are the gradients of the matching weights (``grads.parameters()``).
        """
        if check:
            self.check_inputs(x, y)
        output, caches = self._forward(x, _checks.flag("training", training))
        loss, d_output = LOSSES[self.loss](output, y)
        grads: list[np.ndarray] = []
        for layer, cache in zip(reversed(self.layers), reversed(caches), strict=True):
            d_output, layer_grads = layer.backward(d_output, cache)
            grads = layer_grads + grads
        return loss, self._rebuilt(grads, check=False)
