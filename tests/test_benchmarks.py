"""The benchmark script runs on a tiny configuration and prints complete tables (no timing assertions)."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT


def test_benchmark_script_prints_every_table() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--tiny"],
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
    assert re.search(r"share: \d+%", out)
    memory = re.findall(r"^\| (\d+) \| ([\d.]+) \|", out, re.M)
    assert [int(steps) for steps, _ in memory] == [10, 20]
