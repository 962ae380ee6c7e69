"""The worker's side of the outbox: send what is due, mark it sent, or try again later.

A row is first claimed in a short transaction: its attempt is counted and its next attempt set (the backoff,
which is also the lease: another sweep leaves it alone until then). It is sent outside any transaction (no
lock is held while a provider answers), then marked 已发送, or given the error. So two sweeps at once send a
row once; a process that dies while sending leaves the row to be tried again when its lease ends, and after
MAX_ATTEMPTS attempts a row is 发送失败: nothing stays 待发送 for ever.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Min

from jxjy.core import clock
from jxjy.core.log_filters import redact

from .backends import mask_email, sms_backend
from .models import Channel, Outbox, OutboxStatus

logger = logging.getLogger("jxjy.notify")

MAX_ATTEMPTS = 6  # 2 + 4 + 8 + 16 + 32 minutes between them: about an hour of an outage is bridged


def backoff(attempts: int) -> timedelta:
    return timedelta(minutes=2**attempts)


def deliver_due(limit: int = 200) -> int:
    """Send the rows that are due, each claimed on its own; returns how many were sent."""
    due = Outbox.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=clock.now())
    return sum(deliver_one(pk) for pk in due.values_list("pk", flat=True)[:limit])


def deliver_one(pk: int) -> bool:
    """Claim the row, send it, record the outcome; False when it was not due, taken, or failed."""
    row = _claim(pk)
    if row is None:
        return False
    try:
        _send(row)
    except Exception as exc:
        _record_failure(row, exc)
        return False
    Outbox.objects.filter(pk=row.pk).update(status=OutboxStatus.SENT, sent_at=clock.now(), last_error="")
    return True


def _claim(pk: int) -> Outbox | None:
    now = clock.now()
    with transaction.atomic():
        row = (
            Outbox.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, status=OutboxStatus.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if row is None:
            return None
        if row.attempts >= MAX_ATTEMPTS:  # its last attempt died with its process
            row.status = OutboxStatus.FAILED
            row.save(update_fields=["status"])
            return None
        row.attempts += 1
        row.next_attempt_at = now + backoff(row.attempts)
        row.save(update_fields=["attempts", "next_attempt_at"])
    return row


def _record_failure(row: Outbox, exc: Exception) -> None:
    error = redact(str(exc).replace(row.address, masked_address(row)))[:200] or type(exc).__name__
    status = OutboxStatus.FAILED if row.attempts >= MAX_ATTEMPTS else OutboxStatus.PENDING
    Outbox.objects.filter(pk=row.pk).update(last_error=error, status=status)
    logger.warning(
        "消息发送失败（第%s次，%s）：%s → %s：%s",
        row.attempts, row.get_channel_display(), row.event, masked_address(row), error,
    )  # fmt: skip


def masked_address(row: Outbox) -> str:
    return mask_email(row.address) if row.channel == Channel.EMAIL else redact(row.address)


def _send(row: Outbox) -> None:
    if row.channel == Channel.SMS:
        sms_backend().send(row.address, row.body, event=row.event, params=row.params)
    else:
        send_mail(row.subject, row.body, settings.DEFAULT_FROM_EMAIL, [row.address])


def next_due() -> datetime | None:
    return Outbox.objects.filter(status=OutboxStatus.PENDING).aggregate(due=Min("next_attempt_at"))["due"]
