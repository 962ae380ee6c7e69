"""身份证号 and 手机号 at rest: encrypted, unique and found through keyed hashes, never in plain text in
any table; the key comes from outside and can be rotated."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from demo import factories as f
from jxjy.accounts.models import Learner, Role, User
from jxjy.accounts.services import register_learner
from jxjy.certificates.models import Certificate
from jxjy.completions import scores, services
from jxjy.core import gm, pii
from jxjy.core.apps import check_pii_key
from jxjy.core.identity import id_check_char
from jxjy.review import engine

ID = "650102199001011239"  # 张三, the learner_user fixture
MOBILE = "13899110001"
KEY_A = "a" * 43 + "="
KEY_B = "b" * 43 + "="


def all_cells() -> list[str]:
    """Every value of every table, as text."""
    cells = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from the schema
            cells += [str(value) for row in cursor.fetchall() for value in row]
    return cells


@pytest.fixture
def certified(base, base_user, hr_region_user):
    """A class whose learners were scored, filed and given certificates."""
    c = f.finished_class(base, base_user, learners=2)
    completion = services.start(actor=base_user, training_class=c, name="结业备案", year=c.years[0])
    rows = [[r.name, r.learner.id_number, 90, "合格", ""] for r in scores.approved_registrations(completion)]
    scores.import_scores(completion, f.score_file(rows), actor=base_user)
    services.save_details(completion, actor=base_user, summary="完成。")
    for kind in services.REQUIRED_ATTACHMENTS:
        f.add_attachment(completion, base_user, kind)
    engine.perform(completion, "submit", actor=base_user)
    engine.perform(completion, "approve", actor=hr_region_user)
    return completion


def test_no_table_holds_a_plain_id_number_or_mobile(client, learner_user, certified):
    client.post(reverse("accounts:login"), {"username": ID, "password": "wrong"})
    client.post(reverse("accounts:login"), {"username": MOBILE, "password": f.PASSWORD})
    learners = list(Learner.objects.all())
    assert Certificate.objects.count() == 2 and len(learners) == 3
    cells = "\n".join(all_cells())
    for learner in learners:
        assert learner.id_number not in cells and learner.mobile not in cells
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, mobile, id_number_hash FROM accounts_learner")
        raw_id, raw_mobile, id_hash = next(row for row in cursor.fetchall() if pii.decrypt(row[0]) == ID)
    assert raw_id != ID and raw_mobile != MOBILE and len(id_hash) == 64


def test_values_are_written_with_sm4_and_hashed_with_hmac_sm3(learner_user):
    token = raw_column("id_number", learner_user.learner.pk)
    assert token.startswith("sm4g1:") and raw_column("mobile", learner_user.learner.pk).startswith("sm4g1:")
    key = gm.derive_key(pii.parse_secret(settings.JXJY_PII_KEY), b"jxjy-pii-lookup-hmac-sm3", 32)
    assert raw_column("id_number_hash", learner_user.learner.pk) == gm.hmac_sm3_hex(key, f"id_number:{ID}".encode())
    assert raw_column("mobile_hash", learner_user.learner.pk) == gm.hmac_sm3_hex(key, f"mobile:{MOBILE}".encode())


def test_values_read_back_and_each_write_is_a_new_ciphertext(learner_user):
    learner = Learner.objects.get(pk=learner_user.learner.pk)
    assert (learner.id_number, learner.mobile) == (ID, MOBILE)
    before = raw_column("id_number", learner.pk)
    learner.save()
    assert raw_column("id_number", learner.pk) != before  # nothing to compare two people's numbers by
    assert Learner.objects.get(pk=learner.pk).id_number == ID


def raw_column(column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM accounts_learner WHERE id = %s", [pk])  # noqa: S608 - fixed names
        return cursor.fetchone()[0]


def test_a_changed_ciphertext_is_refused_not_misread(learner_user):
    token = raw_column("id_number", learner_user.learner.pk)
    forged = token[:-6] + ("AAAAAA" if not token.endswith("AAAAAA") else "BBBBBB")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_learner SET id_number = %s WHERE id = %s", [forged, learner_user.learner.pk])
    with pytest.raises(pii.UndecryptableError):
        Learner.objects.get(pk=learner_user.learner.pk)


@pytest.mark.parametrize("typed", [ID, ID.lower(), f" {ID} ", "６５０１０２１９９００１０１１２３９"])
def test_by_id_number_finds_the_learner_however_typed(learner_user, typed):
    assert Learner.objects.by_id_number(typed).get().user == learner_user


@pytest.mark.parametrize("typed", [MOBILE, "+86 138-9911-0001", "008613899110001"])
def test_by_mobile_finds_the_learner_however_typed(learner_user, typed):
    assert Learner.objects.by_mobile(typed).get().user == learner_user


def test_lookups_of_other_values_find_nothing(learner_user):
    assert not Learner.objects.by_id_number("650102198803150025").exists()
    assert not Learner.objects.by_id_number("6501").exists()
    assert not Learner.objects.by_mobile(ID).exists()  # the hashes of the two kinds never meet


def test_the_encrypted_column_cannot_be_filtered_on(learner_user):
    with pytest.raises(FieldError, match="加密存储"):
        Learner.objects.filter(id_number=ID).exists()
    with pytest.raises(FieldError):
        Certificate.objects.filter(holder_id_number__startswith="6501").exists()


def test_id_number_stays_unique(learner_user):
    with pytest.raises(IntegrityError), transaction.atomic():
        register_learner(name="冒名", id_number=ID.lower(), mobile="13899119999", work_unit="单位", password=f.PASSWORD)


def test_mobile_stays_unique(learner_user):
    with pytest.raises(IntegrityError), transaction.atomic():
        register_learner(
            name="他人", id_number="650102198803150025", mobile=MOBILE, work_unit="单位", password=f.PASSWORD
        )


def bulk_learners(n: int) -> list[Learner]:
    users = User.objects.bulk_create(User(username=f"bulk{k}", role=Role.LEARNER, password="!") for k in range(n))
    people = []
    for k, user in enumerate(users):
        first17 = f"65010219800101{k:03d}"
        number = first17 + id_check_char(first17)
        people.append(Learner(user=user, name=f"批量{k}", id_number=number, mobile=f"137{k:08d}", gender="男"))
    return Learner.objects.bulk_create(people)


def test_bulk_create_computes_the_hashes(db):
    made = bulk_learners(3)
    assert Learner.objects.by_id_number(made[2].id_number).get().name == "批量2"
    assert Learner.objects.by_mobile("13700000001").get().name == "批量1"
    twin = Learner(user=f.UserFactory(role=Role.LEARNER, organisation=None), name="重", id_number=made[0].id_number,
                   mobile="13600000000", gender="男")  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Learner.objects.bulk_create([twin])


def test_update_bulk_update_and_update_fields_keep_the_hashes(learner_user):
    pk = learner_user.learner.pk
    Learner.objects.filter(pk=pk).update(mobile="13500000001")
    assert Learner.objects.by_mobile("13500000001").get().pk == pk
    learner = Learner.objects.get(pk=pk)
    learner.mobile = "13500000002"
    Learner.objects.bulk_update([learner], ["mobile"])
    assert Learner.objects.by_mobile("13500000002").get().pk == pk
    learner.mobile = "13500000003"
    learner.save(update_fields=["mobile"])
    assert Learner.objects.by_mobile("13500000003").get().pk == pk
    assert not Learner.objects.by_mobile("13500000001").exists()


def test_a_new_learner_passes_full_clean_before_its_hashes_exist(db):
    user = f.UserFactory(role=Role.LEARNER, organisation=None)
    Learner(user=user, name="新", id_number=ID, mobile=MOBILE, gender="男", work_unit="单位").full_clean()


def test_pii_columns_give_the_hashes_for_raw_writes(learner_user):
    columns = pii.pii_columns(id_number=ID, mobile=MOBILE)
    learner = learner_user.learner
    assert columns == {"id_number_hash": learner.id_number_hash, "mobile_hash": learner.mobile_hash}


def test_certificate_search_by_id_number_uses_the_hash(client_for, certified, base_user):
    cert = Certificate.objects.first()
    assert Certificate.objects.by_holder_id_number(cert.holder_id_number.lower()).get() == cert
    url = reverse("certificates:list", args=["professional"])
    page = client_for(base_user).post(url, {"id_number": cert.holder_id_number}).content.decode()
    assert cert.number in page and Certificate.objects.exclude(pk=cert.pk).get().number not in page


def test_rotation_keeps_every_value_readable_and_findable(settings, learner_user, certified):
    settings.JXJY_PII_KEY, settings.JXJY_PII_OLD_KEYS = KEY_A, [settings.JXJY_PII_KEY]
    call_command("rotate_pii_key", stdout=open(os.devnull, "w"))  # noqa: SIM115
    under_a = raw_column("id_number", learner_user.learner.pk)
    settings.JXJY_PII_KEY, settings.JXJY_PII_OLD_KEYS = KEY_B, [KEY_A]  # new key, old one kept for reading
    assert Learner.objects.by_id_number(ID).get().mobile == MOBILE
    call_command("rotate_pii_key", stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.JXJY_PII_OLD_KEYS = []  # the old key is gone
    assert raw_column("id_number", learner_user.learner.pk) != under_a
    assert Learner.objects.by_id_number(ID).get().mobile == MOBILE
    assert Learner.objects.by_mobile(MOBILE).get().id_number == ID
    cert = Certificate.objects.first()
    assert Certificate.objects.by_holder_id_number(cert.holder_id_number).get() == cert


def test_a_value_under_an_unknown_key_is_refused(settings, learner_user):
    settings.JXJY_PII_KEY, settings.JXJY_PII_OLD_KEYS = KEY_B, []
    with pytest.raises(pii.UndecryptableError):
        Learner.objects.get(pk=learner_user.learner.pk)


def test_without_a_key_nothing_runs(settings, db):
    settings.JXJY_PII_KEY = ""
    assert [e.id for e in check_pii_key(None)] == ["jxjy.E001"]
    with pytest.raises(ImproperlyConfigured):
        pii.encrypt(ID)
    settings.JXJY_PII_KEY = "too-short"
    assert [e.id for e in check_pii_key(None)] == ["jxjy.E001"]


def run_production_settings(**env) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ["PATH"], "SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://u@h/db", **env}
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")  # also required in production
    code = "import config.settings.prod"
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False, cwd=settings.BASE_DIR
    )


def test_production_refuses_to_start_without_the_key():
    refused = run_production_settings()
    assert refused.returncode != 0 and "JXJY_PII_KEY" in refused.stderr
    assert run_production_settings(JXJY_PII_KEY="not-a-key").returncode != 0
    assert run_production_settings(JXJY_PII_KEY=pii.generate_key()).returncode == 0


def test_admin_shows_learners_masked_and_finds_them_by_exact_number(client_for, sysadmin_user, learner_user):
    url = reverse("admin:accounts_learner_changelist")
    for query in (ID, MOBILE):
        page = client_for(sysadmin_user).get(url, {"q": query}).content.decode()
        assert "张三" in page and "6501**********1239" in page  # (the search box echoes what was typed)
    detail = client_for(sysadmin_user).get(reverse("admin:accounts_learner_change", args=[learner_user.learner.pk]))
    assert "138****0001" in detail.content.decode() and MOBILE not in detail.content.decode()
