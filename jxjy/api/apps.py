from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jxjy.api"
    verbose_name = "开放接口"

    def ready(self) -> None:
        from jxjy.audit import actions

        from .audit_actions import ApiAction

        actions.register(ApiAction)  # the words of what this app records

        from . import signals  # noqa: F401 - connects the receivers
