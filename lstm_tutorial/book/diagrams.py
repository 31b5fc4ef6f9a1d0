"""The book's diagrams, drawn with matplotlib so that every build draws them the same.

An unrolled RNN (chapter 1), the LSTM cell built up gate by gate and three cells in a
chain (chapter 3), and the layout of the gate blocks in W, U and b (chapter 3). Each
function draws on an Axes the caller made, so a chapter controls the figure's size
(``LSTM_FIGSIZE``, ``LSTM_CHAIN_FIGSIZE``) and caption. ``plots`` re-exports them.
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
    "draw_unrolled_rnn",
    "draw_weight_layout",
]


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
    ax.set_xlim(-0.8, first + pitch * (steps - 1) + 2.3)
    ax.set_ylim(-1.45, 1.75)
    ax.axis("off")
    # Folded: one cell with a loop.
    _box(ax, (0.0, 0.2), "RNN", "#e8e0f5")
    _arrow(ax, (0.0, -1.0), (0.0, -0.15), label="", width=1.2)
    ax.text(0.0, -1.15, "$x_t$", ha="center", va="top", fontsize=12)
    _arrow(ax, (0.0, 0.55), (0.0, 1.3))
    ax.text(0.0, 1.35, "$h_t$", ha="center", va="bottom", fontsize=12)
    ax.annotate(
        "",
        xy=(0.5, 0.4),
        xytext=(0.5, 0.0),
        arrowprops={"arrowstyle": "-|>", "connectionstyle": "arc3,rad=1.6", "lw": 1.2, "color": "#333333"},
    )
    ax.text(0.8, 0.45, "$U$", fontsize=11, ha="left")
    ax.text(1.45, 0.2, "=", fontsize=18, ha="center", va="center")
    # Unrolled: the initial state h_0 comes in from the left.
    _arrow(ax, (first - 1.05, 0.2), (first - 0.5, 0.2))
    ax.text(first - 0.8, 0.32, "$h_0$", fontsize=11, ha="center", va="bottom")
    for k in range(steps):
        cx = first + pitch * k
        _box(ax, (cx, 0.2), "RNN", "#e8e0f5")
        _arrow(ax, (cx, -1.0), (cx, -0.15))
        ax.text(cx, -1.15, f"$x_{{{k + 1}}}$", ha="center", va="top", fontsize=12)
        _arrow(ax, (cx, 0.55), (cx, 1.3))
        ax.text(cx, 1.35, f"$h_{{{k + 1}}}$", ha="center", va="bottom", fontsize=12)
        if k > 0:
            _arrow(ax, (cx - 1.1, 0.2), (cx - 0.5, 0.2), label="$U$")
    ax.text(
        first + pitch * (steps - 1) + 0.65,
        -0.55,
        "same $W$, $U$, $b$\nat every step",
        fontsize=9,
        ha="left",
        color="#555555",
    )


LSTM_STAGES = ("g", "i", "f", "c", "o")
"""The order in which chapter 3 builds the cell: candidate, input gate, forget gate, cell state, output."""

LSTM_FIGSIZE = (5.2, 3.25)
"""Figure size, in inches, at which ``draw_lstm_stage`` is drawn: the width of the book's text column,
small enough that its labels stay legible when a phone's narrow column shrinks the SVG."""

LSTM_CHAIN_FIGSIZE = (6.4, 2.5)
"""Figure size, in inches, at which ``draw_lstm_chain`` is drawn: three cells need the column's full width."""

