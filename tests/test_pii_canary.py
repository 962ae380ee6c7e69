"""The personal-data key canary: a process with another JXJY_PII_KEY than the database's refuses to start
(migrate, check --deploy, the task worker) with a clear Chinese message; a rotation with the old key listed
passes and seals the canary again under the new key."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError

from jxjy.core import pii
from jxjy.core.checks import check_pii_canary, verify_canary
from jxjy.core.models import KeyCanary

OTHER_KEY = pii.generate_key()
MESSAGE = "JXJY_PII_KEY 与数据库中已加密的数据不符"


@pytest.fixture
def canary(db):
    """The canary as `migrate` leaves it, under the suite's key."""
    KeyCanary.objects.all().delete()
    assert verify_canary() == "written"
    return KeyCanary.objects.get()


def test_migrate_writes_the_canary_and_the_right_key_passes(db):
    KeyCanary.objects.all().delete()
    call_command("migrate", verbosity=0)
    assert pii.open_canary(KeyCanary.objects.get().token)  # the text, SM4 under the current key
    assert verify_canary() == "ok" and check_pii_canary() == []
    # No Error from the canary (the security checks: the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE trips another).
    call_command("check", "--deploy", "--tag", "security", stdout=io.StringIO(), stderr=io.StringIO())


def test_another_key_refuses_with_a_clear_message(canary, settings):
    settings.JXJY_PII_KEY = OTHER_KEY
    with pytest.raises(pii.WrongKeyError, match=MESSAGE):
        verify_canary()
    (error,) = check_pii_canary()
    assert error.id == "jxjy.core.E002" and MESSAGE in error.msg and "JXJY_PII_OLD_KEYS" in error.msg
    with pytest.raises(SystemCheckError, match=MESSAGE):
        call_command("check", "--deploy", stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(pii.WrongKeyError, match=MESSAGE):
        call_command("migrate", verbosity=0)
    assert KeyCanary.objects.get().token == canary.token  # nothing was overwritten


def test_the_task_worker_refuses_to_start_with_another_key(canary, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.JXJY_PII_KEY = OTHER_KEY
    with pytest.raises(CommandError, match=MESSAGE):
        call_command("task_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())


def test_a_rotated_key_with_the_old_one_listed_passes_and_reseals_the_canary(canary, settings):
    old = settings.JXJY_PII_KEY
    settings.JXJY_PII_KEY, settings.JXJY_PII_OLD_KEYS = OTHER_KEY, [old]
    assert verify_canary(write=False) == "old key"  # check --deploy passes, writing nothing
    assert check_pii_canary() == []
    assert verify_canary() == "resealed"
    settings.JXJY_PII_OLD_KEYS = []  # the old key retired: the canary is under the new one
    assert verify_canary() == "ok"
    assert pii.open_canary(KeyCanary.objects.get().token)  # the text, SM4 under the current key


def test_the_first_canary_is_not_written_over_data_under_another_key(db, settings, learner_user):
    """A database from before the canary: its learners' data must open under the key, or the start is refused."""
    KeyCanary.objects.all().delete()
    settings.JXJY_PII_KEY = OTHER_KEY
    with pytest.raises(pii.WrongKeyError, match=MESSAGE):
        verify_canary()
    assert not KeyCanary.objects.exists()


def test_a_canary_of_before_gm_still_opens_and_is_sealed_again_with_sm4(canary, settings):
    """A database of before 国密 holds a Fernet canary: it still proves the key, and `migrate` seals it anew."""
    KeyCanary.objects.update(token=pii.keys().legacy.encrypt(pii.CANARY_TEXT.encode()).decode())
    assert verify_canary(write=False) == "old key" and check_pii_canary() == []
    right_key = settings.JXJY_PII_KEY
    settings.JXJY_PII_KEY = OTHER_KEY
    with pytest.raises(pii.WrongKeyError, match=MESSAGE):
        verify_canary(write=False)
    settings.JXJY_PII_KEY = right_key
    assert verify_canary() == "resealed"
    token = KeyCanary.objects.get().token
    assert token.startswith("sm4g1:") and pii.open_canary(token) and verify_canary() == "ok"
