"""Factories for what the tests and the demo build; the tests' named role users come from tests/conftest.py."""

import datetime as dt
import itertools
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from jxjy.accounts.models import Organisation, Prefecture, Role, User
from jxjy.accounts.seed import HR_REGION_NAME, prefecture_bureau_name
from jxjy.attachments.models import Attachment, AttachmentKind
from jxjy.catalog.models import Level, Specialty
from jxjy.core import clock
from jxjy.filings.models import Course, PreFiling, ScopeItem, Teacher, Textbook
from jxjy.filings.models import PreFilingStatus as S

PASSWORD = "Test@2026pass"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def blank_pdf() -> bytes:
    """A real one-page PDF (with its cross-reference table): uploads are read, not just sniffed."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = blank_pdf()


def prefecture(name: str = "乌鲁木齐市") -> Prefecture:
    return Prefecture.objects.get(name=name)


def hr_region() -> Organisation:
    return Organisation.objects.get(name=HR_REGION_NAME)


def hr_prefecture(name: str = "乌鲁木齐市") -> Organisation:
    return Organisation.objects.get(name=prefecture_bureau_name(name))


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"自治区测试厅{n}")
    kind = Organisation.Kind.DEPARTMENT


class BaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试继续教育基地{n}")
    kind = Organisation.Kind.BASE
    level = Organisation.Level.REGIONAL
    prefecture = factory.LazyFunction(prefecture)
    department = factory.SubFactory(DepartmentFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"工作人员{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.BASE
    organisation = factory.SubFactory(BaseFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def upload(name: str, content: bytes = PDF, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def complete_filing(base: Organisation, user: User, **overrides) -> PreFiling:
    """A draft 培训前备案 that passes every 保存 rule: a five-day class starting 30 days from today unless
    `start_date` says otherwise; its 年度 is the year the class starts in (which may be next year)."""
    today = clock.today()
    start = overrides.pop("start_date", today + dt.timedelta(days=30))
    values = dict(
        base=base, created_by=user, status=S.DRAFT, holder=base, year=start.year, fill_date=today,
        base_name=base.name, base_location=base.location, department_name=base.department.name,
        class_name="2026年水利行业专业技术人员继续教育培训班", start_date=start,
        end_date=start + dt.timedelta(days=4), venue="乌鲁木齐市水磨沟区南湖路1号", total_hours=Decimal(40),
        training_form="offline", subject_kind="professional", fee_basis="每人1200元，依据新发改收费〔2020〕1号",
        office_phone="0991-1234567", fax="0991-1234568", email="jd@example.cn", address="乌鲁木齐市南湖路1号",
        postcode="830000", leader_name="王强", leader_title="主任", leader_mobile="13899887766",
        contact_name="李敏", contact_title="干事", contact_mobile="13899887755",
    )  # fmt: skip
    values.update(overrides)
    filing = PreFiling.objects.create(**values)
    Course.objects.create(filing=filing, content="水利工程建设管理", hours=Decimal(24))
    Course.objects.create(filing=filing, content="水资源规划", hours=Decimal(16))
    Teacher.objects.create(
        filing=filing, name="赵老师", education="博士", major="水利工程", title="教授", course="水资源规划"
    )
    Textbook.objects.create(filing=filing, name="水利工程管理", edition="2024年版")
    specialty = Specialty.objects.get(series__name="工程系列", name="水利专业")
    ScopeItem.objects.create(
        filing=filing, specialty=specialty, level=Level.objects.get(series=specialty.series, name="工程师")
    )
    for kind in (AttachmentKind.PLAN, AttachmentKind.NOTICE, AttachmentKind.INVITATION):
        add_attachment(filing, user, kind)
    return filing


def add_attachment(document, user: User, kind: str) -> Attachment:
    from django.contrib.contenttypes.models import ContentType

    a = Attachment(
        content_type=ContentType.objects.get_for_model(document), object_id=document.pk, kind=kind,
        original_name=f"{AttachmentKind(kind).label}.pdf", mime_type="application/pdf", size=len(PDF),
        uploaded_by=user, created_at=clock.now(),
    )  # fmt: skip
    a.file.save(a.original_name, upload(a.original_name), save=False)
    a.save()
    return a


def approved_filing(base: Organisation, user: User, **overrides) -> PreFiling:
    """A 培训前备案 in 备案通过 (set directly: tests of later documents start from here)."""
    filing = complete_filing(base, user, **overrides)
    PreFiling.objects.filter(pk=filing.pk).update(status=S.APPROVED, holder=None, submitted_at=clock.now())
    filing.refresh_from_db()
    return filing


def published_class(filing: PreFiling, user: User, *, status: str = "approved", published: bool = True, **overrides):
    """A 培训信息 of `filing`, approved and open for registration now unless told otherwise; its hours count
    in the filing's 年度."""
    from jxjy.trainings.models import ClassSpecialty, TrainingClass

    now = clock.now()
    values = dict(
        base=filing.base, pre_filing=filing, created_by=user, status=status, holder=None, submitted_at=now,
        years=[filing.year], years_start=filing.year, reg_start=now - dt.timedelta(days=1),
        reg_end=now + dt.timedelta(days=10), resubmit_deadline=now + dt.timedelta(days=12), seat_limit=0,
        report_place="乌鲁木齐市南湖路1号", class_place="水利科技培训中心", contact="李敏",
        contact_phone="0991-4561234", is_published=published,
    )  # fmt: skip
    values.update(overrides)
    c = TrainingClass.objects.create(**values)
    for item in filing.scope_items.all():
        ClassSpecialty.objects.create(training_class=c, specialty=item.specialty, level=item.level)
    return c


