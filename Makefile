# Two commands from nothing but Python 3.11+ and make: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-postgres lint format migrate demo clean screenshots

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		(echo "需要 Python 3.11 或更高版本 / Python 3.11+ is required"; exit 1)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

migrate: $(STAMP)
	@mkdir -p data
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput

demo: migrate
	DJANGO_DEBUG=1 $(PY) manage.py load_demo

# The portal on the embedded default, with a real Celery worker and beat (the reminder sweep
# each minute) passing messages through files in ./data: no Redis to install. Stopping the
# server (Ctrl-C) stops the worker too; its log is data/celery.log.
run: demo
	@mkdir -p data
	@export DJANGO_DEBUG=1 CELERY_BROKER_URL=filesystem:// CELERY_TASK_ALWAYS_EAGER=0; \
	$(VENV)/bin/celery -A config worker --beat --pool solo --loglevel INFO \
		--schedule data/celerybeat-schedule > data/celery.log 2>&1 & \
	worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	echo "提醒任务 (Celery worker + beat) 已启动，日志 data/celery.log / reminders running, log in data/celery.log"; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# pytest exits 5 when it collected nothing: that is a failure here, not a pass.
test: $(STAMP)
	$(PY) -m pytest -q $(PYTEST_ARGS); rc=$$?; \
		if [ $$rc -eq 5 ]; then echo "no tests were collected"; exit 1; fi; exit $$rc

# The README's pictures, taken by the browser tests (needs /usr/bin/chromium).
screenshots: $(STAMP)
	DOCS_SCREENSHOTS=1 $(PY) -m pytest -q tests/browser

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) data staticfiles
