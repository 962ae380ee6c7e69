"""Attachment now belongs to jxjy.attachments (attachments 0001); its table and rows stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("filings", "0006_alter_prefiling_created_at_and_more"),
        ("attachments", "0001_from_filings"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name="Attachment",
                ),
            ],
        ),
    ]
