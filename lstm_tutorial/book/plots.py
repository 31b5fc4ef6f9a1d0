"""Figure helpers shared by the chapters, so every figure looks the same.

The diagrams of the cell and the unrolled network live in ``diagrams``.

Figures get an opaque white background (a transparent figure is unreadable in
a dark theme) and are rendered as SVG in notebooks, so they stay crisp at any
zoom.
"""

from __future__ import annotations

import os
from typing import Any

import matplotlib as mpl
import numpy as np

from ..nn import _checks

__all__ = [
    "COLORS",
    "contrast_ratio",
    "heatmap",
    "readable_on",
    "text_heatmap",
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


def _luminance(colour: Any) -> float:
    """WCAG 2's relative luminance of a matplotlib colour, 0 (black) to 1 (white)."""
    rgb = np.asarray(mpl.colors.to_rgb(colour), dtype=np.float64)
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def contrast_ratio(foreground: Any, background: Any) -> float:
    """WCAG 2's contrast ratio of two colours, 1 (the same) to 21 (black on white).

    WCAG asks at least 4.5 for text of ordinary size. Colours are anything
    matplotlib reads ("white", "#b2182b", an RGB or RGBA tuple; alpha is ignored).
    """
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_on(background: Any) -> str:
    """``"black"`` or ``"white"``, whichever contrasts more with ``background`` (a matplotlib colour).

    The worse of the two is never chosen, and the better is always at least 4.58 (they
    tie at a luminance of 0.179), above the 4.5 that WCAG asks for text.
    """
    return "black" if contrast_ratio("black", background) >= contrast_ratio("white", background) else "white"


def text_heatmap(
    ax: Any,
    text: str,
    values: np.ndarray,
    *,
    columns: int,
    cmap: str = "RdBu_r",
    vmin: float | None = None,
    vmax: float | None = None,
    colorbar_label: str = "",
    fontsize: float = 8.0,
) -> Any:
    """Draw text with each character's background coloured by a value (Karpathy et al. 2015).

    The text is cut at its newlines into lines, each drawn in a monospaced font,
    one cell per character; a line longer than ``columns`` is cut off there. A
    newline's own value colours the cell just after its line's last character,
    so a unit that reacts to line ends is visible; spaces are coloured like any
    other character.

    Args:
        ax: a matplotlib Axes (its axes are switched off).
        text: N characters.
        values: (N,) one number per character (e.g. a unit's cell state).
        columns: the width of the drawing, in characters.
        cmap, vmin, vmax: colour map and its range (default: symmetric about 0,
            from the largest |value|).
        colorbar_label: what the colours mean.
        fontsize: of the characters, in points.

    Returns:
        The image artist (the coloured cells).
    """
    if not isinstance(text, str) or not text:
        raise TypeError(f"text must be a non-empty str, got {type(text).__name__}")
    columns = _checks.positive_int("columns", columns)
    values = _checks.float_array("values", values, ndim=1)
    if values.shape != (len(text),):
        raise ValueError(f"values must have shape ({len(text)},), one per character, got {values.shape}")
    lines = text.split("\n")
    grid = np.full((len(lines), columns), np.nan)
    position = 0
    for row, line in enumerate(lines):
        shown = min(len(line) + (row < len(lines) - 1), columns)  # the newline, if any, too
        grid[row, :shown] = values[position : position + shown]
        position += len(line) + 1
    if vmin is None or vmax is None:
        largest = float(np.abs(values).max()) or 1.0
        vmin, vmax = -largest, largest
    image = ax.imshow(
        np.ma.masked_invalid(grid),
        cmap=cmap,
        vmin=vmin,
        vmax=vmax,
        aspect="auto",
        interpolation="nearest",
        extent=(0, columns, len(lines), 0),
    )
    cells = image.cmap(image.norm(grid))  # (rows, columns, 4): each cell's colour
    for row, line in enumerate(lines):
        for col, char in enumerate(line[:columns]):
            if not char.isspace():
                ax.text(
                    col + 0.5,
                    row + 0.5,
                    char,
                    ha="center",
                    va="center",
                    family="monospace",
                    fontsize=fontsize,
                    color=readable_on(cells[row, col]),
                    in_layout=False,  # inside the axes: a layout need not measure a thousand texts
                )
    ax.set_xlim(0, columns)
    ax.set_ylim(len(lines), 0)
    ax.set_axis_off()
    ax.figure.colorbar(image, ax=ax, label=colorbar_label, fraction=0.03, pad=0.01)
    return image
