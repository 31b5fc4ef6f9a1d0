"""Keras and PyTorch, imported on demand with an error that says how to install them.

The bare install (``pip install lstm-tutorial``) brings NumPy and matplotlib only, enough
for every from-scratch chapter. The functions that compare with, or convert to, Keras and
PyTorch get them from here: ``torch("to_torch")`` returns the ``torch`` module, or raises
an ImportError that names the function and the ``frameworks`` extra.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

__all__ = ["INSTALL_HINT", "keras", "torch"]

INSTALL_HINT = (
    "pip install 'lstm-tutorial[frameworks]' (with the CPU build of torch: pip install torch==2.13.0 first)"
)


def _import(module: str, what: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as error:
        # Only a missing framework gets the hint; any other import failure (say, a
        # backend the reader chose with KERAS_BACKEND that is not installed) is passed on.
        if error.name not in ("keras", "torch"):
            raise
        raise ImportError(
            f"{what} needs Keras and PyTorch, which the bare install leaves out "
            f"({error.name} is not installed): {INSTALL_HINT}",
            name=error.name,
        ) from error


def torch(what: str) -> Any:
    """The ``torch`` module, for the function or module named ``what``.

    Raises:
        ImportError: PyTorch is not installed; the message names ``what`` and the extra.
    """
    return _import("torch", what)


def keras(what: str) -> Any:
    """The ``keras`` module, on the PyTorch backend, for the function or module named ``what``.

    The backend is chosen before Keras is first imported, unless the environment
    variable ``KERAS_BACKEND`` already names one; an imported Keras keeps its backend.

    Raises:
        ImportError: Keras (or PyTorch, its backend here) is not installed; the message
            names ``what`` and the extra.
    """
    os.environ.setdefault("KERAS_BACKEND", "torch")
    if os.environ["KERAS_BACKEND"] == "torch":
        _import("torch", what)  # without it Keras would fail later, at its first operation
    return _import("keras", what)
