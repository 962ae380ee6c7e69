"""Statistics for the HR side (DESIGN §2): the region for 人社厅, its prefecture for a 地州人社局.

The page reads the running totals (models.py), which the services that change the counted facts keep in
their own transactions (totals.py): the figures are those of the facts as committed, and reading them
costs a few hundred rows instead of a scan of the year's registrations, certificates and hours.
`counted_figures` counts the same figures straight from the facts (as the page did before; the tests and
the benchmark compare the two).
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from jxjy.accounts.models import Organisation, Prefecture, Role, User
from jxjy.catalog.models import Series, Specialty
from jxjy.certificates.models import Certificate, CertificateStatus
from jxjy.core import clock
from jxjy.filings.models import PreFiling, Purpose
from jxjy.filings.models import PreFilingStatus as FS
from jxjy.hours.models import Credit
from jxjy.hours.services import required_hours
from jxjy.trainings.models import ClassStatus, Registration, TrainingClass
from jxjy.trainings.models import RegistrationStatus as RS

from . import totals
from .models import LearnerCount, Total

HOURS = DecimalField(max_digits=12, decimal_places=1)
# A figure's key: ((地州, base level), 系列 where it has one); counted from the facts, (base, 系列 …).
Key = tuple[Any, ...]

METRICS = [
    ("filings", gettext_lazy("备案通过的培训前备案")),
    ("recognitions", gettext_lazy("审核通过的学时认定")),
    ("classes", gettext_lazy("审核通过的培训班")),
    ("registrations", gettext_lazy("审核通过的报名")),
    ("certificates", gettext_lazy("有效电子证书")),
    ("hours", gettext_lazy("认定学时")),
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
        return Q(prefecture_id=_prefecture_id(user))
    return None


def _prefecture_id(user: User) -> Any:
    """The 地州 of an HR office's user (the callers checked that the user has an organisation)."""
    return cast(Organisation, user.organisation).prefecture_id


def _bases(user: User) -> QuerySet[Organisation]:
    scope = base_filter(user)
    return Organisation.objects.filter(scope, kind=Organisation.Kind.BASE)


def _querysets(user: User, year: int) -> dict[str, QuerySet[Any]]:
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


def _counted_grouped(user: User, year: int) -> dict[str, dict[Key, Decimal | int]]:
    """Each metric by (base, 系列 where it has one), counted from the facts: one scan of each table."""
    qs = _querysets(user, year)
    grouped = {}
    for metric, _ in METRICS:
        keys = [f"{BASE_PATH[metric]}_id"] + ([f"{SERIES_PATH[metric]}_id"] if metric in SERIES_PATH else [])
        # The joins all follow foreign keys to one row, so a plain count counts each row once.
        agg = Sum("hours", output_field=HOURS) if metric == "hours" else Count("id")
        grouped[metric] = {
            tuple(row[:-1]): row[-1] or 0 for row in qs[metric].values_list(*keys).annotate(v=agg).order_by()
        }
    return grouped


# The Total field behind each metric.
TOTAL_FIELDS = {m: "hours_tenths" if m == "hours" else m for m, _ in METRICS}


def _grouped(user: User, year: int) -> dict[str, dict[Key, Decimal | int]]:
    """Each metric by ((地州, base level), 系列 where it has one), summed from the year's totals of the covered
    bases: a few thousand rows at region scale."""
    series_of = dict(Specialty.objects.values_list("pk", "series_id"))
    plain = [m for m, _ in METRICS if m not in SERIES_PATH]
    by_series = [m for m, _ in METRICS if m in SERIES_PATH]
    rows = (
        Total.objects.filter(year=year, base__in=_bases(user))
        .values_list("base__prefecture_id", "base__level", "specialty")
        .annotate(*[Sum(TOTAL_FIELDS[m]) for m in plain + by_series])
        .order_by()
    )
    grouped: dict[str, dict[Key, Decimal | int]] = {m: defaultdict(int) for m, _ in METRICS}
    plain_sums, series_sums = [grouped[m] for m in plain], [grouped[m] for m in by_series]
    for prefecture, level, specialty, *values in rows:
        group = (prefecture, level)
        for sums, value in zip(plain_sums, values, strict=False):
            sums[(group,)] += value
        key = (group, series_of.get(specialty))
        for sums, value in zip(series_sums, values[len(plain) :], strict=True):
            sums[key] += value
    # Until here the hours are sums of Total.hours_tenths, ints.
    grouped["hours"] = {k: totals.hours_of(cast(int, v)) for k, v in grouped["hours"].items()}
    return {m: dict(v) for m, v in grouped.items()}


@dataclass
class Figures:
    """Everything the statistics page shows, as of `computed_at`: each metric by ((地州, base level), 系列 where
    it has one)."""

    grouped: dict[str, dict[Key, Decimal | int]]
    met: int
    learners: int
    computed_at: datetime.datetime


