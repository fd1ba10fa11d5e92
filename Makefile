# Two commands work on a fresh machine with only Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test setup lint bench gpu-check validate clean

run: $(STAMP)  ## set up, then start the terminal app on the bundled bank
	$(VENV)/bin/quizapp

test: $(STAMP)  ## set up, then run the whole test suite
	$(PY) -m pytest -q

setup: $(STAMP)

# The CPU build of torch goes in first where no NVIDIA GPU is present, so that the unpinned
# `torch>=2.2` of pyproject.toml is already satisfied and pip never pulls a multi-GB CUDA build.
$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "quizapp needs Python 3.11 or newer")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@if ! command -v nvidia-smi >/dev/null 2>&1 && ! $(PY) -c 'import torch' 2>/dev/null; then \
		echo "no NVIDIA GPU: installing the CPU build of torch"; \
		$(PY) -m pip install -q torch==2.13.0 \
		|| $(PY) -m pip install -q 'torch>=2.2' --index-url https://download.pytorch.org/whl/cpu; \
	fi
	$(PY) -m pip install -q -e '.[dev]' --config-settings editable_mode=compat
	touch $(STAMP)

lint: $(STAMP)
	$(VENV)/bin/ruff check quizapp tests benchmarks
	$(VENV)/bin/mypy

validate: $(STAMP)
	$(VENV)/bin/quizapp validate

bench: $(STAMP)  ## speed goals, as ratios measured in one run
	$(PY) benchmarks/grade_speed.py
	$(PY) benchmarks/startup_speed.py
	$(PY) benchmarks/diagnosis_corpus.py
	$(PY) benchmarks/batch_throughput.py
	$(PY) benchmarks/sandbox_speed.py

gpu-check: $(STAMP)  ## on a machine with an NVIDIA GPU: every answer and mutant graded on cuda
	$(PY) benchmarks/gpu_check.py

clean:
	rm -rf $(VENV)
