"""Statistics for the HR side (DESIGN §2): the region for 人社厅, its prefecture for a 地州人社局.

Every figure is a plain database aggregate over the same scoped rows, so it equals a direct count.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from jxjy.accounts.models import Organisation, Prefecture, Role, User
from jxjy.catalog.models import Series
from jxjy.certificates.models import Certificate, CertificateStatus
from jxjy.filings.models import PreFiling, Purpose
from jxjy.filings.models import PreFilingStatus as FS
from jxjy.hours.models import Credit
from jxjy.hours.services import required_hours
from jxjy.trainings.models import ClassStatus, Registration, TrainingClass
from jxjy.trainings.models import RegistrationStatus as RS

METRICS = [
    ("filings", "备案通过的培训前备案"),
    ("recognitions", "审核通过的学时认定"),
    ("classes", "审核通过的培训班"),
    ("registrations", "审核通过的报名"),
    ("certificates", "有效电子证书"),
    ("hours", "认定学时"),
]


@dataclass
class Row:
    label: str
    values: dict[str, Decimal | int] = field(default_factory=dict)


def base_filter(user: User) -> Q | None:
    """Which bases the user's statistics cover (None: none at all)."""
    if user.role == Role.HR_REGION:
        return Q()
    if user.role == Role.HR_PREFECTURE and user.organisation_id:
        return Q(prefecture_id=user.organisation.prefecture_id)
    return None


def _bases(user: User):
    scope = base_filter(user)
    return Organisation.objects.filter(scope, kind=Organisation.Kind.BASE)


def _querysets(user: User, year: int) -> dict:
    bases = _bases(user)
    return {
        "filings": PreFiling.objects.filter(base__in=bases, status=FS.APPROVED, year=year, purpose=Purpose.FILING),
        "recognitions": PreFiling.objects.filter(
            base__in=bases, status=FS.APPROVED, year=year, purpose=Purpose.RECOGNITION
        ),
        "classes": TrainingClass.objects.filter(base__in=bases, status=ClassStatus.APPROVED, pre_filing__year=year),
        "registrations": Registration.objects.filter(training_class__base__in=bases, status=RS.APPROVED, year=year),
        "certificates": Certificate.objects.filter(base__in=bases, status=CertificateStatus.VALID, year=year),
        "hours": Credit.objects.filter(certificate__base__in=bases, is_void=False, year=year),
    }


# How each metric reaches a base, and the base's 系列 where it has one.
BASE_PATH = {
    "filings": "base",
    "recognitions": "base",
    "classes": "base",
    "registrations": "training_class__base",
    "certificates": "base",
    "hours": "certificate__base",
}
SERIES_PATH = {
    "registrations": "specialty__series",
    "certificates": "registration__specialty__series",
    "hours": "certificate__registration__specialty__series",
}


def _count(qs, metric: str, group: str | None = None):
    agg = Sum("hours") if metric == "hours" else Count("id", distinct=True)
    if group is None:
        value = qs.aggregate(v=agg)["v"]
        return value or 0
    return {k: v or 0 for k, v in qs.values_list(group).annotate(v=agg).order_by()}


def overview(user: User, year: int) -> dict[str, Decimal | int]:
    qs = _querysets(user, year)
    return {metric: _count(qs[metric], metric) for metric, _ in METRICS}


def by_prefecture(user: User, year: int) -> list[Row]:
    qs = _querysets(user, year)
    prefectures = Prefecture.objects.all()
    if user.role == Role.HR_PREFECTURE:
        prefectures = prefectures.filter(pk=user.organisation.prefecture_id)
    counts = {m: _count(qs[m], m, f"{BASE_PATH[m]}__prefecture_id") for m, _ in METRICS}
    return [Row(p.name, {m: counts[m].get(p.pk, 0) for m, _ in METRICS}) for p in prefectures]


def by_level(user: User, year: int) -> list[Row]:
    qs = _querysets(user, year)
    counts = {m: _count(qs[m], m, f"{BASE_PATH[m]}__level") for m, _ in METRICS}
    return [Row(label, {m: counts[m].get(value, 0) for m, _ in METRICS}) for value, label in Organisation.Level.choices]


def by_series(user: User, year: int) -> list[Row]:
    """报名、证书、学时 by the 系列 of the learner's 报名专业 (filings and classes span several)."""
    qs = _querysets(user, year)
    counts = {m: _count(qs[m], m, f"{path}_id") for m, path in SERIES_PATH.items()}
    rows = [Row(s.name, {m: counts[m].get(s.pk, 0) for m in SERIES_PATH}) for s in Series.objects.all()]
    return [r for r in rows if any(r.values.values())]


def met_share(user: User, year: int) -> tuple[int, int]:
    """(达标 learners, learners with credited hours) among learners trained by the covered bases."""
    learners = Credit.objects.filter(certificate__base__in=_bases(user), year=year).values("learner_id")
    totals: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for learner_id, kind, hours in (
        Credit.objects.filter(learner_id__in=learners, year=year, is_void=False)
        .values_list("learner_id", "subject_kind")
        .annotate(h=Sum("hours"))
        .order_by()
    ):
        totals[learner_id][kind] += hours
    total_required, professional_required = required_hours()
    met = sum(
        1
        for kinds in totals.values()
        if sum(kinds.values()) >= total_required and kinds.get("professional", 0) >= professional_required
    )
    return met, len(totals)
