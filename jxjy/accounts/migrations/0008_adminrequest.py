import django.db.models.deletion
import jxjy.core.clock
from django.conf import settings
from django.db import migrations, models

ROLES = [
    ("base", "基地工作人员"),
    ("department", "主管部门审核员"),
    ("hr_region", "人社厅专技处审核员"),
    ("hr_prefecture", "地州人社局审核员"),
    ("sysadmin", "系统管理员"),
    ("secadmin", "安全管理员"),
    ("auditor", "审计管理员"),
    ("learner", "学员"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_appealinvite_identityappeal_smscode"),
    ]

    operations = [
        migrations.CreateModel(
            name="AdminRequest",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("grant_role", "变更角色"),
                            ("disable", "停用账号"),
                            ("enable", "启用账号"),
                            ("reset_password", "重置密码"),
                            ("reset_second_factor", "重置身份验证器"),
                        ],
                        max_length=30,
                        verbose_name="申请事项",
                    ),
                ),
                ("role", models.CharField(blank=True, choices=ROLES, max_length=20, verbose_name="申请角色")),
                (
                    "status",
                    models.CharField(
                        choices=[("pending", "待审批"), ("approved", "已批准"), ("rejected", "已驳回")],
                        default="pending",
                        max_length=20,
                        verbose_name="状态",
                    ),
                ),
                (
                    "requested_at",
                    jxjy.core.clock.CreatedAtField(
                        default=jxjy.core.clock.now, editable=False, verbose_name="申请时间"
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="审批时间")),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="审批人",
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="申请人",
                    ),
                ),
                (
                    "target",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="admin_requests",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="账号",
                    ),
                ),
            ],
            options={
                "verbose_name": "双人审批",
                "verbose_name_plural": "双人审批",
                "ordering": ["-requested_at", "-id"],
            },
        ),
    ]
