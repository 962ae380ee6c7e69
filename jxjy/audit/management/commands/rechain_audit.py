import os

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.audit import rechain


class Command(BaseCommand):
    help = gettext_lazy(
        "按当前审计密钥（JXJY_AUDIT_KEY，未设置时由 SECRET_KEY 派生）重新计算审计日志哈希链。只在哈希链按旧算法"
        "（升级前的 SHA-256）或旧密钥（--old-key-env）校验通过时重建；重建本身记入审计日志并写入检查点。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--old-key-env", metavar="NAME", help=_("更换密钥后：旧密钥所在的环境变量名（密钥不在命令行中传递）")
        )
        parser.add_argument("--force", action="store_true", help=_("哈希链已断裂且原因已查明时，按现有内容强制重建"))

    def handle(self, *args, old_key_env=None, force=False, **options):
        old, why = rechain.legacy_digest, _("升级前的 SHA-256 哈希链校验通过")
        if old_key_env:
            if not os.environ.get(old_key_env):
                raise CommandError(f"环境变量 {old_key_env} 未设置。")
            old, why = rechain.digest_under(os.environ[old_key_env]), _("旧密钥下的哈希链校验通过")
        if force:
            why = _("强制重建（断裂原因已查明）")
        try:
            count = rechain.rechain(old=old, force=force, why=why)
        except rechain.RechainRefused as e:
            raise CommandError(f"{e}确认原因后可加 --force 强制重建。") from None
        if count:
            self.stdout.write(_("已按审计密钥重建哈希链：%(count)s条。") % {"count": count})
        else:
            self.stdout.write(_("哈希链已按当前审计密钥计算，无需重建。"))