_LABEL = 13  # font size of the wire labels; the figure is drawn at the column's width


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
        stage: one of ``LSTM_STAGES`` (``"g"``, ``"i"``, ``"f"``, ``"c"``, ``"o"``): the parts
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
    label("base", (5.7, bus - 0.2), "$x_t$ and $h_{t-1}$, to every block", ha="center", va="top", fontsize=11)
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
    arrow("o", [(x_out, top), (x_out, 5.33)])
    ax.add_patch(
        Ellipse((x_out, 5.05), 1.25, 0.56, facecolor="white", edgecolor=ink("o"), lw=width("o"), zorder=3)
    )
    ax.text(x_out, 5.05, "tanh", ha="center", va="center", fontsize=11, color=ink("o"), zorder=4)
    arrow("o", [(x_out, 4.77), (x_out, 4.2)])
    label("o", (x_out - 0.15, 4.48), "$\\tanh(c_t)$", ha="right", va="center", fontsize=12)
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
    pitch, half = 4.7, 1.85  # distance between cell centres, half a cell's width
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
        ax.text(*xy, symbol, ha="center", va="center", fontsize=13, zorder=4)

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
        x_mul, x_add, x_out, up = cx - 1.05, cx - 0.15, cx + 0.85, cx + half - 0.3
        arrow([(cx - half - 0.75, top), (x_mul - 0.22, top)], lw=2.2, head=False)
        node((x_mul, top), "×")
        arrow([(x_mul + 0.22, top), (x_add - 0.22, top)], lw=2.2, head=False)
        node((x_add, top), "+")
        arrow([(x_add + 0.22, top), (up - 0.2, top)], lw=2.2, head=False)
        theta = np.linspace(np.pi, 0.0, 25)
        ax.plot(up + 0.2 * np.cos(theta), top + 0.2 * np.sin(theta), color=line, lw=2.2)  # hop over h_t
        arrow([(up + 0.2, top), (cx + half + 0.75, top)], lw=2.2, head=k == steps - 1)
        # The gates block reads x_t and h_{t-1}, and feeds the x, the + and the output's x.
        gx, gy = cx - 0.7, 1.45
        ax.add_patch(
            FancyBboxPatch(
                (gx - 0.8, gy - 0.32),
                1.6,
                0.64,
                boxstyle="round,pad=0.04",
                facecolor=gates_fill,
                edgecolor=line,
                lw=1.2,
                zorder=3,
            )
        )
        ax.text(gx, gy, "$i, f, g, o$", ha="center", va="center", fontsize=13, zorder=4)
        arrow([(cx - half - 0.75, low), (gx - 0.25, low), (gx - 0.25, gy - 0.32)])
        arrow([(gx + 0.25, -0.25), (gx + 0.25, gy - 0.32)])
        ax.text(gx + 0.35, -0.3, f"$x_{t}$", ha="left", va="bottom", fontsize=15)
        arrow([(x_mul, gy + 0.32), (x_mul, top - 0.22)])
        arrow([(x_add, gy + 0.32), (x_add, top - 0.22)])
        # h_t = o_t * tanh(c_t): down from the cell state, out to the right and up.
        arrow([(x_out, top), (x_out, 2.47)])
        ax.add_patch(Ellipse((x_out, 2.25), 1.3, 0.5, facecolor="white", edgecolor=line, lw=1.3, zorder=3))
        ax.text(x_out, 2.25, "tanh", ha="center", va="center", fontsize=12, zorder=4)
        arrow([(x_out, 2.04), (x_out, gy + 0.22)])
        node((x_out, gy), "×")
        arrow([(gx + 0.8, gy), (x_out - 0.22, gy)])
        arrow([(x_out, gy - 0.22), (x_out, low), (cx + half + 0.75, low)], head=k == steps - 1)
        arrow([(up, low), (up, 4.35)])
        ax.text(up + 0.12, 4.2, f"$h_{t}$", ha="left", va="center", fontsize=15)
        # What flows in from the previous step (before the first cell: the initial state).
        edge = cx - half - 0.4
        ax.text(edge, top + 0.1, f"$c_{t - 1}$", ha="center", va="bottom", fontsize=15)
        ax.text(edge, low + 0.1, f"$h_{t - 1}$", ha="center", va="bottom", fontsize=15)
    end = pitch * (steps - 1) + half + 0.8
    ax.text(end, top + 0.12, f"$c_{steps}$", ha="left", va="bottom", fontsize=15)
    ax.text(end, low + 0.12, f"$h_{steps}$", ha="left", va="bottom", fontsize=15)
    ax.text(
        pitch * (steps - 1) / 2,
        -0.75,
        "the same cell, with the same $W$, $U$ and $b$, at every step",
        ha="center",
        va="top",
        fontsize=12,
        color="#444444",
    )
    ax.set_xlim(-half - 1.0, pitch * (steps - 1) + half + 1.5)
    ax.set_ylim(-1.3, 4.6)
    ax.set_aspect("equal")
    ax.axis("off")
    if len(ax.figure.axes) == 1:  # a diagram alone in its figure fills it, without margins
        ax.set_position((0.0, 0.0, 1.0, 1.0))


