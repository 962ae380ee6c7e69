from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.accounts.checks import is_production, unsafe_accounts


class Command(BaseCommand):
    help = gettext_lazy("检查是否存在启用的超级用户、使用演示密码或演示身份验证器密钥的账号；生产设置下发现即失败。")

    def add_arguments(self, parser):
        parser.add_argument("--strict", action="store_true", help=_("非生产设置下也按失败处理"))

    def handle(self, *args, strict=False, **options):
        found = unsafe_accounts()
        for item in found:
            self.stderr.write(item)
        if found and (strict or is_production()):
            raise CommandError(f"发现 {len(found)} 个不安全的账号，生产环境不能这样运行。")
        if not found:
            self.stdout.write(_("未发现超级用户或演示账号。"))
