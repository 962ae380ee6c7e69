"""Keeping the statistics' running totals (models.py) in step with the facts they count.

The services that change a counted fact call in here in their own transaction:

* `certificates_issued` — certificates.services._issue_many (培训后备案, 学时认定, 换发, the 在线学习平台 import),
  through jxjy.certificates.signals.issued;
* `certificate_revoked` — certificates.services._revoke_locked (撤销 and 换发 void the old certificate's hours),
  through jxjy.certificates.signals.revoking;
* `document_moved` — every review move (jxjy.review.engine.moved): a 培训前备案 or 学时认定 passed, a 培训信息
  passed or sent back for a 报名时间变更, a 报名 passed.

Each change is an increment `INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n`, one statement per table,
its rows in key order and the tables always in the same order (Total, LearnerYear, LearnerBase,
LearnerCount): concurrent transactions add up instead of overwriting each other and take the rows' locks in
the same order (PostgreSQL); SQLite runs one writer at a time anyway. A learner's move between LearnerCount
rows is computed under the lock of their LearnerYear row, from its values before and after the increment.

`rebuild` recomputes every total from the facts and `check` compares the totals with a direct count
(manage.py rebuild_stats [--check]); both take the app registry, so that a data migration can run them.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import BigIntegerField, Case, Count, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, Round
from django.utils.translation import gettext, gettext_lazy

APPROVED = "approved"  # the state in which a 培训前备案, 学时认定, 培训信息 or 报名 counts
VALID = "valid"
PUBLIC, PROFESSIONAL = "public", "professional"
METRIC_FIELDS = ["filings", "recognitions", "classes", "registrations", "certificates", "hours_tenths"]
TOTAL_KEY = ["year", "base_id", "specialty", "kind"]
LEARNER_FIELDS = ["public_tenths", "professional_tenths", "credits"]
BATCH = 500  # rows per statement (SQLite allows 32,766 parameters)


def tenths(hours) -> int:
    """学时 in tenths (they have one decimal)."""
    return int((Decimal(str(hours)) * 10).to_integral_value())


def hours_of(value: int) -> Decimal:
    return (Decimal(value) / 10).quantize(Decimal("0.1"))


def kind_of(subject_kind: str) -> str:
    """The 科目类别 a fact counts under: a certificate is 公需课 only for a 公需科目 training."""
    return PUBLIC if subject_kind == PUBLIC else PROFESSIONAL


# ---- increments ----


@dataclass
class Changes:
    """Increments to make in one go: Total rows, LearnerYear rows, and LearnerBase rows to add (from which
    the LearnerCount rows follow)."""

    totals: dict = field(default_factory=lambda: defaultdict(lambda: dict.fromkeys(METRIC_FIELDS, 0)))
    learners: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))  # public, professional, credits
    trained: set = field(default_factory=set)  # (learner, year, organisation)

    def credit(self, learner_id: int, year: int, subject_kind: str, hours_tenths: int, sign: int) -> None:
        row = self.learners[(learner_id, year)]
        row[0 if subject_kind == PUBLIC else 1] += sign * hours_tenths
        row[2] += sign

    def save(self, using: str = DEFAULT_DB_ALIAS) -> None:
        from .models import LearnerBase, LearnerCount, LearnerYear, Total

        totals = {k: [v[f] for f in METRIC_FIELDS] for k, v in self.totals.items() if any(v.values())}
        learners = {k: v for k, v in self.learners.items() if any(v)}
        with connections[using].cursor() as cursor:
            _add(cursor, Total, TOTAL_KEY, METRIC_FIELDS, totals)
            if not learners:
                return
            # The increment locks each learner's year (every change of it, and of its LearnerBase rows, takes
            # that lock first) and returns it as it is now; before the increment it was that minus the increment.
            returned = _add(cursor, LearnerYear, ["learner_id", "year"], LEARNER_FIELDS, learners,
                            returning=["learner_id", "year", *LEARNER_FIELDS])  # fmt: skip
            after = {(row[0], row[1]): row[2:] for row in returned}
            before = {k: [a - d for a, d in zip(v, learners[k], strict=True)] for k, v in after.items()}
            scopes_before = _scopes(using, after)
            new_bases = {k for k in self.trained if k[2] not in scopes_before[k[:2]][1]}
            _add(cursor, LearnerBase, ["learner_id", "year", "base_id"], [], {k: [] for k in new_bases})
            scopes_after = _scopes(using, after, added=new_bases, known=scopes_before)
            counts: dict = defaultdict(int)
            for (learner, year), now in after.items():
                was = before[(learner, year)]
                for scope in scopes_before[(learner, year)][0] if was[2] > 0 else ():
                    counts[(year, scope, was[0], was[1])] -= 1
                for scope in scopes_after[(learner, year)][0] if now[2] > 0 else ():
                    counts[(year, scope, now[0], now[1])] += 1
            key = ["year", "scope", "public_tenths", "professional_tenths"]
            _add(cursor, LearnerCount, key, ["learners"], {k: [v] for k, v in counts.items() if v})


REGION = 0  # LearnerCount.scope of the region


def _scopes(using, keys, *, added=(), known=None) -> dict:
    """(learner, year) -> (its 统计范围: the region and the 地州 of each base that trained it, the organisations
    that gave it hours). From the LearnerBase rows there (`known`, if read already) and those `added`."""
    from jxjy.accounts.models import Organisation

    from .models import LearnerBase

    scopes: dict = defaultdict(lambda: (set(), set()))
    if known is None:
        rows = (
            LearnerBase.objects.using(using)
            .filter(learner_id__in={k[0] for k in keys}, year__in={k[1] for k in keys})
            .values_list("learner_id", "year", "base_id", "base__kind", "base__prefecture_id")
        )
    else:
        for k, (found, organisations) in known.items():
            scopes[k] = (set(found), set(organisations))
        orgs = (
            Organisation.objects.using(using)
            .filter(pk__in={k[2] for k in added})
            .values_list("pk", "kind", "prefecture_id")
        )
        about = {pk: (kind, prefecture) for pk, kind, prefecture in orgs}
        rows = [(learner, year, org, *about[org]) for learner, year, org in added]
    for learner, year, org, kind, prefecture in rows:
        if (learner, year) not in keys:
            continue
        found, organisations = scopes[(learner, year)]
        organisations.add(org)
        if kind == "base":
            found.add(REGION)
            if prefecture is not None:
                found.add(prefecture)
    return scopes


def _add(cursor, model, key: list[str], values: list[str], rows: dict[tuple, list[int]], *, returning=()) -> list:
    """Add `rows` (key -> increments) to the model's table, inserting the rows not there yet; returns the
    `returning` columns of the rows as they are after it."""
    if not rows:
        return []
    quote = cursor.db.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(c) for c in key + values)
    if values:
        on_conflict = "DO UPDATE SET " + ", ".join(  # nosec B608
            f"{quote(c)} = {table}.{quote(c)} + excluded.{quote(c)}" for c in values
        )
    else:
        on_conflict = "DO NOTHING"
    if returning:
        on_conflict += " RETURNING " + ", ".join(quote(c) for c in returning)
    marks = "(" + ", ".join(["%s"] * (len(key) + len(values))) + ")"
    items = sorted(rows.items())  # every transaction locks the rows in the same order
    found = []
    for i in range(0, len(items), BATCH):
        chunk = items[i : i + BATCH]
        # Table and column names come from the models, the values are parameters.
        sql = (
            f"INSERT INTO {table} ({columns}) VALUES {', '.join([marks] * len(chunk))} "  # noqa: S608  # nosec B608
            f"ON CONFLICT ({', '.join(quote(c) for c in key)}) {on_conflict}"
        )
        cursor.execute(sql, [v for k, vs in chunk for v in (*k, *vs)])
        if returning:
            found += cursor.fetchall()
    return found


def certificates_issued(certs: Iterable) -> None:
    """Certificates just issued, each with its ledger line of the same year, hours and 科目类别."""
    changes = Changes()
    for c in certs:
        kind, hours = str(c.kind), tenths(c.hours)
        if c.base_id is not None:
            row = changes.totals[(c.year, c.base_id, _specialty(c.registration), kind)]
            row["certificates"] += 1
            row["hours_tenths"] += hours
            changes.trained.add((c.learner_id, c.year, c.base_id))
        changes.credit(c.learner_id, c.year, kind, hours, +1)
    changes.save()


def on_issued(sender, certs, **kwargs) -> None:
    """jxjy.certificates.signals.issued."""
    certificates_issued(certs)


def on_revoking(sender, cert, **kwargs) -> None:
    """jxjy.certificates.signals.revoking."""
    certificate_revoked(cert)


def _specialty(registration) -> int:
    return registration.specialty_id if registration is not None else 0


def certificate_revoked(cert) -> None:
    """`cert` (locked) is about to be revoked and its ledger lines voided: they stop counting."""
    from jxjy.hours.models import Credit
    from jxjy.trainings.models import Registration

    if cert.status != VALID:
        return
    lines = list(
        Credit.objects.filter(certificate_id=cert.pk, is_void=False).values_list(
            "learner_id", "year", "subject_kind", "hours"
        )
    )
    changes = Changes()
    if cert.base_id is not None:
        specialty = 0
        if cert.registration_id:
            specialty = Registration.objects.filter(pk=cert.registration_id).values_list("specialty_id", flat=True)[0]
        key = (cert.year, cert.base_id, specialty, str(cert.kind))
        changes.totals[key]["certificates"] -= 1
        for _, year, _, hours in lines:
            changes.totals[(year, *key[1:])]["hours_tenths"] -= tenths(hours)
    for learner_id, year, subject_kind, hours in lines:
        changes.credit(learner_id, year, subject_kind, tenths(hours), -1)
    changes.save()


def document_moved(sender, doc, before: str, after: str, **kwargs) -> None:
    """A review move (jxjy.review.engine.moved): count a document that reached 审核通过, uncount one that left."""
    if (before == APPROVED) == (after == APPROVED):
        return
    fact = _counted_as(doc)
    if fact is not None:
        changes = Changes()
        changes.totals[fact[0]][fact[1]] += 1 if after == APPROVED else -1
        changes.save()


def _counted_as(doc) -> tuple[tuple, str] | None:
    """(Total key, field) of a document that counts while 审核通过; None for the other kinds."""
    from jxjy.filings.models import PreFiling
    from jxjy.trainings.models import TrainingClass

    label = doc._meta.label_lower
    if label == "filings.prefiling":
        metric = {"filing": "filings", "recognition": "recognitions"}.get(doc.purpose)
        if metric is None or doc.year is None:
            return None
        return (doc.year, doc.base_id, 0, kind_of(doc.subject_kind)), metric
    if label == "trainings.trainingclass":
        year, subject_kind = PreFiling.objects.filter(pk=doc.pre_filing_id).values_list("year", "subject_kind")[0]
        return ((year, doc.base_id, 0, kind_of(subject_kind)), "classes") if year is not None else None
    if label == "trainings.registration":
        base_id, subject_kind = TrainingClass.objects.filter(pk=doc.training_class_id).values_list(
            "base_id", "pre_filing__subject_kind"
        )[0]
        return (doc.year, base_id, doc.specialty_id, kind_of(subject_kind)), "registrations"
    return None


# ---- direct counts: what the totals must equal ----


def _kind(path: str) -> Case:
    return Case(When(**{path: PUBLIC}, then=Value(PUBLIC)), default=Value(PROFESSIONAL))


def _tenths_sum(**kwargs) -> Coalesce:
    """Sum of the lines' 学时 in tenths: each rounded to an integer first (SQLite keeps decimals as floats)."""
    return Coalesce(Sum(Cast(Round(F("hours") * 10), BigIntegerField()), **kwargs), 0)


