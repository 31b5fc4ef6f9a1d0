"""What every layer is: the ``Layer`` base, the registry of layer classes, the kinds of arrays.

A layer says what it takes and what it gives, one of four kinds of arrays, so that
``model.Sequential`` checks any stack of layers without knowing them:

    ids        (N, T) integer ids in [0, V)      what an Embedding takes
    sequence   (N, T, F)                         what a Recurrent layer takes (and gives, returning sequences)
    vector     (N, F)                            what a Recurrent layer gives without return_sequences
    features   (N, ..., F): a sequence or a vector, what a Dense layer takes

A layer also describes itself (``get_config``: everything but the weights, as JSON)
and is rebuilt from that description and its weights (``from_config``), as in
Keras. A layer class joins ``LAYERS`` by being defined; ``saving`` and the framework
bridges find it there by its name, as Keras finds a layer's class by its ``class_name``.
The layers themselves live in ``layers``, ``embedding``, ``bidirectional``, ``dropout`` and ``repeat``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from . import _checks

__all__ = ["LAYERS", "Layer", "check_config", "check_weight_count", "describe_kind", "reads", "takers"]

IDS, SEQUENCE, VECTOR, FEATURES = "ids", "sequence", "vector", "features"
"""The kinds of arrays layers take and give (the module docstring draws them)."""
KIND_SHAPES = {IDS: "(N, T) in [0, {})", SEQUENCE: "(N, T, {})", VECTOR: "(N, {})", FEATURES: "(N, ..., {})"}
MODEL_INPUTS = (SEQUENCE, IDS)
"""What a model takes, so what its first layer must take."""

LAYERS: dict[str, type[Layer]] = {}
"""Every layer class by its name, in the order they were defined; a new subclass of ``Layer`` joins it."""


def describe_kind(kind: str, width: int | str) -> str:
    """``"a sequence (N, T, 4)"``, ``"ids (N, T) in [0, 5)"``...: a kind and its width, for messages."""
    article = "" if kind in (IDS, FEATURES) else "a "
    return f"{article}{kind} {KIND_SHAPES[kind].format(width)}"


class Layer:
    """The base of every layer: what ``model.Sequential``, ``saving`` and the bridges ask of one.

    A subclass sets ``takes`` (the kind of input it reads) and writes the methods below;
    defining it adds it to ``LAYERS`` under its class name (a name starting with ``_``
    stays out: a private helper class). Two layer classes cannot share a name.

    A layer holds the arrays it is built from, not copies, as Keras' ``RNN(cell)``
    holds the cell it is given: ``Recurrent(cell)`` trains ``cell``'s own arrays, and
    two layers built from one cell share its weights. Build from copies
    (``Recurrent(cell.copy())``) to keep the originals; the regressors
    (``LSTMRegressor(cell, ...)``), which build their layers themselves, copy.
    """

    takes: ClassVar[str] = FEATURES
    """The kind of input the layer reads: ``"ids"``, ``"sequence"`` or ``"features"``."""

    keeps_shape: ClassVar[bool] = False
    """True for a layer without weights whose output has its input's shape, whatever it is
    (``Dropout``); such a layer ``keeps_width`` too."""

    keeps_width: ClassVar[bool] = False
    """True for a layer without weights that gives the width it reads, whatever it is (``Dropout``,
    ``RepeatVector``): it has no width or dtype of its own, so a model reads them off the layers
    before it."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__name__.startswith("_"):
            return
        known = LAYERS.get(cls.__name__)
        if known is not None and (known.__module__, known.__qualname__) != (cls.__module__, cls.__qualname__):
            raise TypeError(
                f"a layer class named {cls.__name__!r} is already defined in {known.__module__}: "
                "saved models name their layers' classes, so give this one another name"
            )
        LAYERS[cls.__name__] = cls

    # --- what it takes and gives ------------------------------------------------------

    @property
    def input_size(self) -> int:
        """The width of what it takes: D features (V, the number of ids, for ids)."""
        raise NotImplementedError(f"{type(self).__name__} does not define input_size")

    @property
    def output_size(self) -> int:
        """The width of what it gives: its last axis."""
        raise NotImplementedError(f"{type(self).__name__} does not define output_size")

    @property
    def dtype(self) -> np.dtype[Any]:
        """The dtype of every weight."""
        raise NotImplementedError(f"{type(self).__name__} does not define dtype")

    def gives(self, taken: str) -> str:
        """The kind of its output when it reads input of the kind ``taken``: the same, by default."""
        return taken

    def output_steps(self, steps: int) -> int:
        """The steps of its output when it reads ``steps`` steps: the same, by default
        (``RepeatVector(n)`` gives n)."""
        return steps

    def check_input(self, x: Any) -> None:
        """Check the model's input, for a layer that can come first (one that takes a sequence or ids)."""
        raise NotImplementedError(f"{type(self).__name__} cannot check a model's input: it cannot come first")

    def reset_state(self) -> None:
        """Forget any state carried between batches (Keras' ``reset_state``); nothing, by default."""

    # --- weights and configuration --------------------------------------------------------

    def weights(self) -> list[np.ndarray]:
        """The live weight arrays, in Keras' order."""
        raise NotImplementedError(f"{type(self).__name__} does not define weights")

    def weight_labels(self) -> list[str]:
        """A name for each weight, in order, as Keras names it."""
        raise NotImplementedError(f"{type(self).__name__} does not define weight_labels")

    def with_weights(self, arrays: list[np.ndarray], check: bool = True) -> Layer:
        """The same layer holding ``arrays`` (checked unless ``check`` is False: gradients)."""
        raise NotImplementedError(f"{type(self).__name__} does not define with_weights")

    def get_config(self) -> dict[str, Any]:
        """Everything but the weights, JSON-serialisable (Keras' ``get_config``)."""
        raise NotImplementedError(f"{type(self).__name__} does not define get_config")

    @classmethod
    def from_config(cls, config: Any, weights: list[np.ndarray]) -> Layer:
        """The layer that ``get_config`` described, holding ``weights``, checked as its constructor checks."""
        raise NotImplementedError(f"{cls.__name__} does not define from_config")

    # --- running it -------------------------------------------------------------------------

    def forward(self, x: np.ndarray, training: bool = False) -> tuple[np.ndarray, Any]:
        """The output for ``x`` and what ``backward`` needs (x is assumed checked).

        ``training`` is Keras' call argument: True in a training step (``train.fit``,
        ``Sequential.loss_and_grads``), where dropout drops; False at inference
        (``predict``, ``evaluate``). A layer that behaves the same either way may leave
        it out of its signature: ``model.Sequential`` passes it only to a ``forward``
        that names it, as Keras does with ``call``.

        For speed, nothing is copied: the cache may hold ``x`` itself and the output
        may be a view of the cache, so neither is to be written to before ``backward``
        (``model.Sequential`` runs the two back to back; the public ``*_forward``
        functions of the cells copy instead).
        """
        raise NotImplementedError(f"{type(self).__name__} does not define forward")

    def backward(self, dy: np.ndarray, cache: Any) -> tuple[np.ndarray, list[np.ndarray]]:
        """From dL/d output: ``(dx, weight gradients)``, one gradient per weight."""
        raise NotImplementedError(f"{type(self).__name__} does not define backward")


