"""站内消息 (Notification), made by jxjy.review (review_notification): the table and its rows stay; review 0003 lets
go of it."""

import django.db.models.deletion
import jxjy.core.clock
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notify", "0002_sweepplan_outbox_params_preference"),
        ("review", "0002_alter_notification_created_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "created_at",
                            jxjy.core.clock.CreatedAtField(
                                default=jxjy.core.clock.now, editable=False, verbose_name="时间"
                            ),
                        ),
                        ("title", models.CharField(max_length=200, verbose_name="标题")),
                        ("body", models.TextField(blank=True, verbose_name="内容")),
                        ("url", models.CharField(blank=True, max_length=300, verbose_name="链接")),
                        ("read_at", models.DateTimeField(blank=True, null=True, verbose_name="阅读时间")),
                        (
                            "recipient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "站内消息",
                        "verbose_name_plural": "站内消息",
                        "db_table": "review_notification",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [
                            models.Index(fields=["recipient", "read_at"], name="review_noti_recipie_2beb75_idx")
                        ],
                    },
                ),
            ],
        ),
    ]
