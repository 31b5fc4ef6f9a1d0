"""PyTorch's side of the package: every cell that has a PyTorch twin, and whole models, both ways.

PyTorch's recurrent modules stack the same gate blocks as Keras and this package,
but store each matrix transposed and keep two bias vectors:

    weight_ih_l0 (kH, D) = W.T      weight_hh_l0 (kH, H) = U.T      bias_ih_l0, bias_hh_l0 (kH,)

- ``nn.RNN`` (tanh) and ``nn.LSTM`` (blocks i, f, g, o, ours; Keras calls g the
  candidate c) add their two biases: ``b = bias_ih + bias_hh``. ``to_torch`` puts
  all of b in ``bias_ih`` and zeros in ``bias_hh``.
- ``nn.GRU`` orders its blocks r, z, n where this package has u, r, n (Keras' z, r, h),
  and its two biases are Keras' two bias rows (``reset_after=True``).

``CELLS`` is the one table of cells and their PyTorch twins; the peephole cell has
none. ``to_torch(model)`` turns a whole ``model.Sequential`` into a small
``torch.nn.Module`` that runs the same layers on batch-first input (its ``forward``
gives what ``model`` computes before the loss: logits for a language model), and
``from_torch`` turns that module back into the model. PyTorch is imported only
when a function here runs.

Dropout: a ``Dropout`` layer is ``torch.nn.Dropout(p=rate)``, the same inverted
dropout. A recurrent layer's ``dropout`` (Keras' input dropout, one mask per
sequence shared by every step) has no field in ``torch.nn.LSTM``, whose ``dropout``
drops the outputs of every layer but the last of a stack, between stacked layers:
a one-layer torch module with ``dropout`` != 0 is refused, naming the field, and the
module ``to_torch(model)`` builds draws the input mask itself, in training mode. As
every torch module, it starts in training mode: call ``.eval()`` for inference. Its
masks come from torch's generator, not from the layers' seeds.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from ..nn import _checks
from ..nn.cell import CellParams
from ..nn.gru import GRUParams
from ..nn.layer import LAYERS
from ..nn.lstm import LSTMParams
from ..nn.model import Sequential
from ..nn.rnn import RNNParams
from . import _imports

__all__ = ["CELLS", "TorchTwin", "from_torch", "to_torch"]


class TorchTwin(NamedTuple):
    """A cell's twin in PyTorch and how its weights are laid out there."""

    module: str
    """The ``torch.nn`` class name, e.g. ``"GRU"``."""
    blocks: tuple[int, ...]
    """PyTorch's gate block j is this package's block ``blocks[j]``."""
    bias_rows: bool
    """True: the cell keeps PyTorch's two biases as two rows (the GRU); False: one bias, their sum."""


CELLS: dict[type[CellParams], TorchTwin] = {
    RNNParams: TorchTwin("RNN", (0,), bias_rows=False),
    LSTMParams: TorchTwin("LSTM", (0, 1, 2, 3), bias_rows=False),
    GRUParams: TorchTwin("GRU", (1, 0, 2), bias_rows=True),
}
"""Every cell that has a PyTorch twin."""


def _reorder(array: np.ndarray, order: tuple[int, ...], axis: int) -> np.ndarray:
    """The gate blocks of ``array`` along ``axis``, block j of the result being block ``order[j]``."""
    parts = np.split(array, len(order), axis=axis)
    return np.concatenate([parts[k] for k in order], axis=axis)


def _twin(kind: type, what: str) -> TorchTwin:
    twin = CELLS.get(kind)
    if twin is None:
        names = ", ".join(f"{cell.__name__} (nn.{twin.module})" for cell, twin in CELLS.items())
        raise TypeError(f"{what} must be a cell with a PyTorch twin, {names}, got {kind.__name__}")
    return twin


def _torch_dtype(dtype: np.dtype[Any]) -> Any:
    torch = _imports.torch("frameworks.torch")
    return torch.float64 if dtype == np.float64 else torch.float32


