"""Every event the 审计管理员 must be able to find is in the trail with its time, person, organisation,
address, action, object and outcome: logins, failed logins, lockouts, logouts, document moves, imports,
exports and downloads."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from demo import factories as f
from jxjy.audit import actions
from jxjy.audit.models import AuditEntry, Outcome
from jxjy.completions import services as completion_services
from jxjy.completions.scores import approved_registrations

from .lockout_helpers import PASSED, captcha_test_mode  # noqa: F401 - a fixture

IP = "10.20.30.40"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def last(words: str) -> AuditEntry:
    """The newest entry the 审计日志 shows as `words`."""
    return AuditEntry.objects.filter(actions.shown_as(words)).order_by("-seq").first()


def assert_complete(entry, *, actor, obj=None, outcome=Outcome.SUCCESS, ip=IP):
    assert entry is not None
    assert entry.created_at is not None
    assert entry.actor == actor and entry.organisation == actor.organisation
    assert entry.ip == ip and entry.outcome == outcome
    if obj is not None:
        assert (entry.object_type, entry.object_id) == (obj._meta.label_lower, str(obj.pk))


def login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=IP)


def test_login_and_logout(client, base_user):
    assert login(client, "jd_sl", f.PASSWORD).status_code == 302
    assert_complete(last("登录"), actor=base_user)
    client.post(reverse("accounts:logout"), REMOTE_ADDR=IP)
    assert_complete(last("退出登录"), actor=base_user)


def test_a_failed_login_names_the_account_tried_and_fails(client, base_user):
    login(client, "jd_sl", "wrong")
    assert_complete(last("登录失败"), actor=base_user, outcome=Outcome.FAILURE)


def test_a_failed_login_on_an_unknown_account_has_no_person(client, db):
    login(client, "nobody", "wrong")
    entry = last("登录失败")
    assert entry.actor is None and entry.ip == IP and entry.outcome == Outcome.FAILURE


@pytest.mark.usefixtures("captcha_test_mode")
def test_a_lockout_is_recorded(client, base_user):
    for _ in range(5):  # past the 图形验证码 asked for after the third
        client.post(reverse("accounts:login"), {"username": "jd_sl", "password": "wrong", **PASSED}, REMOTE_ADDR=IP)
    assert_complete(last("账号锁定"), actor=base_user, outcome=Outcome.FAILURE)


def test_a_document_move_through_its_view(client_for, base_user, filing):
    client_for(base_user).post(reverse("review:act", args=["prefiling", filing.pk, "submit"]), REMOTE_ADDR=IP)
    entry = last("提交")
    assert_complete(entry, actor=base_user, obj=filing)
    assert entry.state_after


@pytest.fixture
def completion(base, base_user):
    c = f.finished_class(base, base_user, learners=2)
    return completion_services.start(actor=base_user, training_class=c, name="结业备案", year=c.years[0])


def test_score_template_export_and_import(client_for, base_user, completion):
    client = client_for(base_user)
    client.get(reverse("completions:template", args=[completion.pk]), REMOTE_ADDR=IP)
    assert_complete(last("导出成绩模板"), actor=base_user, obj=completion)
    rows = [[r.name, r.learner.id_number, 90, "合格", ""] for r in approved_registrations(completion)]
    client.post(reverse("completions:step3", args=[completion.pk]), {"file": f.score_file(rows)}, REMOTE_ADDR=IP)
    assert_complete(last("导入学员成绩"), actor=base_user, obj=completion)


def test_attachment_downloads(client_for, base_user, filing, completion):
    client = client_for(base_user)
    plan = filing.attachments.get(kind="plan")
    assert client.get(reverse("filings:attachment", args=[plan.pk]), REMOTE_ADDR=IP).status_code == 200
    assert_complete(last("下载附件"), actor=base_user, obj=filing)
    attachment = f.add_attachment(completion, base_user, completion_services.REQUIRED_ATTACHMENTS[0])
    url = reverse("completions:attachment", args=[completion.pk, attachment.pk])
    assert client.get(url, REMOTE_ADDR=IP).status_code == 200
    assert_complete(last("下载附件"), actor=base_user, obj=completion)


def test_statistics_and_audit_exports(client_for, hr_region_user, auditor_user):
    client_for(hr_region_user).post(reverse("stats:export"), REMOTE_ADDR=IP)
    assert_complete(last("导出统计"), actor=hr_region_user)
    client_for(auditor_user).post(reverse("core:audit_export"), REMOTE_ADDR=IP)
    assert_complete(last("导出审计日志"), actor=auditor_user)
