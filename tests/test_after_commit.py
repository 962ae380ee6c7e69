"""A failure after a committed move answers 操作已完成; a failure before the commit says nothing was saved."""

import pytest
from django.contrib import messages
from django.db import OperationalError, transaction
from django.http import HttpResponse, HttpResponseServerError
from django.test import RequestFactory
from django.urls import reverse

from jxjy.audit.models import AuditEntry
from jxjy.core.outcome import OutcomeMiddleware
from jxjy.filings.models import PreFiling
from jxjy.filings.models import PreFilingStatus as S
from jxjy.review import engine

from .review_helpers import advance

committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def waiting(filing, base_user, department_user, hr_region_user):
    return advance(filing, S.DEPT_REVIEW, base_user=base_user, department_user=department_user, hr_user=hr_region_user)


def _approve(client, doc):
    client.raise_request_exception = False
    return client.post(reverse("review:act", args=["prefiling", doc.pk, "dept_approve"]), {"opinion": "同意"})


def _database_gone(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


@committed
def test_the_database_failing_after_the_move_committed_still_answers_done(
    client_for, department_user, waiting, monkeypatch
):
    monkeypatch.setattr(messages, "success", _database_gone)  # the step after the move
    response = _approve(client_for(department_user), waiting)
    page = response.content.decode()
    assert response.status_code == 200
    assert "操作已完成" in page and f"培训前备案「{waiting}」：通过" in page and "请勿重复提交" in page
    assert reverse("filings:detail", args=[waiting.pk]) in page
    waiting.refresh_from_db()
    assert waiting.status != S.DEPT_REVIEW
    assert AuditEntry.objects.filter(object_id=str(waiting.pk), action="dept_approve").count() == 1


@committed
def test_a_failure_before_the_commit_says_nothing_was_saved(client_for, department_user, waiting, monkeypatch):
    monkeypatch.setattr(engine, "notify_move", _database_gone)  # inside the move's transaction
    response = _approve(client_for(department_user), waiting)
    page = response.content.decode()
    assert response.status_code == 500
    assert "本次操作未能完成，没有保存任何内容" in page and "操作已完成" not in page
    waiting.refresh_from_db()
    assert waiting.status == S.DEPT_REVIEW
    assert not AuditEntry.objects.filter(object_id=str(waiting.pk), action="dept_approve").exists()


def _through_middleware(view):
    return OutcomeMiddleware(view)(RequestFactory().post("/filings/1/edit/"))


@committed
def test_a_plain_save_committed_before_a_failure_says_it_may_be_saved(filing):
    def view(request):
        PreFiling.objects.filter(pk=filing.pk).update(class_name="已改名的培训班")
        return HttpResponseServerError("boom")

    response = _through_middleware(view)
    page = response.content.decode()
    assert response.status_code == 500 and "部分内容可能已经保存" in page and "不要直接重复提交" in page
    assert PreFiling.objects.get(pk=filing.pk).class_name == "已改名的培训班"


@committed
def test_a_write_rolled_back_before_the_failure_leaves_the_plain_500(filing):
    def view(request):
        try:
            with transaction.atomic():
                PreFiling.objects.filter(pk=filing.pk).update(class_name="已改名的培训班")
                raise OperationalError("lost")
        except OperationalError:
            return HttpResponseServerError("boom")

    response = _through_middleware(view)
    assert response.status_code == 500 and response.content == b"boom"
    assert PreFiling.objects.get(pk=filing.pk).class_name != "已改名的培训班"


@pytest.mark.django_db
def test_successful_answers_pass_through_untouched():
    response = _through_middleware(lambda request: HttpResponse("好"))
    assert response.status_code == 200 and response.content.decode() == "好"
