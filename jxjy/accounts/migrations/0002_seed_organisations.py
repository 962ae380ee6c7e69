from django.db import migrations

from jxjy.accounts.seed import seed_organisations


def forwards(apps, schema_editor):
    seed_organisations(apps.get_model("accounts", "Prefecture"), apps.get_model("accounts", "Organisation"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
