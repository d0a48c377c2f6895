# gridbot: `make demo` to try it, `make test` to run every test. Both set up .venv first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: install browser demo test bench lint clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Debian's chromium for the browser test (Playwright drives it; no browser download)
browser:
	scripts/ensure-chromium

demo: install
	$(VENV)/bin/gridbot demo $(DEMO_ARGS)

test: install browser
	$(PY) -m pytest $(PYTEST_ARGS)

# the resident report flow, gridbot against a bare aiogram echo bot (docs/benchmarks.md);
# other sizes: BENCH_ARGS="--residents 20 --flows 2"
bench: install
	$(PY) -m bench.report_flow $(BENCH_ARGS)

lint: install
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/ruff format --check src tests
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
