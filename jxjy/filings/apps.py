from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class FilingsConfig(AppConfig):
    name = "jxjy.filings"
    verbose_name = gettext_lazy("备案")

    def ready(self):
        from jxjy.audit import actions

        from .audit_actions import FilingAction

        actions.register(FilingAction)  # the words of what this app records

        from . import kinds

        kinds.register_kinds()
