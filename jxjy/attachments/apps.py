from django.apps import AppConfig


class AttachmentsConfig(AppConfig):
    name = "jxjy.attachments"
    verbose_name = "附件"

    def ready(self):
        from jxjy.audit import actions

        from .audit_actions import AttachmentAction

        actions.register(AttachmentAction)  # the words of what this app records
