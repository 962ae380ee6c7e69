"""Demo history: finished classes with 培训后备案 in every state, certificates for 张三 and 李四, and
学时档案 in which 李四 has one year 达标 and one not (张三 both). Built with the real services and moves,
as of the past days on which they would have happened."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from jxjy.accounts.models import Learner, User
from jxjy.attachments.services import attach
from jxjy.core import clock
from jxjy.filings import application_form as af
from jxjy.filings.demo import SAMPLE_PDF, _fill, recognition
from jxjy.filings.models import PreFiling, Purpose
from jxjy.filings.services import new_pre_filing
from jxjy.review import engine
from jxjy.trainings import services as trainings
from jxjy.trainings.models import ClassSpecialty, TrainingClass

from . import scores, services
from .models import CompletionFiling
from .models import CompletionStatus as S


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, SAMPLE_PDF, content_type="application/pdf")


def _approved_filing(base_user, department_user, hr_user, *, name, subject, hours, start) -> PreFiling:
    filing = new_pre_filing(actor=base_user)
    filing.save()
    _fill(filing, name=name, start=start, actor=base_user)
    filing.subject_kind = subject
    filing.total_hours = Decimal(hours)
    filing.save()
    course = filing.courses.first()
    filing.courses.exclude(pk=course.pk).delete()
    course.hours = Decimal(hours)
    course.save()
    engine.perform(filing, "submit", actor=base_user)
    engine.perform(filing, "dept_approve", actor=department_user)
    af.forward_to_hr(filing, actor=department_user, upload=_pdf("盖章申报表扫描件.pdf"))
    engine.perform(filing, "hr_approve", actor=hr_user)
    return filing


def _class(filing: PreFiling, base_user: User, hr_user: User, *, year: int) -> TrainingClass:
    now = clock.now()
    c = TrainingClass(
        base=filing.base, pre_filing=filing, created_by=base_user, status="draft", holder=filing.base, years=[year],
        years_start=year, reg_start=now, reg_end=now + dt.timedelta(days=5),
        resubmit_deadline=now + dt.timedelta(days=6), seat_limit=0, report_place=filing.venue,
        class_place=filing.venue, contact=filing.contact_name, contact_phone=filing.office_phone,
    )  # fmt: skip

    def apply(c):
        c.save()
        ClassSpecialty.objects.bulk_create(
            ClassSpecialty(training_class=c, specialty_id=i.specialty_id, level_id=i.level_id)
            for i in filing.scope_items.all()
        )

    trainings.save_class(c, actor=base_user, apply_changes=apply)
    engine.perform(c, "submit", actor=base_user)
    engine.perform(c, "approve", actor=hr_user)
    trainings.set_published(c, actor=base_user, published=True)
    c.refresh_from_db()
    return c


def _enrol(c: TrainingClass, learners: list[Learner], base_user: User) -> None:
    for learner in learners:
        engine.perform(_start_registration(c, learner), "approve", actor=base_user)


def _complete(c, base_user, hr_user, results: dict[str, tuple[int, str]], state: str) -> CompletionFiling:
    suffix = "学员成绩" if c.pre_filing.purpose == Purpose.RECOGNITION else "结业备案"
    completion = services.start(actor=base_user, training_class=c, name=f"{c.pre_filing.class_name[:40]}{suffix}",
                                year=c.years[0])  # fmt: skip
    services.save_details(completion, actor=base_user, summary="培训按计划完成，学员出勤良好，考核已结束。")
    regs = list(scores.approved_registrations(completion))
    if state == S.DRAFT:
        return completion  # stopped at step ③, before importing the scores
    rows = [[r.name, r.learner.id_number, *results.get(r.name, (85, "合格")), ""] for r in regs]
    wb = openpyxl.Workbook()
    wb.active.append(scores.HEADERS)
    for row in rows:
        wb.active.append(row)
    out = BytesIO()
    wb.save(out)
    scores.import_scores(completion, SimpleUploadedFile("成绩.xlsx", out.getvalue()), actor=base_user)
    for kind in services.REQUIRED_ATTACHMENTS:
        attach(completion, kind=kind, upload=_pdf(f"{kind.label}.pdf"), actor=base_user)
    engine.perform(completion, "submit", actor=base_user)
    if state == S.RETURNED:
        engine.perform(
            completion, "return", actor=hr_user, opinion="签到表缺少第二天下午的签到记录，请补充后重新提交。"
        )
    elif state == S.APPROVED:
        engine.perform(completion, "approve", actor=hr_user, opinion="同意备案。")
    return completion


def load_history(*, sl: User, wlmq: User, slt: User, rst: User, wlmq_rsj: User) -> None:
    """Once: three finished, approved classes with certificates, and recent ones in the other states."""
    if CompletionFiling.objects.exists():
        return
    zhang, li = Learner.objects.get(name="张三"), Learner.objects.get(name="李四")
    wang = Learner.objects.get(name="王五")
    this_year = clock.this_year()
    plans = [
        # (days ago filed, base, department, HR, name, subject, hours, certificate year, learners, results, state)
        (130, sl, rst, "水利工程建设管理专题培训班", "professional", 64, this_year - 1, [zhang, li, wang],
         {"王五": (52, "不合格")}, S.APPROVED),
        (120, wlmq, wlmq_rsj, "城镇供水水质检测技术培训班", "professional", 24, this_year - 1, [zhang, wang], {},
         S.APPROVED),
        (110, wlmq, wlmq_rsj, "专业技术人员职业道德与法治素养公需课", "public", 30, this_year - 1, [zhang, li], {},
         S.APPROVED),
        (90, sl, rst, "专业技术人员数字素养与技能提升公需课", "public", 30, this_year, [zhang, li, wang], {},
         S.APPROVED),
        (70, sl, rst, "智慧水利与数字孪生技术培训班", "professional", 40, this_year, [zhang], {}, S.APPROVED),
        (24, sl, rst, "水旱灾害防御能力提升培训班", "professional", 24, this_year, [li, wang], {}, S.RETURNED),
        (23, wlmq, wlmq_rsj, "城市供排水工程运行管理培训班", "professional", 32, this_year, [zhang, wang], {},
         S.HR_REVIEW),
        (22, sl, rst, "水土保持监测技术培训班", "professional", 16, this_year, [li], {}, S.DRAFT),
    ]  # fmt: skip
    for days, base_user, hr_user, name, subject, hours, year, learners, results, state in plans:
        with clock.rewound(days):
            filing = _approved_filing(base_user, slt, hr_user, name=name, subject=subject, hours=hours,
                                      start=clock.today() + dt.timedelta(days=16))  # fmt: skip
            c = _class(filing, base_user, hr_user, year=year)
            _enrol(c, learners, base_user)
        with clock.rewound(days - 20):  # the class ended the day before (16 + 4 days after filing)
            _complete(c, base_user, hr_user, results, state)


def _start_registration(c: TrainingClass, learner: Learner):
    """The learner's registration for `c`, submitted to the base."""
    item = c.specialties.first()
    reg = trainings.start_registration(
        learner=learner, training_class=c, specialty_id=item.specialty_id, level_id=item.level_id,
        details={"work_unit": learner.work_unit, "current_title": "工程师", "year": c.years[0]},
        package_course_ids=[],
    )  # fmt: skip
    trainings.submit_registration(reg, actor=learner.user)
    return reg


