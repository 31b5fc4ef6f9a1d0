"""The command line and the Keras backend selection, run as a reader would run them."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest


def run(*args: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, check=True, env=env, timeout=300
    )
    return result.stdout


def test_agree_prints_differences_within_the_tolerances() -> None:
    out = run("-m", "lstm_tutorial", "agree")
    rows = re.findall(r"^\| \((\d+), (\d+), (\d+), (\d+)\) \| (\S+) \| (\S+) \| (\S+) \|$", out, re.M)
    assert len(rows) == 3
    for *_, keras_fwd, torch_fwd, torch_grad in rows:
        assert float(keras_fwd) <= 1e-5 and float(torch_fwd) <= 1e-12 and float(torch_grad) <= 1e-9
    assert "all within tolerance" in out


@pytest.mark.parametrize("impl", ["numpy", "keras"])
def test_sine_trains_and_predicts_the_next_value(impl: str) -> None:
    out = run("-m", "lstm_tutorial", "sine", "--impl", impl, "--epochs", "3", "--batch-size", "16")
    assert "989 windows of shape (10, 1)" in out
    losses = [float(v) for v in re.findall(r"loss: ([0-9.e+-]+)", out)]
    assert len(losses) == 3 and losses[-1] < losses[0]
    predicted, true = map(
        float, re.search(r"predicted next value: (\S+)\s+true next value .*: (\S+)", out).groups()
    )
    assert abs(true) < 1e-12 and abs(predicted) < 1.0
    assert re.search(r"wall time: \d+\.\d s for 3 epochs at batch size 16", out)


def test_keras_backend_is_torch_by_default() -> None:
    env = {k: v for k, v in os.environ.items() if k != "KERAS_BACKEND"}
    out = run("-c", "from lstm_tutorial.keras_model import backend; print(backend())", env=env)
    assert out.strip() == "torch"


def test_a_backend_the_reader_chose_is_kept() -> None:
    # TensorFlow is not installed, so Keras honouring the choice shows up as its import failing.
    env = {**os.environ, "KERAS_BACKEND": "tensorflow"}
    result = subprocess.run(
        [sys.executable, "-c", "import lstm_tutorial.keras_model"], capture_output=True, text=True, env=env
    )
    assert result.returncode != 0
    assert "No module named 'tensorflow'" in result.stderr


def test_importing_the_package_does_not_import_keras_or_torch() -> None:
    out = run("-c", "import sys, lstm_tutorial; print('keras' in sys.modules, 'torch' in sys.modules)")
    assert out.strip() == "False False"


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["sine", "--look-back", "1000"], "argument --look-back: must be at most 998"),
        (["sine", "--look-back", "999"], "argument --look-back: must be at most 998"),
        (["sine", "--look-back", "0"], "argument --look-back: must be an integer >= 1, got 0"),
        (["sine", "--epochs", "0"], "argument --epochs: must be an integer >= 1, got 0"),
        (["sine", "--epochs", "1.5"], "argument --epochs: must be an integer >= 1, got '1.5'"),
        (["sine", "--batch-size", "-4"], "argument --batch-size: must be an integer >= 1, got -4"),
        (["sine", "--units", "ten"], "argument --units: must be an integer >= 1, got 'ten'"),
        (["sine", "--impl", "jax"], "argument --impl: invalid choice: 'jax'"),
        (["sine", "--dtype", "float16"], "argument --dtype: invalid choice: 'float16'"),
        (["sine", "--seed", "-1"], "argument --seed: must be an integer in [0, 4294967295], got -1"),
        (["sine", "--seed", "4294967296"], "argument --seed: must be an integer in [0, 4294967295]"),
        (["agree", "--seed", "x"], "argument --seed: must be an integer in [0, 4294967295], got 'x'"),
        (["train"], "invalid choice: 'train'"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else None,
)
def test_bad_options_are_usage_errors(
    argv: list[str], fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from lstm_tutorial.cli import main

    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: lstm-tutorial")
    assert fragment in err


def test_a_usage_error_exits_2_without_a_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "lstm_tutorial", "sine", "--look-back", "1000"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "--look-back: must be at most 998 for the 1000-sample sine wave" in result.stderr


def test_the_longest_look_back_leaves_one_window(capsys: pytest.CaptureFixture[str]) -> None:
    from lstm_tutorial.cli import main

    assert main(["sine", "--look-back", "998", "--epochs", "1", "--units", "1"]) == 0
    assert "1 windows of shape (998, 1)" in capsys.readouterr().out
