from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jxjy.accounts"
    verbose_name = "单位与账号"

    def ready(self):
        from . import lockout  # noqa: F401 - connects the failed-login audit receiver
