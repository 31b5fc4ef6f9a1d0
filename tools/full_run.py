"""Execute chapters with ``FULL_RUN = True``: the long runs whose results the book reads.

    python tools/full_run.py [--threads N] book/NN_chapter.md [...]

Each chapter is read as a notebook (jupytext), its ``parameters`` cell set to
``FULL_RUN = True``, and executed top to bottom in a fresh kernel started in the
``book/`` folder, with no time limit. The chapter itself writes what it measured to
``book/data/<name>.json`` (``lstm_tutorial.book.full_run.record``), naming this
command, the machine and the date; commit those files. The executed notebook goes to
``_build/full_run/<chapter>.ipynb``. ``--threads`` sets the BLAS/OpenMP threads of the
kernel (default 1; use 2 on an otherwise idle two-core machine).
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

from lstm_tutorial.book.full_run import COMMAND_VARIABLE

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "_build" / "full_run"
SWITCH = re.compile(r"^FULL_RUN = False\b", re.MULTILINE)


def full_run_notebook(chapter: Path) -> nbformat.NotebookNode:
    """The chapter as a notebook with its parameters cell switched to ``FULL_RUN = True``."""
    notebook = jupytext.read(chapter)
    switched = [
        cell
        for cell in notebook.cells
        if "parameters" in cell.get("metadata", {}).get("tags", []) and SWITCH.search(cell.source)
    ]
    if len(switched) != 1:
        raise SystemExit(f"{chapter}: no parameters cell that sets FULL_RUN = False")
    switched[0].source = SWITCH.sub("FULL_RUN = True", switched[0].source)
    return notebook


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=1, help="BLAS/OpenMP threads of the kernel")
    parser.add_argument("chapters", type=Path, nargs="+")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = str(args.threads)
    for chapter in args.chapters:
        notebook = full_run_notebook(chapter)
        os.environ[COMMAND_VARIABLE] = (
            f"python tools/full_run.py --threads {args.threads} {shlex.quote(chapter.as_posix())}"
        )
        start = time.perf_counter()
        NotebookClient(
            notebook, timeout=-1, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "book")}}
        ).execute()
        nbformat.write(notebook, OUT / f"{chapter.stem}.ipynb")
        print(f"{chapter}: executed with FULL_RUN = True in {time.perf_counter() - start:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