def _cell_module(cell: CellParams, batch_first: bool) -> Any:
    """A new ``torch.nn`` RNN, LSTM or GRU holding ``cell``'s weights, in their dtype."""
    torch = _imports.torch("frameworks.torch.to_torch")
    twin = _twin(type(cell), "params_or_model")
    module = getattr(torch.nn, twin.module)(
        cell.input_size, cell.hidden_size, batch_first=batch_first, dtype=_torch_dtype(cell.dtype)
    )
    W, U, b = cell.weights()
    biases = (b[0], b[1]) if twin.bias_rows else (b, np.zeros_like(b))
    arrays = {
        "weight_ih_l0": _reorder(W, twin.blocks, axis=1).T,
        "weight_hh_l0": _reorder(U, twin.blocks, axis=1).T,
        "bias_ih_l0": _reorder(biases[0], twin.blocks, axis=0),
        "bias_hh_l0": _reorder(biases[1], twin.blocks, axis=0),
    }
    with torch.no_grad():
        for name, array in arrays.items():
            getattr(module, name).copy_(torch.from_numpy(np.ascontiguousarray(array)))
    return module


def _cell_from_module(module: Any, what: str) -> CellParams:
    """The cell a one-layer, one-directional ``torch.nn`` RNN, LSTM or GRU holds, in its dtype."""
    torch = _imports.torch("frameworks.torch.from_torch")
    kind = next(
        (cell for cell, twin in CELLS.items() if type(module) is getattr(torch.nn, twin.module)), None
    )
    if kind is None:
        names = ", ".join(f"torch.nn.{twin.module}" for twin in CELLS.values())
        raise TypeError(f"{what} must be a {names} or a to_torch(model), got {type(module).__name__}")
    twin = CELLS[kind]
    projection = getattr(module, "proj_size", 0)
    if module.dropout:
        raise ValueError(
            f"{what} has dropout={module.dropout}, which torch applies to the outputs of every layer "
            "but the last of a stack (so to none of a one-layer module), not to a layer's inputs as "
            "Keras' dropout and Recurrent(dropout=) do: build it with dropout=0 and give the layer "
            "its input dropout on this side, Recurrent(cell, dropout=p)"
        )
    if module.num_layers != 1 or module.bidirectional or not module.bias or projection:
        lstm = twin.module == "LSTM"  # the one with a projection
        raise ValueError(
            f"{what} must be a one-layer, unidirectional torch.nn.{twin.module} with biases"
            f"{' and no projection' if lstm else ''}, got num_layers={module.num_layers}, "
            f"bidirectional={module.bidirectional}, bias={module.bias}"
            f"{f', proj_size={projection}' if lstm else ''}"
        )
    if getattr(module, "nonlinearity", "tanh") != "tanh":
        raise ValueError(
            f"{what} must be a torch.nn.RNN with nonlinearity='tanh', got {module.nonlinearity!r}"
        )
    back = tuple(int(k) for k in np.argsort(twin.blocks))  # our block i is PyTorch's block back[i]
    state = {name: value.detach().cpu().numpy() for name, value in module.state_dict().items()}
    ih, hh = (_reorder(state[f"bias_{side}_l0"], back, axis=0) for side in ("ih", "hh"))
    arrays = [
        np.ascontiguousarray(_reorder(state["weight_ih_l0"], back, axis=0).T),
        np.ascontiguousarray(_reorder(state["weight_hh_l0"], back, axis=0).T),
        np.stack([ih, hh]) if twin.bias_rows else ih + hh,
    ]
    return kind(*arrays)


# --- whole models ----------------------------------------------------------------------------------


def _recurrent_modules(layer: Any) -> list[Any]:
    if layer.get_config()["stateful"]:
        raise ValueError(
            "a stateful layer has no PyTorch twin here: a torch module carries no state from one call "
            "to the next; build the model with stateful=False"
        )
    return [_cell_module(layer.cell, batch_first=True)]


def _linear(layer: Any) -> list[Any]:
    torch = _imports.torch("frameworks.torch.to_torch")
    W, b = layer.weights()
    module = torch.nn.Linear(*W.shape, dtype=_torch_dtype(W.dtype))
    with torch.no_grad():
        module.weight.copy_(torch.from_numpy(W.T.copy()))
        module.bias.copy_(torch.from_numpy(b.copy()))
    return [module]


def _embedding(layer: Any) -> list[Any]:
    torch = _imports.torch("frameworks.torch.to_torch")
    (W,) = layer.weights()
    return [torch.nn.Embedding.from_pretrained(torch.from_numpy(W.copy()), freeze=False)]


