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

run: venv
	-KB_DOCS="$(KB_DOCS)" $(BIN)/kb ingest "$(KB_DOCS)"
	KB_DOCS="$(KB_DOCS)" $(BIN)/streamlit run server.py --server.address $(HOST) --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false --server.fileWatcherType none

test: venv
	$(BIN)/pytest

clean:
	rm -rf $(VENV) .kb
