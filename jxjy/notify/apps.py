from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "jxjy.notify"
    label = "notify"
    verbose_name = "消息发送"

    def ready(self):
        from jxjy.audit import actions

        from .audit_actions import NotifyAction

        actions.register(NotifyAction)  # the words of what this app records

        from . import checks  # noqa: F401 - the SMS provider's deploy check
