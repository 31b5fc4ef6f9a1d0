"""The command line and the Keras backend selection, run as a reader would run them."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
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
    out = run("-c", "from lstm_tutorial.frameworks.keras import backend; print(backend())", env=env)
    assert out.strip() == "torch"


def test_a_backend_the_reader_chose_is_kept() -> None:
    # TensorFlow is not installed, so Keras honouring the choice shows up as its import failing.
    env = {**os.environ, "KERAS_BACKEND": "tensorflow"}
    result = subprocess.run(
        [sys.executable, "-c", "import lstm_tutorial.frameworks.keras"],
        capture_output=True,
        text=True,
        env=env,
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
        (["seq2seq", "--impl", "jax"], "argument --impl: invalid choice: 'jax'"),
        (["seq2seq", "--epochs", "0"], "argument --epochs: must be an integer >= 1, got 0"),
        (["seq2seq", "--digits", "10"], "argument --digits: must be from 1 to 9, got 10"),
        (["seq2seq", "--questions", "5"], "argument --questions: must be at least 10"),
        (
            ["seq2seq", "--digits", "1", "--questions", "20"],
            "argument --questions: must be at most 13 for --digits 1",
        ),
        (["seq2seq", "--batch-size", "x"], "argument --batch-size: must be an integer >= 1, got 'x'"),
        (["seq2seq", "--impl", "keras", "--out", "w.npz"], "argument --out: saves the NumPy model's weights"),
        (["seq2seq", "--out", "w.keras"], "argument --out: must end in .npz"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else None,
)
def test_bad_options_are_usage_errors(
    argv: list[str], fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from lstm_tutorial.cli.main import main

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
    from lstm_tutorial.cli.main import main

    assert main(["sine", "--look-back", "998", "--epochs", "1", "--units", "1"]) == 0
    assert "1 windows of shape (998, 1)" in capsys.readouterr().out


# --- text: the character language model ---------------------------------------------------------

SMALL = ["--train-chars", "20000", "--heldout-chars", "5000"]  # 4 modules to train on: seconds


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    out = tmp_path_factory.mktemp("text") / "small"
    result = subprocess.run(
        [sys.executable, "-m", "lstm_tutorial", "text", "--steps", "3", "--hidden", "16", *SMALL,
         "--out", str(out)],
        capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    return out.with_suffix(".npz"), result


def test_text_trains_and_prints_bpc_beside_the_ngrams(
    trained: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    weights, result = trained
    out = result.stdout
    assert re.search(r"^training: [\d,]+ characters, \d+ files", out, re.M)
    lstm = float(re.search(r"^\| LSTM \(numpy, 3 steps\) \| ([\d.]+) \| \|$", out, re.M).group(1))
    rows = re.findall(
        r"^\| Kneser-Ney, (\d+) characters? of context( \(best\))? \| ([\d.]+) \| ([+-][\d.]+) \|$", out, re.M
    )
    orders = [int(order) for order, _, _, _ in rows]
    ngrams = [float(bpc) for _, _, bpc, _ in rows]
    assert "| Kneser-Ney, 1 character of context |" in out and "1 characters" not in out
    # Every order to 6, then 8, 10, ...: at least to order 10, where the sweep may stop.
    assert orders[:9] == [0, 1, 2, 3, 4, 5, 6, 8, 10] and orders == sorted(orders)
    assert [int(order) for order, best, _, _ in rows if best] == [orders[ngrams.index(min(ngrams))]]
    for _, _, bpc, gap in rows:  # the last column is the LSTM's bits minus the row's
        assert abs(float(gap) - (lstm - float(bpc))) <= 0.0015
    verdict = re.search(
        r"the LSTM's ([\d.]+) bpc is ([\d.]+) (below|above) the best n-gram's \(([\d.]+), (\d+)", out
    )
    assert (
        verdict
        and float(verdict.group(4)) == min(ngrams)
        and int(verdict.group(5)) == orders[ngrams.index(min(ngrams))]
    )
    assert verdict.group(3) == ("below" if lstm < min(ngrams) else "above")
    vocab = re.search(r"vocabulary: (\d+) ids", out)
    assert vocab and 0 < lstm <= math.log2(int(vocab.group(1))) + 0.5  # 3 steps: near uniform, finite
    assert re.search(r"training: 100%.*\| 3/3 \[", result.stderr)  # the progress bar, on stderr
    assert weights.is_file() and weights.with_name("small.vocab.json").is_file()
    assert f"weights saved to {weights}" in out


@pytest.mark.parametrize("length", [1, 40])
def test_text_sample_prints_the_prime_and_length_characters(
    trained: tuple[Path, subprocess.CompletedProcess[str]], length: int
) -> None:
    weights, _ = trained
    out = run("-m", "lstm_tutorial", "text", "--sample", "--weights", str(weights), "--prime", "def ",
              "--length", str(length), "--temperature", "0.7")  # fmt: skip
    assert out.endswith("\n") and out[:-1].startswith("def ")
    assert len(out[:-1]) == len("def ") + length


def test_text_sample_is_reproducible_and_the_seed_matters(
    trained: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    weights, _ = trained
    args = ["-m", "lstm_tutorial", "text", "--sample", "--weights", str(weights), "--length", "60"]
    assert run(*args, "--seed", "1") == run(*args, "--seed", "1") != run(*args, "--seed", "2")


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["--steps", "-3"], "argument --steps: must be an integer >= 1, got -3"),
        (["--steps", "0"], "argument --steps: must be an integer >= 1, got 0"),
        (["--layers", "two"], "argument --layers: must be an integer >= 1, got 'two'"),
        (["--train-chars", "0"], "argument --train-chars: must be an integer >= 1, got 0"),
        (["--impl", "jax"], "argument --impl: invalid choice: 'jax'"),
        (["--sample"], "--sample needs --weights PATH"),
        (
            ["--sample", "--weights", "no/such/file.npz"],
            "argument --weights: no such file: 'no/such/file.npz'",
        ),
        (
            ["--sample", "--weights", "w.npz", "--temperature", "0"],
            "argument --temperature: must be a finite",
        ),
        (
            ["--sample", "--weights", "w.npz", "--temperature", "nan"],
            "argument --temperature: must be a finite",
        ),
        (["--sample", "--weights", "w.npz", "--length", "-1"], "argument --length: must be an integer >= 1"),
        # An option the mode would ignore is refused, naming it, before anything runs.
        (["--temperature", "0.5"], "argument --temperature: used only with --sample"),
        (["--weights", "w.npz"], "argument --weights: used only with --sample"),
        (["--prime", "def"], "argument --prime: used only with --sample"),
        (["--length", "10"], "argument --length: used only with --sample"),
        (["--sample", "--weights", "w.npz", "--steps", "3"], "argument --steps: sets up training"),
        (["--sample", "--weights", "w.npz", "--layers", "2"], "argument --layers: sets up training"),
        (["--sample", "--weights", "w.npz", "--hidden", "8"], "argument --hidden: sets up training"),
        (
            ["--sample", "--weights", "w.npz", "--train-chars", "9"],
            "argument --train-chars: sets up training",
        ),
        (["--sample", "--weights", "w.npz", "--heldout-chars", "9"], "argument --heldout-chars: sets up"),
        (["--sample", "--weights", "w.npz", "--impl", "numpy"], "argument --impl: sets up training"),
        (["--sample", "--weights", "w.npz", "--eval-every", "5"], "argument --eval-every: sets up training"),
        (["--sample", "--weights", "w.npz", "--out", "m.npz"], "argument --out: sets up training"),
        (["--impl", "keras", "--eval-every", "5"], "argument --eval-every: not used with --impl keras"),
        # --out is checked before training, not when the weights are saved at the end.
        (["--out", "no/such/folder/m.npz"], "argument --out: the folder 'no/such/folder' does not exist"),
        (["--out", ""], "argument --out: must name a file, got ''"),
        (["--sample", "--weights", "."], "argument --weights: '.' is a folder, not a weights file"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else None,
)
def test_text_bad_options_are_usage_errors(
    argv: list[str], fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from lstm_tutorial.cli.main import main

    with pytest.raises(SystemExit) as info:
        main(["text", *argv])
    assert info.value.code == 2
    out, err = capsys.readouterr()
    assert err.startswith("usage: lstm-tutorial text")
    assert fragment in err
    assert out == ""  # refused before the corpus was read: nothing trained


def test_text_out_onto_a_folder_is_refused_before_training(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from lstm_tutorial.cli.main import main

    (tmp_path / "m.npz").mkdir()
    (tmp_path / "v.vocab.json").mkdir()
    for out, folder in (
        (tmp_path / "m", tmp_path / "m.npz"),
        (tmp_path / "v.npz", tmp_path / "v.vocab.json"),
    ):
        with pytest.raises(SystemExit) as info:
            main(["text", "--out", str(out)])
        assert info.value.code == 2
        printed, err = capsys.readouterr()
        assert printed == "" and f"argument --out: {str(folder)!r} is a folder" in err


def test_text_sample_refuses_a_length_beyond_the_limit(
    trained: tuple[Path, subprocess.CompletedProcess[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    from lstm_tutorial.cli.main import main

    weights, _ = trained
    with pytest.raises(SystemExit) as info:
        main(["text", "--sample", "--weights", str(weights), "--length", str(10**8)])
    assert info.value.code == 2
    assert "argument --length: must be at most 10,000,000 characters" in capsys.readouterr().err


@pytest.mark.parametrize(
    "extra, fragment",
    [
        (["--prime", "d\u00e9f"], "argument --prime: characters not in the model's vocabulary: '\u00e9'"),
        (["--prime", ""], "argument --prime: must hold at least one character"),
    ],
)
def test_text_sample_refuses_a_prime_it_cannot_read_without_a_traceback(
    trained: tuple[Path, subprocess.CompletedProcess[str]], extra: list[str], fragment: str
) -> None:
    weights, _ = trained
    result = subprocess.run(
        [sys.executable, "-m", "lstm_tutorial", "text", "--sample", "--weights", str(weights), *extra],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("usage: lstm-tutorial text") and fragment in result.stderr


def test_text_sample_refuses_a_file_that_is_not_a_weights_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_text("not a zip")
    bad.with_name("bad.vocab.json").write_text('{"chars": "abc"}')
    result = subprocess.run(
        [sys.executable, "-m", "lstm_tutorial", "text", "--sample", "--weights", str(bad)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "argument --weights:" in result.stderr and "not a readable .npz weights file" in result.stderr


def test_text_keras_impl_trains_the_same_model_with_keras_fit(tmp_path: Path) -> None:
    out = tmp_path / "keras"
    result = subprocess.run(
        [sys.executable, "-m", "lstm_tutorial", "text", "--impl", "keras", "--steps", "2", "--hidden", "8",
         *SMALL, "--out", str(out)],
        capture_output=True, text=True, check=True, timeout=600,
    )  # fmt: skip
    lstm = re.search(r"^\| LSTM \(keras, 2 steps\) \| ([\d.]+) \| \|$", result.stdout, re.M)
    assert lstm and 0 < float(lstm.group(1)) < 10
    from lstm_tutorial.nn.saving import load_params
    from lstm_tutorial.tasks.language import char_model

    trained_model = load_params(out.with_suffix(".npz"))
    vocab = int(re.search(r"vocabulary: (\d+) ids", result.stdout).group(1))
    fresh = char_model(vocab, 32, 8, layers=1, seed=0, dropout=0.25)
    # Keras' fit moved the weights away from the initial ones (the same initial weights as NumPy's)
    moved = [
        np.abs(a - b).max() for a, b in zip(trained_model.get_weights(), fresh.get_weights(), strict=True)
    ]
    # The recipe's schedule over 2 steps: a rate of 0 (the warm-up's start), then the peak 8e-3; the
    # second Adam step moves a weight by at most 1.0014 times its rate (bias-corrected moments of two
    # gradients, by Cauchy-Schwarz).
    assert all(0 < m < 8e-3 * 1.0014 for m in moved)


def test_seq2seq_trains_and_prints_held_out_accuracy_beside_the_baselines(tmp_path: Path) -> None:
    out_file = tmp_path / "addition.npz"
    out = run(
        "-m", "lstm_tutorial", "seq2seq", "--questions", "600", "--hidden", "8", "--epochs", "2",
        "--seed", "3", "--out", str(out_file),
    )  # fmt: skip
    assert "540 training and 60 held-out questions" in out
    losses = [float(v) for v in re.findall(r"loss: ([0-9.e+-]+)", out)]
    assert len(losses) == 2 and losses[1] < losses[0]
    characters, base_characters = map(
        float, re.search(r"per-character accuracy: (\S+)\s+baseline (\S+)", out).groups()
    )
    answers, base_answers = map(
        float, re.search(r"whole-answer accuracy:\s+(\S+)\s+baseline (\S+)", out).groups()
    )
    assert 0 <= answers <= characters <= 1 and 0 <= base_answers <= base_characters <= 1
    examples = re.findall(r"^\s+(\d+)\+(\d+) = (\S*)\s+\((right|wrong); the answer is (\d+)\)$", out, re.M)
    assert len(examples) == 5
    for a, b, guess, mark, answer in examples:
        assert int(answer) == int(a) + int(b) and (mark == "right") == (guess == answer)
    from lstm_tutorial.nn.saving import load_params

    assert [type(layer).__name__ for layer in load_params(out_file).layers] == [
        "Recurrent", "RepeatVector", "Recurrent", "Dense",
    ]  # fmt: skip


def test_seq2seq_keras_impl_trains_the_example_with_keras_fit() -> None:
    out = run("-m", "lstm_tutorial", "seq2seq", "--impl", "keras", "--questions", "300", "--hidden", "8")
    assert "trained 1 epoch(s) with keras" in out and "val_accuracy" in out
    assert re.search(r"whole-answer accuracy:\s+[0-9.]+\s+baseline", out)
