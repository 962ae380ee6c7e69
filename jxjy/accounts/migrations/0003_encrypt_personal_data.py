"""身份证号 and 手机号 encrypted at rest, with keyed hashes for uniqueness and lookups; learners' user
names stop being their 身份证号. Works on SQLite and PostgreSQL; reversible (back to plain text)."""

import re
import secrets

from django.db import migrations, models

import jxjy.core.fields
from jxjy.core import pii

ID_LIKE = re.compile(r"^\d{17}[\dXx]$", re.ASCII)
BATCH = 500


def learner_username() -> str:
    return f"xy{secrets.token_hex(8)}"


def encrypt_rows(apps, schema_editor):
    Learner = apps.get_model("accounts", "Learner")
    User = apps.get_model("accounts", "User")
    learners = list(Learner.objects.select_related("user").order_by("pk"))
    for learner in learners:
        learner.id_number_enc, learner.mobile_enc = learner.id_number, learner.mobile
        learner.id_number_hash = pii.id_number_hash(learner.id_number)
        learner.mobile_hash = pii.mobile_hash(learner.mobile)
    fields = ["id_number_enc", "mobile_enc", "id_number_hash", "mobile_hash"]
    Learner.objects.bulk_update(learners, fields, batch_size=BATCH)
    users = [learner.user for learner in learners if ID_LIKE.match(learner.user.username)]
    for user in users:
        user.username = learner_username()
    User.objects.bulk_update(users, ["username"], batch_size=BATCH)


def decrypt_rows(apps, schema_editor):
    Learner = apps.get_model("accounts", "Learner")
    User = apps.get_model("accounts", "User")
    learners = list(Learner.objects.select_related("user").order_by("pk"))
    for learner in learners:
        learner.id_number, learner.mobile = learner.id_number_enc, learner.mobile_enc
        learner.user.username = learner.id_number_enc
    Learner.objects.bulk_update(learners, ["id_number", "mobile"], batch_size=BATCH)
    User.objects.bulk_update([learner.user for learner in learners], ["username"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_seed_organisations")]

    operations = [
        # The plain columns lose their unique constraints first, so that going back can refill them.
        migrations.AlterField(
            model_name="learner",
            name="id_number",
            field=models.CharField(max_length=18, null=True, verbose_name="身份证号"),
        ),
        migrations.AlterField(
            model_name="learner", name="mobile", field=models.CharField(max_length=11, null=True, verbose_name="手机号")
        ),
        migrations.AddField(
            model_name="learner",
            name="id_number_enc",
            field=jxjy.core.fields.EncryptedCharField(max_length=255, null=True, verbose_name="身份证号"),
        ),
        migrations.AddField(
            model_name="learner",
            name="mobile_enc",
            field=jxjy.core.fields.EncryptedCharField(max_length=255, null=True, verbose_name="手机号"),
        ),
        migrations.AddField(
            model_name="learner",
            name="id_number_hash",
            field=jxjy.core.fields.LookupHashField(null=True, purpose="id_number", source="id_number"),
        ),
        migrations.AddField(
            model_name="learner",
            name="mobile_hash",
            field=jxjy.core.fields.LookupHashField(null=True, purpose="mobile", source="mobile"),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
        migrations.RemoveField(model_name="learner", name="id_number"),
        migrations.RemoveField(model_name="learner", name="mobile"),
        migrations.RenameField(model_name="learner", old_name="id_number_enc", new_name="id_number"),
        migrations.RenameField(model_name="learner", old_name="mobile_enc", new_name="mobile"),
        migrations.AlterField(
            model_name="learner",
            name="id_number",
            field=jxjy.core.fields.EncryptedCharField(max_length=255, verbose_name="身份证号"),
        ),
        migrations.AlterField(
            model_name="learner",
            name="mobile",
            field=jxjy.core.fields.EncryptedCharField(max_length=255, verbose_name="手机号"),
        ),
        migrations.AlterField(
            model_name="learner",
            name="id_number_hash",
            field=jxjy.core.fields.LookupHashField(purpose="id_number", source="id_number", unique=True),
        ),
        migrations.AlterField(
            model_name="learner",
            name="mobile_hash",
            field=jxjy.core.fields.LookupHashField(purpose="mobile", source="mobile", unique=True),
        ),
    ]
