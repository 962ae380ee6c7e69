"""Notification now belongs to jxjy.notify (notify 0003); its table and rows stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0002_alter_notification_created_at"),
        ("notify", "0003_notification_from_review"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name="Notification",
                ),
            ],
        ),
    ]
