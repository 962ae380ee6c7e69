"""The number of unread 站内消息 that every signed-in page shows, kept in the cache (per user).

Every ORM write of a Notification (save, create, bulk_create, update, delete) forgets its recipients'
numbers, at once and again when the transaction commits, so that a page counting in between cannot keep the
old number. UNREAD_SECONDS bounds what anything else could leave behind (raw SQL, a cache that was down).
"""

import logging
from collections.abc import Iterable

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

logger = logging.getLogger(__name__)

UNREAD_SECONDS = 60


def _key(user_id) -> str:
    return f"inbox-unread:{user_id}"


def _stamp(user) -> tuple:
    # An entry belongs to one account: a primary key used again (a restored database, the tests' rolled-back
    # transactions) is another account, with another date_joined and last_login.
    return (user.date_joined and user.date_joined.timestamp(), user.last_login and user.last_login.timestamp())


def unread_count(user) -> int:
    """How many of `user`'s messages are unread: from the cache, else one COUNT, then kept."""
    key, stamp = _key(user.pk), _stamp(user)
    try:
        kept = cache.get(key)
    except Exception:  # the cache is down: count, as before there was one
        logger.warning("unread count: cache unavailable", exc_info=True)
        return user.notifications.filter(read_at__isnull=True).count()
    if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == stamp:
        return kept[1]
    count = user.notifications.filter(read_at__isnull=True).count()
    try:
        cache.set(key, (stamp, count), UNREAD_SECONDS)
    except Exception:
        logger.warning("unread count: cache unavailable", exc_info=True)
    return count


def forget_unread(user_ids: Iterable) -> None:
    """These users' messages changed: their next page counts anew (and again after the commit)."""
    keys = sorted({_key(pk) for pk in user_ids if pk is not None})
    if not keys:
        return

    def forget():
        try:
            cache.delete_many(keys)
        except Exception:
            logger.warning("unread count: cache unavailable", exc_info=True)

    forget()
    transaction.on_commit(forget)


class NotificationQuerySet(models.QuerySet):
    """Notification.objects: the bulk writes, which send no signal, forget the recipients' numbers too."""

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        forget_unread(n.recipient_id for n in created)
        return created

    bulk_create.alters_data = True

    def update(self, **kwargs):
        recipients = set(self.values_list("recipient_id", flat=True).distinct())
        moved_to = kwargs.get("recipient_id", getattr(kwargs.get("recipient"), "pk", kwargs.get("recipient")))
        updated = super().update(**kwargs)
        forget_unread([*recipients, moved_to])
        return updated

    update.alters_data = True


@receiver(post_save, sender="notify.Notification")
@receiver(post_delete, sender="notify.Notification")
def _notification_changed(sender, instance, **kwargs):
    forget_unread([instance.recipient_id])
