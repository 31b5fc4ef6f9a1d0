"""Chapter 13's labelling task: does the bracket around a character close soon?

    bracket_closes_within  per character: does its enclosing bracket close within k characters (itself one)

A left-to-right reader cannot know at a character whether the bracket it is in closes
within the next few characters; a reader that also sees the text to the right can.
The labels come from Python's tokenizer (``text.python_labels``), so brackets inside
strings and comments do not count.
"""

from __future__ import annotations

import numpy as np

from ..nn import _checks
from .text import python_labels

__all__ = ["bracket_closes_within"]


def bracket_closes_within(source: str, k: int) -> np.ndarray:
    """Label every character: does the bracket that encloses it close within k characters?

    Character t is True when it lies inside a pair of brackets whose closing bracket
    is at t, t + 1, ..., or t + k - 1: the next k characters, t itself included. So
    each pair ``(o, c)``, opening bracket at o and closing one at c, marks the
    characters ``max(o, c - k + 1) .. c``: the closing bracket and at most k - 1
    characters before it, never further back than its opening bracket. A character
    inside nested pairs is judged by the innermost one (it closes first). Brackets
    are the operators ``( [ {`` and ``) ] }`` of ``text.python_labels``: the ones inside
    strings and comments do not count. In ``print(first_argument, second)`` with
    k = 8 the True characters are `` second)``.

    Args:
        source: N characters of complete Python source, as for ``text.python_labels``.
        k: how many characters, this one included, the closing bracket may lie
            within; >= 1 (k = 1 marks the closing brackets alone).

    Returns:
        (N,) bool.
    """
    k = _checks.positive_int("k", k)
    labels = python_labels(source)
    codes = np.frombuffer(source.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    code = ~labels.in_string & ~labels.in_comment
    opening = code & np.isin(codes, [ord(b) for b in "([{"])
    closing = code & np.isin(codes, [ord(b) for b in ")]}"])
    edges = np.zeros(len(source) + 1, dtype=np.int64)
    open_at: list[int] = []
    for position in np.flatnonzero(opening | closing).tolist():
        if opening[position]:
            open_at.append(position)
            continue
        if not open_at:  # tokenize lets an unmatched closing bracket through
            raise ValueError(f"source has a closing bracket without an opening one at offset {position}")
        first = max(open_at.pop(), position - k + 1)
        edges[first] += 1
        edges[position + 1] -= 1
    return np.cumsum(edges[:-1]) > 0
