from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CompletionsConfig(AppConfig):
    name = "jxjy.completions"
    verbose_name = gettext_lazy("培训后备案")

    def ready(self):
        from jxjy.audit import actions

        from .audit_actions import CompletionAction

        actions.register(CompletionAction)  # the words of what this app records

        from . import kinds

        kinds.register_kinds()
