"""Figure helpers shared by the chapters, so every figure looks the same.

The diagrams themselves live in ``diagrams``; their names are re-exported here,
where the chapters import them from.

Figures get an opaque white background (a transparent figure is unreadable in
a dark theme) and are rendered as SVG in notebooks, so they stay crisp at any
zoom.
"""

from __future__ import annotations

import os
from typing import Any

import matplotlib as mpl
import numpy as np

__all__ = [
    "COLORS",
    "LSTM_CHAIN_FIGSIZE",
    "LSTM_FIGSIZE",
    "LSTM_STAGES",
    "draw_lstm_chain",
    "draw_lstm_stage",
    "draw_unrolled_rnn",
    "draw_weight_layout",
    "heatmap",
    "use_book_style",
]

COLORS = {
    "numpy": "#1f77b4",
    "keras": "#d62728",
    "torch": "#ff7f0e",
    "rnn": "#9467bd",
    "lstm": "#2ca02c",
    "truth": "#444444",
}
"""One colour per thing, the same in every chapter."""


def use_book_style() -> None:
    """Set matplotlib's defaults for the book: opaque white figures, SVG output, readable sizes.

    SVG files carry no creation date (``SOURCE_DATE_EPOCH``) and fixed element ids
    (``svg.hashsalt``), so the same figure gives the same bytes on every build.
    """
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    mpl.rcParams.update(
        {
            "figure.figsize": (7.0, 3.6),
            "figure.facecolor": "white",
            "axes.facecolor": "white",
            "savefig.facecolor": "white",
            "savefig.transparent": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.size": 10,
            "legend.frameon": False,
            "svg.hashsalt": "lstm-tutorial",  # identical SVG ids on every build
            "svg.fonttype": "path",
        }
    )
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # outside Jupyter there is nothing to configure
        return
    set_matplotlib_formats("svg")  # type: ignore[no-untyped-call]


def heatmap(
    ax: Any,
    values: np.ndarray,
    *,
    xlabel: str,
    ylabel: str,
    title: str,
    cmap: str = "viridis",
    vmin: float | None = None,
    vmax: float | None = None,
    colorbar_label: str = "",
) -> Any:
    """Draw a (rows, columns) array as an image with labelled axes and a colour bar.

    Args:
        ax: a matplotlib Axes.
        values: (rows, columns) array; rows run down the y axis.
        xlabel, ylabel, title: the labels (say the units).
        cmap, vmin, vmax: colour map and its range.
        colorbar_label: what the colours mean.

    Returns:
        The image artist.
    """
    image = ax.imshow(values, aspect="auto", cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(False)
    ax.figure.colorbar(image, ax=ax, label=colorbar_label)
    return image


from .diagrams import (  # noqa: E402  (re-exported: the chapters import the diagrams from here)
    LSTM_CHAIN_FIGSIZE,
    LSTM_FIGSIZE,
    LSTM_STAGES,
    draw_lstm_chain,
    draw_lstm_stage,
    draw_unrolled_rnn,
    draw_weight_layout,
)