def draw_weight_layout(
    ax: Any, input_size: int = 1, hidden_size: int = 4, selected: str | None = None
) -> None:
    """The arrays W (D, 4H), U (H, 4H) and b (4H,) cell by cell, coloured by gate block.

    Columns are shared: the block of columns ``k*H : (k+1)*H`` belongs to gate
    ``GATE_ORDER[k]`` (i, f, g, o) in all three arrays and in ``z_t``; the labels
    on the left give each array's Keras name.

    Args:
        ax: a matplotlib Axes (its frame is switched off).
        input_size: D, rows of W.
        hidden_size: H, rows of U and width of each block.
        selected: a gate name (``"i"``, ``"f"``, ``"g"``, ``"o"``) whose columns are
            outlined, as ``LSTMParams.gate(selected)`` slices them; None outlines none.
    """
    from matplotlib.patches import Rectangle

    from ..nn import _checks
    from ..nn.lstm import GATE_ORDER as order

    input_size = _checks.positive_int("input_size", input_size)
    hidden_size = _checks.positive_int("hidden_size", hidden_size)
    if selected is not None and selected not in order:
        raise ValueError(f"selected must be one of {order} or None, got {selected!r}")
    fills = {"i": "#a6c8f4", "f": "#f4a6a6", "g": "#b8e0b0", "o": "#f4d9a6"}
    names = {"i": "input gate", "f": "forget gate", "g": "candidate", "o": "output gate"}
    H, D = hidden_size, input_size
    arrays = [
        ("$W$", f"({D}, {4 * H})", "kernel", D),
        ("$U$", f"({H}, {4 * H})", "recurrent_kernel", H),
        ("$b$", f"({4 * H},)", "bias", 1),
    ]
    gap = 0.8
    y = 0.0
    for symbol, shape, keras_name, rows in arrays:
        for k, gate in enumerate(order):
            for r in range(rows):
                for c in range(H):
                    ax.add_patch(
                        Rectangle(
                            (k * H + c, y - r - 1), 1, 1, facecolor=fills[gate], edgecolor="white", lw=0.8
                        )
                    )
            ax.add_patch(Rectangle((k * H, y - rows), H, rows, facecolor="none", edgecolor="#333333", lw=1.2))
        ax.text(
            -0.4, y - rows / 2, f"{symbol} {shape}\nKeras: {keras_name}", ha="right", va="center", fontsize=9
        )
        y -= rows + gap
    bottom = y + gap
    spans = ["0 : H", "H : 2H", "2H : 3H", "3H : 4H"]
    for k, gate in enumerate(order):
        ax.text(k * H + H / 2, 0.35, f"{gate}\n{names[gate]}", ha="center", va="bottom", fontsize=9)
        ax.text(k * H + H / 2, bottom - 0.4, spans[k], ha="center", va="top", fontsize=9, color="#444444")
    if selected is not None:
        k = order.index(selected)
        ax.add_patch(
            Rectangle(
                (k * H - 0.2, bottom - 0.2),
                H + 0.4,
                -bottom + 0.4,
                facecolor="none",
                edgecolor="#111111",
                lw=2.0,
                ls="--",
            )
        )
    ax.set_xlim(-6.5, 4 * H + 0.3)
    ax.set_ylim(bottom - 1.6, 2.1)
    ax.set_aspect("equal")
    ax.axis("off")
