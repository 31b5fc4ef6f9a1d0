"""Numbers from a chapter's code into its text: myst-nb's ``glue``, safe to call anywhere.

A chapter computes a number in a cell and calls ``glue("keras_seconds", seconds)``; its text then says
{glue:text}`keras_seconds:.0f`, and the book build pastes the number in. The text cannot drift from
the output, because there is only one number. Outside the book's environment (a bare install, Colab)
myst-nb may be missing; there the call does nothing and the notebook still runs.
"""

from __future__ import annotations

import numpy as np

__all__ = ["glue"]


def glue(name: str, value: object) -> None:
    """Record ``value`` under ``name`` for the text's ``{glue:text}`` roles, without displaying it.

    NumPy scalars become Python numbers first: myst-nb formats a glued value from its ``repr``, and
    ``repr(np.float64(0.5))`` is ``'np.float64(0.5)'``, which a format spec such as ``:.2f`` cannot read.

    Args:
        name: the key the text refers to, a Python identifier.
        value: a number or a string (a NumPy scalar is converted with ``.item()``).
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"name must be a Python identifier (the key of a glue role), got {name!r}")
    if isinstance(value, np.generic):
        value = value.item()
    if not isinstance(value, (int, float, str)) or isinstance(value, bool):
        raise TypeError(f"value must be a number or a string, got {type(value).__name__} for {name!r}")
    try:
        from myst_nb import glue as myst_glue  # type: ignore[import-untyped,unused-ignore]
    except ImportError:  # not in the book's environment: nothing reads the glued values
        return
    myst_glue(name, value, display=False)
