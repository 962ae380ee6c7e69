"""The 身份证号 frozen on each certificate is encrypted at rest; a keyed hash finds it. Reversible."""

from django.db import migrations, models

import jxjy.core.fields
from jxjy.core import pii

BATCH = 500


def encrypt_rows(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    certificates = list(Certificate.objects.only("pk", "holder_id_number").order_by("pk"))
    for c in certificates:
        c.holder_id_number_enc = c.holder_id_number
        c.holder_id_number_hash = pii.id_number_hash(c.holder_id_number)
    Certificate.objects.bulk_update(certificates, ["holder_id_number_enc", "holder_id_number_hash"], batch_size=BATCH)


def decrypt_rows(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    certificates = list(Certificate.objects.only("pk", "holder_id_number_enc").order_by("pk"))
    for c in certificates:
        c.holder_id_number = c.holder_id_number_enc
    Certificate.objects.bulk_update(certificates, ["holder_id_number"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("certificates", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="certificate",
            name="holder_id_number",
            field=models.CharField(max_length=18, null=True, verbose_name="身份证号"),
        ),
        migrations.AddField(
            model_name="certificate",
            name="holder_id_number_enc",
            field=jxjy.core.fields.EncryptedCharField(max_length=255, null=True, verbose_name="身份证号"),
        ),
        migrations.AddField(
            model_name="certificate",
            name="holder_id_number_hash",
            field=jxjy.core.fields.LookupHashField(null=True, purpose="id_number", source="holder_id_number"),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
        migrations.RemoveField(model_name="certificate", name="holder_id_number"),
        migrations.RenameField(model_name="certificate", old_name="holder_id_number_enc", new_name="holder_id_number"),
        migrations.AlterField(
            model_name="certificate",
            name="holder_id_number",
            field=jxjy.core.fields.EncryptedCharField(max_length=255, verbose_name="身份证号"),
        ),
        migrations.AlterField(
            model_name="certificate",
            name="holder_id_number_hash",
            field=jxjy.core.fields.LookupHashField(db_index=True, purpose="id_number", source="holder_id_number"),
        ),
    ]
