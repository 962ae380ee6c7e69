from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class HoursConfig(AppConfig):
    name = "jxjy.hours"
    verbose_name = gettext_lazy("学时档案")

    def ready(self):
        from jxjy.audit import actions

        from .audit_actions import HoursAction

        actions.register(HoursAction)  # the words of what this app records

        from jxjy.certificates import signals

        from . import ledger

        # A certificate issued writes its ledger line; one revoked voids it.
        signals.issued.connect(ledger.certificates_issued, dispatch_uid="jxjy.hours.ledger.issued")
        signals.revoked.connect(ledger.certificate_revoked, dispatch_uid="jxjy.hours.ledger.revoked")
