"""Attachment, made by jxjy.filings (filings_attachment): the table and its rows stay; filings 0007 lets go of it."""

import django.db.models.deletion
import jxjy.attachments.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("filings", "0006_alter_prefiling_created_at_and_more"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Attachment",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("object_id", models.PositiveBigIntegerField()),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("plan", "继续教育培训实施方案"),
                                    ("notice", "继续教育培训工作通知"),
                                    ("invitation", "继续教育培训开班邀请函"),
                                    ("other", "其他与填报内容相关的附件"),
                                    ("stamped_form", "盖有两公章的申报表扫描件"),
                                    ("generated_form", "系统生成的申报表"),
                                    ("sign_in", "签到表"),
                                    ("score_sheet", "成绩汇总表"),
                                    ("summary", "培训总结"),
                                ],
                                max_length=20,
                                verbose_name="附件类型",
                            ),
                        ),
                        ("file", models.FileField(max_length=200, upload_to=jxjy.attachments.models.attachment_path)),
                        ("original_name", models.CharField(max_length=200, verbose_name="文件名")),
                        ("mime_type", models.CharField(max_length=50)),
                        ("size", models.PositiveIntegerField(verbose_name="大小")),
                        ("created_at", models.DateTimeField(verbose_name="上传时间")),
                        (
                            "content_type",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT, to="contenttypes.contenttype"
                            ),
                        ),
                        (
                            "uploaded_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "附件",
                        "verbose_name_plural": "附件",
                        "db_table": "filings_attachment",
                        "ordering": ["id"],
                        "indexes": [
                            models.Index(fields=["content_type", "object_id"], name="filings_att_content_64041d_idx")
                        ],
                    },
                ),
            ],
        ),
    ]
