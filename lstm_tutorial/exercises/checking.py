"""How a checker judges the reader's function: cases, the reference, known mistakes, one verdict.

A checker runs the reader's function and the reference solution on the same
cases (fixed seeds), compares the two results and prints one line: passed, "not
implemented yet", or the first failing case with its shapes and the relative
error. When an answer fails, the checker tries the known mistakes of that
exercise, each one the reference with that mistake made, and when one of them
reproduces the reader's result its hint is printed too. The solution itself is
never printed.

The pieces, used by the chapter modules ``ch01_rnn`` ... ``ch09_variants``:

    Case       the arguments of one call, and their shapes in words for messages
    Mistake    a known mistake: the reference with it made, and the hint that names it
    Exercise   one registry entry: chapter, title, the reader's function, checker, reference
    run_cases  the loop that produces a ``CheckResult``
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..nn.gradcheck import rel_error

__all__ = ["TOLERANCE", "Case", "CheckResult", "Exercise", "Mistake", "normal_arrays", "rng", "run_cases"]

TOLERANCE = 1e-6
"""The relative error a passing answer may have; every case runs in float64."""


@dataclass(frozen=True)
class CheckResult:
    """The verdict of one checker.

    Attributes:
        name: the exercise.
        passed: True only if every case agreed with the reference.
        status: "pass", "fail", "not_implemented", "error" or "wrong_shape".
        cases_run: cases tried before the verdict.
        max_rel_error: the worst relative error seen (nan if none was computed).
        message: the one-paragraph verdict that was printed.
        hint: the likely mistake, or "".
    """

    name: str
    passed: bool
    status: str
    cases_run: int
    max_rel_error: float
    message: str
    hint: str = ""

    def raise_if_failed(self) -> CheckResult:
        """Raise AssertionError with the verdict unless the check passed; return self otherwise."""
        if not self.passed:
            raise AssertionError(self.message)
        return self

    def __repr__(self) -> str:
        return f"CheckResult({self.name!r}, status={self.status!r}, cases={self.cases_run})"


@dataclass(frozen=True)
class Case:
    """One call: the arguments, and a description of their shapes for messages."""

    args: tuple[Any, ...]
    shapes: str


@dataclass(frozen=True)
class Mistake:
    """A known mistake and the hint that names it.

    Attributes:
        wrong: what an answer with this mistake computes, with the reference's
            signature: the reference called with changed arguments, or its result
            changed, never a copy of it.
        hint: the sentence printed when ``wrong`` reproduces the reader's result.
        probe: None if ``wrong`` is exact on every case: it is compared with the
            reader's result on the failing case. A few mistakes can be made from
            the reference only on special arguments (with zero weights every gate
            is a constant, for instance); for those, ``probe`` holds such arguments,
            and the reader's function is run on them as well.
    """

    wrong: Callable[..., Any]
    hint: str
    probe: Case | None = None


@dataclass(frozen=True)
class Exercise:
    """One exercise of the book, as its chapter poses it.

    Attributes:
        id: a short name, e.g. "ch01-windows"; the chapter labels the exercise "ex-" + id.
        title: the exercise's title in the chapter (``{exercise-start} <title>``).
        check: the checker, ``check_<function>``, defined in the module of its chapter.
        reference: the reference solution, with the signature the reader's function has.
    """

    id: str
    title: str
    check: Callable[[Callable[..., Any]], CheckResult]
    reference: Callable[..., Any]

    @property
    def chapter(self) -> str:
        """The chapter's file name without ".md": "01_rnn" for a checker in the module ``ch01_rnn``."""
        return self.check.__module__.rpartition(".")[2].removeprefix("ch")

    @property
    def function(self) -> str:
        """The name of the function the reader writes: "make_windows" for ``check_make_windows``."""
        return self.check.__name__.removeprefix("check_")


def rng(seed: int) -> np.random.Generator:
    """The random generator every case is drawn from."""
    return np.random.default_rng(seed)


def normal_arrays(
    seed: int, *shapes: tuple[int, ...], scales: Sequence[float] = ()
) -> tuple[np.ndarray, ...]:
    """Normal random arrays of the given shapes, drawn in that order from ``rng(seed)``.

    Array k has mean 0 and standard deviation ``scales[k]`` (1 where ``scales`` is shorter).
    """
    r = rng(seed)
    padded = [*scales, *[1.0] * (len(shapes) - len(scales))]
    return tuple(r.normal(scale=scale, size=shape) for shape, scale in zip(shapes, padded, strict=True))


# --------------------------------------------------------------------------- comparing results


def _as_tuple(value: Any) -> tuple[Any, ...]:
    if isinstance(value, tuple):
        return value
    if isinstance(value, list) and value and all(isinstance(v, np.ndarray) for v in value):
        return tuple(value)
    return (value,)


def _describe(value: Any) -> str:
    parts = []
    for item in _as_tuple(value):
        if isinstance(item, np.ndarray):
            parts.append(f"array{item.shape}")
        elif isinstance(item, dict):
            parts.append("dict(" + ", ".join(f"{k}: {_describe(v)}" for k, v in item.items()) + ")")
        else:
            parts.append(type(item).__name__)
    return ", ".join(parts)


