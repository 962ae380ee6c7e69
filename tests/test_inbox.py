"""站内消息: moves put messages in the right inboxes; opening one marks it read and leads to the document."""

import pytest
from django.urls import reverse

from jxjy.notify.models import Notification
from jxjy.review import engine


@pytest.fixture
def submitted(filing, base_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        engine.perform(filing, "submit", actor=base_user)
    return filing


def test_department_sees_unread_count_and_opens_the_filing(client_for, department_user, submitted):
    client = client_for(department_user)
    page = client.get(reverse("review:inbox")).content.decode()
    assert "培训前备案「2026年水利行业专业技术人员继续教育培训班」：提交" in page
    assert '站内消息<span class="badge">1</span>' in page
    note = Notification.objects.get(recipient=department_user)
    response = client.post(reverse("review:open_notification", args=[note.pk]))
    assert response["Location"] == reverse("filings:detail", args=[submitted.pk])
    note.refresh_from_db()
    assert note.read_at is not None


def test_nobody_opens_another_users_message(client_for, other_department_user, department_user, submitted):
    note = Notification.objects.get(recipient=department_user)
    response = client_for(other_department_user).post(reverse("review:open_notification", args=[note.pk]))
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_read(client_for, department_user, submitted):
    client_for(department_user).post(reverse("review:mark_all_read"))
    assert not Notification.objects.filter(recipient=department_user, read_at__isnull=True).exists()
