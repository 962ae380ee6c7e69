from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class JobsConfig(AppConfig):
    name = "jxjy.jobs"
    verbose_name = gettext_lazy("后台任务")

    def ready(self):
        from jxjy.audit import actions

        from .audit_actions import JobAction

        actions.register(JobAction)  # the words of what this app records
