"""What each PDF costs, in one process on one core: certificates rendered, and rendered and signed, per
second; the 申报表 of a region-scale filing; the 学时证明 of a learner with a full year.

    .venv/bin/python bench/pdf.py [--certificates 300] [--courses 300] [--teachers 150] [--textbooks 60]

Times are CPU seconds of this process (time.process_time), the best of `--rounds` rounds, so other load on
the machine changes them little. The key is a throw-away PKCS#12 made for the run. Target: ≥ 200
certificates/s rendered and signed (`services.sealed_pdf`, what the `sign_issued` task does per file).
`--save DIR` keeps one PDF of each kind there.
"""

import argparse
import datetime as dt
import os
import platform
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from _setup import django_setup, table
from certificates import make_learners  # bench/certificates.py: the same learners

CLASS_NAME = "2026年水利行业专业技术人员继续教育培训班"
BASE_NAME = "新疆水利水电继续教育基地"


def best_of(rounds: int, items: list, work) -> float:
    """The best CPU seconds per item of `work(item)` over `rounds` passes."""
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for item in items:
            work(item)
        best = min(best, (time.process_time() - started) / len(items))
    return best


def issue_certificates(learners) -> list:
    from jxjy.accounts.models import Organisation
    from jxjy.certificates.services import Facts, issue_many

    issuer = Organisation.objects.get(kind=Organisation.Kind.HR_REGION)
    return issue_many([
        Facts(source_key=f"pdf:{learner.pk}", learner=learner, kind="professional", year=2026, hours=Decimal(40),
              class_name=CLASS_NAME, base=None, base_name=BASE_NAME, scope="工程系列 水利专业 工程师",
              issuer=issuer, source_label="培训后备案")
        for learner in learners
    ])  # fmt: skip


def certificate_rows(certs: list, rounds: int, save: Path | None) -> list[tuple[str, str]]:
    from jxjy.certificates import services, signing
    from jxjy.certificates.pdf import render_certificate

    urls = {c.pk: services.verify_url(c) for c in certs}
    services.sealed_pdf(certs[0])  # fonts registered, the signer's template made
    render = best_of(rounds, certs, lambda c: render_certificate(c, verify_url=urls[c.pk]))
    sealed = best_of(rounds, certs, services.sealed_pdf)
    sample = services.sealed_pdf(certs[0])
    if save:
        (save / "certificate.pdf").write_bytes(sample)
    verdict = signing.verify(sample)
    return [
        ("certificate, rendered", f"{render * 1000:.2f} ms  ({1 / render:,.0f} /s)"),
        ("certificate, rendered and signed", f"{sealed * 1000:.2f} ms  ({1 / sealed:,.0f} /s; target ≥ 200)"),
        ("certificate file", f"{len(sample) / 1024:.1f} KB; signing.verify says {verdict.finding}"),
    ]


def big_filing(courses: int, teachers: int, textbooks: int, scope: int):
    """A region-scale 培训前备案: long tables, every text at its longest, `scope` (专业, 级别) pairs."""
    from jxjy.accounts.models import Organisation, Prefecture, Role, User
    from jxjy.catalog.models import Level, Specialty
    from jxjy.filings import models as m

    department = Organisation.objects.create(name="自治区水利厅", kind=Organisation.Kind.DEPARTMENT)
    base = Organisation.objects.create(
        name=BASE_NAME,
        kind=Organisation.Kind.BASE,
        department=department,
        level=Organisation.Level.REGIONAL,
        prefecture=Prefecture.objects.first(),
    )
    user = User.objects.create(username="pdf-base", role=Role.BASE, organisation=base, password="!")
    fee = "每人1200元（含资料费、场地费、专家授课费），依据新发改收费〔2020〕1号文件核算；" * 8
    filing = m.PreFiling.objects.create(
        base=base, created_by=user, year=2026, fill_date=dt.date(2026, 3, 1), base_name=BASE_NAME,
        base_location="乌鲁木齐市", department_name="自治区水利厅", class_name=CLASS_NAME,
        start_date=dt.date(2026, 4, 1), end_date=dt.date(2026, 4, 5), venue="乌鲁木齐市水磨沟区南湖路1号" * 7,
        total_hours=Decimal(courses), training_form="offline", subject_kind="professional", fee_basis=fee[:300],
        office_phone="0991-1234567", fax="0991-1234568", email="jixujiaoyu.jidi@example-xinjiang.gov.cn",
        address="乌鲁木齐市水磨沟区南湖路1号（水利厅大院）" * 4, postcode="830000", leader_name="王强",
        leader_title="主任", leader_mobile="13899887766", contact_name="李敏", contact_title="干事",
        contact_mobile="13899887755",
    )  # fmt: skip
    topic = "水利工程建设管理与质量控制（含案例分析、现场教学）"
    m.Course.objects.bulk_create(m.Course(filing=filing, content=f"第{n}讲：{topic}" * 3, hours=Decimal(1))
                                 for n in range(courses))  # fmt: skip
    m.Teacher.objects.bulk_create(
        m.Teacher(filing=filing, name=f"讲师{n}", education="博士研究生", major="水利水电工程（水工结构方向）",
                  title="正高级工程师（教授级）", course="《水利工程建设管理》与“质量控制”" * 3)
        for n in range(teachers)
    )  # fmt: skip
    book = "水利工程管理（第{n}版）：理论、方法与实践" * 3
    edition = "中国水利水电出版社2024年版"
    m.Textbook.objects.bulk_create(m.Textbook(filing=filing, name=book.format(n=n), edition=edition)
                                   for n in range(textbooks))  # fmt: skip
    levels = Level.objects.all()
    pairs = [(s, lv) for s in Specialty.objects.all() for lv in levels if lv.series_id == s.series_id]
    m.ScopeItem.objects.bulk_create(m.ScopeItem(filing=filing, specialty=s, level=lv) for s, lv in pairs[:scope])
    return filing


