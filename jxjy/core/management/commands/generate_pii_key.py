from django.core.management.base import BaseCommand
from django.utils.translation import gettext_lazy

from jxjy.core.pii import generate_key


class Command(BaseCommand):
    help = gettext_lazy("生成一个新的个人信息加密密钥（JXJY_PII_KEY），打印到标准输出；请保存在数据库和代码库之外。")

    def handle(self, *args, **options):
        self.stdout.write(generate_key())
