# gridbot: `make demo` to try it, `make test` to run every test. Both set up .venv first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: install browser fonts demo test bench lint clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Debian's chromium for the browser test (Playwright drives it; no browser download), and
# a colour emoji font so the web chat's emoji are not boxes
browser:
	scripts/ensure-chromium
	scripts/ensure-emoji-font

# a font with Chinese glyphs for /chart (Debian's WenQuanYi Micro Hei, when root), and
# Debian's Noto Color Emoji for the web chat
fonts:
	scripts/ensure-cjk-font
	scripts/ensure-emoji-font

demo: install fonts
	$(VENV)/bin/gridbot demo $(DEMO_ARGS)

test: install browser fonts
	$(PY) -m pytest $(PYTEST_ARGS)

# the resident report flow, gridbot against a bare aiogram echo bot (and against a bot that
# makes gridbot's calls and nothing else: --ceilings), then /stats over a
# synthetic district of a million cases, on PostgreSQL too when GRIDBOT_TEST_PG_URL is set
# (docs/benchmarks.md); other sizes: BENCH_ARGS="--residents 20 --flows 2",
# STATS_ARGS="--small" (20,000 cases)
bench: install
	$(PY) -m bench.report_flow --ceilings $(BENCH_ARGS)
	$(PY) -m bench.stats $(STATS_ARGS)
	$(PY) -m bench.org_import $(ORG_BENCH_ARGS)
	$(PY) -m bench.delivery $(DELIVERY_BENCH_ARGS)

lint: install
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/ruff format --check src tests
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