def _specialty_or_0(path: str) -> Coalesce:
    return Coalesce(path, 0, output_field=IntegerField())


def counted_totals(apps=global_apps, using: str = DEFAULT_DB_ALIAS) -> dict[tuple, dict[str, int]]:
    """Every Total row as a direct count of the facts: (year, base, specialty, kind) -> field -> value."""
    found: dict = defaultdict(lambda: dict.fromkeys(METRIC_FIELDS, 0))
    for qs, keys, aggregate in _counted_sources(apps):
        for row in qs.using(using).values(**keys).annotate(**aggregate).order_by():
            (metric,) = aggregate
            found[(row["y"], row["b"], row.get("s", 0), row["k"])][metric] += row[metric]
    return {k: v for k, v in found.items() if any(v.values())}


def _counted_sources(apps) -> list[tuple]:
    """(the rows that count, their Total key as y/b/s/k, {field: aggregate}) for each counted fact."""
    PreFiling, TrainingClass, Registration, Certificate, Credit = _models(apps)
    approved = {"status": APPROVED}
    return [
        (
            PreFiling.objects.filter(**approved, year__isnull=False, purpose="filing"),
            {"y": F("year"), "b": F("base_id"), "k": _kind("subject_kind")},
            {"filings": Count("id")},
        ),
        (
            PreFiling.objects.filter(**approved, year__isnull=False, purpose="recognition"),
            {"y": F("year"), "b": F("base_id"), "k": _kind("subject_kind")},
            {"recognitions": Count("id")},
        ),
        (
            TrainingClass.objects.filter(**approved, pre_filing__year__isnull=False),
            {"y": F("pre_filing__year"), "b": F("base_id"), "k": _kind("pre_filing__subject_kind")},
            {"classes": Count("id")},
        ),
        (
            Registration.objects.filter(**approved),
            {"y": F("year"), "b": F("training_class__base_id"), "s": F("specialty_id"),
             "k": _kind("training_class__pre_filing__subject_kind")},
            {"registrations": Count("id")},
        ),
        (
            Certificate.objects.filter(status=VALID, base__isnull=False),
            {"y": F("year"), "b": F("base_id"), "s": _specialty_or_0("registration__specialty"), "k": F("kind")},
            {"certificates": Count("id")},
        ),
        (
            Credit.objects.filter(is_void=False, certificate__base__isnull=False),
            {"y": F("year"), "b": F("certificate__base_id"),
             "s": _specialty_or_0("certificate__registration__specialty"), "k": F("certificate__kind")},
            {"hours_tenths": _tenths_sum()},
        ),
    ]  # fmt: skip


