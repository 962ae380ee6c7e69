"""The dependency gate (.ci/pip_audit_gate.py) fails on a known vulnerability and never passes silently
when the vulnerability service could not be asked."""

import importlib.util
from pathlib import Path

import pytest

GATE = Path(__file__).resolve().parent.parent / ".ci" / "pip_audit_gate.py"


@pytest.fixture
def gate():
    spec = importlib.util.spec_from_file_location("pip_audit_gate", GATE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def answer(gate, monkeypatch, *deps):
    monkeypatch.setattr(gate, "audit", lambda args: {"dependencies": list(deps)})


CLEAN = {"name": "django", "version": "5.2.19", "vulns": []}
VULNERABLE = {"name": "django", "version": "5.2.19", "vulns": [{"id": "PYSEC-1", "fix_versions": ["5.2.20"]}]}
SKIPPED = {"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited: django (5.2.19)"}


def test_clean_passes(gate, monkeypatch, capsys):
    answer(gate, monkeypatch, CLEAN)
    assert gate.main() == 0 and "no known vulnerabilities" in capsys.readouterr().out


def test_a_vulnerability_fails(gate, monkeypatch, capsys):
    answer(gate, monkeypatch, CLEAN, VULNERABLE)
    assert gate.main() == 1 and "VULNERABLE" in capsys.readouterr().out


def test_an_unreachable_service_is_reported_not_passed_silently(gate, monkeypatch, capsys):
    answer(gate, monkeypatch, SKIPPED)
    assert gate.main() == 0
    out = capsys.readouterr().out
    assert "UNVERIFIED" in out and "django" in out and "no known vulnerabilities" not in out


def test_an_unreachable_service_fails_where_the_audit_is_required(gate, monkeypatch):
    monkeypatch.setenv("JXJY_REQUIRE_PIP_AUDIT", "1")
    answer(gate, monkeypatch, SKIPPED)
    assert gate.main() == 1
