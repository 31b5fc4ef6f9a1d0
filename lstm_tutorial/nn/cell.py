"""What every recurrent cell of the package shares: its weights, its state and one step.

A *cell* knows one time step and nothing about time; ``sequence`` runs any cell
over a whole sequence (Keras splits its layers the same way: ``LSTMCell`` and the
generic ``RNN`` loop). A cell here is a dataclass of weights with two methods:

    step(x_t, state)            -> (state_t, cache_t)           forward, one step
    step_backward(d_state, cache_t) -> (dx_t, d_state_prev, grads)  its exact backward

Conventions, the same for every cell:

    B  batch size    D  input size    H  hidden size (units)

- ``x_t`` is (B, D); the state is a tuple of (B, H) arrays named by
  ``state_names``: ``("h",)`` for the RNN and the GRU, ``("h", "c")`` for the LSTM
  and its variants. ``state[0]`` is always h, the cell's output.
- ``cache_t`` is whatever ``step_backward`` needs; nothing else reads it except
  through the named fields of the cell's own ``...StepCache``.
- ``grads`` is a cell of the same kind whose arrays are the gradients of the
  matching weights.
- Weights are laid out as Keras lays them out (``kernel``, ``recurrent_kernel``,
  ``bias``), with the gate blocks side by side in Keras' order, so ``weights()``
  *is* Keras' ``layer.get_weights()``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar, cast

import numpy as np

from . import _checks

__all__ = [
    "CellParams",
    "State",
    "gate_blocks",
    "glorot_uniform",
    "orthogonal",
]

State = tuple[np.ndarray, ...]
"""A cell's state: ``(h,)`` or ``(h, c)``, each (B, H)."""

C = TypeVar("C", bound="CellParams")


def _matrix_args(rng: Any, shape: Any, dtype: Any) -> tuple[int, int, np.dtype[Any]]:
    """The checked arguments of an initialiser: a generator, a (rows, cols) shape, a float dtype."""
    _checks.rng("rng", rng)
    if not isinstance(shape, tuple) or len(shape) != 2:
        raise TypeError(
            f"shape must be a tuple (rows, cols) of two integers >= 1, got {_checks.describe(shape)}"
        )
    rows, cols = (_checks.positive_int(f"shape[{k}]", size) for k, size in enumerate(shape))
    return rows, cols, _checks.dtype_arg("dtype", dtype)


def glorot_uniform(rng: np.random.Generator, shape: tuple[int, int], dtype: Any) -> np.ndarray:
    """Glorot & Bengio (2010) uniform initialisation, Keras' default ``kernel_initializer``.

    Samples from U(-a, a) with ``a = sqrt(6 / (fan_in + fan_out))``, where for a
    (rows, cols) matrix fan_in = rows and fan_out = cols.

    Args:
        rng: the generator to draw from.
        shape: (rows, cols), each >= 1.
        dtype: np.float32 or np.float64.
    """
    fan_in, fan_out, dtype = _matrix_args(rng, shape, dtype)
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape).astype(dtype)


