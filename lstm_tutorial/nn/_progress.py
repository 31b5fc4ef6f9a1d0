"""Progress bars for ``train.fit`` and ``language_training.train_char_model`` (``verbose=1``), as Keras shows.

tqdm's text bar on stderr; in a Jupyter kernel, its notebook widget when
ipywidgets is installed. ``tqdm.auto`` would pick the widget too, but without
ipywidgets it warns on every bar ("IProgress not found"): here the text bar
serves instead, quietly.
"""

from __future__ import annotations

import sys
from typing import Any


def _in_jupyter_kernel() -> bool:
    """Whether this code runs inside a Jupyter kernel (IPython imported and a kernel app running)."""
    ipython = sys.modules.get("IPython")
    if ipython is None:  # a kernel imports IPython before any user code runs
        return False
    shell = ipython.get_ipython()
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


def progress_bar(total: int, description: str) -> Any:
    """A tqdm bar over ``total`` items labelled ``description``: the widget in Jupyter (with
    ipywidgets), else the text bar on stderr."""
    if _in_jupyter_kernel():
        try:
            import ipywidgets  # noqa: F401  (tqdm's widget needs it)
        except ImportError:
            pass
        else:
            from tqdm.notebook import tqdm as notebook_bar

            return notebook_bar(total=total, desc=description)
    from tqdm.std import tqdm as text_bar

    return text_bar(total=total, desc=description, file=sys.stderr, dynamic_ncols=True)
