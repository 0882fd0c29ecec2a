# Two commands do all set-up on a fresh machine with only python3 (versions pinned in constraints.txt):
#   make demo   build .venv, then run the main job on the embedded SQLite database with the bundled data
#   make test   build .venv (with test tools), then run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ASSETS := src/reassure/web/static/vendor/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml constraints.txt
	@echo "== creating $(VENV) and installing reassure with its pinned dependencies (a few minutes the first time)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --progress-bar on -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# Browser assets for the dashboard: pinned npm packages (web-assets/package-lock.json), copied into the package.
# Without npm the CLI works; the dashboard then says its maps and charts cannot draw (apt-get install npm).
$(ASSETS): web-assets/package.json web-assets/package-lock.json tools/vendor_assets.py
	@if command -v npm >/dev/null 2>&1; then \
	  echo "== installing the dashboard's browser assets from pinned npm packages"; \
	  npm ci --prefix web-assets --ignore-scripts --no-audit --no-fund --loglevel=error && \
	  $(PYTHON) tools/vendor_assets.py && touch $(ASSETS); \
	else echo "== npm not found: skipping the dashboard's browser assets (apt-get install npm, then make again)"; fi

demo: $(STAMP) $(ASSETS)
	$(BIN)/reassure demo

test: $(STAMP) $(ASSETS)
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