def scope_of(training_class) -> tuple[int, int]:
    s = training_class.specialties.first()
    return s.specialty_id, s.level_id


CHINESE_DIGITS = str.maketrans("0123456789", "零一二三四五六七八九")  # a name has no digits: 学员一二


def learner(n: int, password: str = PASSWORD):
    """The n-th generated learner, with a valid 身份证号 and mobile."""
    from jxjy.core.identity import id_check_char

    born = dt.date(1990, 1, 1) + dt.timedelta(days=n // 1000)  # a thousand learners per birthday
    first17 = f"650102{born:%Y%m%d}{n % 1000:03d}"
    name = "学员" + str(n).translate(CHINESE_DIGITS)
    return registered_learner(name, first17 + id_check_char(first17), f"139{n:08d}", password=password)


def registered_learner(
    name: str, id_number: str, mobile: str, *, work_unit: str = "测试单位", password: str = PASSWORD
):
    """A learner registered as through 注册."""
    from jxjy.accounts.services import register_learner

    return register_learner(
        name=name, id_number=id_number, mobile=mobile, work_unit=work_unit, password=password
    ).learner


_learner_numbers = itertools.count(500)


def finished_class(
    base: Organisation, user: User, *, learners: int = 3, ended_days_ago: int = 2, subject="professional"
):
    """A class whose training ended `ended_days_ago` days ago, with `learners` approved registrations."""
    from jxjy.trainings.models import Registration

    end = clock.today() - dt.timedelta(days=ended_days_ago)
    filing = approved_filing(base, user, start_date=end - dt.timedelta(days=4), end_date=end, subject_kind=subject)
    c = published_class(filing, user)
    specialty_id, level_id = scope_of(c)
    for _ in range(learners):
        person = learner(next(_learner_numbers))
        Registration.objects.create(
            learner=person, training_class=c, specialty_id=specialty_id, level_id=level_id, status="approved",
            submitted_at=clock.now(), name=person.name, work_unit="测试单位", current_title="工程师",
            year=c.years[0],
        )  # fmt: skip
    return c


def score_file(rows: list[list], headers=("姓名", "身份证号", "成绩", "是否合格", "备注")) -> SimpleUploadedFile:
    """An xlsx upload with these rows under the template's header."""
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(headers))
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("成绩.xlsx", out.getvalue(), content_type="application/vnd.ms-excel")


def identity_appeal(account: User, **overrides):
    """A 身份申诉 for `account` (a learner) waiting for the 人社厅, as filed from an SMS link."""
    from jxjy.accounts.models import AppealStatus, IdentityAppeal

    values = {
        "id_number": account.learner.id_number, "name": "申诉人", "mobile": "13700137000", "work_unit": "申诉人单位",
        "reason": "该身份证号为本人所有。", "status": AppealStatus.SUBMITTED, "holder": hr_region(),
        "submitted_at": clock.now(),
    }  # fmt: skip
    values.update(overrides)
    return IdentityAppeal.objects.create(account=account, **values)
