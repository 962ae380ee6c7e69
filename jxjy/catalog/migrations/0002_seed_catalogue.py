from django.db import migrations

from jxjy.catalog.seed import seed_catalogue


def forwards(apps, schema_editor):
    seed_catalogue(*(apps.get_model("catalog", name) for name in ("Series", "Specialty", "Level")))


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
