"""Shared test set-up: Keras on the torch backend unless the environment says otherwise,
one thread per process, and one clean build of the book per test session for the tests that read it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

os.environ.setdefault("KERAS_BACKEND", "torch")
# One thread for NumPy's BLAS and torch in the tests too (set before either is imported):
# the book's kernels run beside them on a two-core machine, and a library that spreads
# over threads there spins waiting for a core (torch's did: one test took 25x longer).
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
for _name, _value in ONE_THREAD.items():
    os.environ.setdefault(_name, _value)


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
# one without. Both start in the background as soon as the tests are collected, two
# chapters at a time each, every kernel on one thread: the build's (tools/execute_book.py)
# first, the second run's at a lower priority on what CPU they leave; the tests that do
# not read the book run first, meanwhile, so that the two cores of a CI machine stay busy
# to the end.
SECOND_RUN = OUT / "second-run"
EXERCISE_NOTEBOOKS = OUT / "exercise_notebooks"


# The performance appendix measures time: nearly every output is a timing (exempt from the
# comparison below), so running it twice would prove little and costs about a minute and a
# half of a CI core. Chapter 10 trains its language model for several minutes: the one
# chapter the second run may skip (its exercises' checkers have their own unit tests). The
# book build still executes both.
SECOND_RUN_EXEMPT = {"appendix_performance", "10_char_language_model"}


def execution_order(chapters: list[Path]) -> list[Path]:
    """``chapters`` in the order the tests execute them, two at a time: a chapter that keeps a
    trained model for a later one (``kept.keep`` without ``kept.load``: 6, 10) first, one that
    loads it (``kept.load``: 7, 12) last, so that it finds the model instead of training it
    again; the rest in the book's order between them."""

    def rank(chapter: Path) -> int:
        text = chapter.read_text()
        return 2 if "kept.load(" in text else 0 if "kept.keep(" in text else 1

    return sorted(chapters, key=rank)


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
    notebooks = [second_run_notebook(chapter) for chapter in execution_order(second_run_chapters())]
    SECOND_RUN.mkdir(parents=True)
    with open(SECOND_RUN / "run.log", "wb") as log:
        # Two at a time, niced: the build's chapters come first, since the tests that read
        # the book wait for them, and the second run takes what CPU they leave.
        return subprocess.Popen(
            [
                "nice",
                "-n",
                "10",
                sys.executable,
                str(ROOT / "tools" / "run_notebooks.py"),
                "--out",
                str(SECOND_RUN),
                "--jobs",
                "2",
                *map(str, notebooks),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )


_second_run: list[subprocess.Popen[bytes]] = []
_book_thread: list[threading.Thread] = []
_book_processes: list[subprocess.Popen[bytes]] = []
_book_returncode: list[int] = []
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


def _run_logged(command: list[str], log_name: str, env: dict[str, str]) -> int:
    """Run ``command`` with its output in ``OUT / log_name``, killable at the session's end."""
    with open(OUT / log_name, "wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        _book_processes.append(process)
        return process.wait()


def _build_book(env: dict[str, str]) -> None:
    """Execute every chapter into the build's jupyter-cache, two at a time
    (tools/execute_book.py), then build the book, which finds them executed and only
    renders; a chapter that failed there is executed again by the build, which reports
    its error."""
    execute_book = [sys.executable, str(ROOT / "tools" / "execute_book.py"), "--jobs", "2"]
    chapters = [str(chapter) for chapter in execution_order(notebook_chapters())]
    _run_logged([*execute_book, "--path-output", str(OUT), *chapters], "execute.log", env)
    jupyter_book = str(Path(sys.executable).with_name("jupyter-book"))
    build = [jupyter_book, "build", str(ROOT), "--path-output", str(OUT), "--warningiserror", "--keep-going"]
    _book_returncode.append(_run_logged(build, "build.log", env))


def _start_book() -> None:
    """Start the clean book build and the second run, in the background (once per session)."""
    if _book_thread:
        return
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    # Models kept for a later chapter (lstm_tutorial.book.kept) go into this build's folder.
    env = {**os.environ, **ONE_THREAD, "LSTM_TUTORIAL_KEPT": str(OUT / "kept")}
    _second_run.append(_start_second_run(env))
    _book_thread.append(threading.Thread(target=_build_book, args=(env,), daemon=True))
    _book_thread[0].start()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests that read the built book run last, so that all the others run while it builds."""
    items.sort(key=lambda item: "built_book" in getattr(item, "fixturenames", ()))


def pytest_collection_finish(session: pytest.Session) -> None:
    """A session that will read the book starts building it now, so that the tests which do
    not need it run while it builds instead of after."""
    if any("built_book" in getattr(item, "fixturenames", ()) for item in session.items):
        _start_book()


@pytest.fixture(scope="session")
def built_book() -> Iterator[Path]:
    _start_book()
    _book_thread[0].join(timeout=1500)
    if _book_thread[0].is_alive():
        for process in _book_processes:
            process.kill()
        pytest.fail("the book build did not finish in 25 minutes")
    returncode = _book_returncode[0] if _book_returncode else -1
    log = (OUT / "build.log").read_text(errors="replace")
    assert returncode == 0, f"book build failed (log in {OUT / 'build.log'}):\n{log[-6000:]}"
    # The PDF is made here, with the pages, because the pages link to it.
    _pdf_run.append(_make_pdf({**os.environ, **ONE_THREAD}))
    yield HTML
    for process in _second_run + _book_processes:
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
