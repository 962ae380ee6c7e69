from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CertificatesConfig(AppConfig):
    name = "jxjy.certificates"
    verbose_name = gettext_lazy("电子证书")

    def ready(self):
        from jxjy.audit import actions

        from .audit_actions import CertificateAction

        actions.register(CertificateAction)  # the words of what this app records

        from jxjy.accounts.personal_data import register_revealable
        from jxjy.jobs.kinds import register
        from jxjy.jobs.models import JobKind

        from . import checks, signals, tasks  # noqa: F401 - checks: the signing identity's deploy check
        from .jobs import CERTIFICATES_ZIP
        from .selectors import learners_shown_to

        # Issuing wants the files signed by the worker after the commit; 批量下载证书 is a job of this app's.
        signals.signing_wanted.connect(tasks.signing_wanted, dispatch_uid="jxjy.certificates.tasks")
        register(JobKind.CERTIFICATES_ZIP, CERTIFICATES_ZIP)
        register_revealable(learners_shown_to)  # 显示完整 of the holders 人社 sees
