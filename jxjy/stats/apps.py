from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class StatsConfig(AppConfig):
    name = "jxjy.stats"
    verbose_name = gettext_lazy("统计")

    def ready(self) -> None:
        from jxjy.audit import actions

        from .audit_actions import StatsAction

        actions.register(StatsAction)  # the words of what this app records

        from django.db.models.signals import pre_save

        from jxjy.accounts.models import Organisation
        from jxjy.certificates import signals as certificates
        from jxjy.jobs.kinds import register
        from jxjy.jobs.models import JobKind
        from jxjy.review.engine import moved

        from . import tasks, totals
        from .jobs import STATS_EXPORT

        register(JobKind.STATS_EXPORT, STATS_EXPORT)

        # Approvals (and a 培训信息 leaving 审核通过) change the counted facts: totals.py counts them.
        moved.connect(totals.document_moved, dispatch_uid="jxjy.stats.totals")
        # Certificates issued and revoked count and uncount their hours.
        certificates.issued.connect(totals.on_issued, dispatch_uid="jxjy.stats.totals.issued")
        certificates.revoking.connect(totals.on_revoking, dispatch_uid="jxjy.stats.totals.revoking")
        # 达标率 is kept per 地州 as it was when the hours were credited: moving a unit recounts them.
        pre_save.connect(tasks.organisation_saving, sender=Organisation, dispatch_uid="jxjy.stats.organisation")
