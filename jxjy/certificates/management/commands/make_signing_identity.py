from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.certificates import identity


class Command(BaseCommand):
    help = gettext_lazy(
        "在指定目录生成一个临时 CA 证书（ca.pem）和由它签发的电子签章证书（signing.p12），"
        "供预发布环境和 CI 使用，并打印应设置的环境变量。正式环境请使用 CA 签发的证书或签章设备。"
    )
    requires_system_checks = []  # makes files only: runs before the signing identity is configured

    def add_arguments(self, parser):
        parser.add_argument("directory", help=_("写入 signing.p12 和 ca.pem 的目录（不存在则创建）"))
        parser.add_argument("--password", default="", help=_("PKCS#12 文件的密码（默认不加密，文件权限 600）"))
        parser.add_argument("--days", type=int, default=365, help=_("证书有效天数（默认 365）"))
        parser.add_argument("--key-type", choices=["ec", "rsa"], default="ec", help=_("密钥类型（默认 ec，即 P-256）"))
        parser.add_argument("--force", action="store_true", help=_("覆盖目录中已有的 signing.p12"))

    def handle(self, *args, directory, password, days, key_type, force, **options):
        directory = Path(directory).resolve()
        if (directory / identity.P12_NAME).exists() and not force:
            raise CommandError(f"{directory / identity.P12_NAME} 已存在；要覆盖请加 --force。")
        if days < 1:
            raise CommandError("--days 至少为 1。")
        p12 = identity.make_identity(directory, password=password, days=days, key_type=key_type)
        self.stdout.write(_("# 临时电子签章证书（%(days)s 天），仅供预发布环境和 CI 使用") % {"days": days})
        self.stdout.write(f"JXJY_SIGNING_PKCS12={p12}")
        if password:
            self.stdout.write(f"JXJY_SIGNING_PKCS12_PASSWORD={password}")
        self.stdout.write(f"JXJY_SIGNING_TRUST={directory / identity.CA_NAME}")
