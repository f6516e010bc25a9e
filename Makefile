# Two entry points (see README): `make run` and `make test`.
# Both create .venv, install the package, and install what they need from Debian.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test deps-run deps-test clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[service,batch,test]'
	touch $(STAMP)

deps-run:
	@sh scripts/apt-install.sh tesseract-ocr tesseract-ocr-eng tesseract-ocr-fra tesseract-ocr-spa

deps-test: deps-run
	@sh scripts/apt-install.sh poppler-utils chromium postgresql

run: deps-run $(STAMP)
	$(BIN)/auditor serve --host 127.0.0.1 --port 8000 --open

test: deps-test $(STAMP)
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) .pytest_cache
