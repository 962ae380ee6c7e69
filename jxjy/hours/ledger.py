"""The 学时档案's lines follow the certificates (jxjy.certificates.signals), in the issuing transaction."""

from jxjy.catalog.models import SubjectKind
from jxjy.certificates.models import CertificateKind

from .models import Credit


def certificates_issued(sender, certs: list, sources: dict[str, str], **kwargs) -> None:
    """One line per certificate just issued: its year, hours and 科目类别, credited the day it was
    issued, 来源 as the issuer said."""
    Credit.objects.bulk_create(
        Credit(
            learner=c.learner,
            year=c.year,
            hours=c.hours,
            title=c.class_name,
            certificate=c,
            credited_on=c.issued_on,
            subject_kind=SubjectKind.PUBLIC if c.kind == CertificateKind.PUBLIC else SubjectKind.PROFESSIONAL,
            source=sources[c.source_key],
        )
        for c in certs
    )


def certificate_revoked(sender, cert, **kwargs) -> None:
    """A revoked certificate's hours no longer count."""
    Credit.objects.filter(certificate=cert).update(is_void=True)
