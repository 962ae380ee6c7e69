"""The demo (`make run`, `make demo`) and the factories it shares with the tests: a development-only app.

Installed by config.settings.dev and config.settings.test, never by config.settings.prod; nothing in jxjy/
imports it. Its dependencies (factory-boy, time-machine) come from requirements-demo.txt.
"""
