# Front Desk: `make run` starts the program, `make test` checks it.
# Both create .venv and install what is needed (quick when nothing changed).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint format demo bench installer clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Front Desk needs Python 3.11 or newer."; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

run: $(STAMP)
	$(PY) -m frontdesk $(ARGS)

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest -q

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

demo: $(STAMP)
	$(PY) -m frontdesk --db demo.db demo

bench: $(STAMP)
	$(PY) bench/bench_icd10.py
	$(PY) bench/bench_payer_search.py
	$(PY) bench/bench_receipts.py
	$(PY) bench/report.py

installer: $(STAMP)
	$(PY) -m pip install --quiet -e ".[installer]"
	$(PY) build_installer.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
