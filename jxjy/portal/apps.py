from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class PortalConfig(AppConfig):
    """The top layer: what gathers many apps (the menu, the home page and its cards, the 审计日志 page, the
    demo). Nothing imports it."""

    name = "jxjy.portal"
    verbose_name = gettext_lazy("门户")

    def ready(self):
        from jxjy.audit import actions

        from .audit_actions import PortalAction

        actions.register(PortalAction)  # the words of what this app records

        from jxjy.jobs.kinds import register
        from jxjy.jobs.models import JobKind

        from .jobs import AUDIT_EXPORT

        register(JobKind.AUDIT_EXPORT, AUDIT_EXPORT)
