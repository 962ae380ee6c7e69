from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class AccountsConfig(AppConfig):
    name = "jxjy.accounts"
    verbose_name = gettext_lazy("单位与账号")

    def ready(self):
        from jxjy.audit import actions

        from .audit_actions import AccountAction

        actions.register(AccountAction)  # the words of what this app records

        # The failed-login audit receiver, the production check, the named permissions, the SMS notices the
        # deploy check knows of.
        from jxjy.review.workflows import register_workflow

        from . import checks, lockout, predicates, sms_texts  # noqa: F401
        from .appeal_workflow import APPEAL
        from .models import IdentityAppeal

        register_workflow(IdentityAppeal, APPEAL)
