"""Leave one stream output per name in the executed notebooks the book serves.

myst-nb's ``nb_merge_streams`` merges a cell's stream chunks (stdout, stderr) into
the first chunk of each name *in place* before rendering, and leaves the later
chunks in the notebook it stores. The page shows the merged chunk once, but the
``.ipynb`` behind the download button (``_sources``) and in ``jupyter_execute``
would show the later lines twice in Jupyter. After the build this rewrites those
notebooks with each cell's streams merged once: the later chunks are dropped when
the first already holds them, and merged into it otherwise (a cell myst-nb did
not render).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import nbformat


def join_streams(outputs: list[Any]) -> list[Any]:
    """One stream output per name holding exactly what the kernel printed, in order.

    A kernel sends a stream in chunks wherever its flush timer falls, even between a
    line and its newline. Joining the chunks as they are (and ending the text with one
    newline) gives the same text however it was cut; myst-nb's merge strips each chunk
    first, so a cut before a newline would leave a blank line.
    """
    joined: dict[str, Any] = {}
    result = []
    for output in outputs:
        if output.get("output_type") != "stream":
            result.append(output)
        elif output["name"] in joined:
            joined[output["name"]]["text"] += output["text"]
        else:
            joined[output["name"]] = output = copy.deepcopy(output)
            result.append(output)
    for output in joined.values():
        output["text"] = output["text"].rstrip() + "\n"
    return result


def join_notebook_streams(notebook: Any) -> None:
    """``join_streams`` on the outputs of every code cell of ``notebook``, in place."""
    for cell in notebook.cells:
        if cell.cell_type == "code" and cell.get("outputs"):
            cell.outputs = join_streams(cell.outputs)


def merge_streams(outputs: list[Any]) -> tuple[list[Any], bool]:
    """One stream output per name, the later chunks' text in the first; (outputs, changed)."""
    chunks: dict[str, list[Any]] = {}
    for output in outputs:
        if output.get("output_type") == "stream":
            chunks.setdefault(output["name"], []).append(output)
    if all(len(group) == 1 for group in chunks.values()):
        return outputs, False
    for group in chunks.values():
        first, later = group[0], group[1:]
        tail = "".join(f"{chunk['text'].rstrip()}\n" for chunk in later if chunk["text"].rstrip())
        if not (tail and first["text"].endswith(tail)):  # not merged by myst-nb yet: merge here
            first["text"] = first["text"].rstrip() + "\n" + tail
    dropped = {id(chunk) for group in chunks.values() for chunk in group[1:]}
    return [output for output in outputs if id(output) not in dropped], True


def clean_notebook(path: Path) -> bool:
    """Rewrite ``path`` with merged streams if any cell has several of one name; True if it did."""
    notebook = nbformat.read(path, as_version=4)
    changed = False
    for cell in notebook.cells:
        if cell.cell_type == "code" and cell.get("outputs"):
            cell.outputs, cell_changed = merge_streams(cell.outputs)
            changed |= cell_changed
    if changed:
        nbformat.write(notebook, path)
    return changed


def _clean(app: Any, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    for folder in (out / "_sources", out.parent / "jupyter_execute"):
        for path in folder.rglob("*.ipynb"):
            clean_notebook(path)


def setup(app: Any) -> dict[str, Any]:
    app.connect("build-finished", _clean)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
