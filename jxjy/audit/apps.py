from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "jxjy.audit"
    verbose_name = "审计日志"

    def ready(self):
        from . import actions
        from .models import AuditAction

        actions.register(AuditAction)
