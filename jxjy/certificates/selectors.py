"""Who sees which certificates: the learner their own, a base its classes', HR what it issued."""

import hmac
from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from jxjy.accounts.models import Role, User
from jxjy.accounts.scoping import hr_scope
from jxjy.core.inputs import YEARS, bounded_int
from jxjy.core.lookups import get_or_404

from .models import Certificate, CertificateQuerySet


def certificates_visible_to(user: User) -> CertificateQuerySet:
    qs = Certificate.objects.select_related("learner", "issuer")
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.LEARNER:
        return qs.filter(learner__user=user)
    if user.role == Role.BASE and user.organisation_id:
        return qs.filter(base_id=user.organisation_id)
    scope = hr_scope(user)
    if scope is not None:
        return qs.filter(scope | Q(issuer_id=user.organisation_id))
    return qs.none()


def for_verification(number: str, code: str) -> Certificate | None:
    """证书查验 by number: the number alone says nothing (numbers are sequential); the 查验码 printed beside it
    on the certificate must match too. Certificates of a 换发 on either side come with it."""
    number, code = number.strip(), code.strip()
    if not number or not code:
        return None
    qs = Certificate.objects.select_related("replaced_by", "replaces")
    cert = qs.filter(number__iexact=number).first()
    return cert if cert is not None and hmac.compare_digest(cert.code.encode(), code.encode()) else None


def learners_shown_to(user: User) -> QuerySet[Any] | None:
    """显示完整 (accounts.personal_data): 人社 reveals the holders of the certificates it can see."""
    if user.role in (Role.HR_REGION, Role.HR_PREFECTURE):
        return certificates_visible_to(user).values("learner_id")
    return None


def search(qs: CertificateQuerySet, params: Mapping[str, Any]) -> CertificateQuerySet:
    """Search by 年度, 培训项目, 姓名 (from its first character), 身份证号 (exact, any case of the X), 证书编号."""
    if (year := bounded_int(params, "year", low=YEARS[0], high=YEARS[1])) is not None:
        qs = qs.filter(year=year)
    if params.get("class_name"):
        qs = qs.filter(class_name__icontains=params["class_name"].strip())
    if params.get("name"):
        # The name as typed, or its beginning (a surname): an index answers that among 500,000 certificates.
        qs = qs.filter(holder_name__startswith=params["name"].strip())
    if params.get("id_number"):  # exact, through the keyed hash; an incomplete number matches nothing
        qs = qs.by_holder_id_number(params["id_number"])
    if params.get("number"):
        qs = qs.filter(number__iexact=params["number"].strip())
    return qs


def access_certificate(user: User, pk: int) -> Certificate:
    """The certificate, or 404 whether it is missing or outside the user's scope."""
    found: Certificate = get_or_404(certificates_visible_to(user), pk, _("证书"))
    return found
