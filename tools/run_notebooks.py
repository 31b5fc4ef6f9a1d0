"""Execute notebooks top to bottom, one after another, into a folder.

    python tools/run_notebooks.py --out DIR NOTEBOOK [NOTEBOOK ...]

Each notebook runs in a fresh kernel started in the repository's ``book/`` folder,
as ``jupyter nbconvert --execute`` would run it. The executed notebook is written to
``DIR/<name>.ipynb``; a notebook that fails gets ``DIR/<name>.error`` with the error
instead, and the run goes on with the next one. The tests start this in the
background while the book builds, so that the second run of every chapter costs no
extra wall time on a machine with two cores.
"""

from __future__ import annotations

import argparse
import sys
import traceback
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for the executed notebooks")
    parser.add_argument("--timeout", type=int, default=600, help="seconds one cell may take")
    parser.add_argument("notebooks", type=Path, nargs="+")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    failed = [path.name for path in args.notebooks if not run(path, args.out, args.timeout)]
    print(f"executed {len(args.notebooks) - len(failed)} of {len(args.notebooks)} notebooks", flush=True)
    if failed:
        print("failed: " + ", ".join(failed), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
