"""The LSTM cell drawn with matplotlib (chapter 3, the preface), so that every build draws it the same.

The cell built up gate by gate (``draw_lstm_stage``, after colah's pictures) and three cells
in a chain (``draw_lstm_chain``). Each function draws on an Axes the caller made, so a
chapter controls the figure's size (``LSTM_FIGSIZE``, ``LSTM_CHAIN_FIGSIZE``) and caption.
The unrolled RNN of chapter 1 is drawn by ``rnn_diagrams``, the gate blocks of W, U and b
by ``weight_layout``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "LSTM_CHAIN_FIGSIZE",
    "LSTM_FIGSIZE",
    "LSTM_STAGES",
    "draw_lstm_chain",
    "draw_lstm_stage",
]


LSTM_STAGES = ("g", "i", "f", "c", "o")
"""The order in which chapter 3 builds the cell: candidate, input gate, forget gate, cell state, output."""

LSTM_FIGSIZE = (5.2, 3.25)
"""Figure size, in inches, at which ``draw_lstm_stage`` is drawn: small enough that its labels stay
legible (11 CSS px or more) when a phone's narrow column (342 CSS px) shrinks the SVG."""

LSTM_CHAIN_FIGSIZE = (5.8, 2.25)
"""Figure size, in inches, at which ``draw_lstm_chain`` is drawn: three cells side by side, no wider than
their labels allow, so that a phone's column (342 CSS px) shrinks none of them below 11 px."""

_LABEL = 13  # font size of the wire labels; the figure is drawn at the column's width
_CHAIN_WIRE, _CHAIN_TEXT = 15, 14  # the chain's wire labels, and its other text


def _hop_right(ax: Any, x: float, y: float, color: str, lw: float, radius: float = 0.22) -> float:
    """A semicircle in a horizontal wire, jumping over the vertical wire at ``x``; returns its right end."""
    theta = np.linspace(np.pi, 0.0, 25)
    ax.plot(
        x + radius * np.cos(theta), y + radius * np.sin(theta), color=color, lw=lw, solid_capstyle="round"
    )
    return x + radius


