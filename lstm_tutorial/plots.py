"""Figure helpers shared by the chapters, so every figure looks the same.

Figures get an opaque white background (a transparent figure is unreadable in
a dark theme) and are rendered as SVG in notebooks, so they stay crisp at any
zoom.
"""

from __future__ import annotations

import os
from typing import Any

import matplotlib as mpl
import numpy as np

__all__ = ["COLORS", "LSTM_PARTS", "draw_lstm_cell", "draw_unrolled_rnn", "heatmap", "use_book_style"]

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


def _box(
    ax: Any, xy: tuple[float, float], text: str, color: str, width: float = 0.9, height: float = 0.6
) -> None:
    from matplotlib.patches import FancyBboxPatch

    x, y = xy
    ax.add_patch(
        FancyBboxPatch(
            (x - width / 2, y - height / 2),
            width,
            height,
            boxstyle="round,pad=0.05",
            facecolor=color,
            edgecolor="#333333",
            linewidth=1.2,
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=11)


def _arrow(
    ax: Any,
    start: tuple[float, float],
    end: tuple[float, float],
    color: str = "#333333",
    width: float = 1.4,
    label: str = "",
    label_offset: tuple[float, float] = (0.0, 0.12),
) -> None:
    ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "-|>", "color": color, "lw": width})
    if label:
        ax.text(
            (start[0] + end[0]) / 2 + label_offset[0],
            (start[1] + end[1]) / 2 + label_offset[1],
            label,
            ha="center",
            va="bottom",
            fontsize=10,
            color=color,
        )


def draw_unrolled_rnn(ax: Any, steps: int = 4) -> None:
    """The recurrent cell folded (left) and unrolled over ``steps`` time steps (right).

    Boxes are the same cell ``h_t = tanh(x_t W + h_{t-1} U + b)`` with the same
    weights at every step; arrows carry x_t up, h_t to the right.
    """
    ax.set_xlim(-0.8, steps * 1.6 + 2.4)
    ax.set_ylim(-1.3, 1.6)
    ax.axis("off")
    # Folded: one cell with a loop.
    _box(ax, (0.0, 0.2), "RNN", "#e8e0f5")
    _arrow(ax, (0.0, -1.0), (0.0, -0.15), label="", width=1.2)
    ax.text(0.0, -1.15, "$x_t$", ha="center", va="top", fontsize=11)
    _arrow(ax, (0.0, 0.55), (0.0, 1.3))
    ax.text(0.0, 1.35, "$h_t$", ha="center", va="bottom", fontsize=11)
    ax.annotate(
        "",
        xy=(0.5, 0.4),
        xytext=(0.5, 0.0),
        arrowprops={"arrowstyle": "-|>", "connectionstyle": "arc3,rad=1.6", "lw": 1.2, "color": "#333333"},
    )
    ax.text(0.78, 0.45, "$U$", fontsize=10, ha="left")
    ax.text(1.2, 0.2, "=", fontsize=18, ha="center", va="center")
    # Unrolled.
    for k in range(steps):
        cx = 2.0 + 1.6 * k
        t = "t" if k == steps - 1 else (f"{k + 1}")
        _box(ax, (cx, 0.2), f"$h_{{{t}}}$", "#e8e0f5")
        _arrow(ax, (cx, -1.0), (cx, -0.15))
        ax.text(cx, -1.15, f"$x_{{{t}}}$", ha="center", va="top", fontsize=11)
        _arrow(ax, (cx, 0.55), (cx, 1.3))
        if k > 0:
            _arrow(ax, (cx - 1.1, 0.2), (cx - 0.5, 0.2), label="$U$")
    _arrow(ax, (1.4, 0.2), (1.5, 0.2))
    ax.text(1.45, 0.32, "$h_0$", fontsize=10, ha="center")
    ax.text(
        2.0 + 1.6 * (steps - 1) + 0.8,
        -0.5,
        "same $W$, $U$, $b$\nat every step",
        fontsize=9,
        ha="left",
        color="#555555",
    )


LSTM_PARTS = ("g", "i", "f", "c", "o")


