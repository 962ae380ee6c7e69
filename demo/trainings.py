"""Demo 培训信息 and 学员报名: published classes for both demo bases, registrations in every state."""

import datetime as dt

from jxjy.accounts.models import Learner, User
from jxjy.core import clock
from jxjy.core.identity import id_check_char
from jxjy.filings.models import PreFiling
from jxjy.filings.models import PreFilingStatus as FS
from jxjy.review import engine
from jxjy.review.workflows import Action
from jxjy.trainings import services
from jxjy.trainings.models import ClassSpecialty, PackageCourse, TrainingClass

from . import factories as f

EXTRA_LEARNERS = [("王五", "13899110003"), ("赵六", "13899110004")]
PACKAGE = [("水利工程建设管理新规范解读", 16), ("智慧水利与数字孪生", 12)]


def new_class(filing: PreFiling, user: User, *, package: bool = False, **fields) -> TrainingClass:
    """A draft 培训信息 of `filing` (its scope, its venue and contact), saved through the service."""
    c = TrainingClass(
        base=filing.base, pre_filing=filing, created_by=user, status="draft", holder=filing.base,
        has_package=package, report_place=filing.venue, class_place=filing.venue, contact=filing.contact_name,
        **fields,
    )  # fmt: skip

    def apply(c: TrainingClass) -> None:
        c.save()
        ClassSpecialty.objects.bulk_create(
            ClassSpecialty(training_class=c, specialty_id=i.specialty_id, level_id=i.level_id)
            for i in filing.scope_items.all()
        )
        if package:
            for name, hours in PACKAGE:
                PackageCourse.objects.create(training_class=c, name=name, hours=hours)

    return services.save_class(c, actor=user, apply_changes=apply)


def approve_and_open(c: TrainingClass, *, base_user: User, hr_user: User, opinion: str = "") -> TrainingClass:
    engine.perform(c, Action.SUBMIT, actor=base_user)
    engine.perform(c, Action.APPROVE, actor=hr_user, opinion=opinion)
    services.set_published(c, actor=base_user, published=True)
    c.refresh_from_db()
    return c


def register(learner: Learner, c: TrainingClass, *, submit: bool = True):
    """The learner's registration for `c` at its first scope item, submitted to the base unless told not to."""
    item = c.specialties.first()
    reg = services.start_registration(
        learner=learner, training_class=c, specialty_id=item.specialty_id, level_id=item.level_id,
        details={"work_unit": learner.work_unit, "current_title": "工程师", "year": c.years[0]},
        package_course_ids=[],
    )  # fmt: skip
    if submit:
        services.submit_registration(reg, actor=learner.user)
    return reg


def upcoming_class(filing: PreFiling, user: User, *, seat_limit: int, package: bool = False) -> TrainingClass:
    """A class open for registration from yesterday for ten days, its hours counting this year and last."""
    now, this = clock.now(), clock.this_year()  # now.year would be UTC's year: 2027 at 00:20 on 1 January 2028
    return new_class(
        filing, user, package=package, years=[this, this - 1], years_start=this - 1,
        reg_start=now - dt.timedelta(days=1), reg_end=now + dt.timedelta(days=10),
        resubmit_deadline=now + dt.timedelta(days=12), seat_limit=seat_limit,
        contact_phone=f"{filing.office_phone}，{filing.contact_mobile}", notes="请携带身份证和职称证书复印件",
    )  # fmt: skip


def extra_learner(n: int, name: str, mobile: str, password: str) -> Learner:
    first17 = f"65010219920202{n:03d}"
    id_number = first17 + id_check_char(first17)
    return Learner.objects.by_id_number(id_number).first() or f.registered_learner(
        name, id_number, mobile, work_unit="乌鲁木齐市水利工程质量监督站", password=password
    )


def load_trainings(*, bases: dict[str, User], hr_users: dict[str, User], password: str) -> None:
    """Once: a class per demo base plus one awaiting each HR reviewer, and 张三 / 李四 in every registration state."""
    if TrainingClass.objects.filter(base__in=[u.organisation for u in bases.values()]).exists():
        return
    zhang = Learner.objects.get(name="张三")
    li = Learner.objects.get(name="李四")
    sl, wlmq = bases["jd_sl"], bases["jd_wlmq"]
    sl_filing = PreFiling.objects.filter(base=sl.organisation, status=FS.APPROVED).first()
    wlmq_filing = PreFiling.objects.filter(base=wlmq.organisation, status=FS.APPROVED).first()

    open_class = upcoming_class(sl_filing, sl, seat_limit=0, package=True)
    approve_and_open(open_class, base_user=sl, hr_user=hr_users["jd_sl"], opinion="同意发布。")
    small = upcoming_class(wlmq_filing, wlmq, seat_limit=4)
    approve_and_open(small, base_user=wlmq, hr_user=hr_users["jd_wlmq"], opinion="同意发布。")
    for filing, user in ((sl_filing, sl), (wlmq_filing, wlmq)):  # one for each HR reviewer
        engine.perform(upcoming_class(filing, user, seat_limit=60), "submit", actor=user)

    engine.perform(register(zhang, open_class), "approve", actor=sl)  # 审核通过
    engine.perform(register(li, open_class), "return", actor=sl, opinion="请将工作单位填写为单位全称。")  # 已退回
    register(zhang, small)  # 待审核
    engine.perform(register(li, small), "withdraw", actor=li.user)  # 已撤回
    register(li, small, submit=False)  # 已保存
    for n, (name, mobile) in enumerate(EXTRA_LEARNERS, start=1):  # the small class is nearly full
        learner = extra_learner(n, name, mobile, password)
        engine.perform(register(learner, small), "approve", actor=wlmq)