def load_recognised(*, sl: User, rst: User) -> None:
    """Once: jd_sl's 学时认定 past 审核通过: one with hours recognised for 张三, 李四 and 王五, one whose results
    are 报送 and wait for 专技处, and one open for registration with 王五's registration waiting."""
    if CompletionFiling.objects.filter(training_class__pre_filing__purpose=Purpose.RECOGNITION).exists():
        return
    zhang, li, wang = (Learner.objects.get(name=n) for n in ("张三", "李四", "王五"))
    year = clock.this_year()
    plans = [
        # (days ago filed, name, hours, learners, state of the results' 备案)
        (95, f"{year}年水利工程运行管理学时认定培训班", 24, [zhang, li, wang], S.APPROVED),
        (25, f"{year}年河湖长制业务学时认定培训班", 16, [zhang, li], S.HR_REVIEW),
    ]
    for days, name, hours, learners, state in plans:
        with clock.rewound(days):
            filing = recognition(sl, name=name, start=clock.today() + dt.timedelta(days=16), hours=hours)
            engine.perform(filing, "submit", actor=sl)
            engine.perform(filing, "hr_approve", actor=rst, opinion="同意开展学时认定培训。")
            c = _class(filing, sl, rst, year=year)
            _enrol(c, learners, sl)
        with clock.rewound(days - 20):  # the class ended two days before (16 + 2 days after filing)
            _complete(c, sl, rst, {}, state)
    filing = recognition(sl, name=f"{year}年水利工程质量检测学时认定培训班",
                         start=clock.today() + dt.timedelta(days=20))  # fmt: skip
    engine.perform(filing, "submit", actor=sl)
    engine.perform(filing, "hr_approve", actor=rst, opinion="同意开展学时认定培训。")
    _start_registration(_class(filing, sl, rst, year=year), wang)
