from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class AttachmentsConfig(AppConfig):
    name = "jxjy.attachments"
    verbose_name = gettext_lazy("附件")

    def ready(self):
        from jxjy.audit import actions

        from .audit_actions import AttachmentAction

        actions.register(AttachmentAction)  # the words of what this app records
