"""Refused attempts are in the trail with outcome 失败 — 403 and 404 to signed-in users, CSRF failures, refused
review moves, 409s, the API's 401 and 429, wrong second-factor codes — with who, from where and why; a flood
of them gives a bounded number of entries, and a cache outage records them all rather than none."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from demo import factories as f
from jxjy.audit import actions
from jxjy.audit.models import AuditEntry, Outcome
from jxjy.core import clock
from jxjy.review import engine

from .account_helpers import VerifiedClient, code, device_of

IP = "10.20.30.40"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()  # the refusal counts live in the cache
    yield
    cache.clear()


def entries(words: str):
    """The entries the 审计日志 shows as `words`."""
    return AuditEntry.objects.filter(actions.shown_as(words)).order_by("seq")


def last(words: str) -> AuditEntry:
    entry = entries(words).last()
    assert entry is not None, f"no {words} entry"
    assert entry.outcome == Outcome.FAILURE
    return entry


def test_a_403_to_a_signed_in_user_is_recorded_as_failed(client_for, base_user):
    assert client_for(base_user).get(reverse("core:audit_log"), REMOTE_ADDR=IP).status_code == 403
    entry = last("拒绝访问")
    assert entry.actor == base_user and entry.organisation == base_user.organisation and entry.ip == IP
    assert entry.detail == {"请求": "GET /audit/", "状态码": 403, "原因": "只有审计管理员可以查看审计日志。"}


def test_another_organisations_document_is_a_recorded_404(client_for, prefecture_base_user, filing):
    url = reverse("filings:detail", args=[filing.pk])
    assert client_for(prefecture_base_user).get(url, REMOTE_ADDR=IP).status_code == 404
    entry = last("访问不存在或无权访问的对象")
    assert entry.actor == prefecture_base_user and entry.detail["请求"] == f"GET {url}"
    assert entry.detail["原因"] == "未找到该备案。"


def test_anonymous_404s_and_403s_are_not_recorded(client, db):
    assert client.get("/no/such/page/").status_code == 404
    assert not AuditEntry.objects.exists()


def test_a_csrf_failure_is_recorded_signed_in_or_not(db, base_user, filing):
    browser = VerifiedClient(enforce_csrf_checks=True)
    response = browser.post(reverse("accounts:login"), {"username": "jd_sl", "password": "x"}, REMOTE_ADDR=IP)
    assert response.status_code == 403
    entry = last("CSRF校验失败")
    assert entry.actor is None and entry.ip == IP and entry.detail["请求"] == "POST /accounts/login/"
    browser.force_login(base_user)
    url = reverse("review:act", args=["prefiling", filing.pk, "submit"])
    assert browser.post(url, REMOTE_ADDR=IP).status_code == 403
    assert last("CSRF校验失败").actor == base_user
    assert not AuditEntry.objects.filter(action="submit").exists()


def test_a_refused_review_move_is_recorded_with_its_document(client_for, base_user, filing):
    engine.perform(filing, "submit", actor=base_user)
    client = client_for(base_user)
    response = client.post(reverse("review:act", args=["prefiling", filing.pk, "submit"]), REMOTE_ADDR=IP)
    assert response.status_code == 302  # back to the document, with the reason shown
    entry = last("审核操作被拒绝")
    assert (entry.object_type, entry.object_id) == ("filings.prefiling", str(filing.pk))
    assert entry.actor == base_user and entry.detail["操作"] == "submit" and "不能执行「提交」" in entry.detail["原因"]
    response = client.post(reverse("review:act", args=["prefiling", filing.pk, "dept_approve"]), REMOTE_ADDR=IP)
    assert response.status_code == 403  # a reviewer's move tried by the owner
    assert "无权" in last("拒绝访问").detail["原因"]


def test_a_409_is_recorded(client_for, base_user, filing):
    engine.perform(filing, "submit", actor=base_user)
    url = reverse("filings:edit", args=[filing.pk])
    assert client_for(base_user).post(url, {"action": "save"}, REMOTE_ADDR=IP).status_code == 409
    entry = last("操作被拒绝（状态冲突）")
    assert entry.actor == base_user and entry.detail == {"请求": f"POST {url}", "状态码": 409}


def test_api_401_403_and_429_are_recorded(db, settings, base, sysadmin_user):
    from .api.conftest import new_token

    assert Client().get("/api/v1/documents", REMOTE_ADDR=IP).status_code == 401
    entry = last("接口认证失败")
    assert entry.actor is None and entry.ip == IP and entry.detail["状态码"] == 401
    secret = new_token(base, ["documents:read"], sysadmin_user)
    wrong_scope = Client(headers={"Authorization": f"Bearer {secret}"})
    assert wrong_scope.post("/api/v1/hours/query", {}, content_type="application/json").status_code == 403
    assert last("拒绝访问").organisation == base  # the token's organisation, no person
    settings.JXJY_API_RATE_PER_IP = "1/m"
    public = Client()
    codes = [public.get("/api/v1/certificates/verify/NOPE", REMOTE_ADDR=IP).status_code for _ in range(2)]
    assert codes[-1] == 429
    assert last("请求过于频繁").detail == {"请求": "GET /api/v1/certificates/verify/NOPE", "状态码": 429}


def test_a_wrong_second_factor_code_is_a_failure(db, hr_region_user):
    device = device_of(hr_region_user)
    client = Client()
    client.force_login(hr_region_user)  # the password passed, the second factor not yet
    wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"
    client.post(reverse("accounts:otp_verify"), {"token": wrong})
    entry = last("二次验证失败")
    assert entry.actor == hr_region_user and entry.detail == {"原因": "验证码不正确"}


def test_a_flood_of_403s_gives_a_bounded_number_of_entries(client_for, settings, base_user, learner_user):
    settings.JXJY_AUDIT_REFUSALS_PER_MINUTE = 20
    client = client_for(base_user)
    for _ in range(100):
        assert client.get(reverse("core:audit_log"), REMOTE_ADDR=IP).status_code == 403
    assert entries("拒绝访问").count() == 20
    note = last("审计记录限流")
    assert note.actor == base_user and "不再逐条记录" in note.detail["说明"]
    # Another account has its own allowance; the next minute the first one has one again.
    client_for(learner_user).get(reverse("core:audit_log"))
    assert entries("拒绝访问").last().actor == learner_user
    with time_machine.travel(clock.now() + dt.timedelta(seconds=61)):
        client_for(base_user).get(reverse("core:audit_log"))
    assert entries("拒绝访问").count() == 22 and entries("审计记录限流").count() == 1


def test_many_sources_together_are_bounded_too(client_for, settings, base_user, learner_user):
    settings.JXJY_AUDIT_REFUSALS_TOTAL_PER_MINUTE = 5
    for user in (base_user, learner_user):
        client = client_for(user)
        for _ in range(10):
            client.get(reverse("core:audit_log"))
    assert entries("拒绝访问").count() == 5 and entries("审计记录限流").count() == 1


def test_with_the_cache_down_every_refusal_is_recorded(client_for, settings, base_user):
    settings.CACHES = {
        **settings.CACHES,
        "down": {"BACKEND": "jxjy.core.cache.FailSafeRedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
    }
    settings.RATELIMIT_USE_CACHE = "down"
    settings.JXJY_AUDIT_REFUSALS_PER_MINUTE = 3
    client = client_for(base_user)
    for _ in range(6):
        assert client.get(reverse("core:audit_log")).status_code == 403
    assert entries("拒绝访问").count() == 6


def test_a_move_refused_with_a_message_on_any_page_is_recorded(client, base, base_user):
    """Besides review:act, every page that refuses with an error message and goes back: here a learner's 提交
    of a registration already passed, and the base's 批量通过 of it."""
    reg = f.finished_class(base, base_user, learners=1).registrations.get()
    client.force_login(reg.learner.user)
    url = reverse("trainings:registration_submit", args=[reg.pk])
    assert client.post(url, REMOTE_ADDR=IP).status_code == 302
    entry = last("操作被拒绝")
    assert entry.actor == reg.learner.user and entry.ip == IP
    assert entry.detail["请求"] == f"POST {url}" and entry.detail["状态码"] == 302
    assert "不能执行「提交」" in entry.detail["原因"]
    client.force_login(base_user)
    client.post(reverse("trainings:registration_batch_approve"), {"ids": [reg.pk]}, REMOTE_ADDR=IP)
    assert last("操作被拒绝").actor == base_user and entries("操作被拒绝").count() == 2


