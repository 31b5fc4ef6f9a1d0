"""Execute notebooks top to bottom, each in a fresh kernel, into a folder.

    python tools/run_notebooks.py --out DIR [--jobs N] NOTEBOOK [NOTEBOOK ...]

Each notebook runs in a fresh kernel started in the repository's ``book/`` folder,
as ``jupyter nbconvert --execute`` would run it, N notebooks at a time (default 1).
The executed notebook is written to ``DIR/<name>.ipynb``; a notebook that fails gets
``DIR/<name>.error`` with the error instead, and the run goes on with the others.
The tests start this in the background while the book builds (two at a time, at a
lower priority than the build), so that the second run of every chapter fills the
cores the build and the other tests leave idle.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def run(notebook_path: Path, out: Path, timeout: int) -> bool:
    """Execute one notebook; write the result or the error to ``out``. True if it ran to the end."""
    notebook = nbformat.read(notebook_path, as_version=4)
    client = NotebookClient(
        notebook, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "book")}}
    )
    try:
        client.execute()
    except Exception:
        (out / f"{notebook_path.stem}.error").write_text(traceback.format_exc())
        return False
    nbformat.write(notebook, out / f"{notebook_path.stem}.ipynb")
    return True


# One BLAS/OpenMP thread a kernel (unless the caller chose otherwise): kernels run side by
# side here, and threads that outnumber the cores spin waiting for one.
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for the executed notebooks")
    parser.add_argument(
        "--timeout", type=int, default=-1, help="seconds one cell may take (-1, the default: no limit)"
    )
    parser.add_argument("--jobs", type=int, default=1, help="notebooks executed at once")
    parser.add_argument("notebooks", type=Path, nargs="+")
    args = parser.parse_args(argv)
    for name, value in ONE_THREAD.items():
        os.environ.setdefault(name, value)
    args.out.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        ran = list(pool.map(partial(run, out=args.out, timeout=args.timeout), args.notebooks))
    failed = [path.name for path, ok in zip(args.notebooks, ran, strict=True) if not ok]
    print(f"executed {len(args.notebooks) - len(failed)} of {len(args.notebooks)} notebooks", flush=True)
    if failed:
        print("failed: " + ", ".join(failed), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
