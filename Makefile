# The two commands a newcomer runs (see README.md):
#   make book   build the book into _build/html (creates .venv first)
#   make test   lint, type-check and run the test suite, which builds the book too
#
# Everything is installed into .venv from this repository's own files.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The CPU build of PyTorch. A bare `torch` requirement would make pip fetch a
# multi-GB CUDA build, so the exact CPU wheel is installed before anything else.
TORCH  := torch==2.13.0

.PHONY: env book test lint lock clean

env: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet $(TORCH)
	$(BIN)/pip install --quiet -c constraints.txt -e ".[book,test]"
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . --warningiserror --keep-going

lint: $(STAMP)
	$(BIN)/ruff check lstm_tutorial tests
	$(BIN)/ruff format --check lstm_tutorial tests
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

# Refresh constraints.txt: resolve the newest versions allowed by pyproject.toml
# in a throw-away environment and record them exactly.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet $(TORCH)
	.lock-venv/bin/pip install --quiet -e ".[book,test]"
	.lock-venv/bin/pip freeze --exclude-editable | grep -v '^-e' > constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf _build $(VENV)