def test_a_refusal_the_view_records_itself_is_recorded_once(client_for, base_user, filing):
    engine.perform(filing, "submit", actor=base_user)
    client_for(base_user).post(reverse("review:act", args=["prefiling", filing.pk, "submit"]))
    assert entries("审核操作被拒绝").count() == 1 and not entries("操作被拒绝").exists()


def test_the_message_shown_on_the_next_page_is_not_a_second_refusal(client, base, base_user):
    reg = f.finished_class(base, base_user, learners=1).registrations.get()
    client.force_login(reg.learner.user)
    page = client.post(reverse("trainings:registration_submit", args=[reg.pk]), follow=True)
    assert "不能执行「提交」" in page.content.decode()  # shown by the page the refusal went back to
    assert entries("操作被拒绝").count() == 1


def test_a_refusal_that_cannot_be_written_leaves_the_work_around_it(db, learner_user, monkeypatch):
    """The audit entry of a change takes no savepoint of its own (it commits or fails with the change); a refusal
    is recorded beside other work, so its failure must not spoil the transaction it was recorded in."""
    from django.db import connection, transaction
    from django.test import RequestFactory

    from jxjy.audit.models import AuditAction
    from jxjy.audit.refusals import record_refusal
    from jxjy.notify.models import Notification

    def broken(self, *args, **kwargs):  # a real database error inside the refusal's own statements
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")

    monkeypatch.setattr(AuditEntry, "save", broken)
    request = RequestFactory().get("/somewhere/")
    request.user = learner_user
    with transaction.atomic():
        Notification.objects.create(recipient=learner_user, title="之前")
        assert record_refusal(request, action=AuditAction.REFUSED, status=403) is None
        Notification.objects.create(recipient=learner_user, title="之后")
    assert set(Notification.objects.filter(recipient=learner_user).values_list("title", flat=True)) == {"之前", "之后"}
