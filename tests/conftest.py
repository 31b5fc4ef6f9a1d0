"""Shared test set-up: Keras on the torch backend unless the environment says otherwise,
and one clean build of the book per test session for the tests that read it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

os.environ.setdefault("KERAS_BACKEND", "torch")


ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "_build" / "test-book"
HTML = OUT / "_build" / "html"
PDF = HTML / "lstm-tutorial.pdf"


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part["chapters"]]
    return files


def notebook_chapters() -> list[Path]:
    return [ROOT / f"{name}.md" for name in toc_files() if "kernelspec" in (ROOT / f"{name}.md").read_text()]


# Every chapter runs twice in a test session: once in the book build and once more as a
# reader runs it, as a notebook: the exercise notebook (solutions removed, see
# tools/make_exercise_notebooks.py) of a chapter with exercises, the paired .ipynb of
# one without. Both start in the background as soon as the tests are collected (one
# thread each), and the tests that do not read the book run meanwhile, so that the two
# cores of a CI machine stay busy from the start.
SECOND_RUN = OUT / "second-run"
EXERCISE_NOTEBOOKS = OUT / "exercise_notebooks"
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


# The performance appendix measures time: nearly every output is a timing (exempt from the
# comparison below), so running it twice would prove little and costs about a minute and a
# half of a CI core. The book build still executes it.
SECOND_RUN_EXEMPT = {"appendix_performance"}


def second_run_chapters() -> list[Path]:
    """The chapters the second run executes: every notebook chapter but ``SECOND_RUN_EXEMPT``."""
    return [chapter for chapter in notebook_chapters() if chapter.stem not in SECOND_RUN_EXEMPT]


def second_run_notebook(chapter: Path) -> Path:
    """The notebook the second run executes for ``chapter``: its exercise notebook, or its .ipynb twin."""
    if "exercise-stub" in chapter.read_text():
        return EXERCISE_NOTEBOOKS / f"{chapter.stem}_exercises.ipynb"
    return chapter.with_suffix(".ipynb")


def second_run_name(chapter: Path) -> str:
    """The stem of the notebook the second run executes for ``chapter``."""
    return second_run_notebook(chapter).stem


def _start_second_run(env: dict[str, str]) -> subprocess.Popen[bytes]:
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "make_exercise_notebooks.py"),
            "--out",
            str(EXERCISE_NOTEBOOKS),
        ],
        check=True,
        capture_output=True,
    )
    notebooks = [second_run_notebook(chapter) for chapter in second_run_chapters()]
    SECOND_RUN.mkdir(parents=True)
    with open(SECOND_RUN / "run.log", "wb") as log:
        return subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "tools" / "run_notebooks.py"),
                "--out",
                str(SECOND_RUN),
                *map(str, notebooks),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )


_second_run: list[subprocess.Popen[bytes]] = []
_book_build: list[subprocess.Popen[bytes]] = []
_pdf_run: list[subprocess.CompletedProcess[str]] = []


def _make_pdf(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The PDF of the book (tools/make_pdf.py) from the build in OUT: it reads the executed
    notebooks from that build's jupyter-cache, so no chapter runs again."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_pdf.py"), "--path-output", str(OUT)],
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )
    (OUT / "pdf.log").write_text(result.stdout + result.stderr)
    return result


def _start_book() -> None:
    """Start the clean book build and the second run, in the background (once per session)."""
    if _book_build:
        return
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    env = {**os.environ, **ONE_THREAD}
    _second_run.append(_start_second_run(env))
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    with open(OUT / "build.log", "wb") as log:
        _book_build.append(
            subprocess.Popen(
                [
                    str(jupyter_book),
                    "build",
                    str(ROOT),
                    "--path-output",
                    str(OUT),
                    "--warningiserror",
                    "--keep-going",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
            )
        )


def pytest_collection_finish(session: pytest.Session) -> None:
    """A session that will read the book starts building it now, so that the tests which do
    not need it run while it builds instead of after."""
    if any("built_book" in getattr(item, "fixturenames", ()) for item in session.items):
        _start_book()


@pytest.fixture(scope="session")
def built_book() -> Iterator[Path]:
    _start_book()
    build = _book_build[0]
    try:
        returncode = build.wait(timeout=1500)
    except subprocess.TimeoutExpired:
        build.kill()
        raise
    log = (OUT / "build.log").read_text(errors="replace")
    assert returncode == 0, f"book build failed (log in {OUT / 'build.log'}):\n{log[-6000:]}"
    # The PDF is made here, with the pages, because the pages link to it.
    _pdf_run.append(_make_pdf({**os.environ, **ONE_THREAD}))
    yield HTML
    for process in _second_run + _book_build:
        if process.poll() is None:
            process.kill()


@pytest.fixture(scope="session")
def book_pdf(built_book: Path) -> Path:
    """The PDF of the whole book, printed from the session's build."""
    result = _pdf_run[0]
    assert result.returncode == 0, f"make_pdf failed (log in {OUT / 'pdf.log'}):\n{result.stderr[-6000:]}"
    return PDF


@pytest.fixture(scope="session")
def second_run(built_book: Path) -> Path:
    """The folder of the second run's executed notebooks, once the run has finished."""
    _second_run[0].wait(timeout=1800)
    return SECOND_RUN
