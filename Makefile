# 继续教育系统 — `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PIP := $(BIN)/pip install --disable-pip-version-check --progress-bar on
# What the server needs (make prod), what the demo needs on top (make run, make demo: the development-only demo
# app), and what the tests and tools need on top of that (make test).
SERVER_STAMP := $(VENV)/.installed-server
DEMO_STAMP := $(VENV)/.installed-demo
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run run-debug prod test lint format install install-server migrate demo clean messages catalogues

# The interface's translations (locale/<language>/LC_MESSAGES/*.po, written by `make catalogues`) are compiled
# here, never committed: the .mo files, and the scripts' catalogue as a static file (django-statici18n).
PO := $(wildcard locale/*/LC_MESSAGES/*.po)
MO := $(PO:.po=.mo)
JS_CATALOGUE := var/i18n/jsi18n/.built

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(SERVER_STAMP): $(BIN)/python requirements.txt
	@echo "== 安装服务器所需的软件包（requirements.txt），首次约需几分钟"
	$(PIP) -r requirements.txt
	touch $@

$(DEMO_STAMP): $(SERVER_STAMP) requirements-demo.txt
	@echo "== 安装演示数据所需的软件包（requirements-demo.txt）"
	$(PIP) -r requirements-demo.txt
	touch $@

$(DEV_STAMP): $(DEMO_STAMP) requirements-dev.txt package-lock.json
	@echo "== 安装测试与检查工具（requirements-dev.txt；浏览器测试的无障碍检查 axe-core：package-lock.json，需要 node 与 npm）"
	$(PIP) -r requirements-dev.txt
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund; \
	else echo "== 未找到 npm：不安装 axe-core，无障碍检查的浏览器测试将跳过（CI 中必须运行）"; fi
	touch $@

%.mo: %.po $(SERVER_STAMP)
	$(BIN)/pybabel -q compile --statistics -i $< -o $@

$(JS_CATALOGUE): $(MO) $(SERVER_STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.base $(BIN)/python manage.py compilejsi18n -v0
	touch $@

messages: $(MO) $(JS_CATALOGUE)

# After changing a text in the code: collect the msgids anew (needs GNU gettext), translate, `make messages`.
catalogues: install-server
	$(BIN)/python manage.py makemessages --locale ug --domain django --no-obsolete --add-location file \
	  --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'demo/*'
	$(BIN)/python manage.py makemessages --locale ug --domain djangojs --no-obsolete --add-location file \
	  --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'var/*'

install-server: $(SERVER_STAMP) messages

install: $(DEV_STAMP) messages

migrate: install-server
	DJANGO_SETTINGS_MODULE=config.settings.dev $(BIN)/python manage.py migrate --noinput -v1

demo: migrate $(DEMO_STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.dev $(BIN)/python manage.py load_demo

run: demo
	DJANGO_SETTINGS_MODULE=config.settings.dev $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The same with Django's debug pages, for developers (make run shows the site as its users see it).
run-debug: demo
	JXJY_DEBUG=1 DJANGO_SETTINGS_MODULE=config.settings.dev $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production mode on this machine (README: 生产部署): needs SECRET_KEY, DATABASE_URL, REDIS_URL.
prod: install-server
	deploy/run-prod

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -c pyproject.toml -q -r jxjy config manage.py
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -c pyproject.toml -q -r jxjy config manage.py

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var db.sqlite3 $(MO)