def _models(apps):
    return [
        apps.get_model(*name.split("."))
        for name in ("filings.PreFiling", "trainings.TrainingClass", "trainings.Registration",
                     "certificates.Certificate", "hours.Credit")
    ]  # fmt: skip


def _counted_learner_years(apps, using):
    """Each (learner, year) with lines that count: l, y, p (public tenths), r (professional tenths), n (lines)."""
    Credit = apps.get_model("hours", "Credit")
    return (
        Credit.objects.using(using)
        .filter(is_void=False)
        .values(l=F("learner_id"), y=F("year"))
        .annotate(
            p=_tenths_sum(filter=Q(subject_kind=PUBLIC)), r=_tenths_sum(filter=~Q(subject_kind=PUBLIC)), n=Count("id")
        )
        .order_by()
    )


def _counted_learner_bases(apps, using):
    """Each (year, base, learner) of a base's certificate with hours, void or not: y, b, l."""
    Credit = apps.get_model("hours", "Credit")
    return (
        Credit.objects.using(using)
        .filter(certificate__base__isnull=False)
        .values(y=F("year"), b=F("certificate__base_id"), l=F("learner_id"))
        .distinct()
        .order_by()
    )


def _sql(qs, using: str) -> tuple[str, tuple]:
    return qs.query.get_compiler(using).as_sql()