def draw_lstm_stage(ax: Any, stage: str | None = None) -> None:
    """The LSTM cell drawn as it is built up, one part at a time (after colah's pictures).

    The cell state runs along the top, from ``c_{t-1}`` to ``c_t``; ``h_{t-1}``
    enters at the bottom left and ``x_t`` from below, and the bus carries both to
    the four learned blocks (boxes): forget gate f, input gate i, candidate g,
    output gate o. Each block applies its own slice of W, U and b and a sigmoid
    or tanh. Circles and the oval are pointwise operations with no weights
    (×, +, and the tanh of ``c_t``). ``h_t`` leaves to the right (the next step)
    and upwards (the next layer); where it crosses ``c_t`` the cell-state wire
    hops over it. The blocks are drawn f, i, g, o from left to right, each under
    the operation it feeds, so that no two wires cross; the weights store them
    in the order i, f, g, o. Every wire is labelled with what it carries.
    Drawn for a figure of ``LSTM_FIGSIZE``.

    Args:
        ax: a matplotlib Axes (its frame is switched off).
        stage: one of ``LSTM_STAGES``: ``"g"`` (the candidate), ``"i"`` (input gate),
            ``"f"`` (forget gate), ``"c"`` (the cell state) or ``"o"`` (output gate). The parts
            introduced before this stage are drawn normally, this stage's parts in
            bold colour, later parts faintly. None draws the whole cell normally.
    """
    from matplotlib.patches import Circle, Ellipse, FancyBboxPatch, Rectangle

    if stage is not None and stage not in LSTM_STAGES:
        raise ValueError(f"stage must be one of {LSTM_STAGES} or None, got {stage!r}")
    fills = {"f": "#f4a6a6", "i": "#a6c8f4", "g": "#b8e0b0", "o": "#f4d9a6", "c": "#dddddd"}
    strong = {"f": "#b03a2e", "i": "#1f5fa8", "g": "#237a3b", "o": "#a66f00", "c": "#6a3d9a"}
    ghost = "#d0d0d0"

    def state(part: str) -> str:
        if part == "base" or stage is None:
            return "past"
        order = LSTM_STAGES.index(part) - LSTM_STAGES.index(stage)
        return "past" if order < 0 else "now" if order == 0 else "future"

    def ink(part: str) -> str:
        return {"past": "#333333", "now": strong.get(part, "#333333"), "future": ghost}[state(part)]

    def width(part: str, base: float = 1.4) -> float:
        return base + 1.2 if state(part) == "now" else base

    def arrow(part: str, points: list[tuple[float, float]], head: bool = True, lw: float = 1.4) -> None:
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        if len(points) > 2:
            ax.plot(xs[:-1], ys[:-1], color=ink(part), lw=width(part, lw), solid_capstyle="round")
        start, end = points[-2], points[-1]
        style = "-|>" if head else "-"
        ax.annotate(
            "",
            xy=end,
            xytext=start,
            arrowprops={
                "arrowstyle": style,
                "color": ink(part),
                "lw": width(part, lw),
                "shrinkA": 0,
                "shrinkB": 0,
                "mutation_scale": 15,
            },
        )

    def label(part: str, xy: tuple[float, float], text: str, **kw: Any) -> None:
        kw.setdefault("fontsize", _LABEL)
        ax.text(*xy, text, color=ink(part) if state(part) != "past" else "#222222", **kw)

    def node(part: str, xy: tuple[float, float], symbol: str) -> None:
        ax.add_patch(Circle(xy, 0.3, facecolor="white", edgecolor=ink(part), lw=width(part), zorder=3))
        ax.text(*xy, symbol, ha="center", va="center", fontsize=15, color=ink(part), zorder=4)

    def block(part: str, xy: tuple[float, float], text: str, w: float = 1.2, h: float = 0.72) -> None:
        fill = fills[part] if state(part) != "future" else "#f7f7f7"
        ax.add_patch(
            FancyBboxPatch(
                (xy[0] - w / 2, xy[1] - h / 2),
                w,
                h,
                boxstyle="round,pad=0.04",
                facecolor=fill,
                edgecolor=ink(part),
                lw=width(part, 1.2),
                zorder=3,
            )
        )
        ax.text(
            *xy,
            text,
            ha="center",
            va="center",
            fontsize=14,
            zorder=4,
            color="#222222" if state(part) != "future" else "#b0b0b0",
        )

    ax.set_xlim(0, 13.4)
    ax.set_ylim(-0.3, 8.1)
    ax.set_aspect("equal")
    ax.axis("off")
    if len(ax.figure.axes) == 1:  # a diagram alone in its figure fills it, without margins
        ax.set_position((0.0, 0.0, 1.0, 1.0))
    ax.add_patch(Rectangle((1.3, 0.55), 10.0, 6.75, facecolor="none", edgecolor="#aaaaaa", lw=1, ls="--"))

    top, bus, row = 6.4, 1.5, 3.1  # heights of the cell state, the input bus, the blocks
    x_f, x_i, x_g, x_o, x_mul, x_add, x_out, x_up = 3.0, 4.7, 6.5, 8.4, 5.6, 5.6, 9.9, 12.0
    # The input bus: h_{t-1} from the left, x_t from below; both reach every block.
    arrow("base", [(0.2, bus), (x_o, bus)], head=False)
    arrow("base", [(1.9, -0.2), (1.9, bus)], head=False)
    ax.add_patch(Circle((1.9, bus), 0.08, color="#333333", zorder=3))
    label("base", (0.2, bus + 0.15), "$h_{t-1}$", ha="left", va="bottom")
    label("base", (2.05, -0.15), "$x_t$", ha="left", va="bottom")
    label("base", (6.0, bus - 0.2), "$x_t$ and $h_{t-1}$, to every block", ha="center", va="top")
    # The cell state highway.
    arrow("base", [(0.2, top), (x_f - 0.3, top)], head=False, lw=2.2)
    label("base", (0.2, top + 0.2), "$c_{t-1}$", ha="left", va="bottom")
    arrow("f", [(x_f + 0.3, top), (x_add - 0.3, top)], head=False, lw=2.2)
    label("f", ((x_f + x_add) / 2, top + 0.22), "$f_t \\odot c_{t-1}$", ha="center", va="bottom")
    arrow("c", [(x_add + 0.3, top), (x_up - 0.22, top)], head=False, lw=2.2)
    hop_end = _hop_right(ax, x_up, top, ink("c"), width("c", 2.2))
    arrow("c", [(hop_end, top), (13.3, top)], lw=2.2)
    label("c", (13.25, top + 0.3), "$c_t$", ha="right", va="bottom")
    # The four blocks, each fed from the bus.
    for part, x, text in (
        ("f", x_f, "$\\sigma$"),
        ("i", x_i, "$\\sigma$"),
        ("g", x_g, "tanh"),
        ("o", x_o, "$\\sigma$"),
    ):
        arrow(part, [(x, bus), (x, row - 0.4)])
        block(part, (x, row), text)
    # Candidate and input gate: i_t * g_t, added to the cell state.
    arrow("g", [(x_g, row + 0.4), (x_mul + 0.22, 4.48)])
    label("g", (x_g + 0.15, 4.0), "$g_t$", ha="left", va="center")
    arrow("i", [(x_i, row + 0.4), (x_mul - 0.22, 4.48)])
    label("i", (x_i - 0.15, 4.0), "$i_t$", ha="right", va="center")
    node("i", (x_mul, 4.72), "×")
    arrow("i", [(x_mul, 5.02), (x_add, top - 0.3)])
    label("i", (x_mul + 0.15, 5.58), "$i_t \\odot g_t$", ha="left", va="center")
    # Forget gate: scales the old cell state.
    arrow("f", [(x_f, row + 0.4), (x_f, top - 0.3)])
    label("f", (x_f + 0.15, 4.7), "$f_t$", ha="left", va="center")
    node("f", (x_f, top), "×")
    node("c", (x_add, top), "+")
    # Output: h_t = o_t * tanh(c_t); tanh here is pointwise, with no weights, so it is drawn as a node.
    arrow("o", [(x_out, top), (x_out, 5.53)])
    ax.add_patch(
        Ellipse((x_out, 5.25), 1.45, 0.56, facecolor="white", edgecolor=ink("o"), lw=width("o"), zorder=3)
    )
    ax.text(x_out, 5.25, "tanh", ha="center", va="center", fontsize=_LABEL, color=ink("o"), zorder=4)
    arrow("o", [(x_out, 4.97), (x_out, 4.2)])
    label("o", (x_out - 0.15, 4.58), "$\\tanh(c_t)$", ha="right", va="center")
    arrow("o", [(x_o, row + 0.4), (x_out - 0.24, 3.72)])
    label("o", (x_o - 0.1, 3.75), "$o_t$", ha="right", va="bottom")
    node("o", (x_out, 3.9), "×")
    arrow("o", [(x_out + 0.3, 3.9), (x_up, 3.9), (x_up, bus), (13.3, bus)])
    arrow("o", [(x_up, 3.9), (x_up, 8.0)])
    label("o", (13.25, bus + 0.15), "$h_t$", ha="right", va="bottom")
    label("o", (x_up + 0.15, 7.65), "$h_t$", ha="left", va="center")