def draw_lstm_cell(ax: Any, highlight: str | None = None) -> None:
    """A schematic LSTM cell, with one part highlighted.

    The cell state runs along the top; the four blocks i, f, g, o read
    ``[x_t, h_{t-1}]`` at the bottom. ``highlight`` is one of ``"g"`` (candidate),
    ``"i"`` (input gate), ``"f"`` (forget gate), ``"c"`` (the new cell state), ``"o"``
    (output gate and h_t), or None for the whole cell in colour.
    """
    from matplotlib.patches import Rectangle

    if highlight is not None and highlight not in LSTM_PARTS:
        raise ValueError(f"highlight must be one of {LSTM_PARTS} or None, got {highlight!r}")
    grey, dark = "#cccccc", "#333333"
    colors = {"f": "#f4a6a6", "i": "#a6c8f4", "g": "#b8e0b0", "o": "#f4d9a6"}

    def on(part: str) -> bool:
        return highlight is None or highlight == part

    def color(part: str) -> str:
        return colors[part] if on(part) else "#f2f2f2"

    def line(part: str) -> str:
        return dark if on(part) else grey

    ax.set_xlim(-0.5, 9.5)
    ax.set_ylim(-1.6, 4.4)
    ax.axis("off")
    ax.add_patch(Rectangle((0.3, -0.9), 8.2, 4.6, facecolor="none", edgecolor="#999999", lw=1, ls="--"))
    # The cell state highway.
    c_color = dark if (highlight in (None, "c", "f", "i", "g")) else grey
    _arrow(ax, (-0.4, 3.2), (9.4, 3.2), color=c_color, width=2.4)
    ax.text(-0.4, 3.35, "$c_{t-1}$", fontsize=11, color=c_color)
    ax.text(9.0, 3.35, "$c_t$", fontsize=11, color=c_color)
    # Multiply by f, add i*g on the highway.
    ax.text(
        1.6,
        3.2,
        "×",
        fontsize=16,
        ha="center",
        va="center",
        color=line("f"),
        bbox={"boxstyle": "circle", "fc": "white", "ec": line("f")},
    )
    ax.text(
        4.15,
        3.2,
        "+",
        fontsize=16,
        ha="center",
        va="center",
        color=line("c"),
        bbox={"boxstyle": "circle", "fc": "white", "ec": line("c")},
    )
    ax.text(
        4.15,
        1.9,
        "×",
        fontsize=16,
        ha="center",
        va="center",
        color=line("i"),
        bbox={"boxstyle": "circle", "fc": "white", "ec": line("i")},
    )
    # The four blocks.
    blocks = [
        ("f", 1.6, "$f_t$: $\\sigma$"),
        ("i", 3.3, "$i_t$: $\\sigma$"),
        ("g", 5.0, "$g_t$: tanh"),
        ("o", 6.7, "$o_t$: $\\sigma$"),
    ]
    for part, x, text in blocks:
        _box(ax, (x, 0.4), text, color(part), width=1.3, height=0.55)
        _arrow(ax, (x, -1.2), (x, 0.1), color=line(part))
    ax.text(
        4.4,
        -1.45,
        "$[x_t,\\ h_{t-1}]$ enter every block: $z_t = x_t W + h_{t-1} U + b$",
        ha="center",
        va="top",
        fontsize=10,
    )
    _arrow(ax, (1.6, 0.7), (1.6, 3.0), color=line("f"))
    _arrow(ax, (3.3, 0.7), (4.0, 1.8), color=line("i"))
    _arrow(ax, (5.0, 0.7), (4.3, 1.8), color=line("i") if highlight != "g" else dark)
    _arrow(ax, (4.15, 2.1), (4.15, 3.0), color=line("c"))
    # Output: tanh(c_t) * o_t = h_t.
    ax.text(
        7.9,
        2.3,
        "tanh",
        fontsize=10,
        ha="center",
        va="center",
        color=line("o"),
        bbox={"boxstyle": "round", "fc": "white", "ec": line("o")},
    )
    _arrow(ax, (7.9, 3.2), (7.9, 2.5), color=line("o"))
    ax.text(
        7.9,
        1.3,
        "×",
        fontsize=16,
        ha="center",
        va="center",
        color=line("o"),
        bbox={"boxstyle": "circle", "fc": "white", "ec": line("o")},
    )
    _arrow(ax, (7.9, 2.1), (7.9, 1.5), color=line("o"))
    _arrow(ax, (6.7, 0.7), (7.7, 1.2), color=line("o"))
    _arrow(ax, (8.1, 1.3), (9.4, 1.3), color=line("o"), width=2.0)
    ax.text(9.0, 1.45, "$h_t$", fontsize=11, color=line("o"))
