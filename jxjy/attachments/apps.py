from django.apps import AppConfig


class AttachmentsConfig(AppConfig):
    name = "jxjy.attachments"
    verbose_name = "附件"
