# Two commands do all set-up on a fresh machine with only python3 (versions pinned in constraints.txt):
#   make demo   build .venv, then run the main job on the embedded SQLite database with the bundled data
#   make test   build .venv (with test tools), then run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml constraints.txt
	@echo "== creating $(VENV) and installing reassure with its pinned dependencies (a few minutes the first time)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --progress-bar on -c constraints.txt -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/reassure demo

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python benchmarks/planner.py
	$(BIN)/python benchmarks/extraction.py
	$(BIN)/python benchmarks/indicators.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