def draw_lstm_chain(ax: Any, steps: int = 3) -> None:
    """``steps`` LSTM cells in a chain: the same cell at every step, c and h passed from one to the next.

    Each cell is drawn small, with only what the chain needs: the cell state wire
    along the top through its × and + (no weights on it), the gates block that reads
    ``x_t`` and ``h_{t-1}``, and ``h_t = o_t * tanh(c_t)`` leaving to the next step
    and upwards. Between cells the wires are labelled ``c_1, h_1, ...``.

    Args:
        ax: a matplotlib Axes (its frame is switched off).
        steps: how many cells, from 1 to 6.
    """
    from matplotlib.patches import Circle, Ellipse, FancyBboxPatch

    from ..nn import _checks

    steps = _checks.positive_int("steps", steps)
    if steps > 6:
        raise ValueError(f"steps must be at most 6 to fit a page, got {steps}")
    line, cell_ink, gates_fill = "#333333", "#888888", "#e8f3e5"
    pitch, half = 5.2, 1.95  # distance between cell centres, half a cell's width
    top, low = 3.0, 0.9  # heights of the cell-state wire and of the hidden-state wire

    def arrow(points: list[tuple[float, float]], lw: float = 1.4, head: bool = True) -> None:
        if len(points) > 2:
            ax.plot([p[0] for p in points[:-1]], [p[1] for p in points[:-1]], color=line, lw=lw)
        ax.annotate(
            "",
            xy=points[-1],
            xytext=points[-2],
            arrowprops={
                "arrowstyle": "-|>" if head else "-",
                "color": line,
                "lw": lw,
                "shrinkA": 0,
                "shrinkB": 0,
            },
        )

    def node(xy: tuple[float, float], symbol: str) -> None:
        ax.add_patch(Circle(xy, 0.22, facecolor="white", edgecolor=line, lw=1.3, zorder=3))
        ax.text(*xy, symbol, ha="center", va="center", fontsize=_CHAIN_TEXT, zorder=4)

    for k in range(steps):
        cx = pitch * k
        t = k + 1
        ax.add_patch(
            FancyBboxPatch(
                (cx - half, 0.3),
                2 * half,
                3.2,
                boxstyle="round,pad=0.05",
                facecolor="#fafafa",
                edgecolor=cell_ink,
                lw=1.2,
                ls="--",
            )
        )
        # Cell state: in from the left, through x and +, out to the right.
        x_mul, x_add, x_out, up = cx - 1.45, cx - 0.4, cx + 0.85, cx + half - 0.15
        arrow([(cx - half - 0.75, top), (x_mul - 0.22, top)], lw=2.2, head=False)
        node((x_mul, top), "×")
        arrow([(x_mul + 0.22, top), (x_add - 0.22, top)], lw=2.2, head=False)
        node((x_add, top), "+")
        arrow([(x_add + 0.22, top), (up - 0.2, top)], lw=2.2, head=False)
        theta = np.linspace(np.pi, 0.0, 25)
        ax.plot(up + 0.2 * np.cos(theta), top + 0.2 * np.sin(theta), color=line, lw=2.2)  # hop over h_t
        arrow([(up + 0.2, top), (cx + half + 0.75, top)], lw=2.2, head=k == steps - 1)
        # The gates block reads x_t and h_{t-1}, and feeds the x, the + and the output's x.
        gx, gy, gw = cx - 0.75, 1.45, 2.3  # the block's centre and width
        ax.add_patch(
            FancyBboxPatch(
                (gx - gw / 2, gy - 0.32),
                gw,
                0.64,
                boxstyle="round,pad=0.04",
                facecolor=gates_fill,
                edgecolor=line,
                lw=1.2,
                zorder=3,
            )
        )
        ax.text(gx, gy, "$i, f, g, o$", ha="center", va="center", fontsize=_CHAIN_TEXT, zorder=4)
        arrow([(cx - half - 0.75, low), (gx - 0.45, low), (gx - 0.45, gy - 0.32)])
        arrow([(gx + 0.45, -0.25), (gx + 0.45, gy - 0.32)])
        ax.text(gx + 0.55, -0.3, f"$x_{t}$", ha="left", va="bottom", fontsize=_CHAIN_WIRE)
        arrow([(x_mul, gy + 0.32), (x_mul, top - 0.22)])
        arrow([(x_add, gy + 0.32), (x_add, top - 0.22)])
        # h_t = o_t * tanh(c_t): down from the cell state, out to the right and up.
        arrow([(x_out, top), (x_out, 2.53)])
        ax.add_patch(Ellipse((x_out, 2.25), 1.5, 0.56, facecolor="white", edgecolor=line, lw=1.3, zorder=3))
        ax.text(x_out, 2.25, "tanh", ha="center", va="center", fontsize=_CHAIN_TEXT, zorder=4)
        arrow([(x_out, 1.97), (x_out, gy + 0.22)])
        node((x_out, gy), "×")
        arrow([(gx + gw / 2, gy), (x_out - 0.22, gy)])
        arrow([(x_out, gy - 0.22), (x_out, low), (cx + half + 0.75, low)], head=k == steps - 1)
        arrow([(up, low), (up, 4.35)])
        ax.text(up + 0.12, 4.2, f"$h_{t}$", ha="left", va="center", fontsize=_CHAIN_WIRE)
        # What flows in from the previous step (before the first cell: the initial state).
        edge = cx - half - 0.4
        ax.text(edge, top + 0.1, f"$c_{t - 1}$", ha="center", va="bottom", fontsize=_CHAIN_WIRE)
        ax.text(edge, low + 0.1, f"$h_{t - 1}$", ha="center", va="bottom", fontsize=_CHAIN_WIRE)
    end = pitch * (steps - 1) + half + 0.8
    ax.text(end, top + 0.12, f"$c_{steps}$", ha="left", va="bottom", fontsize=_CHAIN_WIRE)
    ax.text(end, low + 0.12, f"$h_{steps}$", ha="left", va="bottom", fontsize=_CHAIN_WIRE)
    ax.text(
        pitch * (steps - 1) / 2,
        -0.75,
        "the same cell, with the same $W$, $U$ and $b$, at every step",
        ha="center",
        va="top",
        fontsize=_CHAIN_TEXT,
        color="#444444",
    )
    ax.set_xlim(-half - 1.0, pitch * (steps - 1) + half + 1.5)
    ax.set_ylim(-1.3, 4.6)
    ax.set_aspect("equal")
    ax.axis("off")
    if len(ax.figure.axes) == 1:  # a diagram alone in its figure fills it, without margins
        ax.set_position((0.0, 0.0, 1.0, 1.0))
