# The two commands a newcomer runs (see README.md):
#   make book   build the book into _build/html (creates .venv first)
#   make test   lint, type-check and run the test suite, which builds the book too
#   (make pdf   the whole book as one PDF, _build/html/lstm-tutorial.pdf, after the HTML build)
#
# Everything is installed into .venv from this repository's own files.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The CPU build of PyTorch. A bare `torch` requirement would make pip fetch a
# multi-GB CUDA build, so the exact CPU wheel is installed before anything else.
TORCH  := torch==2.13.0

# MathJax, served from the built site itself so that math renders offline
# (pinned in package.json / package-lock.json, installed from the npm registry).
MATHJAX := _static_vendor/mathjax/tex-chtml.js

# Headless Chromium for the browser check of the built pages and for printing the
# PDF; poppler-utils for the PDF's test (Debian's packages).
CHROMIUM := /usr/bin/chromium
PDFTOPPM := /usr/bin/pdftoppm
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: env book pdf test lint lock clean notebooks

env: $(STAMP) $(MATHJAX) $(CHROMIUM) $(PDFTOPPM)

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) apt-get install -y -qq chromium

$(PDFTOPPM):
	$(SUDO) apt-get update -qq
	$(SUDO) apt-get install -y -qq poppler-utils

$(MATHJAX): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf _static_vendor/mathjax
	mkdir -p _static_vendor/mathjax/output/chtml/fonts
	cp node_modules/mathjax/es5/tex-chtml.js _static_vendor/mathjax/
	cp -r node_modules/mathjax/es5/output/chtml/fonts/woff-v2 _static_vendor/mathjax/output/chtml/fonts/
	cp -r node_modules/mathjax/es5/input node_modules/mathjax/es5/ui node_modules/mathjax/es5/a11y _static_vendor/mathjax/

# pip installs without byte-compiling; compileall then compiles what it installed on every
# core (pip compiles one file at a time) and, as pip does, passes over files that do not
# compile (torch ships some for newer Pythons).
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --no-compile $(TORCH)
	$(BIN)/pip install --quiet --no-compile -c constraints.txt -e ".[book,test,frameworks]"
	$(BIN)/python -c "import compileall, sys; compileall.compile_dir(sys.argv[1], quiet=2, workers=0)" $(VENV)/lib
	touch $(STAMP)

# One BLAS/OpenMP thread a kernel: on a machine busy with other work, threads that
# outnumber the free cores spin waiting for one (the language model's training step
# took 165 ms at the default threads against 71 ms at one, under load), and on an
# idle two-core machine one thread costs the chapters almost nothing.
ONE_THREAD := OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

book: env
	$(ONE_THREAD) $(BIN)/jupyter-book build . --warningiserror --keep-going

# One PDF of the whole book, printed from the executed notebooks of `make book`
# (jupyter-cache): nothing is executed again.
pdf: book
	$(ONE_THREAD) $(BIN)/python tools/make_pdf.py

lint: env
	$(BIN)/ruff check lstm_tutorial tests benchmarks tools _ext
	$(BIN)/ruff format --check lstm_tutorial tests benchmarks tools _ext
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

# Exercise notebooks for a class: every chapter without its solutions.
notebooks: env
	$(BIN)/python tools/make_exercise_notebooks.py --out exercise_notebooks

# Refresh constraints.txt: resolve the newest versions allowed by pyproject.toml
# in a throw-away environment and record them exactly.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet $(TORCH)
	.lock-venv/bin/pip install --quiet -e ".[book,test,frameworks]"
	.lock-venv/bin/pip freeze --exclude-editable | grep -v '^-e' > constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf _build $(VENV) node_modules _static_vendor
