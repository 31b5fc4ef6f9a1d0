"""The benchmark script runs on a tiny configuration and prints complete tables (no timing assertions)."""

from __future__ import annotations

import math
import re
import subprocess
import sys

import pytest
from conftest import ROOT


def test_benchmark_script_prints_every_table() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--tiny", "--threads", "1"],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    out = result.stdout
    lstm_rows = re.findall(
        r"^\| \((\d+), (\d+), (\d+), (\d+)\) \| (float32|float64) \| ([\d.]+) \| ([\d.]+) \|", out, re.M
    )
    assert len(lstm_rows) == 4  # two shapes, two dtypes
    assert all(float(row[5]) > 0 and float(row[6]) > 0 for row in lstm_rows)
    assert re.search(r"^\| NumPy fit \| 1 \| [\d.]+ \| [\d.]+ \| [\d.e+-]+ \|$", out, re.M)
    assert re.search(r"^\| Keras model.fit \(torch backend\) \| 1 \|", out, re.M)
    assert re.search(r"NumPy is [\d.]+x faster per epoch", out)
    shares = re.findall(
        r"^- \((\d+), (\d+), (\d+), (\d+)\), [^:]+: NumPy LSTM [\d.]+ GFLOP/s; .* share: ([\d.]+)%$",
        out,
        re.M,
    )
    assert [row[:4] for row in shares] == [("4", "5", "2", "8"), ("8", "16", "32", "32")]
    # three significant digits: a tiny shape's share of a few tenths of a percent is not printed as 0
    assert all(float(row[4]) > 0 for row in shares)
    memory = re.findall(r"^\| (\d+) \| ([\d.]+) \| [\d.]+ \|$", out, re.M)
    assert [int(steps) for steps, _ in memory] == [10, 20]
    assert "## 5. Character language model, one training step (B 8, T 16, V 97, E 32, H 32" in out
    header = "| LSTM layers | NumPy chars/s | Keras chars/s | torch chars/s | NumPy ms | Keras / NumPy |"
    assert header in out
    language = re.findall(
        r"^\| 1 \| (\d+) \| (\d+) \| (\d+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) "
        r"\| ([\d.]+) \| (\d+)% \|$",
        out,
        re.M,
    )
    assert len(language) == 1  # one layer count in --tiny
    numbers = [float(value) for value in language[0]]
    assert all(math.isfinite(value) and value > 0 for value in numbers)
    costs = re.search(
        r"^The share depends on .* tanh ([\d.]+) ns \(NumPy's (\w+) kernel\), multiply ([\d.]+) ns\.$",
        out,
        re.M,
    )
    assert costs is not None
    assert float(costs[3]) < float(costs[1])  # a tanh costs more than a multiply
    assert "measure it with --threads 1" not in out  # --tiny runs on one thread (default 2 says so)
    assert "## 6. The language model at chapter 10's shape, one training step at one and two BLAS" in out
    assert "(T 16, V 100, E 32, H 32, float32;" in out  # --tiny's shape
    large = re.findall(
        r"^\| 8 \| (\d) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) "
        r"\| ([\d.]+(?:e-\d+)?)% \| ([\d.]+) -> ([\d.]+) \|$",
        out,
        re.M,
    )
    assert [row[0] for row in large] == ["1", "2"]  # B 8 at one thread, then at two
    for row in large:
        numpy_ms, torch_ms, keras_ms, torch_ratio, keras_ratio = (float(v) for v in row[1:6])
        assert min(numpy_ms, torch_ms, keras_ms) > 0
        # the ratios are the times' own, measured in the same run (to the printed rounding)
        assert torch_ratio == pytest.approx(torch_ms / numpy_ms, rel=0.02, abs=0.01)
        assert keras_ratio == pytest.approx(keras_ms / numpy_ms, rel=0.02, abs=0.01)
        # the share of matmul's GFLOP/s: in (0, 1] at one thread, where the step runs the same products
        # and more; at two, on a busy machine, a product's second thread can wait for a core longer than
        # the whole step takes, so only its sign is certain
        assert 0 < float(row[7]) <= (100 if row[0] == "1" else 10_000)
        assert float(row[8]) >= 0 and float(row[9]) >= 0  # the load averages printed


def test_textbook_lstm_matches_torch_autograd() -> None:
    """The appendix's unoptimised baseline computes the same gradients as torch."""
    import numpy as np
    import torch

    from lstm_tutorial.book.benchmark import textbook_lstm
    from lstm_tutorial.frameworks.torch import to_torch
    from lstm_tutorial.nn.gradcheck import rel_error
    from lstm_tutorial.nn.lstm import LSTMParams

    rng = np.random.default_rng(0)
    params = LSTMParams.init(3, 5, seed=1)
    params.b[:] = rng.normal(size=20)
    x = rng.normal(size=(4, 7, 3))
    dhs = rng.normal(size=(4, 7, 5))
    dW, dU, db, dx = textbook_lstm(x, params, dhs)
    module = to_torch(params)
    x_torch = torch.tensor(x, requires_grad=True)
    out, _ = module(x_torch)
    out.backward(torch.from_numpy(dhs))
    assert rel_error(dW, module.weight_ih_l0.grad.numpy().T) <= 1e-9
    assert rel_error(dU, module.weight_hh_l0.grad.numpy().T) <= 1e-9
    assert rel_error(db, module.bias_ih_l0.grad.numpy()) <= 1e-9
    assert rel_error(dx, x_torch.grad.numpy()) <= 1e-9