def orthogonal(rng: np.random.Generator, shape: tuple[int, int], dtype: Any) -> np.ndarray:
    """A random matrix with orthonormal rows or columns (Saxe et al. 2014).

    Keras' default ``recurrent_initializer``: the QR decomposition of a Gaussian
    matrix, with signs fixed so that the distribution is uniform over
    orthogonal matrices. For U of shape (H, 4H) the H rows are orthonormal.

    Args:
        rng: the generator to draw from.
        shape: (rows, cols), each >= 1.
        dtype: np.float32 or np.float64.
    """
    rows, cols, dtype = _matrix_args(rng, shape, dtype)
    tall = rng.standard_normal((max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(tall)
    q *= np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    return np.ascontiguousarray(q).astype(dtype)


def gate_blocks(array: np.ndarray, count: int) -> tuple[np.ndarray, ...]:
    """The ``count`` blocks side by side on the last axis, as views: (..., count * H) -> count x (..., H).

    A cell's kernels and pre-activations hold one H-wide block per gate, in Keras'
    order (the LSTM's i, f, g, o; the GRU's u, r, n): this is the one place that
    cuts them apart.
    """
    hidden = array.shape[-1] // count
    return tuple(array[..., k * hidden : (k + 1) * hidden] for k in range(count))


@dataclass
class CellParams:
    """The weights of one recurrent cell, and the checks every cell shares.

    A subclass declares its weight arrays as dataclass fields in Keras' order
    (``W``, ``U``, ``b``, then any extras), sets ``blocks`` (how many H-wide
    blocks its kernels hold: 1 for the RNN, 3 for the GRU, 4 for the LSTM) and
    ``state_names``, and writes ``step`` and ``step_backward``. Non-array fields
    (a variant's configuration) are allowed; ``weights()`` lists the arrays only.

    Every cell has ``W`` (D, blocks*H) and ``U`` (H, blocks*H): ``input_size`` and
    ``hidden_size`` are read off them.
    """

    W: np.ndarray
    U: np.ndarray

    blocks: ClassVar[int] = 1
    state_names: ClassVar[tuple[str, ...]] = ("h",)

    # --- construction and checks ------------------------------------------------

    def __post_init__(self) -> None:
        for name in self.weight_names():
            _checks.float_array(name, getattr(self, name))
        _checks.float_array("U", self.U, ndim=2)
        hidden = self.U.shape[0]
        for name, shape, meaning in self.expected_shapes(hidden):
            value = getattr(self, name)
            wanted = tuple(self.W.shape[0] if size is None else size for size in shape)
            if value.shape != wanted:
                sizes = ", ".join("D" if size is None else str(size) for size in shape)
                spelled = f"({sizes},)" if len(shape) == 1 else f"({sizes})"
                match = "" if name == "U" else f" to match U of shape {self.U.shape}"
                raise ValueError(f"{name} must have shape {meaning} = {spelled}{match}, got {value.shape}")
            if name != "W":
                _checks.same_dtype(name, value, self.W.dtype, "W")

    def expected_shapes(self, hidden: int) -> list[tuple[str, tuple[int | None, ...], str]]:
        """(name, shape, meaning) of every weight, U first; None stands for D, which W sets.

        The default fits ``W`` (D, kH), ``U`` (H, kH) and a bias ``b`` (kH,) with
        k = ``blocks``; a cell with other arrays extends it.
        """
        k = self.blocks
        kh = "H" if k == 1 else f"{k}H"
        shapes: list[tuple[str, tuple[int | None, ...], str]] = [
            ("U", (hidden, k * hidden), f"(H, {kh})"),
            ("W", (None, k * hidden), f"(D, {kh})"),
        ]
        if "b" in self.weight_names():
            shapes.append(("b", (k * hidden,), f"({kh},)"))
        return shapes

    @classmethod
    def unchecked(cls: type[C], *arrays: np.ndarray, **config: Any) -> C:
        """Wrap arrays this package computed itself (gradients), skipping the checks.

        The one way to skip validation: a backward pass builds one gradient cell
        per step, and at batch size 1 the checks would cost more than the
        arithmetic. Use the normal constructor for anything from outside.
        """
        cell = object.__new__(cls)
        cell.__dict__.update(zip(cls.weight_names(), arrays, strict=True), **config)
        return cell

    # --- what every cell has ------------------------------------------------------

    @classmethod
    def weight_names(cls) -> tuple[str, ...]:
        """The names of the weight arrays, in Keras' order."""
        names = cls.__dict__.get("_weight_names")
        if names is None:  # read once per class off its dataclass fields
            names = tuple(f.name for f in dataclasses.fields(cls) if f.type in ("np.ndarray", np.ndarray))
            setattr(cls, "_weight_names", names)  # noqa: B010
        return names

    def config(self) -> dict[str, Any]:
        """The non-array fields (for example a variant), as given to the constructor."""
        weights = set(self.weight_names())
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name not in weights}

    def weights(self) -> list[np.ndarray]:
        """The live weight arrays in Keras' order (``layer.get_weights()`` without the copies)."""
        return [self.__dict__[name] for name in self.weight_names()]

    def as_list(self) -> list[np.ndarray]:
        """The same as ``weights()``: ``[W, U, b, ...]`` in Keras' order."""
        return self.weights()

    def copy(self: C) -> C:
        """A deep copy."""
        return type(self)(*(w.copy() for w in self.weights()), **self.config())

    def zeros_like(self: C) -> C:
        """A cell of the same shape with every weight zero: the start of a gradient sum."""
        return type(self).unchecked(*(np.zeros_like(w) for w in self.weights()), **self.config())

    def add_(self, other: CellParams) -> None:
        """Add ``other``'s arrays into this cell's, in place (summing gradients over steps)."""
        mine, theirs = self.__dict__, other.__dict__
        for name in self.weight_names():
            mine[name] += theirs[name]

    @property
    def input_size(self) -> int:
        """D, the number of input features."""
        return int(self.W.shape[0])

    @property
    def hidden_size(self) -> int:
        """H, the number of units."""
        return int(self.U.shape[0])

    @property
    def dtype(self) -> np.dtype[Any]:
        """The dtype shared by every weight."""
        return self.W.dtype

    # --- states and inputs --------------------------------------------------------

    def zero_state(self, batch: int) -> State:
        """The initial state Keras and PyTorch use: zeros, one (B, H) array per state."""
        return tuple(np.zeros((batch, self.hidden_size), dtype=self.dtype) for _ in self.state_names)

    def check_state(self, state: State, batch: int, names: tuple[str, ...] | None = None) -> State:
        """Check a state tuple (each (B, H), this cell's dtype); ``names`` label the arrays in errors."""
        names = names or self.state_names
        if not isinstance(state, tuple) or len(state) != len(self.state_names):
            raise TypeError(
                f"state must be a tuple of {len(self.state_names)} arrays {self.state_names}, "
                f"got {_checks.describe(state)}"
            )
        for name, array in zip(names, state, strict=True):
            _checks.state_arg(name, array, batch, self)
        return state

    def check_input(self, x_t: Any, name: str = "x_t") -> int:
        """Check one step's (B, D) input; returns B."""
        batch = _checks.float_array(name, x_t, ndim=2).shape[0]
        _checks.matching(name, x_t, (batch, self.input_size), "(B, D)", self.dtype, "params")
        return int(batch)

    # --- the step, written by each cell --------------------------------------------

    def step(self, x_t: np.ndarray, state: State) -> tuple[State, Any]:
        """One step forward: ``(state_t, cache_t)``. Inputs are not checked (see ``check_input``)."""
        raise NotImplementedError(f"{type(self).__name__} does not define step")

    def step_backward(self, d_state: State, cache: Any) -> tuple[np.ndarray, State, CellParams]:
        """The step's backward pass: ``(dx_t, d_state_prev, grads)`` from dL/d state_t."""
        raise NotImplementedError(f"{type(self).__name__} does not define step_backward")

    def checked_step_backward(
        self, d_state: Any, cache: Any, cache_kind: type
    ) -> tuple[np.ndarray, State, Any]:
        """``step_backward`` with its inputs checked: what each cell's ``..._step_backward`` calls.

        ``cache`` must be the ``cache_kind`` that this cell's ``step`` returned (its
        ``x_t`` and ``<state>_prev`` fields are checked against the cell), and
        ``d_state`` one (B, H) gradient per state, named ``dh_t``, ``dc_t`` in errors.
        """
        if type(cache) is not cache_kind:
            got = type(cache).__name__ if isinstance(cache, tuple) else _checks.describe(cache)
            raise TypeError(f"cache must be the {cache_kind.__name__} from params.step, got {got}")
        fields: dict[str, Any] = cast(Any, cache)._asdict()  # a step cache is a NamedTuple
        batch = self.check_input(fields["x_t"], "cache.x_t")
        previous = tuple(fields[f"{name}_prev"] for name in self.state_names)
        self.check_state(previous, batch, tuple(f"cache.{name}_prev" for name in self.state_names))
        for name, grad in zip(self.state_names, d_state, strict=True):
            _checks.matching(f"d{name}_t", grad, previous[0].shape, "(B, H)", self.dtype, "params")
        return self.step_backward(tuple(d_state), cache)

    def forward_sequence(self, x: np.ndarray, state: State) -> Any:
        """A faster way over a whole (B, T, D) sequence than one ``step`` at a time, or None.

        ``sequence.run`` asks every cell this first. None (the default) means the
        cell has no path of its own, and the loop runs its steps. A cell that has
        one returns a cache with the loop's interface (``sequence.Run``: ``hs``,
        ``last_state``, ``state(name)`` and ``backward``); the LSTM does.
        """
        return None

    def forward_padded(self, x: np.ndarray, lengths: np.ndarray, state: State) -> Any:
        """A faster way over right-padded (B, T, D) rows than the masked loop, or None.

        ``masking.run`` asks this when every row is ``lengths[b]`` >= 1 real steps then
        padding. A cell that has one returns a ``sequence.Run`` with the masked loop's results
        (outputs repeating h at each row's last real step, that step's state as the final
        one, the matching backward); None (the default) means the masked loop runs. The
        LSTM's runs its fast path over the whole sequence and reads each row at its last step.
        """
        return None
