# One command each for a fresh machine: `make demo` (build, grade the bundled samples, write
# reports) and `make test` (lint, build --check, the test suite). Both create or reuse .venv.
VENV ?= .venv
PY := $(VENV)/bin/python
OUT ?= out/hw01_delta_sequences

.PHONY: setup test demo validate benchmark clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	@if [ "$$(id -u)" = 0 ] && ! command -v bwrap >/dev/null; then \
		apt-get install -y -qq bubblewrap >/dev/null 2>&1 || \
		(apt-get update -qq >/dev/null && apt-get install -y -qq bubblewrap >/dev/null) || \
		echo "bubblewrap could not be installed: workers fall back to rlimits"; fi
	touch $@

test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/course-grade build --check
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(PY) -m pytest -n auto --dist loadfile

demo: setup
	$(VENV)/bin/course-grade build --check
	$(VENV)/bin/course-grade grade hw01_delta_sequences samples/hw01_delta_sequences --out $(OUT)

validate: setup
	$(VENV)/bin/course-grade validate

benchmark: setup
	$(PY) benchmarks/bench_grading.py

clean:
	rm -rf $(VENV) out
