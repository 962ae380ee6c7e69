from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ApiConfig(AppConfig):
    name = "jxjy.api"
    verbose_name = gettext_lazy("开放接口")

    def ready(self) -> None:
        from jxjy.audit import actions

        from .audit_actions import ApiAction

        actions.register(ApiAction)  # the words of what this app records

        from . import signals  # noqa: F401 - connects the receivers
