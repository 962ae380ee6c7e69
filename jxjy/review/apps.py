from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ReviewConfig(AppConfig):
    name = "jxjy.review"
    verbose_name = gettext_lazy("审核流程")

    def ready(self) -> None:
        from jxjy.audit import actions

        from .audit_actions import ReviewAction

        actions.register(ReviewAction)  # the words of what this app records
