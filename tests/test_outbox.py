"""The outbox's delivery: a row written before a crash is delivered by the sweep once; a failing provider is
retried with backoff and ends 发送失败; two sweeps at once send once; the task plans its own next sweep."""

import datetime as dt
import json
import logging
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections, transaction

from jxjy.core import clock as platform_clock
from jxjy.notify import backends, delivery, tasks
from jxjy.notify.models import Outbox, OutboxStatus, SweepPlan
from jxjy.notify.outbox import send_email, send_sms, tell

MOBILE = "13899110001"


class FailingSms:
    """A provider that is down; its error names the number, as real ones do."""

    calls = 0

    def send(self, mobile, text, *, event="", params=()):
        FailingSms.calls += 1
        raise backends.SmsError(f"网关超时：{mobile}")


class DyingSms:
    """The process dies while the provider is answering (nothing after the send runs)."""

    def send(self, mobile, text, *, event="", params=()):
        raise SystemExit("killed")


@pytest.fixture
def failing(settings):
    FailingSms.calls = 0
    settings.JXJY_SMS_BACKEND = "tests.test_outbox.FailingSms"


def sweep() -> str:
    from io import StringIO

    out = StringIO()
    call_command("deliver_outbox", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_row_left_by_a_process_that_died_after_the_commit_is_delivered_once_by_the_sweep(learner_user, sms_sent):
    # The test's transaction never commits: the on-commit delivery never runs, as if the process died.
    tell([learner_user], title="学员报名「张三」：通过", event="registration_approved", params=["水利班"])
    row = Outbox.objects.get()
    assert row.status == OutboxStatus.PENDING and sms_sent == []

    assert "已发送 1 条" in sweep()
    assert sweep().startswith("已发送 0 条")
    assert [(m["mobile"], m["text"], m["params"]) for m in sms_sent] == [(MOBILE, "学员报名「张三」：通过", ["水利班"])]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.get_status_display()) == (OutboxStatus.SENT, 1, "已发送")


@pytest.mark.django_db
def test_the_commit_enqueues_delivery(learner_user, sms_sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_sms(MOBILE, "您的验证码是 123456", event="password_reset")
    assert sms_sent[-1]["text"] == "您的验证码是 123456"
    assert Outbox.objects.get().status == OutboxStatus.SENT


@pytest.mark.django_db
def test_nothing_is_written_when_the_callers_transaction_rolls_back(learner_user):
    with pytest.raises(RuntimeError), transaction.atomic():
        tell([learner_user], title="学员报名：通过", event="registration_approved")
        raise RuntimeError
    assert not Outbox.objects.exists()
    assert not learner_user.notifications.exists()


@pytest.mark.django_db
def test_a_failing_provider_is_retried_with_backoff_and_ends_failed(failing, clock, caplog):
    row = send_sms(MOBILE, "验证码 123456", event="password_reset")
    waits = []
    for attempt in range(1, delivery.MAX_ATTEMPTS + 1):
        with caplog.at_level(logging.WARNING, logger="jxjy.notify"):
            assert delivery.deliver_due() == 0
        row.refresh_from_db()
        assert row.attempts == attempt
        assert FailingSms.calls == attempt
        if attempt < delivery.MAX_ATTEMPTS:
            assert row.status == OutboxStatus.PENDING
            assert delivery.deliver_due() == 0 and FailingSms.calls == attempt  # not before its time
            waits.append(round((row.next_attempt_at - platform_clock.now()).total_seconds() / 60))
            clock.shift(row.next_attempt_at - platform_clock.now() + dt.timedelta(seconds=1))
    assert waits == [2, 4, 8, 16, 32]
    assert (row.status, row.get_status_display()) == (OutboxStatus.FAILED, "发送失败")
    assert "网关超时" in row.last_error and MOBILE not in row.last_error and "138****0001" in row.last_error
    clock.shift(dt.timedelta(days=1))
    assert delivery.deliver_due() == 0 and FailingSms.calls == delivery.MAX_ATTEMPTS  # never again
    assert MOBILE not in caplog.text and "138****0001" in caplog.text


@pytest.mark.django_db
def test_a_row_whose_process_died_while_sending_is_tried_again_and_never_stays_pending(settings, clock, sms_sent):
    settings.JXJY_SMS_BACKEND = "tests.test_outbox.DyingSms"
    row = send_sms(MOBILE, "验证码 123456", event="password_reset")
    for _ in range(delivery.MAX_ATTEMPTS):
        with pytest.raises(SystemExit):
            delivery.deliver_due()
        row.refresh_from_db()
        assert row.status == OutboxStatus.PENDING
        clock.shift(row.next_attempt_at - platform_clock.now() + dt.timedelta(seconds=1))
    settings.JXJY_SMS_BACKEND = "jxjy.notify.backends.LocmemSms"
    assert delivery.deliver_due() == 0
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, delivery.MAX_ATTEMPTS)
    assert sms_sent == []


class SweepingSms:
    """While it sends, a second sweep runs (another worker, the timer's command)."""

    inner: list[int] = []

    def send(self, mobile, text, *, event="", params=()):
        SweepingSms.inner.append(delivery.deliver_due())
        backends.sent.append({"mobile": mobile, "text": text})