class _Weightless(Layer):
    """What a layer without weights has (``Dropout``, ``RepeatVector``): no weights, and no
    width or dtype of its own; it gives the width and dtype it reads (``keeps_width``)."""

    keeps_width = True

    @property
    def input_size(self) -> int:
        """None of its own: it reads any width."""
        raise NotImplementedError(
            f"a {type(self).__name__} has no width of its own: it gives the one it reads"
        )

    @property
    def output_size(self) -> int:
        """None of its own: it gives the width it reads."""
        raise NotImplementedError(
            f"a {type(self).__name__} has no width of its own: it gives the one it reads"
        )

    @property
    def dtype(self) -> np.dtype[Any]:
        """None of its own: it gives the dtype it reads."""
        raise NotImplementedError(f"a {type(self).__name__} has no weights and no dtype of its own")

    def weights(self) -> list[np.ndarray]:
        """None: ``[]``, as its Keras twin (a generator's state is not a weight)."""
        return []

    def weight_labels(self) -> list[str]:
        """``[]``."""
        return []


def check_config(
    owner: str, config: Any, expected: Mapping[str, type], optional: Mapping[str, type] | None = None
) -> dict[str, Any]:
    """A layer's config: a JSON object with exactly the keys of ``expected``, each of its type.

    Args:
        owner: the layer's class name, for messages.
        config: what ``from_config`` was given.
        expected: each key and the type of its value (``bool``, ``str`` or ``dict``; ``object``
            for a value the layer's constructor checks itself).
        optional: keys it may have besides, each with its type (a recurrent layer's ``dropout``).

    Returns:
        ``config`` itself.
    """
    optional = optional or {}
    keys = sorted(expected)
    if not isinstance(config, dict):
        raise ValueError(f"a {owner}'s config must be a JSON object with the keys {keys}, got {config!r}")
    allowed = set(expected) | set(optional)
    missing, unknown = sorted(set(expected) - set(config)), sorted(set(config) - allowed)
    if missing or unknown:
        extra = f", and may have {sorted(optional)}" if optional else ""
        raise ValueError(
            f"a {owner}'s config must have the keys {keys}{extra}, got {sorted(config)} "
            f"(missing {missing}, unknown {unknown})"
        )
    spelled = {bool: "true or false", str: "a string", dict: "a JSON object"}
    for key, kind in {**expected, **{k: v for k, v in optional.items() if k in config}}.items():
        if not isinstance(config[key], kind):
            raise ValueError(f"a {owner}'s config key {key!r} must be {spelled[kind]}, got {config[key]!r}")
    return config


def check_weight_count(owner: str, weights: Any, labels: list[str] | tuple[str, ...]) -> list[np.ndarray]:
    """``weights`` as a list of one array per label (each array is checked by the constructor)."""
    if not isinstance(weights, (list, tuple)) or len(weights) != len(labels):
        count = len(weights) if isinstance(weights, (list, tuple)) else _checks.describe(weights)
        raise ValueError(
            f"weights must be a list of {len(labels)} arrays {tuple(labels)} for a {owner}, got {count}"
        )
    return list(weights)


def reads(takes: str, given: str) -> bool:
    """Whether a layer that takes ``takes`` can read input of the kind ``given``."""
    return takes == given or (takes == FEATURES and given in (SEQUENCE, VECTOR))


def takers(given: str) -> list[str]:
    """The names of the layer classes that can read ``given``: those made for it first, then any
    that reads features (``["Recurrent", "Bidirectional", "Dense"]`` for a sequence).

    A layer that keeps its input's shape (``Dropout``) is left out: it gives what it takes, so
    it never mends a stack that cannot work, which is what this list is offered for.
    """
    changers = {name: kind for name, kind in LAYERS.items() if not kind.keeps_shape}
    exact = [name for name, kind in changers.items() if kind.takes == given]
    return exact + [
        name for name, kind in changers.items() if kind.takes != given and reads(kind.takes, given)
    ]
