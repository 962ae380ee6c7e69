"""Sample 培训前备案 and 学时认定 in every state for a demo base, made with the real services and moves."""

import datetime as dt
from decimal import Decimal

from jxjy.accounts.models import User
from jxjy.attachments.models import AttachmentKind
from jxjy.attachments.services import attach
from jxjy.catalog.models import Level, Specialty
from jxjy.core import clock
from jxjy.filings import application_form as af
from jxjy.filings.models import Course, PreFiling, Purpose, ScopeItem, Teacher, Textbook
from jxjy.filings.models import PreFilingStatus as S
from jxjy.filings.services import new_pre_filing
from jxjy.review import engine
from jxjy.review.workflows import Action

from . import factories as f

# (state, class name, days from today to the start, the department's or HR's opinion)
SAMPLES = [
    (S.DRAFT, "{year}年{topic}专业技术人员继续教育培训班（草稿）", 40, ""),
    (S.DEPT_REVIEW, "{year}年{topic}行业专业技术人员继续教育培训班", 35, ""),
    (S.RETURNED, "{year}年{topic}工程质量管理培训班", 45, "师资情况中缺少讲授课程，请补充后重新提交。"),
    (S.DEPT_APPROVED, "{year}年{topic}安全生产培训班", 50, ""),
    (S.HR_REVIEW, "{year}年{topic}新技术应用培训班", 55, ""),
    (S.APPROVED, "关于举办{year}年{topic}行业专业技术人员继续教育培训班的通知", 20, ""),
]
# 学时认定 (guide §五.3), in each state before a class: (state, class name, days to the start, 专技处's opinion)
RECOGNITIONS = [
    (S.DRAFT, "{year}年{topic}工程施工安全管理学时认定培训班", 45, ""),
    (S.HR_REVIEW, "{year}年{topic}水文监测与水资源评价学时认定培训班", 30, ""),
    (S.RETURNED, "{year}年{topic}灌区现代化改造技术学时认定培训班", 35,
     "计划培训人数与实施方案中的招生计划不一致，请核实后重新提交。"),
    (S.APPROVED, "{year}年{topic}工程造价管理学时认定培训班", 40, ""),
]  # fmt: skip


def attach_pdf(document, kind: str, actor: User) -> None:
    """A scanned document as a base would upload it, named after its kind."""
    attach(document, kind=kind, upload=f.upload(f"{AttachmentKind(kind).label}.pdf"), actor=actor)


def fill(filing: PreFiling, *, name: str, start: dt.date, actor: User) -> PreFiling:
    """Every field, table and attachment of a 培训前备案 that 提交 asks for: a five-day 水利 class from `start`."""
    filing.class_name = name
    filing.start_date, filing.end_date = start, start + dt.timedelta(days=4)
    filing.venue = "乌鲁木齐市水磨沟区南湖北路水利科技培训中心"
    filing.total_hours = Decimal(40)
    filing.training_form, filing.subject_kind = "offline", "professional"
    filing.fee_basis = "每人1200元（含资料费、场地费），依据自治区发展改革委收费批复文件核算。"
    filing.office_phone, filing.fax = "0991-4561234", "0991-4561235"
    filing.email, filing.address, filing.postcode = "jxjy@example.cn", "乌鲁木齐市南湖北路168号", "830063"
    filing.leader_name, filing.leader_title, filing.leader_mobile = "王建国", "基地主任", "13899887766"
    filing.contact_name, filing.contact_title, filing.contact_mobile = "李敏", "培训科科长", "13899887755"
    filing.save()
    for content, hours in [("水利工程建设与管理新规范", 16), ("水资源节约集约利用", 12), ("工程质量与安全生产", 12)]:
        Course.objects.create(filing=filing, content=content, hours=Decimal(hours))
    Teacher.objects.create(
        filing=filing, name="赵立新", education="博士研究生", major="水利水电工程", title="教授级高级工程师",
        course="水利工程建设与管理新规范",
    )  # fmt: skip
    Teacher.objects.create(
        filing=filing, name="马晓燕", education="硕士研究生", major="水文水资源", title="高级工程师",
        course="水资源节约集约利用",
    )  # fmt: skip
    Textbook.objects.create(filing=filing, name="水利工程建设管理实务", edition="中国水利水电出版社2024年版")
    scope(filing, ["高级工程师", "工程师"])
    for kind in (AttachmentKind.PLAN, AttachmentKind.NOTICE, AttachmentKind.INVITATION):
        attach_pdf(filing, kind, actor)
    return filing


