from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jxjy.jobs"
    verbose_name = "后台任务"

    def ready(self):
        from jxjy.audit import actions

        from .audit_actions import JobAction

        actions.register(JobAction)  # the words of what this app records
