"""The book builds on a busy machine: no cell time limit, one BLAS thread per kernel.

A student's laptop runs other work beside the build. Two things failed there before:
the 300 s cell timeout of ``_config.yml`` (chapter 10's training cell takes about 40 s on
an idle machine and passed 300 s under load), and BLAS threads that outnumbered the free
cores (each spins waiting for a core). The build now sets neither a time limit nor more
than one thread per kernel, in every way it runs its kernels.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import yaml
from conftest import ROOT

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def test_no_cell_has_a_time_limit() -> None:
    execute = yaml.safe_load((ROOT / "_config.yml").read_text())["execute"]
    assert execute["timeout"] == -1, (
        f"_config.yml execute.timeout must be -1 (no limit), got {execute['timeout']}"
    )


def test_make_book_runs_its_kernels_on_one_thread() -> None:
    # `make -n` prints the recipe without running it.
    recipe = subprocess.run(
        ["make", "-n", "book"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    build = [line for line in recipe if "jupyter-book build" in line]
    assert len(build) == 1, recipe
    for name in THREAD_VARIABLES:
        assert f"{name}=1 " in build[0], f"{name}=1 missing from `make book`'s command: {build[0]}"


def test_the_notebook_runner_gives_each_kernel_one_thread(tmp_path: Path) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            f"import os\nprint([os.environ.get(n) for n in {list(THREAD_VARIABLES)!r}])"
        )
    ]
    path = tmp_path / "threads.ipynb"
    nbformat.write(notebook, path)
    env = {name: value for name, value in os.environ.items() if name not in THREAD_VARIABLES}
    out = tmp_path / "out"
    out.mkdir()
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "run_notebooks.py"), "--out", str(out), str(path)],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    executed = nbformat.read(out / "threads.ipynb", as_version=4)
    assert executed.cells[0].outputs[0].text.strip() == "['1', '1', '1']"
