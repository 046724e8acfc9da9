# InvestDesk: the two Quickstart commands are `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test install browser ocr papers-libs lint bench clean messages

$(BIN)/investdesk: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/investdesk

## Install, load the demo data into the embedded SQLite database, serve on localhost.
run: install papers-libs
	$(BIN)/investdesk demo
	$(BIN)/investdesk serve --host $(HOST) --port $(PORT)

## Headless Chromium for the browser tests (Debian's package; nothing is downloaded by the tests).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; }

## Tesseract (English and Hindi) and poppler for reading scanned documents (Debian's packages).
ocr:
	@{ command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx hin \
	   && command -v pdftoppm >/dev/null 2>&1; } || { \
	  pkgs="tesseract-ocr tesseract-ocr-eng tesseract-ocr-hin poppler-utils"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$pkgs >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$pkgs >/dev/null; fi; }

## Pango and HarfBuzz, which WeasyPrint lays the papers (briefs, reports, packs) out with (Debian's packages).
papers-libs:
	@/sbin/ldconfig -p | grep -q libpangoft2-1.0 && /sbin/ldconfig -p | grep -q libharfbuzz-subset || { \
	  pkgs="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$pkgs >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$pkgs >/dev/null; fi; }

## Install everything and run the whole test suite (PostgreSQL too when INVESTDESK_TEST_DATABASE_URL is set).
test: install browser ocr papers-libs
	$(BIN)/python -m pytest

## Gather every marked string (Python, templates, mail) into locale/messages.pot and merge it into the Hindi
## catalogue: new strings arrive untranslated (English is shown until they are), gone ones are dropped.
LOCALE := src/investdesk/locale
messages: install
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output --project InvestDesk \
	  --copyright-holder "InvestDesk contributors" --msgid-bugs-address "" --width 120 --ignore-dirs ".*" -o $(LOCALE)/messages.pot .
	$(BIN)/pybabel update -i $(LOCALE)/messages.pot -d $(LOCALE) -l hi --width 120 --no-fuzzy-matching --ignore-obsolete

lint: install
	$(BIN)/ruff check src tests benchmarks

bench: install papers-libs
	$(BIN)/python benchmarks/extraction.py
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/exchange.py
	$(BIN)/python benchmarks/pipeline.py
	$(BIN)/python benchmarks/web.py
	$(BIN)/python benchmarks/readers.py
	$(BIN)/python benchmarks/documents.py
	$(BIN)/python benchmarks/notifications.py

clean:
	rm -rf $(VENV) build *.egg-info
