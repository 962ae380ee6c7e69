"""`manage.py reencrypt_personal_data` turns a database of before 国密 (Fernet tokens, HMAC-SHA256 lookup
hashes) into SM4-GCM and HMAC-SM3 in place: batch by batch, safe to stop at any moment and to run again,
learners logging in by 身份证号 and by mobile before, during and after; it also completes a key rotation."""

import contextlib
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse

from demo import factories as f
from jxjy.accounts.models import AppealInvite, Learner, Organisation, SmsCode
from jxjy.accounts.services import register_learner
from jxjy.api.models import HeldCompletion
from jxjy.certificates.models import Certificate
from jxjy.core import clock, pii
from jxjy.core.fields import encrypted_fields, hash_fields, personal_data_models
from jxjy.core.identity import id_check_char
from jxjy.core.models import KeyCanary
from jxjy.notify.models import Outbox, Preference

KEY_A = "a" * 43 + "="
KEY_B = "b" * 43 + "="


def person(n: int) -> tuple[str, str, str]:
    first17 = f"65010219850505{n:03d}"
    return f"学员{n}", first17 + id_check_char(first17), f"1370000{n:04d}"


PEOPLE = [person(n) for n in range(4)]


@contextlib.contextmanager
def written_as_before_gm():
    """Inside, the platform writes as it did before 国密: Fernet tokens and HMAC-SHA256 lookup hashes."""
    with pytest.MonkeyPatch.context() as m:
        m.setattr(pii, "encrypt", lambda value: pii.keys().legacy.encrypt(value.encode()).decode())
        m.setattr(pii, "lookup_hash", lambda purpose, value: pii.legacy_lookup_hashes(purpose, value)[0])
        yield


def make_old_database() -> list:
    """Learners and every other kind of row with personal data, written before 国密; the canary too."""
    with written_as_before_gm():
        users = [
            register_learner(name=name, id_number=number, mobile=mobile, work_unit="测试单位", password=f.PASSWORD)
            for name, number, mobile in PEOPLE
        ]
        f.identity_appeal(users[1])
        AppealInvite.objects.create(
            token_hash="h1", account=users[1], id_number=PEOPLE[1][1], name="申诉人", mobile="13700137001",
            work_unit="单位", expires_at=clock.now(),
        )  # fmt: skip
        issuer = f.hr_region()
        Certificate.objects.create(
            number="2026-ZY-000001", code="c" * 32, kind="professional", source_key="k1", learner=users[0].learner,
            issuer=issuer, holder_name="学员0", holder_id_number=PEOPLE[0][1], class_name="班", base_name="基地",
            hours=40, year=2026, issued_on=dt.date(2026, 6, 1), issuer_name=issuer.name,
        )  # fmt: skip
        Outbox.objects.create(channel="sms", address=PEOPLE[2][2], body="通知", event="test")
        HeldCompletion.objects.create(
            platform=Organisation.objects.create(name="在线学习平台", kind=Organisation.Kind.PLATFORM),
            source_key="platform:x:R-1", record_id="R-1", id_number=person(9)[1], name="未注册者", course="公需课",
            hours=2, completed_on=dt.date(2026, 3, 1),
        )  # fmt: skip
        Preference.objects.create(user=users[3], email=True, email_address="xueyuan3@example.com")
        SmsCode.objects.create(purpose="signup", token="t1", subject_hash="s", mobile=PEOPLE[3][2],
                               expires_at=clock.now())  # fmt: skip
        KeyCanary.objects.update(token=pii.keys().legacy.encrypt(pii.CANARY_TEXT.encode()).decode())
    return users


@pytest.fixture
def old_database(db):
    return make_old_database()


def raw_values(model, column: str) -> list:
    table, column = connection.ops.quote_name(model._meta.db_table), connection.ops.quote_name(column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} ORDER BY id")  # noqa: S608 - names from the schema
        return [row[0] for row in cursor.fetchall()]


def fernet_left() -> dict[str, int]:
    """How many values in each encrypted column of every table are still Fernet tokens."""
    found = {}
    for model in personal_data_models():
        for field in encrypted_fields(model):
            found[f"{model._meta.label}.{field.name}"] = sum(
                1 for v in raw_values(model, field.column) if (v or "").startswith("gAAAA")
            )
    return found


def stale_hashes() -> list[str]:
    """Lookup hashes that are not the HMAC-SM3 of their value under the current key."""
    stale = []
    for model in personal_data_models():
        for h in hash_fields(model):
            for obj in model._base_manager.all():
                if getattr(obj, h.attname) != h.hash_of(getattr(obj, h.source)):
                    stale.append(f"{model._meta.label}.{h.name}#{obj.pk}")
    return stale


def logs_in(login: str):
    """The id of whoever logs in with `login` and the learners' password (None: nobody)."""
    client = Client()
    client.post(reverse("accounts:login"), {"username": login, "password": f.PASSWORD})
    return client.session.get("_auth_user_id")


def assert_everyone_logs_in(users, people=PEOPLE) -> None:
    for user, (_, number, mobile) in zip(users, people, strict=True):
        assert logs_in(number) == logs_in(mobile) == str(user.pk), number
        assert logs_in(number.lower() if number.endswith("X") else f" {number} ") == str(user.pk)


def run(*args) -> str:
    out = io.StringIO()
    call_command("reencrypt_personal_data", *args, stdout=out)
    return out.getvalue()


