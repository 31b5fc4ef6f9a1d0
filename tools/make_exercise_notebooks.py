"""Write exercise notebooks for a class: every chapter with its solutions removed.

    python tools/make_exercise_notebooks.py [--out exercise_notebooks]

For each chapter in _toc.yml that has exercises, this writes one .ipynb that
keeps the text, the code, the exercise stubs (cells tagged ``exercise-stub``)
and the checker calls (``exercise-check``), and drops the worked solutions
(cells tagged ``exercise-solution`` and the ``solution-start``/``solution-end``
markers around them). Outputs are cleared, so students run everything themselves.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import jupytext
import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]


def chapters_with_exercises() -> list[Path]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    names = [toc["root"]] + [c["file"] for part in toc.get("parts", []) for c in part["chapters"]]
    return [ROOT / f"{name}.md" for name in names if "exercise-stub" in (ROOT / f"{name}.md").read_text()]


def strip_solutions(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook without solution cells and solution markers, outputs cleared."""
    kept = []
    for cell in notebook.cells:
        tags = cell.metadata.get("tags", [])
        if "exercise-solution" in tags:
            continue
        if cell.cell_type == "markdown" and (
            "{solution-start}" in cell.source or "{solution-end}" in cell.source
        ):
            # A marker may share its cell with other text; keep that text.
            lines = cell.source.split("\n")
            text, skip = [], False
            for line in lines:
                if line.startswith("```{solution-start}") or line.startswith("```{solution-end}"):
                    skip = True
                    continue
                if skip:
                    if line.startswith("```"):
                        skip = False
                    continue
                text.append(line)
            cell.source = "\n".join(text).strip()
            if not cell.source:
                continue
        if cell.cell_type == "markdown":
            # Sphinx directives mean nothing in Jupyter: exercise markers become headings.
            cell.source = re.sub(
                r"```\{exercise-start\} (.*)\n:label: .*\n```", r"### Exercise: \1", cell.source
            )
            cell.source = re.sub(r"```\{exercise-end\}\n```", "", cell.source).strip()
            if not cell.source:
                continue
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        kept.append(cell)
    notebook.cells = kept
    notebook.metadata.pop("jupytext", None)
    return notebook


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "exercise_notebooks")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for chapter in chapters_with_exercises():
        notebook = strip_solutions(jupytext.read(chapter))
        nbformat.validate(notebook)
        target = args.out / f"{chapter.stem}_exercises.ipynb"
        nbformat.write(notebook, target)
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