def form_rows(filing, rounds: int, save: Path | None) -> list[tuple[str, str]]:
    from jxjy.filings.pdf import render_application_form

    form = render_application_form(filing)
    seconds = best_of(rounds, [filing], render_application_form)
    if save:
        (save / "application-form.pdf").write_bytes(form)
    tables = f"{filing.courses.count()} courses, {filing.teachers.count()} teachers, "
    tables += f"{filing.textbooks.count()} textbooks, {filing.scope_items.count()} scope items"
    return [("申报表, region scale", f"{seconds * 1000:,.0f} ms per PDF ({form.count(b'/Type /Page') - 1} pages, "
                                      f"{len(form) / 1024:.0f} KB; {tables})")]  # fmt: skip


def proof_rows(learner, rounds: int, save: Path | None) -> list[tuple[str, str]]:
    from jxjy.hours.models import Credit
    from jxjy.hours.pdf import render_proof, signed_proof
    from jxjy.hours.services import ledger

    Credit.objects.bulk_create(
        Credit(learner=learner, year=2026, subject_kind="public", hours=Decimal(2), title=f"公需科目专题{n}",
               source="学时认定", credited_on=dt.date(2026, 6, 1))
        for n in range(40)
    )  # fmt: skip
    summary = ledger(learner)[0]
    render = best_of(rounds, [summary], lambda s: render_proof(learner, s, issuer="人社厅"))
    signed = best_of(rounds, [summary], lambda s: signed_proof(learner, s))
    if save:
        (save / "hours-proof.pdf").write_bytes(signed_proof(learner, summary))
    return [("学时证明, 41 rows", f"{render * 1000:.1f} ms rendered, {signed * 1000:.1f} ms rendered and signed")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--certificates", type=int, default=300)
    parser.add_argument("--courses", type=int, default=300)
    parser.add_argument("--teachers", type=int, default=150)
    parser.add_argument("--textbooks", type=int, default=60)
    parser.add_argument("--scope", type=int, default=20, help="(专业, 级别) pairs in the 培训范围")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--save", type=Path, help="keep one PDF of each kind in this directory")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="jxjy-bench-pdf-"))
    os.environ["MEDIA_ROOT"] = str(scratch / "media")
    os.environ["JXJY_SMS_BACKEND"] = "jxjy.notify.backends.LocmemSms"  # issuing texts every learner
    django_setup(fresh=True)
    from django.conf import settings

    from jxjy.certificates import identity, signing

    settings.JXJY_SIGNING_PKCS12 = str(identity.make_identity(scratch / "signing"))
    settings.JXJY_SIGNING_TRUST = str(scratch / "signing" / identity.CA_NAME)
    signing.reset()
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
    learners = make_learners(args.certificates)
    load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, load {load}"
    rows = [("machine", machine)]
    rows += certificate_rows(issue_certificates(learners), args.rounds, args.save)
    rows += form_rows(big_filing(args.courses, args.teachers, args.textbooks, args.scope), args.rounds, args.save)
    rows += proof_rows(learners[0], args.rounds, args.save)
    print(table(rows))


if __name__ == "__main__":
    main()
