"""Fill the statistics' running totals from the facts already in the database, so that a deployment that
upgrades shows its figures at once (later changes keep them in step). It runs jxjy.stats.totals.rebuild on
the models as of this migration; if a later migration changes how the counted facts are stored, it should
rebuild again (or run `manage.py rebuild_stats`)."""

from django.db import migrations


def fill(apps, schema_editor):
    from jxjy.stats.totals import rebuild

    rebuild(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0001_initial"),
        ("accounts", "0006_alter_learner_created_at_and_more"),
        ("catalog", "0002_seed_catalogue"),
        ("certificates", "0004_signed_file_and_reissue"),
        ("filings", "0006_alter_prefiling_created_at_and_more"),
        ("hours", "0001_initial"),
        ("trainings", "0003_alter_registration_created_at_and_more"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=False)]
