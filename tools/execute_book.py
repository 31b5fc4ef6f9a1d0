"""Execute the book's chapters into the jupyter-cache of a build, several at a time.

    python tools/execute_book.py --path-output DIR [--jobs N] CHAPTER.md [CHAPTER.md ...]

``jupyter-book build`` executes the chapters one after another, each in a fresh
kernel, and stores the executed notebooks in its jupyter-cache
(``DIR/_build/.jupyter_cache``). This script does the same work the same way, N
chapters at a time: each chapter is read by myst-nb's own reader (so its code
cells hash as the build's do), executed by jupyter-cache's ``single_nb_execution``
in the chapter's folder with the timeout of ``_config.yml``, and stored in that
cache as myst-nb stores it, each cell's stream chunks joined into one per name
(``_ext/clean_streams.join_streams``: a loaded kernel cuts its output wherever its
flush timer falls, and myst-nb would show a cut before a newline as a blank line).
``jupyter-book build . --path-output DIR`` then finds every chapter executed ("Using
cached notebook") and only renders the pages. A chapter that fails is not stored:
the build executes it again and reports the error as it always does.

The tests run this on every notebook chapter of ``_toc.yml`` (``conftest.notebook_chapters``)
with two jobs, one per core, while the other tests run; the seconds each chapter took
are printed, one line per chapter.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

import yaml
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from jupyter_cache.executors.utils import single_nb_execution
from myst_nb.core.config import NbParserConfig
from myst_nb.core.read import create_nb_reader
from myst_parser.config.main import MdParserConfig

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))
from clean_streams import join_notebook_streams  # noqa: E402


def read_notebook(path: Path, config: dict[str, Any]) -> Any:
    """The notebook myst-nb makes of ``path`` in the build, with the extensions of ``_config.yml``."""
    text = path.read_text(encoding="utf8")
    extensions = set(config.get("parse", {}).get("myst_enable_extensions", []))
    reader = create_nb_reader(str(path), MdParserConfig(enable_extensions=extensions), NbParserConfig(), text)
    if reader is None:
        raise ValueError(f"{path} is not a MyST notebook")
    return reader.read(text)


def execute(path: str, notebook: Any, timeout: int, allow_errors: bool) -> tuple[Any, float, str | None]:
    """Run one notebook in its own folder, as myst-nb's cache mode does; (notebook, seconds, error)."""
    result = single_nb_execution(
        notebook, cwd=str(Path(path).parent), timeout=timeout, allow_errors=allow_errors, meta_override=True
    )
    return result.nb, result.time, result.exc_string if result.err is not None else None


# One BLAS/OpenMP thread a kernel (unless the caller chose otherwise): kernels run side by
# side here, and threads that outnumber the cores spin waiting for one.
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path-output", type=Path, required=True, help="the build's --path-output")
    parser.add_argument("--jobs", type=int, default=2, help="chapters executed at once")
    parser.add_argument("chapters", type=Path, nargs="+", help="the notebook chapters (MyST Markdown)")
    args = parser.parse_args(argv)
    for name, value in ONE_THREAD.items():
        os.environ.setdefault(name, value)
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    execute_config = config.get("execute", {})
    timeout = int(execute_config.get("timeout", 30))
    allow_errors = bool(execute_config.get("allow_errors", False))
    chapters = [path.resolve() for path in args.chapters]
    cache = get_cache(str(args.path_output / "_build" / ".jupyter_cache"))

    start = time.perf_counter()
    failed: list[str] = []
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        futures = {
            pool.submit(execute, str(path), read_notebook(path, config), timeout, allow_errors): path
            for path in chapters
        }
        for future in as_completed(futures):
            path = futures[future]
            notebook, seconds, error = future.result()
            name = path.relative_to(ROOT)
            if error is not None:
                failed.append(str(name))
                print(f"{name}: failed after {seconds:.2f} s\n{error}", flush=True)
                continue
            join_notebook_streams(notebook)  # the page then shows what was printed, however it was cut
            bundle = CacheBundleIn(notebook, str(path), data={"execution_seconds": seconds})
            cache.cache_notebook_bundle(bundle, check_validity=False, overwrite=True)
            print(f"{name}: executed in {seconds:.2f} s", flush=True)
    print(
        f"executed {len(chapters) - len(failed)} of {len(chapters)} chapters in "
        f"{time.perf_counter() - start:.0f} s, {args.jobs} at a time",
        flush=True,
    )
    if failed:
        print("failed: " + ", ".join(failed), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
