"""Demo download jobs: each account with 我的下载任务 finds a finished file there."""

from jxjy.certificates.models import Certificate
from jxjy.core import clock
from jxjy.jobs.models import Job, JobKind
from jxjy.jobs.services import start_job


def load_jobs(*, hr_users, auditor, base_users) -> None:
    """A statistics export for each HR reviewer, an audit export for the auditor, a certificate zip for each base."""
    year = clock.this_year()
    for user in hr_users:
        if not Job.objects.filter(owner=user).exists():
            start_job(kind=JobKind.STATS_EXPORT, actor=user, params={"year": year})
    if not Job.objects.filter(owner=auditor).exists():
        start_job(kind=JobKind.AUDIT_EXPORT, actor=auditor, params={"conditions": {"action": "提交"}})
    for user in base_users:
        if Job.objects.filter(owner=user).exists():
            continue
        certs = Certificate.objects.filter(base=user.organisation, registration__isnull=False)
        class_id = certs.values_list("registration__training_class_id", flat=True).first()
        if class_id:
            start_job(kind=JobKind.CERTIFICATES_ZIP, actor=user, params={"class_id": class_id})
