"""The recurrent network unrolled in time (chapter 1), drawn with matplotlib so that every build
draws it the same: one cell, folded with its loop, then the same cell at every step.

The function draws on an Axes the caller made, so a chapter controls the figure's size and caption.
Its labels are sized for a figure 8 inches wide (chapter 1's): shrunk to a phone's column they stay
at least 11 CSS pixels tall (``tests/unit/test_lstm_figures.py`` measures the saved SVG).
"""

from __future__ import annotations

from typing import Any

__all__ = ["draw_unrolled_rnn"]

_LABEL = 16  # points: x_t, h_t and the box's name
_SMALL = 15  # points: the U on the recurrent arrows and the note under the chain


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
    ax.text(x, y, text, ha="center", va="center", fontsize=_LABEL)


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
            fontsize=_SMALL,
            color=color,
        )


def draw_unrolled_rnn(ax: Any, steps: int = 4) -> None:
    """The recurrent cell folded (left) and unrolled over ``steps`` time steps (right).

    Boxes are the same cell ``h_t = tanh(x_t W + h_{t-1} U + b)`` with the same
    weights at every step; arrows carry x_t up into the cell, the output h_t up out
    of it, and h_t to the right into the next step (multiplied by U there).

    Args:
        ax: a matplotlib Axes (its frame is switched off).
        steps: how many steps to unroll, 1 to 8.
    """
    from ..nn import _checks

    steps = _checks.positive_int("steps", steps)
    if steps > 8:
        raise ValueError(f"steps must be at most 8 to fit a page, got {steps}")
    first, pitch = 2.9, 1.6  # centre of the first unrolled cell, distance between cells
    ax.set_xlim(-0.8, first + pitch * (steps - 1) + 0.8)
    ax.set_ylim(-1.95, 1.75)
    ax.axis("off")
    # Folded: one cell with a loop.
    _box(ax, (0.0, 0.2), "RNN", "#e8e0f5")
    _arrow(ax, (0.0, -1.0), (0.0, -0.15), label="", width=1.2)
    ax.text(0.0, -1.15, "$x_t$", ha="center", va="top", fontsize=_LABEL)
    _arrow(ax, (0.0, 0.55), (0.0, 1.3))
    ax.text(0.0, 1.35, "$h_t$", ha="center", va="bottom", fontsize=_LABEL)
    ax.annotate(
        "",
        xy=(0.5, 0.4),
        xytext=(0.5, 0.0),
        arrowprops={"arrowstyle": "-|>", "connectionstyle": "arc3,rad=1.6", "lw": 1.2, "color": "#333333"},
    )
    ax.text(0.8, 0.45, "$U$", fontsize=_SMALL, ha="left")
    ax.text(1.45, 0.2, "=", fontsize=18, ha="center", va="center")
    # Unrolled: the initial state h_0 comes in from the left.
    _arrow(ax, (first - 1.05, 0.2), (first - 0.5, 0.2))
    ax.text(first - 0.8, 0.32, "$h_0$", fontsize=_SMALL, ha="center", va="bottom")
    for k in range(steps):
        cx = first + pitch * k
        _box(ax, (cx, 0.2), "RNN", "#e8e0f5")
        _arrow(ax, (cx, -1.0), (cx, -0.15))
        ax.text(cx, -1.15, f"$x_{{{k + 1}}}$", ha="center", va="top", fontsize=_LABEL)
        _arrow(ax, (cx, 0.55), (cx, 1.3))
        ax.text(cx, 1.35, f"$h_{{{k + 1}}}$", ha="center", va="bottom", fontsize=_LABEL)
        if k > 0:
            _arrow(ax, (cx - 1.1, 0.2), (cx - 0.5, 0.2), label="$U$")
    ax.text(
        first + pitch * (steps - 1) / 2,
        -1.7,
        "the same $W$, $U$, $b$ at every step",
        fontsize=_SMALL,
        ha="center",
        va="top",
        color="#555555",
    )
