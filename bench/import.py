"""Validate and import a 10,000-row score file; print seconds and peak memory.

    .venv/bin/python bench/import.py [--rows 10000]

Targets: ≤ 10 s and ≤ 300 MB for 10,000 rows.
"""

import argparse
import io
import os
import platform
import resource
import time
from decimal import Decimal

from _setup import django_setup, table


def build_class(rows: int):
    """A finished class with `rows` approved learners, written in bulk."""
    import datetime as dt

    from django.utils import timezone

    from jxjy.accounts.models import Learner, Organisation, Prefecture, Role, User
    from jxjy.catalog.models import Level, Specialty
    from jxjy.completions.models import CompletionFiling
    from jxjy.core.identity import gender_from_id, id_check_char
    from jxjy.filings.models import PreFiling, ScopeItem
    from jxjy.trainings.models import ClassSpecialty, Registration, TrainingClass

    dept = Organisation.objects.create(name="基准测试主管部门", kind="department")
    base = Organisation.objects.create(name="基准测试基地", kind="base", level="regional", department=dept,
                                       prefecture=Prefecture.objects.first())  # fmt: skip
    staff = User.objects.create(username="bench-base", role=Role.BASE, organisation=base)
    end = timezone.localdate() - dt.timedelta(days=1)
    filing = PreFiling.objects.create(base=base, created_by=staff, status="approved", class_name="基准测试培训班",
                                      start_date=end - dt.timedelta(days=4), end_date=end, total_hours=Decimal(40),
                                      year=end.year, subject_kind="professional")  # fmt: skip
    specialty = Specialty.objects.get(series__name="工程系列", name="水利专业")
    level = Level.objects.get(series=specialty.series, name="工程师")
    ScopeItem.objects.create(filing=filing, specialty=specialty, level=level)
    now = timezone.now()
    c = TrainingClass.objects.create(base=base, pre_filing=filing, created_by=staff, status="approved",
                                     years=[end.year], years_start=end.year, reg_start=now - dt.timedelta(days=30),
                                     reg_end=now - dt.timedelta(days=20), resubmit_deadline=now - dt.timedelta(days=19),
                                     report_place="-", class_place="-", contact="-", contact_phone="-")  # fmt: skip
    ClassSpecialty.objects.create(training_class=c, specialty=specialty, level=level)
    users = User.objects.bulk_create(User(username=f"imp-{n}", role=Role.LEARNER, password="!") for n in range(rows))
    learners = []
    for n, user in enumerate(users):
        first17 = f"6501{n // 1000 % 100:02d}19900101{n % 1000:03d}"
        number = first17 + id_check_char(first17)
        learners.append(Learner(user=user, name=f"学员{n}", id_number=number, mobile=f"15{n:09d}",
                                gender=gender_from_id(number), work_unit="单位"))  # fmt: skip
    learners = Learner.objects.bulk_create(learners)
    Registration.objects.bulk_create(
        Registration(learner=p, training_class=c, specialty=specialty, level=level, status="approved",
                     submitted_at=now, name=p.name, work_unit="单位", current_title="工程师", year=end.year)
        for p in learners
    )  # fmt: skip
    completion = CompletionFiling.objects.create(base=base, training_class=c, created_by=staff, status="draft",
                                                 holder=base, name="基准测试结业备案", year=end.year)  # fmt: skip
    return completion, staff, learners


def score_file(learners) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("学员成绩")
    ws.append(["姓名", "身份证号", "成绩", "是否合格", "备注"])
    for n, p in enumerate(learners):
        ws.append([p.name, p.id_number, 60 + n % 40, "合格", ""])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    django_setup(fresh=True)
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from jxjy.completions import scores

    completion, staff, learners = build_class(args.rows)
    data = score_file(learners)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    written = scores.import_scores(completion, SimpleUploadedFile("成绩.xlsx", data), actor=staff)
    took = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert written == args.rows, written
    print(table([
        ("machine", f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"),
        ("database", connection.vendor),
        ("rows", f"{args.rows:,} ({len(data) / 1024:.0f} KB xlsx)"),
        ("validate + import", f"{took:.2f} s  (target ≤ 10 s)"),
        ("peak memory", f"{peak:.0f} MB for the whole process (before the import: {before:.0f} MB; target ≤ 300 MB)"),
    ]))  # fmt: skip


if __name__ == "__main__":
    main()
