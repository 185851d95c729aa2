# workerd-py developer entry points. Everything needed is installed by these targets.
PY ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
ENGINE_SO_STAMP := $(VENV)/.engine-built
ENGINE_SRC := $(wildcard src/workerd_py/engine/*.c src/workerd_py/engine/*.h) setup.py
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: all setup engine pyc test test-fast run bench bench-engine clean

all: setup

$(VENV)/.deps: pyproject.toml
	$(PY) -m venv $(VENV)
	$(VPY) -m pip install -q --upgrade pip setuptools wheel
	WORKERD_PY_NO_EXT=1 $(VPY) -m pip install -q -e '.[test]'
	touch $@

$(ENGINE_SO_STAMP): $(VENV)/.deps $(ENGINE_SRC)
	$(VPY) setup.py -q build_ext --inplace
	touch $@

# Bytecode caches for our sources: start-up stays fast even where PYTHONDONTWRITEBYTECODE is set.
pyc: $(VENV)/.deps
	@$(VPY) -m compileall -q src > /dev/null

setup: $(VENV)/.deps $(ENGINE_SO_STAMP) pyc

engine: $(ENGINE_SO_STAMP)

test: setup
	$(VPY) -m pytest -q tests

test-fast: setup
	$(VPY) -m pytest -q -x tests -m "not slow"

# Serve the sample on the embedded default config (samples/helloworld_esm) on $(HOST):$(PORT).
run: setup
	$(VENV)/bin/workerd serve --default -s http=$(HOST):$(PORT)

bench-engine: setup
	$(VPY) bench/engine_bench.py

bench: setup
	$(VPY) bench/run.py

clean:
	rm -rf build $(VENV) src/workerd_py/engine/*.so
