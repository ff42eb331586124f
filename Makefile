# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
KB_DOCS ?= data/stmm
HOST ?= 127.0.0.1
PORT ?= 8501
export HF_HUB_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: venv run ingest test bench clean

$(BIN)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip==25.3
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
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
	KB_DOCS="$(KB_DOCS)" $(BIN)/streamlit run server.py --server.address $(HOST) --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false --server.fileWatcherType none

test: venv
	$(BIN)/pytest

clean:
	rm -rf $(VENV) .kb
