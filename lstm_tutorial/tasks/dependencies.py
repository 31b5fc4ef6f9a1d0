"""How far back a character of Python source depends, and where a model gains by that distance.

    dependency_distances  for each character, the distance back to the character it depends on, or -1
    gains_by_distance     two models' bits per character, grouped by that distance into bins
    DistanceGains         the table: per bin, the count, each model's mean bits, the mean gain

An order-k n-gram model sees the k characters before the one it predicts and
nothing else; a recurrent model can carry something from further back. Where a
character is fixed by one much earlier, the two should differ most. Three kinds
of character have such a dependency that ``tokenize`` defines exactly (ground
truth, as in ``text.python_labels``), each measured in characters of the source:

- ``"bracket"``: a closing bracket ``) ] }`` depends on the bracket that opened it
  (the innermost open one; brackets inside strings and comments are not operators
  and do not count).
- ``"quote"``: each character of a string's closing quote (``'``, ``"``, ``'''`` or
  ``\"\"\"``) depends on the character of its opening quote at the same place in the
  delimiter: a string that opened with ``\"\"\"`` closes with three quotes, all at the
  distance from the first opening quote to the first closing one. A prefix
  (``r``, ``b``, ``f`` ...) is not part of the quote.
- ``"dedent"``: the first character of a logical line that ends one or more indented
  blocks (``tokenize`` puts DEDENT tokens before it) depends on the first character
  of the most recent logical line at its indentation: the header (``def``, ``if``,
  ``for`` ...) of the outermost block it ends. The two stand in the same column, so
  that is where the spaces had to stop.

Every other character gets -1, the characters inside an f-string included (its
closing quote is marked as any string's): from Python 3.12 on ``tokenize`` splits
an f-string into parts, and ignoring its brackets and nested strings keeps the
distances the same on every version.

``gains_by_distance`` groups per-character losses (bits, ``-log2 p``, of a
baseline and of a model at each held-out character) by those distances, in bins
such as 1-10, 11-20, 21-50, 51-100, 101-500 and >500 characters, and gives the
mean gain ``baseline - model`` of each bin with its standard error.

Shapes: N characters of source (or M predicted characters).
"""

from __future__ import annotations

import io
import itertools
import math
import re
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from ..nn import _checks

__all__ = ["DEPENDENCY_KINDS", "DependencyKind", "DistanceGains", "dependency_distances", "gains_by_distance"]

DependencyKind = Literal["bracket", "quote", "dedent"]
DEPENDENCY_KINDS: tuple[DependencyKind, ...] = ("bracket", "quote", "dedent")
"""Every kind of dependency ``dependency_distances`` marks (see the module's docstring)."""

_LONE_CR = re.compile("\r(?!\n)")
_OPENERS = {"(", "[", "{"}
_PAIRS = {")": "(", "]": "[", "}": "{"}  # each closing bracket and its opener
# Tokens that are not the first token of a logical line: layout, and the lines tokenize skips.
_LAYOUT = {tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT}
_LAYOUT |= {tokenize.ENCODING, tokenize.ENDMARKER}


def _kinds(value: Any) -> set[str]:
    if not isinstance(value, (list, tuple)) or not value:
        raise TypeError(
            f"kinds must be a non-empty list or tuple drawn from {DEPENDENCY_KINDS}, "
            f"got {_checks.describe(value)}"
        )
    unknown = [kind for kind in value if kind not in DEPENDENCY_KINDS]
    if unknown:
        raise ValueError(f"kinds must be drawn from {DEPENDENCY_KINDS}, got {unknown[0]!r}")
    return set(value)


def _quote(token_text: str) -> int:
    """The length of the opening prefix of a string token: the letters before its quote."""
    return min(i for i in (token_text.find("'"), token_text.find('"')) if i >= 0)


