from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jxjy.accounts"
    verbose_name = "单位与账号"

    def ready(self):
        # The failed-login audit receiver, the production check, the SMS notices the deploy check knows of.
        from . import checks, lockout, sms_texts  # noqa: F401