def _counted_learner_counts(apps, using) -> tuple[str, tuple]:
    """Learners by (year, scope, public tenths, professional tenths), from the ledger lines: y, s, p, r, c."""
    Credit = apps.get_model("hours", "Credit")
    trained = Credit.objects.using(using).filter(certificate__base__kind="base")
    region = trained.values(l=F("learner_id"), y=F("year"), s=Value(REGION, output_field=IntegerField()))
    prefecture = trained.filter(certificate__base__prefecture__isnull=False).values(
        l=F("learner_id"), y=F("year"), s=F("certificate__base__prefecture_id")
    )
    (ly, ly_params), (a, a_params), (b, b_params) = (
        _sql(qs, using) for qs in (_counted_learner_years(apps, using), region.order_by(), prefecture.order_by())
    )
    sql = (  # the ORM's SQL of the three queries, their values parameters
        f"SELECT ly.y AS y, sc.s AS s, ly.p AS p, ly.r AS r, COUNT(*) AS c FROM ({ly}) ly "  # noqa: S608  # nosec B608
        f"JOIN ({a} UNION {b}) sc ON sc.l = ly.l AND sc.y = ly.y GROUP BY ly.y, sc.s, ly.p, ly.r"
    )
    return sql, ly_params + a_params + b_params


LEARNER_YEAR_COLUMNS = [("learner_id", "l"), ("year", "y"), ("public_tenths", "p"),
                        ("professional_tenths", "r"), ("credits", "n")]  # fmt: skip
