"""The audit trail's models, made by jxjy.core (core_auditentry, core_auditchainhead): the tables stay as they
are, with their rows; only Django's record of which app owns them changes (core 0007 lets go of them)."""

import django.db.models.deletion
import jxjy.core.clock
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("core", "0006_key_canary_worker_heartbeat"),
        ("accounts", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditChainHead",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("last_seq", models.PositiveBigIntegerField(default=0)),
                        ("last_hash", models.CharField(max_length=64)),
                        ("anchor_seq", models.PositiveBigIntegerField(default=1)),
                        ("anchor_hash", models.CharField(max_length=64)),
                    ],
                    options={
                        "verbose_name": "审计日志链头",
                        "verbose_name_plural": "审计日志链头",
                        "db_table": "core_auditchainhead",
                    },
                ),
                migrations.CreateModel(
                    name="AuditEntry",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("seq", models.PositiveBigIntegerField(editable=False, unique=True, verbose_name="序号")),
                        (
                            "created_at",
                            jxjy.core.clock.CreatedAtField(
                                db_index=True, default=jxjy.core.clock.now, editable=False, verbose_name="时间"
                            ),
                        ),
                        ("action", models.CharField(db_index=True, max_length=50, verbose_name="操作")),
                        (
                            "outcome",
                            models.CharField(
                                choices=[("成功", "成功"), ("失败", "失败")],
                                default="成功",
                                max_length=10,
                                verbose_name="结果",
                            ),
                        ),
                        ("object_type", models.CharField(blank=True, max_length=50, verbose_name="对象类型")),
                        (
                            "object_id",
                            models.CharField(blank=True, db_index=True, max_length=50, verbose_name="对象编号"),
                        ),
                        ("state_before", models.CharField(blank=True, max_length=30, verbose_name="操作前状态")),
                        ("state_after", models.CharField(blank=True, max_length=30, verbose_name="操作后状态")),
                        ("opinion", models.TextField(blank=True, verbose_name="意见")),
                        ("ip", models.GenericIPAddressField(blank=True, null=True, verbose_name="IP地址")),
                        ("detail", models.JSONField(blank=True, default=dict, verbose_name="详情")),
                        ("prev_hash", models.CharField(editable=False, max_length=64, verbose_name="前一条哈希")),
                        ("entry_hash", models.CharField(editable=False, max_length=64, verbose_name="本条哈希")),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="操作人",
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                to="accounts.organisation",
                                verbose_name="所属单位",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "审计日志",
                        "verbose_name_plural": "审计日志",
                        "db_table": "core_auditentry",
                        "ordering": ["seq"],
                        "indexes": [
                            models.Index(
                                fields=["object_type", "object_id", "created_at"], name="core_audite_object__601193_idx"
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
