"""Issue 10,000 certificates with their PDFs and print certificates per second.

    .venv/bin/python bench/certificates.py [--count 10000] [--workers 2]

Issuing (numbers, codes, ledger lines) runs in the database in batches; PDFs are rendered by a
pool of worker processes, as the batch task in production does. Target: ≥ 200 certificates/s on
a 2-core machine, issuing and rendering together.
"""

import argparse
import os
import platform
import time
from decimal import Decimal
from multiprocessing import Pool

from _setup import django_setup, table


def make_learners(count: int):
    from jxjy.accounts.models import Learner, Role, User
    from jxjy.core.identity import gender_from_id, id_check_char

    users = User.objects.bulk_create(User(username=f"bench-{n}", role=Role.LEARNER, password="!") for n in range(count))
    learners = []
    for n, user in enumerate(users):
        first17 = f"6501{n // 1000 % 100:02d}19900101{n % 1000:03d}"
        id_number = first17 + id_check_char(first17)
        learners.append(Learner(user=user, name=f"学员{n}", id_number=id_number, mobile=f"13{n:09d}",
                                gender=gender_from_id(id_number), work_unit="测试单位"))  # fmt: skip
    return Learner.objects.bulk_create(learners)


def render(ids: list[int]) -> int:
    from jxjy.certificates.models import Certificate
    from jxjy.certificates.pdf import render_certificate

    total = 0
    for cert in Certificate.objects.filter(pk__in=ids):
        total += len(render_certificate(cert, verify_url=f"https://jxjy.example.cn/certificates/v/{cert.code}/"))
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()
    django_setup(fresh=True)
    from django.db import connections

    from jxjy.accounts.models import Organisation
    from jxjy.certificates.services import Facts, issue_many

    learners = make_learners(args.count)
    issuer = Organisation.objects.get(kind="hr_region")
    started = time.perf_counter()
    ids: list[int] = []
    for i in range(0, args.count, args.batch):
        certs = issue_many([
            Facts(source_key=f"bench:{learner.pk}", learner=learner, kind="professional", year=2026,
                  hours=Decimal(40), class_name="2026年水利行业专业技术人员继续教育培训班", base=None,
                  base_name="新疆水利水电继续教育基地", scope="工程系列 水利专业 工程师", issuer=issuer,
                  source_label="培训后备案")
            for learner in learners[i : i + args.batch]
        ])  # fmt: skip
        ids.extend(c.pk for c in certs)
    issued = time.perf_counter()
    connections.close_all()  # the workers open their own
    chunks = [ids[i : i + 250] for i in range(0, len(ids), 250)]
    with Pool(args.workers) as pool:
        size = sum(pool.map(render, chunks))
    done = time.perf_counter()
    print(table([
        ("machine", f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"),
        ("database", connections["default"].vendor),
        ("certificates", f"{args.count:,}"),
        ("issue (DB)", f"{issued - started:.2f} s  ({args.count / (issued - started):,.0f} /s)"),
        ("render PDFs", f"{done - issued:.2f} s  ({args.count / (done - issued):,.0f} /s, {args.workers} workers, "
                        f"{size / args.count / 1024:.1f} KB each)"),
        ("total", f"{done - started:.2f} s  ({args.count / (done - started):,.0f} certificates/s; target ≥ 200)"),
    ]))  # fmt: skip


if __name__ == "__main__":
    main()
