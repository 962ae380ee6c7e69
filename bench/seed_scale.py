"""Build a region-scale data set on PostgreSQL with COPY and print how long each part took.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jxjy_bench .venv/bin/python bench/seed_scale.py [--scale 1]

At scale 1: 500 bases, 20,000 classes (each from its own approved 培训前备案), 300,000 learners,
1,000,000 registrations, 500,000 certificates with their ledger lines, plus documents waiting in
every reviewer's 待审核 list. The database named in DATABASE_URL is dropped and created anew, so
its name must contain "bench". bench/lists.py reads this data set; the accounts it uses are
printed at the end.
"""

import argparse
import datetime as dt
import json
import os
import platform
import time
import uuid
from decimal import Decimal

from _setup import django_setup, recreate_database, table

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏"
    "吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国玉梅红飞鹏辉亮新林文斌宇浩凯阿依古丽买买提努尔江帕"

# Seeded accounts the list benchmark signs in as.
HR_REGION_USER = "bench_hr_region"
DEPARTMENT_USER = "bench_dept_0"
BASE_USER = "bench_base_0"


def person_name(n: int) -> str:
    """A Chinese name; about 1 in 20,000 learners shares one, as in a real register."""
    return SURNAMES[n % len(SURNAMES)] + GIVEN[n // len(SURNAMES) % len(GIVEN)] + GIVEN[n // 7 % len(GIVEN)]


def id_number(n: int) -> str:
    """The n-th learner's valid 18-digit 身份证号: area, a birth date and a sequence fixed by n."""
    from jxjy.core.identity import id_check_char

    birth = dt.date(1965, 1, 1) + dt.timedelta(days=n // 1000)
    first17 = f"65{n % 40 + 1:02d}{n // 40 % 30 + 1:02d}{birth:%Y%m%d}{n % 1000:03d}"
    return first17 + id_check_char(first17)


def learner_row(n: int, *, user_id: int, created_at: dt.datetime, stored: bool = True) -> dict:
    """The accounts_learner row of the n-th learner (the one place that knows how a learner is stored).

    `stored`: as COPY writes it, bypassing the model — the 身份证号 and mobile encrypted, with their keyed
    hashes. Without it, the plain values for the model (Learner(**row)), which encrypts and hashes on save."""
    from jxjy.core import pii

    number, mobile = id_number(n), f"13{n:09d}"
    row = {
        "id": user_id,
        "user_id": user_id,
        "name": person_name(n),
        "id_number": number,
        "mobile": mobile,
        "gender": "男" if int(number[16]) % 2 else "女",
        "work_unit": f"第{n % 900 + 1}测试单位",
        "created_at": created_at,
    }
    if stored:
        row.update(id_number=pii.encrypt(number), mobile=pii.encrypt(mobile))
        row.update(pii.pii_columns(id_number=number, mobile=mobile))
    return row


def audit_chain_rows(filing_ids: list[int], at: dt.datetime):
    """The 提交 entries that bring each filing to HR, chained as jxjy.audit.chain appends them."""
    from jxjy.audit.chain import GENESIS, entry_digest

    prev = GENESIS
    for n, fid in enumerate(filing_ids, start=1):
        row = {
            "seq": n, "created_at": at, "actor_id": None, "organisation_id": None, "action": "提交",
            "outcome": "成功", "object_type": "filings.prefiling", "object_id": str(fid),
            "state_before": "dept_approved", "state_after": "hr_review", "opinion": "", "ip": None, "detail": {},
        }  # fmt: skip
        digest = entry_digest(prev, row)
        yield {"id": n, **row, "prev_hash": prev, "entry_hash": digest}
        prev = digest


def last_audit_hash(filing_ids: list[int], at: dt.datetime) -> str:
    from jxjy.audit.chain import GENESIS

    last = GENESIS
    for row in audit_chain_rows(filing_ids, at):
        last = row["entry_hash"]
    return last


class Copier:
    """COPY rows into a model's table; each row is a dict over the model's columns, unset ones take their default."""

    def __init__(self, connection):
        self.connection = connection
        self.timings: list[tuple[str, int, float]] = []

    def defaults(self, model) -> dict:
        return {f.column: f.get_default() for f in model._meta.concrete_fields}

    def copy(self, model, rows) -> None:
        started = time.perf_counter()
        defaults = self.defaults(model)
        cols = list(defaults)
        count = 0
        with self.connection.connection.cursor() as cursor:
            names = ", ".join(f'"{c}"' for c in cols)
            with cursor.copy(f'COPY "{model._meta.db_table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    values = {**defaults, **row}
                    copy.write_row([json.dumps(v) if isinstance(v, list | dict) else v for v in map(values.get, cols)])
                    count += 1
        self.timings.append((model._meta.db_table, count, time.perf_counter() - started))


class Plan:
    """How many of each thing at a scale (1: the region)."""

    def __init__(self, scale: float):
        self.bases = max(int(500 * scale), 15)
        self.departments = max(self.bases // 20, 2)
        self.classes = max(int(20_000 * scale), 40)
        self.learners = max(int(300_000 * scale), 100)
        self.registrations = max(int(1_000_000 * scale), 300)
        self.certificates = max(int(500_000 * scale), 150)
        self.waiting_filings = max(self.classes // 20, 4)


def seed(plan: Plan, copier: Copier) -> dict:
    from django.utils import timezone

    from jxjy.accounts.models import Learner, Organisation, Prefecture, Role, User
    from jxjy.audit.chain import GENESIS, HEAD_PK
    from jxjy.audit.models import AuditChainHead, AuditEntry
    from jxjy.catalog.models import Level, Specialty
    from jxjy.certificates.models import Certificate, CertificateSequence
    from jxjy.completions.models import CompletionFiling
    from jxjy.core import pii
    from jxjy.filings.models import PreFiling, ScopeItem
    from jxjy.hours.models import Credit
    from jxjy.trainings.models import ClassSpecialty, Registration, TrainingClass

    now = timezone.now()
    this_year = timezone.localdate().year
    prefectures = list(Prefecture.objects.order_by("id"))
    hr_region = Organisation.objects.get(kind="hr_region")
    bureaus = {o.prefecture_id: o for o in Organisation.objects.filter(kind="hr_prefecture")}
    scopes = [
        (s.pk, lv.pk, f"{s.series.name} {s.name} {lv.name}")
        for s in Specialty.objects.select_related("series")
        for lv in Level.objects.filter(series=s.series)
    ]
    org_id = Organisation.objects.order_by("-id").values_list("id", flat=True)[0] + 1

    # Organisations: departments, then bases (10% national, 40% regional, 50% prefecture level).
    departments = list(range(org_id, org_id + plan.departments))
    levels = ["national"] + ["regional"] * 4 + ["prefecture"] * 5
    bases = []
    for i in range(plan.bases):
        p = prefectures[i % len(prefectures)]
        bases.append(
            {
                "id": org_id + plan.departments + i,
                "name": f"基准测试第{i}继续教育基地",
                "kind": "base",
                "level": levels[i % 10],
                "prefecture_id": p.pk,
                "department_id": departments[i % len(departments)],
                "is_active": True,
            }
        )
    copier.copy(
        Organisation,
        [
            {"id": d, "name": f"基准测试第{n}主管部门", "kind": "department", "is_active": True}
            for n, d in enumerate(departments)
        ]
        + bases,
    )
    reviewer = {b["id"]: (bureaus[b["prefecture_id"]] if b["level"] == "prefecture" else hr_region).pk for b in bases}

    # Staff: one account per base, department and HR office; then one account per learner.
    staff = [(f"bench_base_{i}", Role.BASE, b["id"]) for i, b in enumerate(bases)]
    staff += [(f"bench_dept_{i}", Role.DEPARTMENT, d) for i, d in enumerate(departments)]
    staff += [(HR_REGION_USER, Role.HR_REGION, hr_region.pk)]
    staff += [(f"bench_hr_{o.prefecture.code}", Role.HR_PREFECTURE, o.pk) for o in bureaus.values()]
    user_id = (User.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    common = {"password": "!", "is_active": True, "date_joined": now}
    first_learner_user = user_id + len(staff)
    for i, b in enumerate(bases):
        b["user_id"] = user_id + i
    copier.copy(
        User,
        [
            {
                "id": user_id + i,
                "username": u,
                "role": role,
                "organisation_id": org,
                "full_name": f"工作人员{i}",
                **common,
            }
            for i, (u, role, org) in enumerate(staff)
        ]
        + [
            {
                "id": first_learner_user + n,
                "username": f"xy{n:016x}",  # learners' user names are not their 身份证号
                "role": Role.LEARNER,
                "full_name": person_name(n),
                **common,
            }
            for n in range(plan.learners)
        ],
    )
    copier.copy(Learner, (learner_row(n, user_id=first_learner_user + n, created_at=now) for n in range(plan.learners)))

    # 培训前备案: one approved filing per class, plus filings waiting for their department or HR.
    classes = []
    for c in range(plan.classes):
        base = bases[c % len(bases)]
        year = this_year if c % 5 < 3 else this_year - 1
        start = dt.date(year, 1 + c % 12, 1 + c % 25)
        classes.append(
            {
                "id": c + 1,
                "base": base,
                "year": year,
                "start": start,
                "scope": scopes[c % len(scopes)],
                "subject": "public" if c % 5 == 4 else "professional",
                "hr_review": c % 20 == 19,
                "finished": c % 10 < 7,
            }
        )
    waiting = [
        {"id": plan.classes + w + 1, "base": bases[(w * 7) % len(bases)], "at_hr": w % 2 == 1}
        for w in range(plan.waiting_filings)
    ]

    def filing(fid, base, year, start, subject, status, holder, submitted):
        return {
            "id": fid,
            "base_id": base["id"],
            "created_by_id": base["user_id"],
            "created_at": submitted,
            "updated_at": submitted,
            "status": status,
            "holder_id": holder,
            "submitted_at": submitted,
            "purpose": "filing",
            "year": year,
            "fill_date": start - dt.timedelta(days=40),
            "base_name": base["name"],
            "class_name": f"{year}年第{fid}期专业技术人员继续教育培训班",
            "start_date": start,
            "end_date": start + dt.timedelta(days=4),
            "total_hours": Decimal(40),
            "training_form": "offline",
            "subject_kind": subject,
            "venue": "乌鲁木齐市",
            "contact_name": "联系人",
            "contact_mobile": "13899887755",
        }

    submitted_at = now - dt.timedelta(days=60)
    copier.copy(
        PreFiling,
        [
            filing(
                c["id"],
                c["base"],
                c["year"],
                c["start"],
                c["subject"],
                "approved",
                None,
                submitted_at + dt.timedelta(seconds=c["id"]),
            )
            for c in classes
        ]
        + [
            filing(
                w["id"],
                w["base"],
                this_year,
                dt.date(this_year, 12, 1),
                "professional",
                "hr_review" if w["at_hr"] else "dept_review",
                reviewer[w["base"]["id"]] if w["at_hr"] else w["base"]["department_id"],
                now - dt.timedelta(minutes=w["id"]),
            )
            for w in waiting
        ],
    )
    copier.copy(
        ScopeItem,
        (
            {"id": c["id"], "filing_id": c["id"], "specialty_id": c["scope"][0], "level_id": c["scope"][1]}
            for c in classes
        ),
    )
    # HR sees a filing once it reached HR: the selector looks for that move in the audit trail.
    reached_hr = [c["id"] for c in classes] + [w["id"] for w in waiting if w["at_hr"]]
    copier.copy(AuditEntry, audit_chain_rows(reached_hr, submitted_at))
    AuditChainHead.objects.update_or_create(
        pk=HEAD_PK, defaults={"last_seq": len(reached_hr), "last_hash": last_audit_hash(reached_hr, submitted_at),
                              "anchor_seq": 1, "anchor_hash": GENESIS},
    )  # fmt: skip

    # 培训信息: approved and published, except every 20th, which waits for HR.
    def training_class(c):
        year, at = c["year"], submitted_at + dt.timedelta(seconds=c["id"])
        return {
            "id": c["id"],
            "base_id": c["base"]["id"],
            "pre_filing_id": c["id"],
            "status": "hr_review" if c["hr_review"] else "approved",
            "holder_id": reviewer[c["base"]["id"]] if c["hr_review"] else None,
            "submitted_at": at,
            "created_by_id": c["base"]["user_id"],
            "created_at": at,
            "updated_at": at,
            "years": [year],
            "years_start": year,
            "reg_start": at,
            "reg_end": at + dt.timedelta(days=20),
            "resubmit_deadline": at + dt.timedelta(days=25),
            "report_place": "报到处",
            "class_place": "教室",
            "contact": "联系人",
            "contact_phone": "0991-1234567",
            "is_published": not c["hr_review"],
        }

    copier.copy(TrainingClass, map(training_class, classes))
    copier.copy(
        ClassSpecialty,
        (
            {"id": c["id"], "training_class_id": c["id"], "specialty_id": c["scope"][0], "level_id": c["scope"][1]}
            for c in classes
        ),
    )

    # 学员报名: each learner in a few different approved classes; 80% approved, 12% waiting for the base.
    open_classes = [c for c in classes if not c["hr_review"]]
    statuses = ["approved"] * 80 + ["submitted"] * 12 + ["returned"] * 5 + ["withdrawn"] * 3
    statuses = [statuses[(i * 37) % 100] for i in range(100)]  # spread evenly
    regs = []  # (registration id, learner n, class) of those that get a certificate

    def registrations():
        for r in range(plan.registrations):
            n, k = r % plan.learners, r // plan.learners
            c = open_classes[(n * 37 + k * 5003) % len(open_classes)]
            status = statuses[r % 100]
            at = submitted_at + dt.timedelta(seconds=r)
            if status == "approved" and c["finished"] and len(regs) < plan.certificates:
                regs.append((r + 1, n, c))
            yield {
                "id": r + 1,
                "status": status,
                "holder_id": c["base"]["id"] if status == "submitted" else None,
                "submitted_at": at,
                "learner_id": first_learner_user + n,
                "training_class_id": c["id"],
                "specialty_id": c["scope"][0],
                "level_id": c["scope"][1],
                "created_at": at,
                "updated_at": at,
                "name": person_name(n),
                "work_unit": f"第{n % 900 + 1}测试单位",
                "current_title": "工程师",
                "year": c["year"],
            }

    copier.copy(Registration, registrations())

    # 电子证书 and the ledger line of each, for approved learners of finished classes.
    numbers: dict[tuple, int] = {}

    def certificate(i, reg):
        rid, n, c = reg
        kind = c["subject"]
        numbers[(c["year"], kind)] = seq = numbers.get((c["year"], kind), 0) + 1
        return {
            "id": i + 1,
            "number": f"{c['year']}-{'GX' if kind == 'public' else 'ZY'}-{seq:07d}",
            "code": uuid.uuid4().hex[:16],
            "kind": kind,
            "status": "valid",
            "source_key": f"bench:{rid}",
            "learner_id": first_learner_user + n,
            "registration_id": rid,
            "base_id": c["base"]["id"],
            "issuer_id": reviewer[c["base"]["id"]],
            "holder_name": person_name(n),
            "holder_id_number": pii.encrypt(id_number(n)),
            "holder_id_number_hash": pii.id_number_hash(id_number(n)),
            "class_name": f"{c['year']}年第{c['id']}期专业技术人员继续教育培训班",
            "base_name": c["base"]["name"],
            "scope": c["scope"][2],
            "hours": Decimal(40) if kind == "professional" else Decimal(30),
            "year": c["year"],
            "issued_on": c["start"] + dt.timedelta(days=10),
            "issuer_name": "人社部门",
        }

    copier.copy(Certificate, (certificate(i, reg) for i, reg in enumerate(regs)))
    copier.copy(
        CertificateSequence,
        ({"id": i + 1, "year": y, "kind": k, "last": last} for i, ((y, k), last) in enumerate(numbers.items())),
    )
    copier.copy(
        Credit,
        (
            {
                "id": i + 1,
                "learner_id": first_learner_user + n,
                "year": c["year"],
                "subject_kind": c["subject"],
                "hours": Decimal(40) if c["subject"] == "professional" else Decimal(30),
                "title": f"{c['year']}年第{c['id']}期专业技术人员继续教育培训班",
                "source": "培训后备案",
                "certificate_id": i + 1,
                "credited_on": c["start"] + dt.timedelta(days=10),
                "is_void": False,
            }
            for i, (_, n, c) in enumerate(regs)
        ),
    )

    # 培训后备案: approved for the finished classes, and every 20th finished one waiting for HR.
    finished = [c for c in open_classes if c["finished"]]
    copier.copy(
        CompletionFiling,
        (
            {
                "id": i + 1,
                "base_id": c["base"]["id"],
                "training_class_id": c["id"],
                "created_by_id": c["base"]["user_id"],
                "created_at": submitted_at,
                "updated_at": submitted_at,
                "step": 4,
                "name": f"第{c['id']}期培训后备案",
                "year": c["year"],
                "status": "hr_review" if i % 20 == 0 else "approved",
                "holder_id": reviewer[c["base"]["id"]] if i % 20 == 0 else None,
                "submitted_at": submitted_at + dt.timedelta(seconds=i),
            }
            for i, c in enumerate(finished)
        ),
    )
    return {"certificates": len(regs), "sample_learner": id_number(regs[0][1]) if regs else ""}


def skip_foreign_key_checks(connection) -> None:
    """The rows are made consistent here; checking 2.7 million foreign keys at commit would double the time.

    Needs a superuser (as postgres@127.0.0.1 is); otherwise the keys are checked as usual.
    """
    from django.db import DatabaseError, transaction

    try:
        with transaction.atomic():
            connection.cursor().execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        pass


def reset_sequences(connection) -> None:
    from django.apps import apps
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(sql)
        cursor.execute("ANALYZE")


def main() -> None:
    from django.core.management import call_command

    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0, help="1: 500 bases, 1,000,000 registrations")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or "bench" not in url.rsplit("/", 1)[-1]:
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database whose name contains 'bench' (it is recreated).")
    started = time.perf_counter()
    recreate_database(url)
    django_setup()
    migrated = time.perf_counter()
    from django.db import connection, transaction

    plan = Plan(args.scale)
    copier = Copier(connection)
    with transaction.atomic():
        connection.cursor().execute("SET LOCAL synchronous_commit = off")
        skip_foreign_key_checks(connection)
        facts = seed(plan, copier)
        written = time.perf_counter()
    copied = time.perf_counter()
    reset_sequences(connection)
    # COPY goes around the services that keep 统计分析's running totals: count them once, as an upgrade does.
    call_command("rebuild_stats", verbosity=0)
    done = time.perf_counter()
    rows = sum(n for _, n, _ in copier.timings)
    print(
        table(
            [
                ("machine", f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"),
                ("database", f"{connection.vendor} {connection.pg_version // 10000}, scale {args.scale:g}"),
                ("create + migrate", f"{migrated - started:.1f} s"),
                *[(f"  {name}", f"{n:>9,} rows  {t:6.1f} s") for name, n, t in copier.timings if n],
                ("COPY", f"{written - migrated:.1f} s  ({rows:,} rows, {rows / (written - migrated):,.0f} rows/s)"),
                ("commit", f"{copied - written:.1f} s"),
                ("ANALYZE + rebuild_stats", f"{done - copied:.1f} s"),
                ("total", f"{done - started:.1f} s  (target: minutes)"),
                ("accounts", f"{HR_REGION_USER}, {DEPARTMENT_USER}, {BASE_USER}, learner {facts['sample_learner']}"),
            ]
        )
    )


if __name__ == "__main__":
    main()