@pytest.mark.django_db
def test_a_second_sweep_while_the_first_is_sending_sends_nothing(settings, sms_sent):
    settings.JXJY_SMS_BACKEND = "tests.test_outbox.SweepingSms"
    SweepingSms.inner = []
    send_sms(MOBILE, "验证码 123456", event="password_reset")
    assert delivery.deliver_due() == 1
    assert SweepingSms.inner == [0]
    assert len(sms_sent) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sweeps_at_the_same_moment_send_each_row_once(settings, sms_sent, monkeypatch):
    # Rows as a dead process left them (written, never delivered on commit).
    Outbox.objects.bulk_create(
        Outbox(channel="sms", address=f"139000000{n:02d}", body=f"消息{n}", event="password_reset") for n in range(20)
    )
    barrier = threading.Barrier(2)
    real_claim = delivery._claim

    def slow_claim(pk):  # both sweeps read the same due rows, then race for each
        row = real_claim(pk)
        threading.Event().wait(0.01)
        return row

    monkeypatch.setattr(delivery, "_claim", slow_claim)
    counts = []

    def run():
        try:
            barrier.wait()
            counts.append(delivery.deliver_due())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sum(counts) == 20 and all(counts), counts  # both sweeps sent some: the race was real
    assert sorted(m["text"] for m in sms_sent) == sorted(f"消息{n}" for n in range(20))
    assert set(Outbox.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}


@pytest.fixture
def deferring_tasks(settings):
    """A task backend that keeps what is enqueued, deferred ones too (the database backend's behaviour)."""
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    return default_task_backend


@pytest.mark.django_db
def test_the_task_plans_one_sweep_for_the_next_retry(failing, deferring_tasks, clock):
    row = send_sms(MOBILE, "验证码 123456", event="password_reset")
    tasks.deliver_outbox.call()
    row.refresh_from_db()
    assert row.attempts == 1
    planned = [r for r in deferring_tasks.results if r.task.run_after]
    assert [r.task.run_after for r in planned] == [row.next_attempt_at]
    # Many commits enqueue many deliveries: while a sweep is planned, they plan no other.
    tasks.deliver_outbox.call()
    tasks.deliver_outbox.call()
    assert len([r for r in deferring_tasks.results if r.task.run_after]) == 1
    assert SweepPlan.objects.get().run_after == row.next_attempt_at
    clock.shift(row.next_attempt_at - platform_clock.now() + dt.timedelta(seconds=1))
    tasks.deliver_outbox.call()  # the planned sweep: tries again and plans the next
    row.refresh_from_db()
    assert row.attempts == 2
    assert [r.task.run_after for r in deferring_tasks.results if r.task.run_after][-1] == row.next_attempt_at


@pytest.mark.django_db
def test_nothing_is_planned_when_nothing_waits(deferring_tasks, sms_sent):
    send_sms(MOBILE, "验证码 123456", event="password_reset")
    tasks.deliver_outbox.call()
    assert len(sms_sent) == 1
    assert not [r for r in deferring_tasks.results if r.task.run_after]


@pytest.mark.django_db
def test_console_sms_and_email_logs_mask_the_address(settings, caplog, capsys):
    settings.JXJY_SMS_BACKEND = "jxjy.notify.backends.ConsoleSms"
    settings.EMAIL_BACKEND = "jxjy.notify.backends.ConsoleEmailBackend"
    send_sms(MOBILE, "验证码 123456", event="password_reset")
    send_email("zhangsan@example.com", "报名审核通过", "您的报名已审核通过。", event="registration_approved")
    with caplog.at_level(logging.WARNING, logger="jxjy.notify"):
        assert delivery.deliver_due() == 2
    printed = capsys.readouterr().out
    assert "138****0001" in caplog.text and MOBILE not in caplog.text
    assert "zh****@example.com" in printed and "zhangsan@example.com" not in printed
    assert mail.outbox == []  # the console backend printed it, nothing else


@pytest.mark.django_db
def test_the_file_backend_keeps_each_sms_in_a_file(settings, tmp_path):
    settings.JXJY_SMS_BACKEND = "jxjy.notify.backends.FileSms"
    settings.JXJY_SMS_FILE_DIR = str(tmp_path / "sms")
    send_sms(MOBILE, "验证码 123456", event="password_reset", params=["123456"])
    delivery.deliver_due()
    [kept] = (tmp_path / "sms").iterdir()
    assert json.loads(kept.read_text(encoding="utf-8")) == {
        "mobile": "138****0001", "event": "password_reset", "params": ["123456"], "text": "验证码 123456",
    }  # fmt: skip


@pytest.mark.django_db
def test_the_address_is_stored_encrypted(learner_user):
    send_email("zhangsan@example.com", "标题", "内容", event="registration_approved")
    with connection.cursor() as cursor:
        cursor.execute("SELECT address FROM notify_outbox")
        [(stored,)] = cursor.fetchall()
    assert "zhangsan" not in stored
    assert Outbox.objects.get().address == "zhangsan@example.com"
