from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jxjy.accounts"
    verbose_name = "单位与账号"

    def ready(self):
        # The failed-login audit receiver, the production check, the SMS notices the deploy check knows of.
        from jxjy.review.workflows import register_workflow

        from . import checks, lockout, sms_texts  # noqa: F401
        from .appeal_workflow import APPEAL
        from .models import IdentityAppeal

        register_workflow(IdentityAppeal, APPEAL)
