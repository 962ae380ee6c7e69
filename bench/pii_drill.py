"""国密转换的演练: `manage.py reencrypt_personal_data` on a copy of a populated PostgreSQL database, and proof that
every learner can still sign in by 身份证号 and by 手机号 and that no Fernet token is left.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jxjy_bench_pii JXJY_PII_KEY=… \\
        .venv/bin/python bench/pii_drill.py --source jxjy_bench [--sample 100]

The source database (for instance bench/seed_scale.py's, seeded before 国密 so that its personal data is
Fernet) is copied to the database named in DATABASE_URL (its name must contain "bench"; it is dropped and made
anew) and left untouched. On the copy: migrate, count the Fernet tokens and legacy hashes of every encrypted
column, run the command (timed), count again; then, with the legacy lookup switched off, check every learner:
both lookup hashes are the HMAC-SM3 of the decrypted values and find exactly that learner (what the login
backend does); and sign in through the login page as `--sample` learners by 身份证号 and as many by 手机号.
"""

import argparse
import os
import platform
import random
import sys
import time
from collections import Counter

from _setup import ROOT, table

LEGACY = "gAAAA"  # every Fernet token starts so


def copy_database(url: str, source: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[-1].split("?")[0]
    if "bench" not in name:
        raise SystemExit(f"the copy's database name must contain 'bench' (it is dropped): {name}")
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')


def legacy_counts() -> Counter:
    """Fernet tokens per encrypted column, and lookup hashes that are not the current HMAC-SM3 of their value."""
    from django.db import connection

    from jxjy.core.fields import encrypted_fields, personal_data_models

    found = Counter()
    with connection.cursor() as cursor:
        for model in personal_data_models():
            for f in encrypted_fields(model):
                table_name, column = model._meta.db_table, f.column
                sql = f'SELECT count(*) FROM "{table_name}" WHERE "{column}" LIKE %s'  # noqa: S608 - our own names
                cursor.execute(sql, [LEGACY + "%"])
                found[f"{table_name}.{column}"] = cursor.fetchone()[0]
    return found


def reencrypt() -> float:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("reencrypt_personal_data", verbosity=1)
    return time.perf_counter() - started


def check_every_learner() -> tuple[int, int]:
    """(learners, failures): each learner's hashes are the current ones and find only that learner."""
    from jxjy.accounts.models import Learner
    from jxjy.core import pii

    learners = Learner.objects.only("id", "id_number", "id_number_hash", "mobile", "mobile_hash")
    by_id, by_mobile, failures, count = Counter(), Counter(), 0, 0
    rows = list(learners.iterator(chunk_size=5000))
    for learner in rows:
        by_id[learner.id_number_hash] += 1
        by_mobile[learner.mobile_hash] += 1
    for learner in rows:
        count += 1
        id_hash = pii.lookup_hashes(pii.ID_NUMBER, learner.id_number)
        mobile_hash = pii.lookup_hashes(pii.MOBILE, learner.mobile) if learner.mobile else [""]
        ok = id_hash == [learner.id_number_hash] and by_id[learner.id_number_hash] == 1
        unique_mobile = not learner.mobile or by_mobile[learner.mobile_hash] == 1
        ok = ok and mobile_hash == [learner.mobile_hash] and unique_mobile
        failures += not ok
    return count, failures


def sign_in(sample: int) -> tuple[int, int, list[str]]:
    """(tried, signed in, failures): learners sign in through the login page by 身份证号, then by 手机号."""
    from django.contrib.auth.hashers import make_password
    from django.test import Client
    from django.urls import reverse

    from jxjy.accounts.models import Learner, User

    password = "Drill@2026x"
    chosen = random.Random(2026).sample(list(Learner.objects.values_list("pk", flat=True)), sample)
    learners = list(Learner.objects.filter(pk__in=chosen).select_related("user"))
    User.objects.filter(pk__in=[lr.user_id for lr in learners]).update(password=make_password(password))
    tried, signed, failed = 0, 0, []
    for learner in learners:
        for login in (learner.id_number, learner.mobile):
            client = Client()
            response = client.post(reverse("accounts:login"), {"username": login, "password": password})
            tried += 1
            if response.status_code == 302 and int(client.session.get("_auth_user_id", 0)) == learner.user_id:
                signed += 1
            else:
                failed.append(f"{learner.pk}:{response.status_code}")
    return tried, signed, failed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", required=True, help="the populated database to copy (left untouched)")
    parser.add_argument("--sample", type=int, default=100, help="learners who sign in through the login page")
    parser.add_argument("--again", action="store_true", help="run on the copy as it is (a second, resumed run)")
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    started = time.perf_counter()
    rows = [("machine", f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")]
    if not args.again:
        copy_database(url, args.source)
        rows.append(("copy of", f"{args.source} ({time.perf_counter() - started:.1f} s)"))
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    os.environ.setdefault("JXJY_LOGIN_RATE_PER_IP", "100000/m")  # every sign-in of the drill comes from here
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    before = legacy_counts()
    columns = ", ".join(f"{k} {v:,}" for k, v in before.items())
    rows.append(("Fernet tokens before", f"{sum(before.values()):,} ({columns})"))
    rows.append(("reencrypt_personal_data", f"{reencrypt():.1f} s"))
    after = legacy_counts()
    rows.append(("Fernet tokens after", f"{sum(after.values()):,}"))
    from django.conf import settings

    settings.JXJY_PII_LEGACY_LOOKUP = False  # from now on only the HMAC-SM3 hashes find anyone
    learners, failures = check_every_learner()
    rows.append(("learners found by both", f"{learners - failures:,} of {learners:,} (failures: {failures})"))
    tried, signed, failed = sign_in(args.sample)
    failed_text = f"; failed {' '.join(failed)}" if failed else ""
    rows.append(("login page", f"{signed} of {tried} sign-ins by 身份证号 and 手机号{failed_text}"))
    print(table(rows))
    if sum(after.values()) or failures or failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
