"""The audit trail becomes a hash chain: number, outcome and hashes on each row, and a chain head that
writers lock. Rows written before this are chained in the order they were written."""

import datetime as dt
import hashlib
import json

import django.utils.timezone
from django.db import migrations, models

GENESIS = "0" * 64
CHAINED_FIELDS = (
    "seq", "created_at", "actor_id", "organisation_id", "action", "outcome", "object_type", "object_id",
    "state_before", "state_after", "opinion", "ip", "detail",
)  # fmt: skip


def entry_digest(prev_hash: str, values: dict) -> str:
    """The chain's hash as jxjy.audit.chain.entry_digest makes it (kept here as it was when this ran)."""
    content = {
        name: values[name].astimezone(dt.UTC).isoformat() if isinstance(values[name], dt.datetime) else values[name]
        for name in CHAINED_FIELDS
    }
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{prev_hash}\n{text}".encode()).hexdigest()


def chain_existing_rows(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    prev, seq = GENESIS, 0
    for entry in AuditEntry.objects.order_by("created_at", "id").iterator(chunk_size=2000):
        seq += 1
        entry.seq, entry.prev_hash = seq, prev
        values = {name: getattr(entry, name) for name in (
            "seq", "created_at", "actor_id", "organisation_id", "action", "outcome", "object_type", "object_id",
            "state_before", "state_after", "opinion", "ip", "detail")}  # fmt: skip
        entry.entry_hash = entry_digest(prev, values)
        AuditEntry.objects.filter(pk=entry.pk).update(seq=seq, prev_hash=prev, entry_hash=entry.entry_hash)
        prev = entry.entry_hash
    AuditChainHead.objects.create(pk=1, last_seq=seq, last_hash=prev, anchor_seq=1, anchor_hash=GENESIS)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_rulesetting")]

    operations = [
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("last_seq", models.PositiveBigIntegerField(default=0)),
                ("last_hash", models.CharField(max_length=64)),
                ("anchor_seq", models.PositiveBigIntegerField(default=1)),
                ("anchor_hash", models.CharField(max_length=64)),
            ],
            options={"verbose_name": "审计日志链头", "verbose_name_plural": "审计日志链头"},
        ),
        migrations.AlterModelOptions(
            name="auditentry",
            options={"ordering": ["seq"], "verbose_name": "审计日志", "verbose_name_plural": "审计日志"},
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="created_at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, editable=False, verbose_name="时间"
            ),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="seq",
            field=models.PositiveBigIntegerField(editable=False, null=True, verbose_name="序号"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="outcome",
            field=models.CharField(
                choices=[("成功", "成功"), ("失败", "失败")], default="成功", max_length=10, verbose_name="结果"
            ),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="前一条哈希"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="entry_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="本条哈希"),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing_rows, migrations.RunPython.noop),
    ]
