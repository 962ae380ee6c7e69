from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jxjy.accounts"
    verbose_name = "单位与账号"

    def ready(self):
        from . import checks, lockout  # noqa: F401 - the failed-login audit receiver, the production check
