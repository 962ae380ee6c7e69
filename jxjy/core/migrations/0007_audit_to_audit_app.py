"""The audit trail's models now belong to jxjy.audit (audit 0001); their tables and rows stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_key_canary_worker_heartbeat"),
        ("audit", "0001_from_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name="AuditChainHead",
                ),
                migrations.DeleteModel(
                    name="AuditEntry",
                ),
            ],
        ),
    ]
