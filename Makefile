# `make demo` and `make test` work on a fresh machine with Python 3.11: each creates .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: demo test test-fast test-slow bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/newsarchive demo

# Four test processes (pytest-xdist): most of a test's time is spent waiting on loopback servers
# and crawler subprocesses, so even two cores run four at once (9 minutes instead of 17 on
# the 2-core VM, 2026-11-27). PYTEST_WORKERS=0 runs them in one process.
PYTEST_WORKERS ?= 4

test: $(STAMP)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS)

test-fast: $(STAMP)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) -m "not slow"

test-slow: $(STAMP)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) -m slow

# The bench extra (newspaper4k) on top of the test install; if it cannot be installed the
# extraction benchmark says so and runs without it, and the next `make bench` tries again.
$(BENCH_STAMP): $(STAMP)
	if $(BIN)/python -m pip install --quiet -e '.[bench]'; then touch $(BENCH_STAMP); \
	else echo "make bench: the bench extra (newspaper4k) did not install; benchmarking without it"; fi

bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