def scope(filing: PreFiling, levels: list[str]) -> None:
    """培训范围: 工程系列 > 水利专业 at these levels."""
    specialty = Specialty.objects.get(series__name="工程系列", name="水利专业")
    chosen = Level.objects.filter(series=specialty.series, name__in=levels)
    ScopeItem.objects.bulk_create(ScopeItem(filing=filing, specialty=specialty, level=lv) for lv in chosen)


def load_pre_filings(*, base_user: User, department_user: User, hr_user: User, topic: str) -> None:
    """One filing in each state for `base_user`'s base, unless it has some already."""
    if PreFiling.objects.filter(base=base_user.organisation).exists():
        return
    today = clock.today()
    for state, name, days, opinion in SAMPLES:
        filing = new_pre_filing(actor=base_user)
        filing.save()
        fill(filing, name=name.format(year=today.year, topic=topic), start=today + dt.timedelta(days=days),
             actor=base_user)  # fmt: skip
        if state == S.DRAFT:
            continue
        engine.perform(filing, Action.SUBMIT, actor=base_user)
        if state == S.RETURNED:
            engine.perform(filing, Action.DEPT_RETURN, actor=department_user, opinion=opinion)
            continue
        if state == S.DEPT_REVIEW:
            continue
        engine.perform(filing, Action.DEPT_APPROVE, actor=department_user, opinion="材料齐全，同意。")
        af.generate_form(filing, actor=base_user)
        if state == S.DEPT_APPROVED:
            continue
        af.forward_to_hr(filing, actor=department_user, upload=f.upload("盖章申报表扫描件.pdf"))
        if state == S.APPROVED:
            engine.perform(filing, Action.HR_APPROVE, actor=hr_user, opinion="同意备案。")


def approved_filing(base_user: User, department_user: User, hr_user: User, *, name, subject, hours, start):
    """A 培训前备案 of one course of `hours`, through every review to 备案通过 (no opinions given)."""
    filing = new_pre_filing(actor=base_user)
    filing.save()
    fill(filing, name=name, start=start, actor=base_user)
    filing.subject_kind = subject
    filing.total_hours = Decimal(hours)
    filing.save()
    course = filing.courses.first()
    filing.courses.exclude(pk=course.pk).delete()
    course.hours = Decimal(hours)
    course.save()
    engine.perform(filing, Action.SUBMIT, actor=base_user)
    engine.perform(filing, Action.DEPT_APPROVE, actor=department_user)
    af.forward_to_hr(filing, actor=department_user, upload=f.upload("盖章申报表扫描件.pdf"))
    engine.perform(filing, Action.HR_APPROVE, actor=hr_user)
    return filing


def recognition(base_user: User, *, name: str, start: dt.date, hours: int = 24, planned: int = 60) -> PreFiling:
    """A complete 学时认定 申报 in draft: the class details, 工程系列 > 水利专业 and the 实施方案."""
    filing = new_pre_filing(actor=base_user)
    filing.purpose = Purpose.RECOGNITION
    filing.class_name = name
    filing.start_date, filing.end_date = start, start + dt.timedelta(days=2)
    filing.venue = "乌鲁木齐市天山区水利科技大厦培训室"
    filing.total_hours, filing.subject_kind, filing.planned_count = Decimal(hours), "professional", planned
    filing.save()
    scope(filing, ["高级工程师", "工程师", "助理工程师"])
    attach_pdf(filing, AttachmentKind.PLAN, base_user)
    return filing


def load_recognitions(*, base_user: User, hr_user: User, topic: str) -> list[PreFiling]:
    """Once: a 学时认定 of `base_user`'s base in each state up to 审核通过 (classes come after)."""
    if PreFiling.objects.filter(base=base_user.organisation, purpose=Purpose.RECOGNITION).exists():
        return []
    today = clock.today()
    made = []
    for state, name, days, opinion in RECOGNITIONS:
        name = name.format(year=today.year, topic=topic)
        filing = recognition(base_user, name=name, start=today + dt.timedelta(days=days))
        made.append(filing)
        if state == S.DRAFT:
            continue
        engine.perform(filing, Action.SUBMIT, actor=base_user)
        if state == S.RETURNED:
            engine.perform(filing, Action.HR_RETURN, actor=hr_user, opinion=opinion)
        elif state == S.APPROVED:
            engine.perform(filing, Action.HR_APPROVE, actor=hr_user, opinion="同意开展学时认定培训。")
    return made