def _bidirectional(layer: Any) -> list[Any]:
    return [*_recurrent_modules(layer.forward_layer), *_recurrent_modules(layer.backward_layer)]


def _dropout(layer: Any) -> list[Any]:
    return [_imports.torch("frameworks.torch.to_torch").nn.Dropout(p=layer.rate)]


TO_TORCH: dict[str, Callable[[Any], list[Any]]] = {
    "Recurrent": _recurrent_modules,
    "Dense": _linear,
    "Embedding": _embedding,
    "Bidirectional": _bidirectional,
    "Dropout": _dropout,
}
"""Each layer class of ``layer.LAYERS`` that PyTorch has, and the torch modules that hold it."""


def _recurrent_weights(modules: list[Any], config: dict[str, Any]) -> list[np.ndarray]:
    return [w for module in modules for w in _cell_from_module(module, "module").weights()]


FROM_TORCH: dict[str, Callable[[list[Any], dict[str, Any]], list[np.ndarray]]] = {
    "Recurrent": _recurrent_weights,
    "Dense": lambda modules, config: [
        modules[0].weight.detach().cpu().numpy().T.copy(),
        modules[0].bias.detach().cpu().numpy().copy(),
    ],
    "Embedding": lambda modules, config: [modules[0].weight.detach().cpu().numpy().copy()],
    "Bidirectional": _recurrent_weights,
    "Dropout": lambda modules, config: _dropout_rate(modules[0], config),
}
"""Each layer class and how to read its weights (our layout) back out of its torch modules."""


def _dropout_rate(module: Any, config: dict[str, Any]) -> list[np.ndarray]:
    """A ``torch.nn.Dropout`` has no weights; its ``p`` must still be the layer's rate."""
    if module.p != config["rate"]:
        raise ValueError(
            f"its torch.nn.Dropout has p={module.p}, but the layer it came from has rate={config['rate']}: "
            "set p back, or rebuild the module with to_torch"
        )
    return []


def _dropped_inputs(module: Any, config: dict[str, Any], x: Any) -> Any:
    """x with a recurrent layer's input dropout applied in training mode: one (B, 1, D) mask, the
    same at every step, 0 or 1 / (1 - p), as Keras and ``Recurrent(dropout=p)`` draw it."""
    rate = config.get("dropout", 0.0)
    if not module.training or not rate:
        return x
    torch = _imports.torch("frameworks.torch")
    keep = torch.full((x.shape[0], 1, x.shape[2]), 1.0 - rate, dtype=x.dtype, device=x.device)
    return x * (torch.bernoulli(keep) / (1.0 - rate))


def _run_recurrent(modules: list[Any], config: dict[str, Any], x: Any) -> Any:
    hs, _ = modules[0](_dropped_inputs(modules[0], config, x))
    return hs if config["return_sequences"] else hs[:, -1]


def _run_bidirectional(modules: list[Any], config: dict[str, Any], x: Any) -> Any:
    y_fwd, _ = modules[0](_dropped_inputs(modules[0], config["forward_layer"], x))
    # The backward layer reads x_T .. x_1, with its own mask.
    y_bwd, _ = modules[1](_dropped_inputs(modules[1], config["backward_layer"], x.flip(1)))
    if config["forward_layer"]["return_sequences"]:
        y_bwd = y_bwd.flip(1)  # back in the original order, as the NumPy layer gives it
    else:
        y_fwd, y_bwd = y_fwd[:, -1], y_bwd[:, -1]
    merge = config["merge_mode"]
    if merge == "concat":
        return _imports.torch("frameworks.torch").cat([y_fwd, y_bwd], dim=-1)
    if merge == "sum":
        return y_fwd + y_bwd
    if merge == "mul":
        return y_fwd * y_bwd
    return (y_fwd + y_bwd) * 0.5


RUN: dict[str, Callable[[list[Any], dict[str, Any], Any], Any]] = {
    "Recurrent": _run_recurrent,
    "Dense": lambda modules, config, x: modules[0](x),
    "Embedding": lambda modules, config, x: modules[0](x),
    "Bidirectional": _run_bidirectional,
    "Dropout": lambda modules, config, x: modules[0](x),
}
"""How each layer class runs its torch modules on batch-first input."""


