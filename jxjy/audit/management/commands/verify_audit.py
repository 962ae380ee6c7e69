from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.audit import verification


class Command(BaseCommand):
    help = gettext_lazy(
        "校验审计日志：哈希链（HMAC-SM3，密钥在数据库之外）以及与数据库之外的检查点是否一致；报告第一处被修改、"
        "删除或插入的记录，发现问题时以非零状态退出。每次校验都追加一个带结果的检查点。"
    )

    def handle(self, *args, **options):
        report = verification.run()
        for note in report.notes:
            self.stderr.write(note)
        if not report.ok:
            raise CommandError(report.summary())
        if any(note.startswith("检查点写入失败") for note in report.notes):
            raise CommandError(f"{report.summary()}但检查点未能写入（见上），请检查 JXJY_AUDIT_CHECKPOINT_FILE。")
        self.stdout.write(report.summary())
        self.stdout.write(_("链尾：第%(seq)s条，哈希 %(hash)s") % {"seq": report.tail.seq, "hash": report.tail.hash})
