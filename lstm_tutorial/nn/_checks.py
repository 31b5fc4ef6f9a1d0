"""Every validator of the package, in one place.

Every public function validates what it is given and raises an error that names
the argument, says what it got and what it expected. Nothing is broadcast, cast
or truncated behind the reader's back. The checks of arrays and numbers come
first, then Keras-style casting of a model's inputs, then the arguments of the
recurrent core (generators, cells, states, sequences, ids). A layer's
configuration is checked by the helpers of ``layer``, what a new layer calls.
"""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar

import numpy as np

FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def describe(value: Any) -> str:
    """A short description of ``value`` for error messages."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"{type(value).__name__} {value!r}"[:120]


def float_array(name: str, value: Any, ndim: int | None = None) -> np.ndarray:
    """Check that ``value`` is a finite, non-empty float32/float64 NumPy array.

    Args:
        name: the argument's name, used in the error message.
        value: what the caller passed.
        ndim: the rank it must have, or None for any rank.

    Returns:
        ``value`` itself (never a copy or a cast).
    """
    if not isinstance(value, np.ndarray):
        raise TypeError(
            f"{name} must be a NumPy array of float32 or float64, got {describe(value)}; "
            f"convert it with np.asarray({name}, dtype=np.float64)"
        )
    if value.dtype not in FLOAT_DTYPES:
        raise TypeError(
            f"{name} must have dtype float32 or float64, got dtype {value.dtype}; "
            f"convert it explicitly, e.g. {name}.astype(np.float64)"
        )
    if ndim is not None and value.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimensions, got shape {value.shape}")
    if value.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {value.shape}")
    if not np.isfinite(value).all():
        bad = int(np.size(value) - np.count_nonzero(np.isfinite(value)))
        raise ValueError(f"{name} must be finite, got {bad} NaN or inf value(s) in shape {value.shape}")
    return value


def same_dtype(name: str, value: np.ndarray, expected: np.dtype[Any], source: str) -> None:
    """Refuse to mix float32 and float64: the caller converts explicitly."""
    if value.dtype != expected:
        raise TypeError(
            f"{name} has dtype {value.dtype} but {source} has dtype {expected}; "
            f"convert one of them explicitly, e.g. {name}.astype(np.{expected})"
        )


def shape_is(name: str, value: np.ndarray, expected: tuple[int, ...], meaning: str) -> None:
    """Check an exact shape; ``meaning`` spells it out, e.g. ``"(batch, hidden)"``."""
    if value.shape != expected:
        raise ValueError(f"{name} must have shape {meaning} = {expected}, got {value.shape}")


def matching(
    name: str, value: Any, expected: tuple[int, ...], meaning: str, dtype: np.dtype[Any], source: str
) -> np.ndarray:
    """``float_array`` + ``same_dtype`` + ``shape_is``: an array that must fit the arrays it meets.

    Args:
        name: the argument's name.
        value: what the caller passed.
        expected: the exact shape it must have.
        meaning: that shape in letters, e.g. ``"(B, H)"``.
        dtype: the dtype it must share with ``source``.
        source: what it must match, for the message, e.g. ``"params"``.
    """
    float_array(name, value, ndim=len(expected))
    same_dtype(name, value, dtype, source)
    shape_is(name, value, expected, meaning)
    return value


def positive_int(name: str, value: Any) -> int:
    """Check that ``value`` is a Python or NumPy integer >= 1 (bools refused)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer >= 1, got {describe(value)}")
    if value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value}")
    return int(value)


def dtype_arg(name: str, value: Any) -> np.dtype[Any]:
    """Check a dtype argument: float32 or float64 only."""
    try:
        dtype = np.dtype(value)
    except TypeError:
        raise TypeError(f"{name} must be np.float32 or np.float64, got {describe(value)}") from None
    if dtype not in FLOAT_DTYPES:
        raise TypeError(f"{name} must be np.float32 or np.float64, got {dtype}")
    return dtype


def _bound_text(low: float | None, high: float | None, low_open: bool, high_open: bool) -> str:
    """The range in words: ``"> 0"``, ``">= 0"``, ``"in [0, 1)"``..."""
    if low is not None and high is not None:
        return f"in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
    if low is not None:
        return f"{'>' if low_open else '>='} {low:g}"
    if high is not None:
        return f"{'<' if high_open else '<='} {high:g}"
    return ""


