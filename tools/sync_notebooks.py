"""Write each chapter's paired ``.ipynb`` (no outputs) next to its MyST ``.md`` source.

    python tools/sync_notebooks.py          # write book/NN_name.ipynb for every chapter
    python tools/sync_notebooks.py --check  # exit 1 if any .ipynb is missing or stale

The ``.md`` files are the sources of the book. The ``.ipynb`` twins exist for
readers who open a chapter straight from the repository, above all Colab's
launch button, which cannot open MyST Markdown. The book build ignores them
(``exclude_patterns`` in ``_config.yml``); the test suite checks they are in sync.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parents[1]


def chapters() -> list[Path]:
    """The MyST notebooks in book/ (files with a jupytext header)."""
    return sorted(p for p in (ROOT / "book").glob("*.md") if p.read_text().startswith("---\njupytext:"))


def paired_notebook(source: Path) -> nbformat.NotebookNode:
    """The chapter as a notebook without outputs, ready to write."""
    notebook = jupytext.read(source)
    notebook.metadata.pop("jupytext", None)  # a plain notebook, not a jupytext pair
    notebook.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    for number, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{number:03d}"  # stable ids: the same source gives the same file
    return notebook


def render(notebook: nbformat.NotebookNode) -> str:
    return nbformat.writes(notebook, version=4) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check, write nothing")
    args = parser.parse_args(argv)
    stale = []
    for source in chapters():
        target = source.with_suffix(".ipynb")
        text = render(paired_notebook(source))
        if target.exists() and target.read_text() == text:
            continue
        stale.append(target.relative_to(ROOT))
        if not args.check:
            target.write_text(text)
    if args.check and stale:
        print("stale or missing paired notebooks (run python tools/sync_notebooks.py):", *stale, sep="\n  ")
        return 1
    for path in stale:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