def figures(user: User, year: int) -> Figures:
    """The page's figures, read from the running totals: always those of the facts as committed."""
    return Figures(_grouped(user, year), *met_share(user, year), clock.now())


def counted_figures(user: User, year: int) -> Figures:
    """The same figures counted straight from the facts (seconds at region scale)."""
    bases = {
        pk: (prefecture, level) for pk, prefecture, level in _bases(user).values_list("pk", "prefecture_id", "level")
    }
    grouped: dict[str, dict[Key, Decimal | int]] = {}
    for metric, by_key in _counted_grouped(user, year).items():
        grouped[metric] = defaultdict(int)
        for (base, *series), value in by_key.items():
            grouped[metric][(bases.get(base, (None, None)), *series)] += value
        grouped[metric] = dict(grouped[metric])
    return Figures(grouped, *counted_met_share(user, year), clock.now())


def _summed(f: Figures, group: Callable[[Key], Any]) -> dict[Any, dict[str, Decimal | int]]:
    """Every metric summed by `group(key)` of its ((地州, level), 系列) keys, in one pass: value -> metric -> total."""
    sums: dict[Any, dict[str, Decimal | int]] = defaultdict(
        lambda: {m: Decimal(0) if m == "hours" else 0 for m, _ in METRICS}
    )
    for metric, by_key in f.grouped.items():
        for key, value in by_key.items():
            sums[group(key)][metric] += value
    return sums


def overview(user: User, year: int, *, f: Figures | None = None) -> dict[str, Decimal | int]:
    f = f or figures(user, year)
    return _summed(f, lambda key: None)[None]


def _base_attribute(f: Figures, index: int) -> Callable[[Key], Any]:
    return lambda key: key[0][index]


def by_prefecture(user: User, year: int, *, f: Figures | None = None) -> list[Row]:
    f = f or figures(user, year)
    prefectures = Prefecture.objects.all()
    if user.role == Role.HR_PREFECTURE:
        prefectures = prefectures.filter(pk=_prefecture_id(user))
    sums = _summed(f, _base_attribute(f, 0))
    return [Row(p.shown, sums[p.pk]) for p in prefectures]


def by_level(user: User, year: int, *, f: Figures | None = None) -> list[Row]:
    f = f or figures(user, year)
    sums = _summed(f, _base_attribute(f, 1))
    return [Row(str(label), sums[value]) for value, label in Organisation.Level.choices]


def by_series(user: User, year: int, *, f: Figures | None = None) -> list[Row]:
    """报名、证书、学时 by the 系列 of the learner's 报名专业 (filings and classes span several)."""
    f = f or figures(user, year)
    sums = _summed(f, lambda key: key[1] if len(key) > 1 else None)
    rows = [Row(s.shown, {m: sums[s.pk][m] for m in SERIES_PATH}) for s in Series.objects.all()]
    return [r for r in rows if any(r.values.values())]


def met_share(user: User, year: int) -> tuple[int, int]:
    """(达标 learners, learners with credited hours) among learners trained by the covered bases.

    A learner counts if a covered base gave them a certificate with hours of the year (revoked or not) and
    some of their hours of the year count; 达标 if those hours (from any base or platform) reach the
    yearly requirement in force now and its 专业科目 share. A sum over the scope's learner counts."""
    if user.role == Role.HR_REGION:
        scope = totals.REGION
    elif base_filter(user) is not None and _prefecture_id(user) is not None:
        scope = _prefecture_id(user)
    else:
        return 0, 0
    total_required, professional_required = (totals.tenths(h) for h in required_hours())
    met = Q(professional_tenths__gte=professional_required) & Q(
        public_tenths__gte=Value(total_required) - F("professional_tenths")
    )
    result = LearnerCount.objects.filter(year=year, scope=scope).aggregate(
        met=Coalesce(Sum("learners", filter=met), 0), learners=Coalesce(Sum("learners"), 0)
    )
    return result["met"], result["learners"]


def counted_met_share(user: User, year: int) -> tuple[int, int]:
    """`met_share` counted straight from the ledger lines: each learner's year summed and judged in the database."""
    learners = Credit.objects.filter(certificate__base__in=_bases(user), year=year).values("learner_id")
    total_required, professional_required = required_hours()
    per_learner = (
        Credit.objects.filter(learner_id__in=learners, year=year, is_void=False)
        .values("learner_id")
        .annotate(
            total=Sum("hours"),
            professional=Coalesce(Sum("hours", filter=Q(subject_kind="professional")), Decimal(0), output_field=HOURS),
        )
        .order_by()
    )
    met = Q(total__gte=total_required, professional__gte=professional_required)
    result = per_learner.aggregate(met=Count("learner_id", filter=met), learners=Count("learner_id"))
    return result["met"], result["learners"]
