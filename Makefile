# 继续教育系统 — `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run prod test lint format install migrate demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

migrate: install
	DJANGO_SETTINGS_MODULE=config.settings.dev $(BIN)/python manage.py migrate --noinput

demo: migrate
	DJANGO_SETTINGS_MODULE=config.settings.dev $(BIN)/python manage.py load_demo

run: demo
	DJANGO_SETTINGS_MODULE=config.settings.dev $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production mode on this machine (README: 生产部署): needs SECRET_KEY, DATABASE_URL, REDIS_URL.
prod: install
	deploy/run-prod

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -c pyproject.toml -q -r jxjy config manage.py
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -c pyproject.toml -q -r jxjy config manage.py

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var db.sqlite3