def dependency_distances(source: str, kinds: Sequence[DependencyKind] = DEPENDENCY_KINDS) -> np.ndarray:
    """For each character of Python source, how many characters back the one it depends on is.

    Args:
        source: N characters of complete Python source; ``tokenize`` must read it to
            the end without error. Pass one module at a time: in modules concatenated,
            the first line of each closes the blocks the one before left open.
        kinds: which dependencies to mark, drawn from ``DEPENDENCY_KINDS``
            (``"bracket"``, ``"quote"``, ``"dedent"``; see the module's docstring).

    Returns:
        (N,) int64: entry t is ``t - s`` >= 1, where character s is the one
        character t depends on, or -1 where t has no dependency of those kinds.
    """
    if not isinstance(source, str):
        raise TypeError(f"source must be a str, got {_checks.describe(source)}")
    wanted = _kinds(kinds)
    distance = np.full(len(source), -1, dtype=np.int64)
    # A lone "\r" ends a line, as when Python reads a file, but tokenize before 3.12 calls it an
    # error token, not a NEWLINE: so it reads a copy with "\n" instead, which has the same offsets.
    source = _LONE_CR.sub("\n", source)
    # Token positions are (line, column) in the lines readline hands tokenize; newline="" splits
    # them where Python does and translates nothing, so offsets index the source.
    lines = io.StringIO(source, newline="").readlines()
    line_starts = np.concatenate([[0], np.cumsum([len(line) for line in lines], dtype=np.int64)]).tolist()

    def offset(position: tuple[int, int]) -> int:
        return int(line_starts[position[0] - 1]) + position[1]

    def close(opening: int, closing: int, width: int) -> None:
        distance[closing : closing + width] = closing - opening

    fstring_start = getattr(tokenize, "FSTRING_START", None)
    fstring_end = getattr(tokenize, "FSTRING_END", None)
    fstring_opened: list[int] = []  # where each open f-string's quote is, outermost first
    brackets: list[tuple[str, int]] = []  # each open bracket and its offset
    # For each indentation level tokenize has open, where the latest logical line at it begins.
    line_heads: list[int | None] = [None]
    new_line, dedented = True, False
    readline = io.StringIO(source, newline="").readline
    try:
        for token in tokenize.generate_tokens(readline):
            start, kind = offset(token.start), token.type
            if fstring_opened:  # inside an f-string (3.12+): its parts are not the module's tokens
                if kind == fstring_start:
                    fstring_opened.append(start + _quote(token.string))
                elif kind == fstring_end:
                    opening = fstring_opened.pop()
                    if not fstring_opened and "quote" in wanted:
                        close(opening, start, len(token.string))
                continue
            if kind == tokenize.INDENT:
                line_heads.append(None)
            elif kind == tokenize.DEDENT:
                line_heads.pop()
                dedented = True
            elif kind == tokenize.NEWLINE:
                new_line = True
            elif kind not in _LAYOUT and new_line:  # the first token of a logical line
                head = line_heads[-1]
                if dedented and head is not None and "dedent" in wanted:
                    distance[start] = start - head
                line_heads[-1] = start
                new_line = dedented = False
            if kind == fstring_start:
                fstring_opened.append(start + _quote(token.string))
            elif kind == tokenize.OP and token.string in _OPENERS:
                brackets.append((token.string, start))
            elif kind == tokenize.OP and token.string in _PAIRS and brackets:
                opener, opening = brackets.pop()
                if opener == _PAIRS[token.string] and "bracket" in wanted:
                    distance[start] = start - opening
            elif kind == tokenize.STRING and "quote" in wanted:
                prefix = _quote(token.string)
                width = 3 if token.string[prefix : prefix + 3] in ("'''", '"""') else 1
                close(start + prefix, start + len(token.string) - width, width)
    except (tokenize.TokenError, SyntaxError) as error:
        raise ValueError(
            f"source must be complete Python that tokenize can read, got an error: {error}"
        ) from None
    return distance


@dataclass(frozen=True)
class DistanceGains:
    """Two models' bits per character, grouped by the distance to what each character depends on.

    Every array has shape (K,), one entry per bin, in order of distance.

    Attributes:
        bins: the bins' labels, e.g. ``"1-10"`` ... ``">500"``.
        low: int64, the smallest distance in each bin.
        high: float64, the largest (inf for the last bin).
        count: int64, the characters in each bin.
        baseline_bits: the baseline's mean bits per character in each bin (nan if empty).
        model_bits: the model's mean bits per character.
        gain: the mean of ``baseline_bits - model_bits`` per character: > 0 where the
            model predicts better.
        gain_sem: the standard error of that mean (nan with fewer than 2 characters).
        baseline_name, model_name: what the table's header calls the two.
    """

    bins: tuple[str, ...]
    low: np.ndarray
    high: np.ndarray
    count: np.ndarray
    baseline_bits: np.ndarray
    model_bits: np.ndarray
    gain: np.ndarray
    gain_sem: np.ndarray
    baseline_name: str = "baseline"
    model_name: str = "model"

    def to_rows(self) -> list[tuple[str, int, float, float, float, float]]:
        """One row per bin: ``(bin, count, baseline bits, model bits, gain, gain's standard error)``."""
        columns = (self.count, self.baseline_bits, self.model_bits, self.gain, self.gain_sem)
        return [
            (label, int(n), float(base), float(mine), float(g), float(se))
            for label, n, base, mine, g, se in zip(self.bins, *columns, strict=True)
        ]

    def __str__(self) -> str:
        """The table as aligned text, one line per bin; "-" where a bin has no mean."""

        def number(value: float, sign: str = "") -> str:
            return "-" if math.isnan(value) else f"{value:{sign}.3f}"

        header = ("distance", "characters", self.baseline_name, self.model_name, "gain", "+-")
        cells = [header] + [
            (label, f"{n:,}", number(base), number(mine), number(g, "+"), number(se))
            for label, n, base, mine, g, se in self.to_rows()
        ]
        widths = [max(len(row[k]) for row in cells) for k in range(len(header))]
        lines = [
            "  ".join(
                cell.ljust(width) if k == 0 else cell.rjust(width)
                for k, (cell, width) in enumerate(zip(row, widths, strict=True))
            )
            for row in cells
        ]
        return "\n".join(line.rstrip() for line in lines)


