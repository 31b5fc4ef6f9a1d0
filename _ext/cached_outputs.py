"""Put a cached chapter's outputs into the executed notebook the book serves.

When myst-nb finds a chapter in the jupyter-cache (a rebuild after ``jupyter-book
clean``, or a build whose chapters were executed beforehand, as the tests do with
``tools/execute_book.py``), it renders the page from the cached outputs but writes the
notebook it read, without them, to ``jupyter_execute``, and so to the ``.ipynb``
behind the download button: a reader would download a chapter with no outputs. After
the build this merges the cached outputs into every such notebook that has none, each
cell's stream chunks joined into one per name (``clean_streams.join_streams``). It runs
before ``clean_streams``, which then finds nothing left to merge.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
from clean_streams import join_notebook_streams
from jupyter_cache import get_cache


def fill_from_cache(path: Path, cache: Any) -> bool:
    """Rewrite ``path`` with the outputs of its match in ``cache``, streams joined, if none
    of its code cells has any; True if it did (False too when the cache holds no match)."""
    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    if not code or any(cell.get("outputs") or cell.get("execution_count") for cell in code):
        return False
    try:
        _, merged = cache.merge_match_into_notebook(notebook)
    except KeyError:  # not in the cache: a chapter this build did not execute
        return False
    join_notebook_streams(merged)
    nbformat.write(merged, path)
    return True


def _fill(app: Any, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    config = getattr(app.env, "mystnb_config", None)
    if config is None or not config.execution_cache_path:
        return
    cache = get_cache(config.execution_cache_path)
    out = Path(app.outdir)
    for folder in (out / "_sources", out.parent / "jupyter_execute"):
        for path in folder.rglob("*.ipynb"):
            fill_from_cache(path, cache)


def setup(app: Any) -> dict[str, Any]:
    # Before clean_streams (default priority 500), which merges the streams it fills in.
    app.connect("build-finished", _fill, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
