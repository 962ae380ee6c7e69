"""Demo 培训信息 and 学员报名: published classes for both demo bases, registrations in every state."""

import datetime as dt

from jxjy.accounts.models import Learner, User
from jxjy.accounts.services import register_learner
from jxjy.core import clock
from jxjy.core.identity import id_check_char
from jxjy.filings.models import PreFiling
from jxjy.filings.models import PreFilingStatus as FS
from jxjy.review import engine

from . import services
from .models import ClassSpecialty, PackageCourse, TrainingClass

DETAILS = {"current_title": "工程师"}
EXTRA_LEARNERS = [("王五", "13899110003"), ("赵六", "13899110004")]


def _class(filing: PreFiling, user: User, *, seat_limit: int, package: bool = False) -> TrainingClass:
    now, this = clock.now(), clock.this_year()  # now.year would be UTC's year: 2027 at 00:20 on 1 January 2028
    c = TrainingClass(
        base=filing.base, pre_filing=filing, created_by=user, status="draft", holder=filing.base,
        years=[this, this - 1], years_start=this - 1, reg_start=now - dt.timedelta(days=1),
        reg_end=now + dt.timedelta(days=10), resubmit_deadline=now + dt.timedelta(days=12), seat_limit=seat_limit,
        has_package=package, report_place=filing.venue, class_place=filing.venue, contact=filing.contact_name,
        contact_phone=f"{filing.office_phone}，{filing.contact_mobile}", notes="请携带身份证和职称证书复印件",
    )  # fmt: skip

    def apply(c: TrainingClass) -> None:
        c.save()
        ClassSpecialty.objects.bulk_create(
            ClassSpecialty(training_class=c, specialty_id=i.specialty_id, level_id=i.level_id)
            for i in filing.scope_items.all()
        )
        if package:
            PackageCourse.objects.create(training_class=c, name="水利工程建设管理新规范解读", hours=16)
            PackageCourse.objects.create(training_class=c, name="智慧水利与数字孪生", hours=12)

    return services.save_class(c, actor=user, apply_changes=apply)


def _approve_and_open(c: TrainingClass, *, base_user: User, hr_user: User) -> None:
    engine.perform(c, "submit", actor=base_user)
    engine.perform(c, "approve", actor=hr_user, opinion="同意发布。")
    services.set_published(c, actor=base_user, published=True)
    c.refresh_from_db()


def _register(learner: Learner, c: TrainingClass, *, submit: bool = True):
    item = c.specialties.first()
    reg = services.start_registration(
        learner=learner, training_class=c, specialty_id=item.specialty_id, level_id=item.level_id,
        details={**DETAILS, "work_unit": learner.work_unit, "year": c.years[0]}, package_course_ids=[],
    )  # fmt: skip
    if submit:
        services.submit_registration(reg, actor=learner.user)
    return reg


def _extra_learner(n: int, name: str, mobile: str, password: str) -> Learner:
    first17 = f"65010219920202{n:03d}"
    id_number = first17 + id_check_char(first17)
    existing = Learner.objects.by_id_number(id_number).first()
    if existing:
        return existing
    return register_learner(
        name=name, id_number=id_number, mobile=mobile, work_unit="乌鲁木齐市水利工程质量监督站", password=password
    ).learner


def load_trainings(*, bases: dict[str, User], hr_users: dict[str, User], password: str) -> None:
    """Once: a class per demo base plus one awaiting each HR reviewer, and 张三 / 李四 in every registration state."""
    if TrainingClass.objects.filter(base__in=[u.organisation for u in bases.values()]).exists():
        return
    zhang = Learner.objects.get(name="张三")
    li = Learner.objects.get(name="李四")
    sl, wlmq = bases["jd_sl"], bases["jd_wlmq"]
    sl_filing = PreFiling.objects.filter(base=sl.organisation, status=FS.APPROVED).first()
    wlmq_filing = PreFiling.objects.filter(base=wlmq.organisation, status=FS.APPROVED).first()

    open_class = _class(sl_filing, sl, seat_limit=0, package=True)
    _approve_and_open(open_class, base_user=sl, hr_user=hr_users["jd_sl"])
    small = _class(wlmq_filing, wlmq, seat_limit=4)
    _approve_and_open(small, base_user=wlmq, hr_user=hr_users["jd_wlmq"])
    for filing, user in ((sl_filing, sl), (wlmq_filing, wlmq)):  # one for each HR reviewer
        engine.perform(_class(filing, user, seat_limit=60), "submit", actor=user)

    engine.perform(_register(zhang, open_class), "approve", actor=sl)  # 审核通过
    engine.perform(_register(li, open_class), "return", actor=sl, opinion="请将工作单位填写为单位全称。")  # 已退回
    _register(zhang, small)  # 待审核
    engine.perform(_register(li, small), "withdraw", actor=li.user)  # 已撤回
    _register(li, small, submit=False)  # 已保存
    for n, (name, mobile) in enumerate(EXTRA_LEARNERS, start=1):  # the small class is nearly full
        learner = _extra_learner(n, name, mobile, password)
        engine.perform(_register(learner, small), "approve", actor=wlmq)
