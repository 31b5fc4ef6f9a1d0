"""Shared test set-up: Keras on the torch backend unless the environment says otherwise,
and one clean build of the book per test session for the tests that read it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

os.environ.setdefault("KERAS_BACKEND", "torch")


ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "_build" / "test-book"
HTML = OUT / "_build" / "html"


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part["chapters"]]
    return files


def notebook_chapters() -> list[Path]:
    return [ROOT / f"{name}.md" for name in toc_files() if "kernelspec" in (ROOT / f"{name}.md").read_text()]


@pytest.fixture(scope="session")
def built_book() -> Path:
    shutil.rmtree(OUT, ignore_errors=True)
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [
            str(jupyter_book),
            "build",
            str(ROOT),
            "--path-output",
            str(OUT),
            "--warningiserror",
            "--keep-going",
        ],
        capture_output=True,
        text=True,
        timeout=1500,
    )
    log = result.stdout + result.stderr
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "build.log").write_text(log)
    assert result.returncode == 0, f"book build failed (log in {OUT / 'build.log'}):\n{log[-6000:]}"
    return HTML
