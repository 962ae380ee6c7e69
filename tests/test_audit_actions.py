"""Audit entries store codes; their words come from the names each app declared once (jxjy/audit/actions.py):
every code is registered with its Chinese words, no call site records words, and the 审计日志 page, its filter,
each document's 审核日志 and the API show the words users have always seen."""

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.urls import reverse

from demo import factories as f
from jxjy.accounts.audit_actions import AccountAction
from jxjy.audit import actions
from jxjy.audit import trail as audit
from jxjy.audit.models import AuditEntry
from jxjy.filings.application_form import upload_stamped_form
from jxjy.review import engine
from jxjy.review.registry import KINDS
from jxjy.review.workflows import Action, By

ROOT = Path(__file__).resolve().parents[1]
CODE = re.compile(r"^[a-z][a-z0-9_]*$")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_every_app_declares_its_actions_once_and_registers_them():
    declared = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("jxjy.") or not (Path(config.path) / "audit_actions.py").exists():
            continue
        module = importlib.import_module(f"{config.name}.audit_actions")
        [choices] = [v for v in vars(module).values() if isinstance(v, type) and issubclass(v, models.TextChoices)]
        declared.update(choices.choices)
    assert len(declared) > 60
    for code, words in declared.items():
        assert actions.CODES[code] == words
    for code, words in actions.CODES.items():
        assert CODE.match(code) and CHINESE.search(words), (code, words)
    assert len(set(actions.CODES.values())) == len(actions.CODES)  # one code for each of today's words


def test_every_move_of_every_kind_shows_its_buttons_words():
    for kind in KINDS.values():
        for t in kind.workflow.transitions.values():
            assert t.action in Action.values and t.by in By.values
            assert actions.label(t.action, kind.model._meta.label_lower) == t.label


def test_the_registry_refuses_a_code_declared_twice():
    class Clash(models.TextChoices):
        NEW = "a_code_nobody_has", "新操作"
        LOGIN = "login", "登录"

    with pytest.raises(ImproperlyConfigured, match="login"):
        actions.register(Clash)
    assert "a_code_nobody_has" not in actions.CODES  # nothing of a refused declaration is kept
    with pytest.raises(ImproperlyConfigured, match="dept_approve"):
        actions.register_moves("filings.prefiling", [("dept_approve", "同意")])
    with pytest.raises(ImproperlyConfigured, match="login"):
        actions.register_moves("filings.prefiling", [("login", "登录")])


def test_unknown_actions_show_what_they_store():
    assert actions.label("升级前的操作") == "升级前的操作"
    assert actions.label("approve", "filings.prefiling") == "approve"  # not a move of that kind


def test_no_call_site_records_words():
    words = re.compile(r"""\baction\s*=\s*(f?["'][^"']*[\u4e00-\u9fff])""")
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in (ROOT / "jxjy").rglob("*.py")
        if "migrations" not in path.parts
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        if words.search(line)
    ]
    assert found == []


def test_a_filing_and_a_login_record_only_registered_codes(client, filing, base_user, department_user, hr_region_user):
    client.post(reverse("accounts:login"), {"username": base_user.username, "password": f.PASSWORD})
    engine.perform(filing, Action.SUBMIT, actor=base_user)
    engine.perform(filing, Action.DEPT_APPROVE, actor=department_user)
    upload_stamped_form(filing, actor=department_user, upload=f.upload("盖章申报表.pdf"))
    engine.perform(filing, Action.FORWARD, actor=department_user)
    engine.perform(filing, Action.HR_RETURN, actor=hr_region_user, opinion="请补充")
    recorded = set(AuditEntry.objects.values_list("action", "object_type"))
    assert {("login", ""), ("dept_approve", "filings.prefiling"), ("hr_return", "filings.prefiling")} <= recorded
    assert [pair for pair in recorded if not actions.is_known(*pair)] == []
    assert [e.action_label for e in engine.log_for(filing)] == ["提交", "通过", "提交", "退回"]


def test_the_audit_log_shows_and_filters_by_the_words(client_for, auditor_user, filing, base_user, department_user):
    engine.perform(filing, Action.SUBMIT, actor=base_user)
    engine.perform(filing, Action.DEPT_APPROVE, actor=department_user)
    audit.record(actor=base_user, action=AccountAction.LOGIN)
    audit.record(actor=base_user, action="登录")  # a row of before: its words, shown as they are
    client = client_for(auditor_user)
    page = client.get(reverse("core:audit_log")).content.decode()
    assert "<td>通过</td>" in page and "<td>登录</td>" in page and "<td>dept_approve</td>" not in page
    assert '<option value="通过">通过</option>' in page and '<option value="登录">登录</option>' in page
    assert page.count('<option value="登录">') == 1
    page = client.get(reverse("core:audit_log"), {"action": "通过"}).content.decode()
    assert "待主管部门审核 → 主管部门审核通过" in page and "草稿 → 待主管部门审核" not in page
    logins = AuditEntry.objects.filter(actions.shown_as("登录"))
    assert set(logins.values_list("action", flat=True)) == {"login", "登录"}