LEARNER_BASE_COLUMNS = [("year", "y"), ("base_id", "b"), ("learner_id", "l")]
LEARNER_COUNT_COLUMNS = [("year", "y"), ("scope", "s"), ("public_tenths", "p"), ("professional_tenths", "r"),
                         ("learners", "c")]  # fmt: skip


def rebuild(apps=global_apps, using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Recompute every total from the facts, in one transaction; returns the rows written per table.

    Writers that change a fact meanwhile wait for it (the tables are locked on PostgreSQL; SQLite has one
    writer) and then add their increments to the new totals."""
    Total, LearnerYear, LearnerBase, LearnerCount = (
        apps.get_model("stats", m) for m in ("Total", "LearnerYear", "LearnerBase", "LearnerCount")
    )
    connection = connections[using]
    quote = connection.ops.quote_name
    with transaction.atomic(using), connection.cursor() as cursor:
        tables = [quote(m._meta.db_table) for m in (Total, LearnerYear, LearnerBase, LearnerCount)]
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {', '.join(tables)} IN SHARE ROW EXCLUSIVE MODE")
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608  # nosec B608
        totals = counted_totals(apps, using)
        Total.objects.using(using).bulk_create(
            [Total(**dict(zip(TOTAL_KEY, k, strict=True)), **v) for k, v in sorted(totals.items())], batch_size=BATCH
        )
        written = {"totals": len(totals)}
        for name, model, (sql, params), columns in (
            ("learner_years", LearnerYear, _sql(_counted_learner_years(apps, using), using), LEARNER_YEAR_COLUMNS),
            ("learner_bases", LearnerBase, _sql(_counted_learner_bases(apps, using), using), LEARNER_BASE_COLUMNS),
            ("learner_counts", LearnerCount, _counted_learner_counts(apps, using), LEARNER_COUNT_COLUMNS),
        ):
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c, _ in columns)}) "  # noqa: S608  # nosec B608
                f"SELECT {', '.join('q.' + quote(a) for _, a in columns)} FROM ({sql}) q",
                params,
            )
            written[name] = cursor.rowcount
        if connection.vendor == "postgresql":
            for table in tables:  # the planner's statistics, for the first reads after a bulk load
                cursor.execute(f"ANALYZE {table}")
    return written


# ---- comparing the totals with a direct count ----

TOTAL_LABELS = {
    "filings": gettext_lazy("备案通过的培训前备案"),
    "recognitions": gettext_lazy("审核通过的学时认定"),
    "classes": gettext_lazy("审核通过的培训班"),
    "registrations": gettext_lazy("审核通过的报名"),
    "certificates": gettext_lazy("有效电子证书"),
    "hours_tenths": gettext_lazy("认定学时"),
}
LEARNER_LABELS = {
    "public_tenths": gettext_lazy("公需科目学时"),
    "professional_tenths": gettext_lazy("专业科目学时"),
    "credits": gettext_lazy("有效学时记录数"),
}


@dataclass(frozen=True)
class Difference:
    where: str  # e.g. 2026年 某基地 工程系列·水利专业 专业科目
    what: str  # e.g. 有效电子证书
    kept: object  # in the totals
    counted: object  # counted from the facts

    def __str__(self) -> str:
        return gettext("%(where)s：%(what)s，汇总表为 %(kept)s，直接统计为 %(counted)s") % {
            "where": self.where,
            "what": self.what,
            "kept": self.kept,
            "counted": self.counted,
        }


@dataclass
class Check:
    """The outcome of comparing the totals with a direct count."""

    differences: list[Difference]  # the first few
    rows: dict[str, int]  # table -> how many of its rows differ

    @property
    def ok(self) -> bool:
        return not any(self.rows.values())


def check(apps=global_apps, using: str = DEFAULT_DB_ALIAS, *, limit: int = 100) -> Check:
    """Compare every total with a direct count of the facts; lists at most `limit` differences per table."""
    connection = connections[using]
    result = Check([], {})
    # One snapshot for every query, so that changes committed meanwhile are in both sides or in neither
    # (PostgreSQL: REPEATABLE READ; SQLite: one read transaction).
    began_here = not connection.in_atomic_block  # otherwise the transaction has run queries already
    with transaction.atomic(using):
        if connection.vendor == "postgresql" and began_here:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        names = _names(apps, using)
        for label, compare in (
            (gettext("统计汇总"), _total_differences),
            (gettext("学员年度学时"), _learner_year_differences),
            (gettext("学员培训基地"), _learner_base_differences),
            (gettext("学员学时分布"), _learner_count_differences),
        ):
            found, rows = compare(apps, using, limit, names)
            result.differences += found
            result.rows[label] = rows
    return result


def _show(field_name: str, value):
    return hours_of(value).normalize() if field_name.endswith("_tenths") else value


def _total_differences(apps, using, limit, names):
    Total = apps.get_model("stats", "Total")
    kept = {
        tuple(row[:4]): dict(zip(METRIC_FIELDS, row[4:], strict=True))
        for row in Total.objects.using(using).values_list(*TOTAL_KEY, *METRIC_FIELDS)
    }
    counted = counted_totals(apps, using)
    zero = dict.fromkeys(METRIC_FIELDS, 0)
    keys = [k for k in sorted(set(kept) | set(counted)) if kept.get(k, zero) != counted.get(k, zero)]
    found = [
        Difference(names.total(k), TOTAL_LABELS[m], _show(m, kept.get(k, zero)[m]), _show(m, counted.get(k, zero)[m]))
        for k in keys[:limit]
        for m in METRIC_FIELDS
        if kept.get(k, zero)[m] != counted.get(k, zero)[m]
    ]
    return found, len(keys)


def _except(left: tuple[str, tuple], right: tuple[str, tuple], columns: list[str]) -> tuple[str, tuple]:
    """The rows of the `left` query not in the `right` one (both select `columns`)."""
    picked = ", ".join(f"x.{c}" for c in columns)
    sql = f"SELECT {picked} FROM ({left[0]}) x EXCEPT SELECT {picked} FROM ({right[0]}) x"  # noqa: S608  # nosec B608
    return sql, left[1] + right[1]


def _compare(kept: tuple[str, tuple], counted: tuple[str, tuple], columns: list[str], key: int, limit: int, using):
    """Rows only in the totals and rows only in the direct count (the first `limit` of each, by the first
    `key` columns), and how many distinct keys differ."""
    extra, missing = _except(kept, counted, columns), _except(counted, kept, columns)
    keys = ", ".join(f"d.{c}" for c in columns[:key])
    order = ", ".join(str(i + 1) for i in range(len(columns)))
    # All of it is the ORM's SQL for the models' tables; the values are parameters.
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT {keys} FROM ({extra[0]}) d UNION SELECT {keys} FROM ({missing[0]}) d) k",  # noqa: S608  # nosec B608
            extra[1] + missing[1],
        )
        (count,) = cursor.fetchone()
        rows = []
        for sql, params in (extra, missing):
            cursor.execute(f"{sql} ORDER BY {order} LIMIT {int(limit)}", params)
            rows.append(cursor.fetchall())
    return rows[0], rows[1], count


def _learner_year_differences(apps, using, limit, names):
    LearnerYear = apps.get_model("stats", "LearnerYear")
    kept = (
        LearnerYear.objects.using(using)
        .exclude(public_tenths=0, professional_tenths=0, credits=0)  # a year whose every line was voided
        .values(**{a: F(c) for c, a in LEARNER_YEAR_COLUMNS})
        .order_by()
    )
    columns = [a for _, a in LEARNER_YEAR_COLUMNS]
    extra, missing, count = _compare(
        _sql(kept, using), _sql(_counted_learner_years(apps, using), using), columns, 2, limit, using
    )
    kept_rows, counted_rows = {r[:2]: r[2:] for r in extra}, {r[:2]: r[2:] for r in missing}
    found = []
    for learner, year in sorted(set(kept_rows) | set(counted_rows))[:limit]:
        pairs = zip(
            kept_rows.get((learner, year), (0, 0, 0)), counted_rows.get((learner, year), (0, 0, 0)), strict=True
        )
        for (name, label), (u, v) in zip(LEARNER_LABELS.items(), pairs, strict=True):
            if u != v:
                found.append(
                    Difference(
                        (gettext("学员（编号 %(learner)s）%(year)s年") % {"learner": learner, "year": year}),
                        label,
                        _show(name, u),
                        _show(name, v),
                    )
                )
    return found, count


def _learner_base_differences(apps, using, limit, names):
    LearnerBase = apps.get_model("stats", "LearnerBase")
    kept = LearnerBase.objects.using(using).values(**{a: F(c) for c, a in LEARNER_BASE_COLUMNS}).order_by()
    columns = [a for _, a in LEARNER_BASE_COLUMNS]
    extra, missing, count = _compare(
        _sql(kept, using), _sql(_counted_learner_bases(apps, using), using), columns, 3, limit, using
    )
    found = [
        Difference(
            (
                gettext("学员（编号 %(learner)s）%(year)s年 %(base)s")
                % {"learner": learner, "year": year, "base": names.base(base)}
            ),
            gettext("在该基地取得学时（计入达标率）"),
            gettext("有") if only_kept else gettext("无"),
            gettext("无") if only_kept else gettext("有"),
        )
        for only_kept, rows in ((True, extra), (False, missing))
        for year, base, learner in rows
    ]
    return found, count


def _learner_count_differences(apps, using, limit, names):
    LearnerCount = apps.get_model("stats", "LearnerCount")
    kept = LearnerCount.objects.using(using).exclude(learners=0).values(**{a: F(c) for c, a in LEARNER_COUNT_COLUMNS})
    columns = [a for _, a in LEARNER_COUNT_COLUMNS]
    extra, missing, count = _compare(
        _sql(kept.order_by(), using), _counted_learner_counts(apps, using), columns, 4, limit, using
    )
    kept_rows, counted_rows = {r[:4]: r[4] for r in extra}, {r[:4]: r[4] for r in missing}
    found = [
        Difference(
            (
                gettext("%(year)s年 %(scope)s 公需科目 %(_show)s 学时、专业科目 %(_show2)s 学时")
                % {
                    "year": year,
                    "scope": names.scope(scope),
                    "_show": _show("_tenths", public),
                    "_show2": _show("_tenths", professional),
                }
            ),
            gettext("学员数"),
            kept_rows.get(key, 0),
            counted_rows.get(key, 0),
        )
        for key in sorted(set(kept_rows) | set(counted_rows))[:limit]
        for year, scope, public, professional in [key]
    ]
    return found, count


@dataclass
class _Names:
    bases: dict[int, str]
    specialties: dict[int, str]
    prefectures: dict[int, str]

    def scope(self, pk: int) -> str:
        return (
            gettext("全区") if pk == REGION else self.prefectures.get(pk, (gettext("地州（编号 %(pk)s）") % {"pk": pk}))
        )

    def base(self, pk: int) -> str:
        return self.bases.get(pk, (gettext("基地（编号 %(pk)s）") % {"pk": pk}))

    def total(self, key: tuple) -> str:
        year, base, specialty, kind = key
        where = gettext("%(year)s年 %(base)s") % {"year": year, "base": self.base(base)}
        if specialty:
            where += " " + self.specialties.get(
                specialty, (gettext("专业（编号 %(specialty)s）") % {"specialty": specialty})
            )
        return where + " " + (gettext("公需科目") if kind == PUBLIC else gettext("专业科目"))


def _names(apps, using) -> _Names:
    Organisation, Specialty = apps.get_model("accounts", "Organisation"), apps.get_model("catalog", "Specialty")
    Prefecture = apps.get_model("accounts", "Prefecture")
    return _Names(
        dict(Organisation.objects.using(using).values_list("pk", "name")),
        {pk: f"{series}·{name}" for pk, series, name in
         Specialty.objects.using(using).values_list("pk", "series__name", "name")},
        dict(Prefecture.objects.using(using).values_list("pk", "name")),
    )  # fmt: skip
