from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class NotifyConfig(AppConfig):
    name = "jxjy.notify"
    label = "notify"
    verbose_name = gettext_lazy("消息发送")

    def ready(self):
        from jxjy.audit import actions

        from .audit_actions import NotifyAction

        actions.register(NotifyAction)  # the words of what this app records

        from . import checks  # noqa: F401 - the SMS provider's deploy check