def _flatten(value: Any) -> list[np.ndarray] | None:
    """The arrays of a result (tuple, list or dict of arrays) in a fixed order; None if not arrays."""
    if isinstance(value, dict):
        value = [value[key] for key in sorted(value)]
    if isinstance(value, (tuple, list)):
        out: list[np.ndarray] = []
        for item in value:
            inner = _flatten(item)
            if inner is None:
                return None
            out += inner
        return out
    if isinstance(value, (np.ndarray, float, int, np.floating)):
        return [np.asarray(value, dtype=np.float64)]
    return None


def _structure(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _structure(v) for k, v in sorted(value.items())}
    if isinstance(value, (tuple, list)):
        return [_structure(v) for v in value]
    return np.shape(value)


def _error(got: Any, expected: Any) -> float | None:
    """Relative error between two results, or None if their structure or shapes differ."""
    if _structure(got) != _structure(expected):
        return None
    a, b = _flatten(got), _flatten(expected)
    if a is None or b is None:
        return None
    return max(rel_error(x, y) for x, y in zip(a, b, strict=True))


def _copy(args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Fresh copies of the arrays, so that no function sees what another one changed in place."""
    return tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args)


# --------------------------------------------------------------------------- the verdict


def _verdict(name: str, status: str, cases: int, worst: float, message: str, hint: str = "") -> CheckResult:
    text = f"{name}: {message}" + (f"\n  Hint: {hint}" if hint else "")
    print(text)
    return CheckResult(name, status == "pass", status, cases, worst, text, hint)


def _quietly(function: Callable[..., Any], case: Case) -> Any:
    """``function`` on a copy of the case, warnings silenced; None if it raises."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return function(*_copy(case.args))
    except Exception:
        return None


def _diagnose(
    reader: Callable[..., Any], got: Any, case: Case, mistakes: Sequence[Mistake], tolerance: float
) -> str:
    """The hint of the first known mistake that reproduces the reader's result, or ""."""
    for mistake in mistakes:
        if mistake.probe is None:
            ours, wrong = got, _quietly(mistake.wrong, case)
        else:
            ours, wrong = _quietly(reader, mistake.probe), _quietly(mistake.wrong, mistake.probe)
        if ours is None or wrong is None:
            continue
        err = _error(ours, wrong)
        if err is not None and err <= max(tolerance, 1e-9):
            return mistake.hint
    return ""


def run_cases(
    name: str,
    reader: Callable[..., Any],
    reference: Callable[..., Any],
    cases: Sequence[Case],
    mistakes: Sequence[Mistake] = (),
    tolerance: float = TOLERANCE,
    strict_warnings: bool = False,
    overflow_hint: str = (
        "exp overflows for large |z|; compute it only where it cannot (exp(-|z|) in a "
        "sigmoid; exp(z - max(z)) in a softmax)."
    ),
) -> CheckResult:
    """Run ``reader`` and ``reference`` on every case, print the verdict and return it.

    Args:
        name: the exercise's name, the first word of the verdict.
        reader: the reader's function.
        reference: the reference solution, the same signature.
        cases: the calls to make, in order; the first failing one is reported.
        mistakes: the known mistakes, tried in order when a case fails.
        tolerance: the largest relative error that passes.
        strict_warnings: turn warnings raised by the reader's function into errors
            (an overflowing exp, for instance).
        overflow_hint: the hint printed when the reader's function overflows.
    """
    if not callable(reader):
        return _verdict(name, "error", 0, float("nan"), f"expected a function, got {type(reader).__name__}")
    worst = 0.0
    for number, case in enumerate(cases, start=1):
        expected = reference(*_copy(case.args))
        try:
            with warnings.catch_warnings():
                if strict_warnings:
                    warnings.simplefilter("error")
                got = reader(*_copy(case.args))
        except NotImplementedError:
            return _verdict(name, "not_implemented", number - 1, float("nan"), "not implemented yet.")
        except Exception as error:  # the reader's bug, reported rather than raised
            hint = ""
            if isinstance(error, RuntimeWarning) and "overflow" in str(error):
                hint = overflow_hint
            message = f"case {number} ({case.shapes}) raised {type(error).__name__}: {error}"
            return _verdict(name, "error", number, float("nan"), message, hint)
        err = _error(got, expected)
        if err is None:
            message = (
                f"case {number} ({case.shapes}) returned {_describe(got)}, expected {_describe(expected)}."
            )
            hint = _diagnose(reader, got, case, mistakes, tolerance)
            return _verdict(name, "wrong_shape", number, float("nan"), message, hint)
        worst = max(worst, err)
        if not err <= tolerance:
            message = (
                f"case {number} ({case.shapes}) differs from the reference: relative error {err:.2e} "
                f"(tolerance {tolerance:.0e})."
            )
            hint = _diagnose(reader, got, case, mistakes, tolerance)
            return _verdict(name, "fail", number, err, message, hint)
    message = f"passed {len(cases)} cases (worst relative error {worst:.1e})."
    return _verdict(name, "pass", len(cases), worst, message)