@functools.cache
def _sequential_class() -> type:
    """``TorchSequential``, defined once torch is imported."""
    torch = _imports.torch("frameworks.torch.to_torch")

    class TorchSequential(torch.nn.Module):  # type: ignore[misc, name-defined]
        """A ``model.Sequential`` as a ``torch.nn.Module``: its layers' torch twins, run in order.

        Attributes:
            layers: one ``torch.nn.ModuleList`` per layer (a bidirectional layer has two modules).
            kinds: each layer's class name in ``layer.LAYERS``.
            configs: each layer's ``get_config()``.
            model_class: the class of the model it came from, and ``loss`` its loss.
        """

        def __init__(self, model: Sequential) -> None:
            super().__init__()
            self.kinds = [type(layer).__name__ for layer in model.layers]
            self.configs = [layer.get_config() for layer in model.layers]
            self.model_class, self.loss = type(model), model.loss
            missing = [kind for kind in self.kinds if kind not in TO_TORCH]
            if missing:
                raise TypeError(f"params_or_model has layers {missing}, which have no PyTorch twin here")
            self.layers = torch.nn.ModuleList(
                torch.nn.ModuleList(TO_TORCH[kind](layer))
                for kind, layer in zip(self.kinds, model.layers, strict=True)
            )

        def forward(self, x: Any) -> Any:
            """(N, T, D) floats, or (N, T) integer ids, to what the model gives before its loss."""
            for kind, config, modules in zip(self.kinds, self.configs, self.layers, strict=True):
                x = RUN[kind](list(modules), config, x)
            return x

    return TorchSequential


def to_torch(params_or_model: CellParams | Sequential, batch_first: bool = True) -> Any:
    """A new PyTorch module (CPU) holding a copy of a cell's or a model's weights, in their dtype.

    Args:
        params_or_model: a cell with a PyTorch twin (``CELLS``: ``RNNParams`` -> ``nn.RNN``
            with tanh, ``LSTMParams`` -> ``nn.LSTM``, ``GRUParams`` -> ``nn.GRU``), or a
            ``model.Sequential`` of such recurrent layers (not stateful; with or without
            input ``dropout``), ``Bidirectional``, ``Embedding``, ``Dropout`` and ``Dense`` layers.
        batch_first: the module's ``batch_first`` for a cell; True takes (B, T, D) like
            Keras and this package. A model's module always takes batch-first input.

    Returns:
        A ``torch.nn.RNN``/``LSTM``/``GRU`` for a cell; for a model, a ``TorchSequential``
        module whose output for x is the model's output before the loss (``predict``
        keeps a last axis of 1 that this drops), in training mode, as torch makes every
        module: its dropout drops until ``.eval()``.
    """
    batch_first = _checks.flag("batch_first", batch_first)
    if isinstance(params_or_model, Sequential):
        if not batch_first:
            raise ValueError("batch_first must be True for a model: its module takes (N, T, ...) input")
        return _sequential_class()(params_or_model)
    if not isinstance(params_or_model, CellParams):
        raise TypeError(
            f"params_or_model must be a cell ({', '.join(kind.__name__ for kind in CELLS)}) or a "
            f"model.Sequential, got {_checks.describe(params_or_model)}"
        )
    return _cell_module(params_or_model, batch_first)


def from_torch(module: Any) -> CellParams | Sequential:
    """Copy the weights out of a PyTorch module, into this package's layout.

    Args:
        module: a one-layer, one-directional ``torch.nn.RNN`` (tanh), ``LSTM`` (no
            projection) or ``GRU`` with biases; or a module ``to_torch(model)`` built.

    Returns:
        The cell (``RNNParams``, ``LSTMParams``, ``GRUParams``) in the module's dtype;
        for a ``to_torch(model)`` module, a model of the class and loss it came from.
    """
    if not isinstance(module, _sequential_class()):
        return _cell_from_module(module, "module")
    twin: Any = module
    layers = []
    for k, (kind, config, modules) in enumerate(zip(twin.kinds, twin.configs, twin.layers, strict=True)):
        try:
            layers.append(LAYERS[kind].from_config(config, FROM_TORCH[kind](list(modules), config)))
        except (ValueError, TypeError) as error:
            raise type(error)(f"module.layers[{k}] ({kind}): {error}") from None
    model: Sequential = twin.model_class.from_layers(layers, twin.loss)
    return model