def _bits(name: str, value: Any, n: int) -> np.ndarray:
    array = _checks.float_array(name, value, ndim=1)
    if array.shape[0] != n:
        raise ValueError(
            f"{name} must have one entry per character of distances, shape ({n},), got {array.shape}; "
            "log_probs gives N - 1 entries for N ids (none for the first): pass distances[1:]"
        )
    if array.min() < 0:
        raise ValueError(
            f"{name} must be bits per character, -log2 p >= 0, got a minimum of {array.min():.3g}: "
            "pass minus the log-probabilities divided by ln 2"
        )
    return array.astype(np.float64, copy=False)


def _bounds(value: Any) -> list[int]:
    if not isinstance(value, (list, tuple)) or not value:
        raise TypeError(
            f"bounds must be a non-empty list or tuple of integers, got {_checks.describe(value)}"
        )
    checked = [_checks.positive_int(f"bounds[{k}]", bound) for k, bound in enumerate(value)]
    if any(b <= a for a, b in itertools.pairwise(checked)):
        raise ValueError(f"bounds must be strictly increasing, got {tuple(checked)}")
    return checked


def gains_by_distance(
    distances: np.ndarray,
    baseline_bits: np.ndarray,
    model_bits: np.ndarray,
    bounds: Sequence[int] = (10, 20, 50, 100, 500),
    baseline_name: str = "baseline",
    model_name: str = "model",
) -> DistanceGains:
    """Group two models' per-character bits by the distance to what each character depends on.

    The bins are ``1 .. bounds[0]``, ``bounds[0] + 1 .. bounds[1]``, ... and
    ``> bounds[-1]``; characters with distance -1 (no dependency) are left out.

    Args:
        distances: (M,) integer distances, each -1 or >= 1 (``dependency_distances``
            of the text, entries 1 .. N - 1 to match ``log_probs``).
        baseline_bits: (M,) float bits of the baseline at each character, ``-log2 p`` >= 0.
        model_bits: (M,) float bits of the model at the same characters.
        bounds: the bins' upper ends, strictly increasing integers >= 1.
        baseline_name, model_name: the two columns' names when the table is printed.

    Returns:
        The ``DistanceGains`` table, ``len(bounds) + 1`` bins.
    """
    if not isinstance(distances, np.ndarray) or distances.dtype.kind not in "iu":
        raise TypeError(f"distances must be a NumPy array of integers, got {_checks.describe(distances)}")
    if distances.ndim != 1 or distances.size == 0:
        raise ValueError(f"distances must be a non-empty 1-D array, got shape {distances.shape}")
    invalid = (distances < -1) | (distances == 0)
    if invalid.any():
        raise ValueError(f"distances must be -1 (no dependency) or >= 1, got {distances[invalid][0]}")
    base = _bits("baseline_bits", baseline_bits, distances.shape[0])
    mine = _bits("model_bits", model_bits, distances.shape[0])
    upper = _bounds(bounds)
    for name, value in (("baseline_name", baseline_name), ("model_name", model_name)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str, got {_checks.describe(value)}")
    low = np.array([1, *(b + 1 for b in upper)], dtype=np.int64)
    high = np.array([*upper, math.inf], dtype=np.float64)
    labels = [f"{a}-{b}" for a, b in zip(low[:-1].tolist(), upper, strict=True)] + [f">{upper[-1]}"]
    stats = np.full((4, low.shape[0]), np.nan)
    count = np.zeros(low.shape[0], dtype=np.int64)
    for k in range(low.shape[0]):
        inside = (distances >= low[k]) & (distances <= high[k])
        count[k] = int(inside.sum())
        if count[k] == 0:
            continue
        gain = base[inside] - mine[inside]
        stats[:3, k] = base[inside].mean(), mine[inside].mean(), gain.mean()
        if count[k] >= 2:
            stats[3, k] = gain.std(ddof=1) / math.sqrt(count[k])
    return DistanceGains(
        bins=tuple(labels),
        low=low,
        high=high,
        count=count,
        baseline_bits=stats[0],
        model_bits=stats[1],
        gain=stats[2],
        gain_sem=stats[3],
        baseline_name=baseline_name,
        model_name=model_name,
    )
