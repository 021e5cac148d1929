# Two commands do all set-up on a fresh machine:
#   make demo   -> .venv, the synthetic demo study, validated, processed, report built
#   make test   -> .venv with the test extra, chromium + axe-core for the browser tests, all tests
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Reinstall when pyproject.toml changes (the stamp carries its hash).
HASH   := $(shell $(PYTHON) -c "import hashlib;print(hashlib.sha256(open('pyproject.toml','rb').read()).hexdigest()[:12])")
STAMP  := $(VENV)/.installed-$(HASH)
TSTAMP := $(VENV)/.installed-test-$(HASH)
BSTAMP := $(VENV)/.installed-bench-$(HASH)
PYTEST_ARGS ?= -n 2

.PHONY: demo test lint venv clean-demo bench catalogues

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	rm -f $(VENV)/.installed-*
	touch $@

$(TSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP) $@

$(BSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,bench]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP) $(TSTAMP) $@

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/impact demo .
	$(BIN)/impact validate
	$(BIN)/impact process
	@if $(BIN)/impact --help | grep -q " build "; then $(BIN)/impact build; fi

# The import layers first (a broken contract stops here, in half a second); then the browser
# tests' own needs (chromium, a font, axe-core); then every test runs, and a test that would be
# skipped fails instead (IMPACT_NO_SKIP).
test: $(TSTAMP)
	$(BIN)/lint-imports
	bash tools/install-test-deps.sh
	IMPACT_NO_SKIP=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

# The import layers and the no-cycles rule ([tool.importlinter] in pyproject.toml).
lint: $(TSTAMP)
	$(BIN)/lint-imports

# One run writes BENCHMARKS.md and the README's "Speed in short"; BENCH_ARGS="--scales 1,2,4" adds growth.
BENCH_ARGS ?=
bench: $(BSTAMP)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean-demo:
	rm -rf data/raw/* data/processed/* reports/* questionnaires/*.xlsx questionnaires/guides impact.toml
	touch data/raw/.gitkeep data/processed/.gitkeep reports/.gitkeep

# User-facing text: Dutch in the code, other languages in impact/locale/<lang>/LC_MESSAGES/impact.po.
# After changing text: `make catalogues`, write the new English in impact/locale/en/LC_MESSAGES/impact.po
# (empty msgstr), `make catalogues` again (compiles the .mo files). See docs/talen.md.
LOCALE := impact/locale
catalogues: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k Text -k T --project=impact --no-wrap --add-location=file \
		--sort-output --omit-header -o $(LOCALE)/impact.pot .
	for lang in $$(ls $(LOCALE) | grep -v '\.pot$$'); do \
		$(BIN)/pybabel update -i $(LOCALE)/impact.pot -d $(LOCALE) -D impact -l $$lang --no-wrap \
			--ignore-obsolete || exit 1; done
	$(BIN)/pybabel compile -d $(LOCALE) -D impact --statistics