def finite_number(
    name: str,
    value: Any,
    low: float | None = None,
    high: float | None = None,
    *,
    low_open: bool = False,
    high_open: bool = False,
    expected: str | None = None,
) -> float:
    """Check that ``value`` is a finite real number, optionally in a range.

    Python and NumPy ints and floats are accepted; bools, complex numbers,
    strings, arrays, NaN and inf are refused.

    Args:
        name: the argument's name, used in the error message.
        value: what the caller passed.
        low, high: the bounds of the range, or None for no bound.
        low_open, high_open: exclude the bound itself (``low_open=True`` means ``> low``).
        expected: what the message says is expected, if not "a finite number" and the range.

    Returns:
        ``value`` as a Python float.
    """
    if expected is None:
        expected = f"a finite number {_bound_text(low, high, low_open, high_open)}".rstrip()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be {expected}, got {describe(value)}")
    try:
        number = float(value)
    except OverflowError:
        number = float("inf")
    below = low is not None and (number <= low if low_open else number < low)
    above = high is not None and (number >= high if high_open else number > high)
    if not np.isfinite(number) or below or above:
        raise ValueError(f"{name} must be {expected}, got {str(value)[:40]}")
    return number


def positive_number(name: str, value: Any) -> float:
    """A finite number > 0, e.g. a learning rate (see ``finite_number``)."""
    return finite_number(name, value, 0.0, low_open=True, expected="a positive finite number")


