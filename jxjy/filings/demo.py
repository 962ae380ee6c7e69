"""Sample 培训前备案 in every state for a demo base, made with the real services and moves."""

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from jxjy.accounts.models import User
from jxjy.attachments.models import AttachmentKind
from jxjy.attachments.services import attach
from jxjy.catalog.models import Level, Specialty
from jxjy.core import clock
from jxjy.review import engine

from . import application_form as af
from .models import Course, PreFiling, Purpose, ScopeItem, Teacher, Textbook
from .models import PreFilingStatus as S
from .services import new_pre_filing

# A minimal valid one-page PDF, standing in for the scanned documents a base would upload.
SAMPLE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\nxref\n0 4\n0000000000 65535 f \n"
    b"0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\n"
    b"startxref\n164\n%%EOF\n"
)
# (state, class name, days from today to the start, the department's or HR's opinion)
SAMPLES = [
    (S.DRAFT, "{year}年{topic}专业技术人员继续教育培训班（草稿）", 40, ""),
    (S.DEPT_REVIEW, "{year}年{topic}行业专业技术人员继续教育培训班", 35, ""),
    (S.RETURNED, "{year}年{topic}工程质量管理培训班", 45, "师资情况中缺少讲授课程，请补充后重新提交。"),
    (S.DEPT_APPROVED, "{year}年{topic}安全生产培训班", 50, ""),
    (S.HR_REVIEW, "{year}年{topic}新技术应用培训班", 55, ""),
    (S.APPROVED, "关于举办{year}年{topic}行业专业技术人员继续教育培训班的通知", 20, ""),
]


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, SAMPLE_PDF, content_type="application/pdf")


def _fill(filing: PreFiling, *, name: str, start: dt.date, actor: User) -> PreFiling:
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
    series_levels = Level.objects.filter(series__name="工程系列", name__in=["高级工程师", "工程师"])
    specialty = Specialty.objects.get(series__name="工程系列", name="水利专业")
    ScopeItem.objects.bulk_create(ScopeItem(filing=filing, specialty=specialty, level=lv) for lv in series_levels)
    for kind in (AttachmentKind.PLAN, AttachmentKind.NOTICE, AttachmentKind.INVITATION):
        attach(filing, kind=kind, upload=_pdf(f"{AttachmentKind(kind).label}.pdf"), actor=actor)
    return filing


def load_pre_filings(*, base_user: User, department_user: User, hr_user: User, topic: str) -> None:
    """One filing in each state for `base_user`'s base, unless it has some already."""
    if PreFiling.objects.filter(base=base_user.organisation).exists():
        return
    today = clock.today()
    for state, name, days, opinion in SAMPLES:
        filing = new_pre_filing(actor=base_user)
        filing.save()
        _fill(filing, name=name.format(year=today.year, topic=topic), start=today + dt.timedelta(days=days),
              actor=base_user)  # fmt: skip
        if state == S.DRAFT:
            continue
        engine.perform(filing, "submit", actor=base_user)
        if state == S.RETURNED:
            engine.perform(filing, "dept_return", actor=department_user, opinion=opinion)
            continue
        if state == S.DEPT_REVIEW:
            continue
        engine.perform(filing, "dept_approve", actor=department_user, opinion="材料齐全，同意。")
        af.generate_form(filing, actor=base_user)
        if state == S.DEPT_APPROVED:
            continue
        af.forward_to_hr(filing, actor=department_user, upload=_pdf("盖章申报表扫描件.pdf"))
        if state == S.APPROVED:
            engine.perform(filing, "hr_approve", actor=hr_user, opinion="同意备案。")


# 学时认定 (guide §五.3), in each state before a class: (state, class name, days to the start, 专技处's opinion)
RECOGNITIONS = [
    (S.DRAFT, "{year}年{topic}工程施工安全管理学时认定培训班", 45, ""),
    (S.HR_REVIEW, "{year}年{topic}水文监测与水资源评价学时认定培训班", 30, ""),
    (S.RETURNED, "{year}年{topic}灌区现代化改造技术学时认定培训班", 35,
     "计划培训人数与实施方案中的招生计划不一致，请核实后重新提交。"),
    (S.APPROVED, "{year}年{topic}工程造价管理学时认定培训班", 40, ""),
]  # fmt: skip


def recognition(base_user: User, *, name: str, start: dt.date, hours: int = 24, planned: int = 60) -> PreFiling:
    """A complete 学时认定 申报 in draft: the class details, 工程系列 > 水利专业 and the 实施方案."""
    filing = new_pre_filing(actor=base_user)
    filing.purpose = Purpose.RECOGNITION
    filing.class_name = name
    filing.start_date, filing.end_date = start, start + dt.timedelta(days=2)
    filing.venue = "乌鲁木齐市天山区水利科技大厦培训室"
    filing.total_hours, filing.subject_kind, filing.planned_count = Decimal(hours), "professional", planned
    filing.save()
    specialty = Specialty.objects.get(series__name="工程系列", name="水利专业")
    levels = Level.objects.filter(series=specialty.series, name__in=["高级工程师", "工程师", "助理工程师"])
    ScopeItem.objects.bulk_create(ScopeItem(filing=filing, specialty=specialty, level=lv) for lv in levels)
    attach(filing, kind=AttachmentKind.PLAN, upload=_pdf(f"{AttachmentKind.PLAN.label}.pdf"), actor=base_user)
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
        engine.perform(filing, "submit", actor=base_user)
        if state == S.RETURNED:
            engine.perform(filing, "hr_return", actor=hr_user, opinion=opinion)
        elif state == S.APPROVED:
            engine.perform(filing, "hr_approve", actor=hr_user, opinion="同意开展学时认定培训。")
    return made
