"""The layout of the LSTM's weights (chapter 3): W, U and b cell by cell, coloured by gate block,
drawn with matplotlib so that every build draws it the same.

The function draws on an Axes the caller made, so a chapter controls the figure's size and caption.
"""

from __future__ import annotations

from typing import Any

__all__ = ["draw_weight_layout"]


def draw_weight_layout(
    ax: Any, input_size: int = 1, hidden_size: int = 4, selected: str | None = None
) -> None:
    """The arrays W (D, 4H), U (H, 4H) and b (4H,) cell by cell, coloured by gate block.

    Columns are shared: the block of columns ``k*H : (k+1)*H`` belongs to gate
    ``GATE_ORDER[k]`` (i, f, g, o) in all three arrays and in ``z_t``; the labels
    above each array give its Keras name.

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
    names = {"i": "input", "f": "forget", "g": "candidate", "o": "output"}
    H, D = hidden_size, input_size
    arrays = [
        ("$W$", f"({D}, {4 * H})", "kernel", D),
        ("$U$", f"({H}, {4 * H})", "recurrent_kernel", H),
        ("$b$", f"({4 * H},)", "bias", 1),
    ]
    # Each array's name, shape and Keras name sit on a line above its rows, so the figure is no
    # wider than the blocks: at a phone's width its labels stay at least 11 CSS px.
    size = 12
    label_room = 1.8
    y = -label_room
    for symbol, shape, keras_name, rows in arrays:
        ax.text(0, y + 0.4, f"{symbol} {shape}, Keras: {keras_name}", ha="left", va="bottom", fontsize=size)
        for k, gate in enumerate(order):
            for r in range(rows):
                for c in range(H):
                    ax.add_patch(
                        Rectangle(
                            (k * H + c, y - r - 1), 1, 1, facecolor=fills[gate], edgecolor="white", lw=0.8
                        )
                    )
            ax.add_patch(Rectangle((k * H, y - rows), H, rows, facecolor="none", edgecolor="#333333", lw=1.2))
        if selected is not None:  # the selected gate's columns of this array, dashed
            k = order.index(selected)
            ax.add_patch(
                Rectangle(
                    (k * H - 0.2, y - rows - 0.15),
                    H + 0.4,
                    rows + 0.3,
                    facecolor="none",
                    edgecolor="#111111",
                    lw=2.0,
                    ls="--",
                )
            )
        y -= rows + label_room
    bottom = y + label_room
    spans = ["0 : H", "H : 2H", "2H : 3H", "3H : 4H"]
    for k, gate in enumerate(order):
        ax.text(k * H + H / 2, 0.2, f"{gate}\n{names[gate]}", ha="center", va="bottom", fontsize=size)
        ax.text(k * H + H / 2, bottom - 0.4, spans[k], ha="center", va="top", fontsize=size, color="#444444")
    ax.set_xlim(-0.3, 4 * H + 0.3)
    ax.set_ylim(bottom - 1.8, 2.4)
    ax.axis("off")