def flag(name: str, value: Any) -> bool:
    """Check that ``value`` is a real bool (Python's or NumPy's): ``"no"`` or ``1`` are refused,
    because any non-empty string is true and would silently mean yes."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {describe(value)}")
    return bool(value)


def seed(name: str, value: Any, *, allow_none: bool = True, high: int | None = None) -> int | None:
    """Check a random seed: an integer >= 0 (bools refused), or None if ``allow_none``.

    Args:
        name: the argument's name.
        value: what the caller passed.
        allow_none: whether None (fresh, unreproducible randomness) is accepted.
        high: the largest seed the consumer takes, e.g. ``2**32 - 1`` for ``np.random.seed``.
    """
    expected = (
        f"an integer >= 0{f' and <= {high}' if high is not None else ''}{' or None' if allow_none else ''}"
    )
    if value is None and allow_none:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be {expected}, got {describe(value)}")
    if value < 0 or (high is not None and value > high):
        raise ValueError(f"{name} must be {expected}, got {value}")
    return int(value)


def real_values(name: str, value: Any) -> np.ndarray:
    """Check that ``value`` is a real number or an array of real numbers (ints or floats),
    all finite; bools, complex numbers, strings and None are refused.

    Returns:
        ``value`` as a float64 array (a copy or a view; the caller must not write to it).
    """
    expected = "a real number or an array of real numbers (ints or floats)"
    if isinstance(value, np.ndarray):
        array = value
    elif isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, np.integer, np.floating, list, tuple)
    ):
        raise TypeError(f"{name} must be {expected}, got {describe(value)}")
    else:
        try:
            array = np.asarray(value)
        except ValueError:  # a ragged list
            raise TypeError(f"{name} must be {expected}, got {describe(value)}") from None
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be {expected}, got {describe(array)}")
    result = array.astype(np.float64, copy=False)
    if not np.isfinite(result).all():
        bad = int(result.size - np.count_nonzero(np.isfinite(result)))
        raise ValueError(f"{name} must be finite, got {bad} NaN or inf value(s) in shape {result.shape}")
    return result


def index_array(name: str, value: Any, ndim: int, high: int, meaning: str) -> np.ndarray:
    """Check an array of integer ids: integer dtype, rank ``ndim``, non-empty, every id in [0, high).

    Args:
        name: the argument's name.
        value: what the caller passed.
        ndim: the rank it must have.
        high: one past the largest valid id (the vocabulary size V, say).
        meaning: its shape in letters, e.g. ``"(B, T)"``.

    Returns:
        ``value`` itself (never a copy or a cast).
    """
    if not isinstance(value, np.ndarray) or value.dtype.kind not in "iu":
        raise TypeError(
            f"{name} must be a NumPy array of integer ids {meaning}, got {describe(value)}; "
            f"ids are never floats: convert them with {name}.astype(np.int64) if they are whole numbers"
        )
    if value.ndim != ndim:
        raise ValueError(f"{name} must have shape {meaning}, got shape {value.shape}")
    if value.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {value.shape}")
    low, top = int(value.min()), int(value.max())
    if low < 0 or top >= high:
        raise ValueError(f"{name} must hold ids in [0, {high}), got ids from {low} to {top}")
    return value


def cast_floating(name: str, value: Any, dtype: np.dtype[Any]) -> np.ndarray:
    """``value`` as a finite array of ``dtype``, as Keras' model API casts its inputs.

    Floating input of any precision is taken: float16, float32 or float64 arrays, or
    nested lists/tuples of Python or NumPy floats. Integers, bools (in an array or a
    list: NumPy would turn True into 1.0 silently), complex numbers, objects, NaN,
    inf and values that overflow ``dtype`` (1e300 in float32) are refused.

    Args:
        name: the argument's name, for messages.
        value: what the caller passed.
        dtype: the model's dtype, float32 or float64.

    Returns:
        The array in ``dtype`` (``value`` itself when it already has it).
    """
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
                    f"{name} must hold {expected}, got {describe(bad)} in a list; "
                    f"convert it explicitly, e.g. np.asarray({name}, dtype=np.{dtype})"
                )
    elif isinstance(value, np.ndarray):
        array = value
    else:
        raise TypeError(f"{name} must hold {expected}, got {describe(value)}")
    if array.dtype.kind != "f" or array.dtype.itemsize > 8:
        raise TypeError(
            f"{name} must hold {expected}, got dtype {array.dtype}; "
            f"convert it explicitly, e.g. np.asarray({name}, dtype=np.{dtype})"
        )
    if array.size and not np.isfinite(array).all():
        float_array(name, array.astype(np.float64))  # the package's message for NaN and inf
    with np.errstate(over="ignore"):  # an overflow is reported just below
        cast = array.astype(dtype, copy=False)
    if cast is not array and array.size and not np.isfinite(cast).all():
        largest = float(np.max(np.abs(array)))
        raise ValueError(
            f"{name} has values too large for the model's dtype {dtype}: the largest is {largest:.3g}, "
            f"and {dtype} holds at most {float(np.finfo(dtype).max):.3g}"
        )
    return cast


# --- the recurrent core's own arguments ---------------------------------------------------


def rng(name: str, value: Any) -> np.random.Generator:
    """Refuse anything but a ``np.random.Generator`` (make one with ``np.random.default_rng(seed)``)."""
    if not isinstance(value, np.random.Generator):
        raise TypeError(
            f"{name} must be a np.random.Generator, e.g. np.random.default_rng(0), got {describe(value)}"
        )
    return value


T = TypeVar("T")


def instance(name: str, value: Any, kind: type[T]) -> T:
    """Refuse anything that is not a ``kind`` (a cell, a layer, a model), naming the argument; returns it."""
    if not isinstance(value, kind):
        article = "an" if kind.__name__[0] in "AEFHILMNORSX" else "a"
        raise TypeError(f"{name} must be {article} {kind.__name__}, got {describe(value)}")
    return value


def state_arg(name: str, value: Any, batch: int, params: Any) -> np.ndarray:
    """One (B, H) state given to a cell's step (``h_prev``, ``c_prev``), in the cell's dtype.

    None is refused with a hint: the state before the first step is zeros, and a
    step function does not guess it (a sequence's ``forward`` does, when its ``h0`` is None).
    ``params`` is the cell (its ``hidden_size`` and ``dtype``).
    """
    hidden = params.hidden_size
    if value is None:
        raise TypeError(
            f"{name} must be a (B, H) = {(batch, hidden)} array, got None; the state before the first "
            f"step is zeros: np.zeros({(batch, hidden)}, dtype=np.{params.dtype})"
        )
    return matching(name, value, (batch, hidden), "(B, H)", params.dtype, "params")


def sequence_input(x: Any, params: Any) -> tuple[int, int]:
    """A (B, T, D) input sequence for the cell ``params`` (its ``input_size``, ``dtype``); returns (B, T)."""
    float_array("x", x, ndim=3)
    same_dtype("x", x, params.dtype, "params")
    if x.shape[2] != params.input_size:
        raise ValueError(
            f"x must have shape (B, T, D) with D = input_size = {params.input_size}, got {x.shape}"
        )
    return int(x.shape[0]), int(x.shape[1])


def ids(name: str, value: Any, vocab_size: int | None = None, allow_empty: bool = False) -> np.ndarray:
    """A 1-D integer array of ids (below ``vocab_size``, if given); non-empty unless
    ``allow_empty``. Returns it as int64 (the array itself if it is int64 already)."""
    if not isinstance(value, np.ndarray) or value.dtype.kind not in "iu":
        raise TypeError(f"{name} must be a NumPy array of integer ids, got {describe(value)}")
    if value.ndim != 1 or (value.size == 0 and not allow_empty):
        raise ValueError(f"{name} must be a non-empty 1-D array of ids, got shape {value.shape}")
    if vocab_size is not None and value.size and (value.min() < 0 or value.max() >= vocab_size):
        raise ValueError(
            f"{name} must hold ids in [0, {vocab_size - 1}] (vocab_size = {vocab_size}), "
            f"got values from {value.min()} to {value.max()}"
        )
    return value.astype(np.int64, copy=False)


JSON_DEPTH = 32
"""The deepest nesting of JSON arrays and objects the package reads: its own files nest 6 deep."""
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def json_value(name: str, text: str, max_depth: int = JSON_DEPTH) -> Any:
    """``json.loads(text)`` for text read from a file, its nesting bounded first.

    Python's JSON parser recurses once per level, so ``"[" * 100000`` would end in a
    RecursionError; the levels are counted first (outside strings), in one pass.

    Raises:
        ValueError: ``text`` nests deeper than ``max_depth`` or is not valid JSON; the
            message starts with ``name``.
    """
    depth = deepest = 0
    for char in _JSON_STRING.sub("", text):
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    if deepest > max_depth:
        raise ValueError(
            f"{name} nests {deepest} levels of JSON arrays and objects, more than the {max_depth} "
            "this package reads"
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{name} is not valid JSON: {error}") from None
