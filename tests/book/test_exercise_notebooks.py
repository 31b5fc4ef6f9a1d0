"""The exercise notebooks: stubs and checks kept, solutions gone, and they run top to bottom."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest
from conftest import ROOT, SECOND_RUN_EXEMPT

CHAPTERS = sorted(p.stem for p in (ROOT / "book").glob("*.md") if "exercise-stub" in p.read_text())


@pytest.fixture(scope="module")
def exercise_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("exercise_notebooks")
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_exercise_notebooks.py"), "--out", str(out)], check=True
    )
    return out


def test_every_chapter_before_the_appendices_has_exercises() -> None:
    assert CHAPTERS == [
        "01_rnn",
        "02_vanishing_gradients",
        "03_lstm_gates",
        "04_cell_state",
        "05_bptt",
        "06_keras_sine",
        "07_two_implementations",
        "08_forecasting",
        "09_variants",
        "10_char_language_model",
        "11_keras_language_model",
        "12_what_cells_learn",
        "13_bidirectional_and_memory",
        "14_keras_addition",
        "15_encoder_decoder",
        "16_beam_search",
        "17_attention",
    ]
    total = sum((ROOT / "book" / f"{c}.md").read_text().count("{exercise-start}") for c in CHAPTERS)
    assert total >= 27


def test_every_registered_exercise_is_in_its_chapter_with_its_checker() -> None:
    """Book and package must not drift apart: each EXERCISES entry is posed, checked and solved
    in the chapter it names."""
    from lstm_tutorial.exercises import EXERCISES

    for exercise_id, exercise in EXERCISES.items():
        source = (ROOT / "book" / f"{exercise.chapter}.md").read_text()
        assert f"{{exercise-start}} {exercise.title}\n" in source, exercise_id
        assert f":label: ex-{exercise_id}\n" in source, exercise_id
        assert f"def {exercise.function}(" in source, exercise_id  # the stub the reader fills in
        check = exercise.check.__name__
        assert source.count(f"{check}(") >= 2, exercise_id  # in the check cell and the solution


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_notebook_keeps_stubs_and_checks_and_drops_solutions(chapter: str, exercise_dir: Path) -> None:
    source = jupytext.read(ROOT / "book" / f"{chapter}.md")
    solutions = [c.source for c in source.cells if "exercise-solution" in c.metadata.get("tags", [])]
    stubs = [c.source for c in source.cells if "exercise-stub" in c.metadata.get("tags", [])]
    checks = [c.source for c in source.cells if "exercise-check" in c.metadata.get("tags", [])]
    assert len(solutions) == len(stubs) == len(checks) > 0

    notebook = nbformat.read(exercise_dir / f"{chapter}_exercises.ipynb", as_version=4)
    nbformat.validate(notebook)
    sources = [c.source for c in notebook.cells]
    text = "\n".join(sources)
    for stub in stubs:
        assert stub in sources
    for check in checks:
        assert check in sources
    for solution in solutions:
        assert solution not in sources
    assert "raise_if_failed" not in text and "solution-start" not in text and "exercise-solution" not in text
    assert "{exercise-start}" not in text and text.count("### Exercise: ") == len(stubs)
    assert all(not c.get("outputs") for c in notebook.cells if c.cell_type == "code")


@pytest.mark.parametrize("chapter", [c for c in CHAPTERS if c not in SECOND_RUN_EXEMPT])
def test_exercise_notebook_runs_and_every_check_says_not_implemented(chapter: str, second_run: Path) -> None:
    """The second run of the test session (conftest) executed the exercise notebook top to bottom."""
    error = second_run / f"{chapter}_exercises.error"
    assert not error.exists(), error.read_text()[-4000:]
    notebook = nbformat.read(second_run / f"{chapter}_exercises.ipynb", as_version=4)
    checks = [c for c in notebook.cells if "exercise-check" in c.metadata.get("tags", [])]
    assert len(checks) == (ROOT / "book" / f"{chapter}.md").read_text().count("{exercise-start}")
    for cell in checks:
        printed = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        # The stub raised NotImplementedError and the checker reported it, without an error.
        assert re.fullmatch(r"\w+: not implemented yet\.\n", printed), printed
