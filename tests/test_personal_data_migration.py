"""The migrations that encrypt 身份证号 and 手机号 convert rows already there, and can be undone."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from demo import factories as f
from jxjy.accounts.models import Learner
from jxjy.certificates.models import Certificate

BEFORE = [("accounts", "0002_seed_organisations"), ("certificates", "0001_initial")]
ID, MOBILE = "650102199001011239", "13899110001"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def plain_rows() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT l.id_number, l.mobile, u.username, c.holder_id_number FROM accounts_learner l"
            " JOIN accounts_user u ON u.id = l.user_id JOIN certificates_certificate c ON c.learner_id = l.id"
        )
        return cursor.fetchall()


def test_existing_rows_are_encrypted_and_hashed_and_back_again():
    old = migrate(BEFORE)
    User, Learner_, Organisation = (old.get_model("accounts", m) for m in ("User", "Learner", "Organisation"))
    user = User.objects.create(username=ID, role="learner", full_name="张三", password="!")
    learner = Learner_.objects.create(user=user, name="张三", id_number=ID, mobile=MOBILE, gender="男")
    issuer = Organisation.objects.get(name=f.hr_region().name)
    old.get_model("certificates", "Certificate").objects.create(
        number="2026-ZY-000001", code="c" * 32, kind="professional", source_key="k1", learner_id=learner.pk,
        issuer_id=issuer.pk, holder_name="张三", holder_id_number=ID, class_name="班", base_name="基地",
        hours=40, year=2026, issued_on=dt.date(2026, 6, 1), issuer_name=issuer.name,
    )  # fmt: skip

    migrate(latest())
    [(raw_id, raw_mobile, username, raw_holder)] = plain_rows()
    assert ID not in (raw_id, username, raw_holder) and raw_mobile != MOBILE
    found = Learner.objects.by_id_number(ID).get()
    assert (found.id_number, found.mobile, found.user.full_name) == (ID, MOBILE, "张三")
    assert Learner.objects.by_mobile(MOBILE).get() == found
    assert Certificate.objects.by_holder_id_number(ID).get().holder_id_number == ID

    migrate(BEFORE)
    assert plain_rows() == [(ID, MOBILE, ID, ID)]
    migrate(latest())
    assert Learner.objects.by_id_number(ID).get().mobile == MOBILE
