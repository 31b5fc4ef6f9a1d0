"""The light install a student gets: ``pip install lstm-tutorial`` without extras.

A fresh virtual environment (no system site packages) gets the package from this
repository with its required dependencies only (NumPy, matplotlib and tqdm); it then runs
every code cell of chapter 1, the NumPy-only chapter a class starts with, exercises
included, as a plain Python script, and trains the NumPy LSTM for an epoch. The
functions that need Keras or PyTorch must fail there with an ImportError that names
them and the ``frameworks`` extra.

Cost: about 30 s on a machine whose pip cache already holds NumPy and matplotlib (the
first run downloads them, about 30 MB).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import jupytext
import pytest

ROOT = Path(__file__).resolve().parents[2]
HINT = "pip install 'lstm-tutorial[frameworks]'"

pytestmark = pytest.mark.slow


def _run(
    cmd: list[str], env: dict[str, str], cwd: Path, check: bool = True
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd, timeout=600)
    if check:
        assert result.returncode == 0, f"{cmd} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def bare_python(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], Path]:
    """The python of a fresh venv holding the bare package, an environment without this
    repository on the path, and a working directory outside the repository."""
    tmp = tmp_path_factory.mktemp("bare-install")
    source = tmp / "source"  # a copy, so the build leaves nothing in the repository
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "lstm_tutorial", source / "lstm_tutorial", ignore=shutil.ignore_patterns("__pycache__")
    )
    venv.EnvBuilder(with_pip=True, system_site_packages=False, clear=True).create(tmp / "venv")
    python = tmp / "venv" / "bin" / "python"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "VIRTUAL_ENV", "KERAS_BACKEND", "PYTHONHOME")
    }
    env.update(MPLBACKEND="Agg", PIP_DISABLE_PIP_VERSION_CHECK="1", OMP_NUM_THREADS="1")
    # The wheel is built with this environment's setuptools (pip's isolated build would
    # first install another copy of it); the bare environment installs the wheel and the
    # requirements it declares, as `pip install lstm-tutorial` would.
    wheels = tmp / "wheels"
    build = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"]
    _run([*build, "--wheel-dir", str(wheels), str(source)], env, tmp)
    (wheel,) = wheels.glob("lstm_tutorial-*.whl")
    _run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], env, tmp)
    return python, env, tmp


def test_the_bare_install_has_neither_keras_nor_torch(bare_python: tuple[Path, dict[str, str], Path]) -> None:
    python, env, cwd = bare_python
    out = _run([str(python), "-m", "pip", "list", "--format=freeze"], env, cwd).stdout.lower()
    installed = {line.split("==")[0] for line in out.split()}
    assert {"lstm-tutorial", "numpy", "matplotlib", "tqdm"} <= installed, installed
    assert not installed & {"keras", "torch"}, installed


def test_chapter_1_runs_in_the_bare_install(bare_python: tuple[Path, dict[str, str], Path]) -> None:
    python, env, cwd = bare_python
    notebook = jupytext.read(ROOT / "book" / "01_rnn.md")
    cells = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    assert len(cells) > 10 and any("rnn_forward" in cell for cell in cells)
    # Chapter 1 in order, exercises and their checks included, then an epoch of the NumPy LSTM.
    script = "\n\n".join(cells) + (
        "\n\nimport sys\n"
        "from lstm_tutorial.nn.regressors import LSTMRegressor\n"
        "from lstm_tutorial.nn.train import fit\n"
        "x, y = make_windows(sine_wave(dtype=np.float32), 10)\n"
        "model = LSTMRegressor.init(1, 4, seed=0, dtype=np.float32)\n"
        "history = fit(model, x, y, epochs=1, batch_size=32, seed=0)\n"
        "print('LSTM loss', history.loss[-1])\n"
        "print('modules', 'keras' in sys.modules, 'torch' in sys.modules)\n"
    )
    (cwd / "chapter_1.py").write_text(script)
    result = _run([str(python), "chapter_1.py"], env, cwd)
    assert "passed" in result.stdout.lower(), result.stdout[-2000:]
    loss = float(result.stdout.split("LSTM loss")[1].split()[0])
    assert 0 < loss < 1
    assert "modules False False" in result.stdout


@pytest.mark.parametrize(
    ("code", "names"),
    [
        ("import lstm_tutorial.frameworks.keras", "lstm_tutorial.frameworks.keras"),
        (
            "import numpy as np\n"
            "from lstm_tutorial.frameworks.agree import torch_lstm_run\n"
            "from lstm_tutorial.nn.lstm import LSTMParams\n"
            "p = LSTMParams.init(1, 2, seed=0)\n"
            "z = np.zeros((1, 2))\n"
            "torch_lstm_run(p, np.zeros((1, 3, 1)), z, z, np.zeros((1, 3, 2)))",
            "torch_lstm_run",
        ),
        ("from lstm_tutorial.book.benchmark import bench_lstm\nbench_lstm([(1, 2, 1, 2)], 1)", "bench_lstm"),
    ],
)
def test_a_framework_function_says_which_extra_to_install(
    bare_python: tuple[Path, dict[str, str], Path], code: str, names: str
) -> None:
    python, env, cwd = bare_python
    result = _run([str(python), "-c", code], env, cwd, check=False)
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: "), result.stderr[-2000:]
    assert names in last and HINT in last and "torch==2.13.0" in last, last


def test_the_command_line_says_which_extra_to_install(bare_python: tuple[Path, dict[str, str], Path]) -> None:
    python, env, cwd = bare_python
    result = _run([str(python), "-m", "lstm_tutorial", "agree"], env, cwd, check=False)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "lstm-tutorial agree needs Keras and PyTorch" in result.stderr and HINT in result.stderr
    numpy_run = _run(
        [str(python), "-m", "lstm_tutorial", "sine", "--epochs", "1", "--batch-size", "64"], env, cwd
    )
    assert "predicted next value" in numpy_run.stdout
