from django.core.management.base import BaseCommand

from demo.loader import load_demo
from jxjy.accounts.demo_credentials import DEMO_PASSWORD, DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "载入演示数据（可重复执行）。"

    def handle(self, *args, **options):
        self.stdout.write("正在载入演示数据（首次约需一分钟，之后几秒）……")
        self.stdout.flush()
        load_demo()
        self.stdout.write(f"演示数据已就绪。演示账号密码：{DEMO_PASSWORD}")
        self.stdout.write(f"管理员与人社审核账号的二次验证：身份验证器密钥 {DEMO_TOTP_SECRET}（见 README）")