def test_the_command_converts_every_column_and_learners_log_in_before_and_after(old_database, settings):
    assert min(fernet_left().values()) == 1 and stale_hashes()  # every kind of column holds a Fernet token
    assert_everyone_logs_in(old_database)  # before: found by the legacy hashes

    report = run("--dry-run")
    assert "学员：共 4 条，待转换 4 条（身份证号 4、身份证号哈希 4、手机号 4、手机号哈希 4）" in report
    assert "尚待转换 11 条" in report and min(fernet_left().values()) == 1  # counted, not written

    report = run()
    assert "完成：转换 11 条" in report and "已没有 Fernet 密文" in report
    assert set(fernet_left().values()) == {0} and stale_hashes() == []
    assert all(v.startswith("sm4g1:") for v in raw_values(Learner, "id_number") + raw_values(Learner, "mobile"))
    assert pii.open_canary(KeyCanary.objects.get().token)  # the canary too, SM4 under the current key
    settings.JXJY_PII_LEGACY_LOOKUP = False  # after: the legacy lookup is no longer needed
    assert_everyone_logs_in(old_database)
    assert Certificate.objects.by_holder_id_number(PEOPLE[0][1]).get().holder_name == "学员0"
    assert Preference.objects.get().email_address == "xueyuan3@example.com"
    assert Outbox.objects.get().address == PEOPLE[2][2]
    assert "完成：转换 0 条" in run()  # nothing left: a second run writes nothing


def test_before_the_conversion_learners_are_found_only_through_the_legacy_lookup(old_database, settings):
    settings.JXJY_PII_LEGACY_LOOKUP = False
    assert logs_in(PEOPLE[0][1]) is None and logs_in(PEOPLE[0][2]) is None
    assert not Learner.objects.by_id_number(PEOPLE[0][1]).exists()


def test_an_interrupted_run_leaves_the_data_consistent_and_a_second_run_finishes(old_database, monkeypatch):
    encrypt = pii.encrypt

    def dies_at_the_last_learner(value):
        if value == PEOPLE[3][1]:
            raise RuntimeError("进程被终止")
        return encrypt(value)

    monkeypatch.setattr(pii, "encrypt", dies_at_the_last_learner)
    with pytest.raises(RuntimeError):
        run("--batch-size", "2")  # learners 0–1 in a batch; 2–3 in the next, which dies after writing learner 2
    tokens = raw_values(Learner, "id_number")
    assert [t[:5] for t in tokens] == ["sm4g1", "sm4g1", "gAAAA", "gAAAA"]  # the broken batch rolled back whole
    assert [pii.decrypt(t) for t in tokens] == [number for _, number, _ in PEOPLE]
    assert_everyone_logs_in(old_database)  # during: half converted, everyone still found

    monkeypatch.setattr(pii, "encrypt", encrypt)
    assert "待转换 2 条" in run("--dry-run")  # what is left is read off the data
    assert "学员：共 4 条，已转换 2 条" in run()
    assert set(fernet_left().values()) == {0} and stale_hashes() == []
    assert_everyone_logs_in(old_database)  # after


def test_new_writes_during_the_conversion_are_sm4_and_found(old_database):
    Learner.objects.filter(pk=old_database[0].learner.pk).update(mobile="13500000001")
    user = f.learner(7).user  # registered meanwhile
    assert raw_values(Learner, "mobile")[0].startswith("sm4g1:")
    assert logs_in("13500000001") == str(old_database[0].pk) and logs_in(user.learner.mobile) == str(user.pk)
    assert "学员：共 5 条，已转换 4 条" in run()  # the rewritten row needed only its 身份证号
    assert_everyone_logs_in(old_database[1:], PEOPLE[1:])


def test_the_command_completes_a_key_rotation_from_fernet_under_the_old_key(db, settings):
    settings.JXJY_PII_KEY, settings.JXJY_PII_OLD_KEYS = KEY_A, []
    users = make_old_database()  # written before 国密, under key A
    settings.JXJY_PII_KEY, settings.JXJY_PII_OLD_KEYS = KEY_B, [KEY_A]  # the new key, the old one kept to read
    assert_everyone_logs_in(users)
    run()
    settings.JXJY_PII_OLD_KEYS, settings.JXJY_PII_LEGACY_LOOKUP = [], False  # key A and the legacy lookup retired
    assert_everyone_logs_in(users)
    assert set(fernet_left().values()) == {0} and stale_hashes() == []
    under_b = raw_values(Learner, "id_number")
    settings.JXJY_PII_KEY, settings.JXJY_PII_OLD_KEYS = KEY_A, [KEY_B]  # and rotating again, SM4 to SM4
    run()
    settings.JXJY_PII_OLD_KEYS = []
    assert raw_values(Learner, "id_number") != under_b and stale_hashes() == []
    assert_everyone_logs_in(users)


def test_a_wrong_key_stops_the_command_before_any_row_is_touched(old_database, settings):
    before = raw_values(Learner, "id_number")
    settings.JXJY_PII_KEY = KEY_B
    with pytest.raises(CommandError, match="JXJY_PII_KEY 与数据库中已加密的数据不符"):
        run()
    assert raw_values(Learner, "id_number") == before


def test_an_undecryptable_value_stops_the_command_and_its_batch_is_unchanged(old_database):
    pk = old_database[2].learner.pk
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_learner SET mobile = %s WHERE id = %s", ["gAAAAAforged", pk])
    before = raw_values(Learner, "id_number")
    with pytest.raises(CommandError, match="学员：主键 0 之后的一批中有无法解密的数据"):
        run()
    assert raw_values(Learner, "id_number") == before
