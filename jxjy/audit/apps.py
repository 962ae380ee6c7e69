from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class AuditConfig(AppConfig):
    name = "jxjy.audit"
    verbose_name = gettext_lazy("审计日志")

    def ready(self):
        from . import actions
        from .models import AuditAction

        actions.register(AuditAction)
