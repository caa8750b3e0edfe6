# Bản Làng — every task a developer or CI runs goes through here.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
LOCALES := vi en hmn blt km cjm rad jra bdq cmo

.DEFAULT_GOAL := help
.PHONY: help install run test lint format check bench bench-media bench-heritage bench-search bench-outreach bench-feedback bench-translation bench-loudspeaker audit messages fonts clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Bản Làng needs Python 3.11 or newer; set PYTHON=python3.12 for example.")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@mkdir -p "$${VAR_DIR:-var}"
	@touch $@

install: $(VENV)/.installed ## Create the virtualenv and install everything

run: install ## Set up on embedded defaults, load the demo and serve http://127.0.0.1:$(PORT)
	@mkdir -p "$${VAR_DIR:-var}"
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --port $(PORT)
	@echo
	@echo "  Bản Làng is at   http://127.0.0.1:$(PORT)/"
	@echo "  Admin:           http://127.0.0.1:$(PORT)/admin/   user 'admin', password 'banlang-demo'"
	@echo "  Heritage demo:   users 'officer', 'community', 'custodian', 'reader', password 'banlang-demo'"
	@echo
	@$(PY) manage.py db_worker & worker=$$!; \
	  $(PY) manage.py send_outbox & sender=$$!; \
	  trap 'kill $$worker $$sender 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver --noreload 127.0.0.1:$(PORT)

test: install ## Run the whole test suite (DATABASE_URL picks the database)
	$(PY) -m tests.shared_data
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) -m pytest $(PYTEST_ARGS)

lint: install ## ruff, mypy, Django's checks and missing migrations
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

format: install ## Format and fix what ruff can
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: install ## Benchmark page rendering on a seeded site (writes var/bench/site.json)
	$(PY) -m tests.bench.site $(BENCH_ARGS)

bench-media: install ## Benchmark media processing (writes var/bench/media.json)
	$(PY) -m tests.bench.media $(BENCH_ARGS)

bench-search: install ## Benchmark search over 300,000 documents (writes var/bench/search.json)
	$(PY) -m tests.bench.search $(BENCH_ARGS)

bench-outreach: install ## Benchmark outreach at 1,000,000 subscribers and the crash test (writes var/bench/outreach.json)
	$(PY) -m tests.bench.outreach $(BENCH_ARGS)

bench-feedback: install ## Benchmark residents' questions at 100,000 submissions (writes var/bench/feedback.json)
	$(PY) -m tests.bench.feedback $(BENCH_ARGS)

bench-translation: install ## Benchmark the translation dashboard at 20,000 pages in 10 languages (writes var/bench/translation.json)
	$(PY) -m tests.bench.translation $(BENCH_ARGS)

bench-loudspeaker: install ## Benchmark a 30-minute loudspeaker programme, page-view counting and open data (writes var/bench/loudspeaker.json, opendata.json)
	$(PY) -m tests.bench.loudspeaker $(BENCH_ARGS)
	$(PY) -m tests.bench.opendata $(OPENDATA_ARGS)

audit: install ## Lighthouse (mobile) scores of the demo's main pages (writes var/bench/audit.json)
	$(PY) -m tests.bench.audit $(BENCH_ARGS)

bench-heritage: install ## Benchmark importing 10,000 heritage records (writes var/bench/heritage.json)
	$(PY) -m tests.bench.heritage $(BENCH_ARGS)

messages: install ## Extract interface strings (needs gettext) and compile catalogues (Babel)
	$(PY) manage.py makemessages --no-obsolete --no-location $(addprefix -l ,$(LOCALES)) --ignore '$(VENV)/*' --ignore 'var/*' --ignore 'tests/*'
	$(PY) manage.py compile_catalogues

fonts: install ## Rebuild the subset web fonts from Debian's fonts-noto-core
	$(PY) manage.py build_fonts

clean: ## Remove the virtualenv and runtime data
	rm -rf $(VENV) var
