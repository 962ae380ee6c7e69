"""Start-up checks that catch a wrong environment: the personal-data key must be the one the database was
encrypted with.

A canary (KeyCanary: a known text encrypted with JXJY_PII_KEY) is written at `migrate`; `migrate`, `check
--deploy` (run before the site starts: deploy/run-prod, jxjy-web.service) and the task worker refuse to go
on when the configured keys cannot open it. After a rotation (the new key in JXJY_PII_KEY, the old one in
JXJY_PII_OLD_KEYS) it opens under the old key and is sealed again under the new one; a canary of before 国密
(a Fernet token) opens the same way and is sealed again with SM4.
"""

from django.apps import apps
from django.core import checks
from django.db import DatabaseError, transaction
from django.db.models.signals import post_migrate
from django.dispatch import receiver
from django.utils.translation import gettext as _

from . import pii
from .models import KeyCanary

CANARY_PK = 1


def verify_canary(*, using: str = "default", write: bool = True) -> str:
    """Check the configured keys against the database: "written" (first run), "ok" or "resealed" (opened
    under an old key or as a Fernet token, now SM4 under the current key); with write=False "missing" or
    "old key" instead of writing. Raises pii.WrongKeyError."""
    if not write:
        canary = KeyCanary.objects.using(using).filter(pk=CANARY_PK).first()
        if canary is None:
            return "missing"
        return "ok" if pii.open_canary(canary.token) else "old key"
    with transaction.atomic(using=using):
        canary = KeyCanary.objects.using(using).select_for_update().filter(pk=CANARY_PK).first()
        if canary is None:
            _refuse_unless_data_opens(using)
            KeyCanary.objects.using(using).create(pk=CANARY_PK, token=pii.seal_canary())
            return "written"
        if pii.open_canary(canary.token):
            return "ok"
        canary.token = pii.seal_canary()
        canary.save(using=using, update_fields=["token", "updated_at"])
        return "resealed"


def _refuse_unless_data_opens(using: str) -> None:
    """Before the first canary: personal data already stored (a database from before the canary) must open
    under these keys, or the canary would seal the wrong key in."""
    from .fields import EncryptedCharField

    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedCharField):
                stored = model._default_manager.using(using).filter(**{f"{field.name}__isnull": False})
                try:
                    list(stored.values_list(field.name, flat=True)[:20])  # decrypted as they are read
                except pii.UndecryptableError:
                    raise pii.WrongKeyError(pii.WRONG_KEY) from None


@receiver(post_migrate)
def _canary_after_migrate(sender, using="default", **kwargs):
    if sender.label == "core":
        verify_canary(using=using)


@checks.register(checks.Tags.security, deploy=True)
def check_pii_canary(app_configs=None, **kwargs):
    """Runs on every `check --deploy`, with or without --database: the point is to refuse to start. Reads
    only: `migrate` writes the canary and seals it again after a rotation."""
    try:
        verify_canary(write=False)
    except pii.WrongKeyError as e:
        return [checks.Error(str(e), hint=_("见 README“个人信息加密”。"), id="jxjy.core.E002")]
    except DatabaseError:
        return []  # no database yet, or not migrated: `migrate` writes the canary
    return []
