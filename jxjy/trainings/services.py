"""Business rules of 培训信息 and 学员报名: saving, publishing, registering, and seats."""

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from jxjy.accounts.models import Learner, Role, User
from jxjy.core import audit, clock
from jxjy.core.errors import DomainError, NotEditable
from jxjy.filings.models import PreFiling
from jxjy.filings.models import PreFilingStatus as FS
from jxjy.review import engine

from .models import SEAT_HOLDING, ClassStatus, Registration, TrainingClass
from .models import RegistrationStatus as R

FULL = "报名人数已满"
BUSY = "当前报名人数较多，系统繁忙，请稍后再试。"


class SeatsBusy(DomainError):
    """The class's lock could not be had in time; the learner should simply try again."""


# ---- 培训信息 ----


def approved_filings_for(base) -> "list[PreFiling]":
    return PreFiling.objects.filter(base=base, status=FS.APPROVED).order_by("-year", "-id")


def class_errors(c: TrainingClass) -> dict[str, list[str]]:
    """The rules a class must satisfy to be submitted; field name -> messages."""
    errors: dict[str, list[str]] = {}
    if c.pre_filing.status != FS.APPROVED or c.pre_filing.base_id != c.base_id:
        errors["pre_filing"] = ["只能选择本基地审核通过的培训前备案"]
    if not (c.reg_start < c.reg_end):
        errors.setdefault("reg_end", []).append("报名结束时间须晚于报名开始时间")
    if not (c.reg_end < c.resubmit_deadline):
        errors.setdefault("resubmit_deadline", []).append("退回再次提交截止时间须晚于报名结束时间")
    if not c.years:
        errors["years"] = ["请选择年度范围"]
    if c.pk and not c.specialties.exists():
        errors["specialties"] = ["请选择培训专业"]
    if c.pk and c.has_package and not c.package_courses.exists():
        errors["package"] = ["选择课程包时请至少添加一门课程"]
    return errors


def raise_if_class_invalid(c: TrainingClass) -> None:
    errors = class_errors(c)
    if errors:
        raise DomainError("培训信息填写有误，请按提示修改。", errors=errors)


def save_class(c: TrainingClass, *, actor: User, apply_changes) -> TrainingClass:
    """确定: write the form (apply_changes writes the instance, specialties and package courses)."""
    if actor.role != Role.BASE or (c.pk and c.base_id != actor.organisation_id):
        raise DomainError("只有本基地可以编辑培训信息。")
    with transaction.atomic():
        if c.pk:
            locked = TrainingClass.objects.select_for_update().get(pk=c.pk)
            if not locked.is_editable:
                raise NotEditable("该培训信息已提交，当前不可修改。")
        is_new = c.pk is None
        apply_changes(c)
        raise_if_class_invalid(c)
        audit.record(actor=actor, action="新增培训信息" if is_new else "保存培训信息", obj=c)
    return c


def set_published(c: TrainingClass, *, actor: User, published: bool) -> TrainingClass:
    """开启 / 关闭: only an approved class of the actor's own base can be opened."""
    with transaction.atomic():
        c = TrainingClass.objects.select_for_update().get(pk=c.pk)
        if c.base_id != actor.organisation_id or actor.role != Role.BASE:
            raise DomainError("只有本基地可以开启或关闭报名。")
        if published and c.status != ClassStatus.APPROVED:
            raise DomainError("培训信息审核通过后才能开启报名。")
        c.is_published = published
        c.save(update_fields=["is_published"])
        audit.record(actor=actor, action="开启报名" if published else "关闭报名", obj=c)
    return c


def seats_taken(c: TrainingClass) -> int:
    return c.registrations.filter(status__in=SEAT_HOLDING).count()


# ---- 学员报名 ----


def open_classes_for(*, specialty_id: int, level_id: int, at=None):
    """Step 2 of 我要报名: the published classes open now for that 报名专业."""
    at = at or clock.now()
    return (
        TrainingClass.objects.filter(
            status=ClassStatus.APPROVED,
            is_published=True,
            reg_start__lte=at,
            reg_end__gte=at,
            specialties__specialty_id=specialty_id,
            specialties__level_id=level_id,
        )
        .select_related("base", "pre_filing")
        .distinct()
        .order_by("reg_end", "id")
    )


def start_registration(
    *, learner: Learner, training_class: TrainingClass, specialty_id: int, level_id: int, details: dict,
    package_course_ids: list[int],
) -> Registration:  # fmt: skip
    """保存: create the learner's registration for a class open now (one active per class)."""
    if not training_class.is_open():
        raise DomainError("该培训班当前未开放报名。")
    if not training_class.specialties.filter(specialty_id=specialty_id, level_id=level_id).exists():
        raise DomainError("该培训班不包含所选的报名专业。")
    with transaction.atomic():
        active = Registration.objects.filter(learner=learner, training_class=training_class).exclude(status=R.WITHDRAWN)
        if active.exists():
            raise DomainError("您已报名该培训班，请勿重复报名。")
        reg = Registration(
            learner=learner, training_class=training_class, specialty_id=specialty_id, level_id=level_id,
            status=R.DRAFT, name=learner.name, **details,
        )  # fmt: skip
        _check_details(reg)
        reg.save()
        reg.package_courses.set(training_class.package_courses.filter(pk__in=package_course_ids))
        audit.record(actor=learner.user, action="保存报名", obj=reg)
    return reg


def update_registration(reg: Registration, *, actor: User, details: dict, package_course_ids: list[int]) -> None:
    """修改 a saved or returned registration."""
    with transaction.atomic():
        reg = Registration.objects.select_for_update().get(pk=reg.pk)
        if reg.learner.user_id != actor.pk:
            raise DomainError("您无权修改该报名。")
        if not reg.is_editable:
            raise NotEditable("该报名已提交，当前不可修改。")
        for name, value in details.items():
            setattr(reg, name, value)
        _check_details(reg)
        reg.save()
        reg.package_courses.set(reg.training_class.package_courses.filter(pk__in=package_course_ids))
        audit.record(actor=actor, action="修改报名", obj=reg)


def _check_details(reg: Registration) -> None:
    if reg.year not in reg.training_class.years:
        raise DomainError("参训年度须在培训班的年度范围内。", field="year")


def check_registration_submit(reg: Registration) -> None:
    """The guard of 提交: the window (or the resubmission deadline), then a seat under the class's lock."""
    now = clock.now()
    c = reg.training_class
    if reg.status == R.RETURNED:
        if now > c.resubmit_deadline:
            deadline = timezone.localtime(c.resubmit_deadline)
            raise DomainError(f"已超过退回再次提交截止时间（{deadline:%Y-%m-%d %H:%M}），不能再次提交。")
    elif not c.is_open(now):
        raise DomainError("该培训班当前未开放报名。")
    reserve_seat(reg)


def reserve_seat(reg: Registration) -> None:
    """Lock the class row and recount inside the lock, the way pretix guards a quota.

    Never count from a number read earlier: two learners submitting at the same second must see
    each other. A lock that cannot be had within a few seconds is a friendly "busy" answer.
    A class already full refuses before the lock: when a popular class opens, most learners
    arrive after the last seat went, and they need not queue for the lock only to hear so.
    Every seat is still given only under the lock.
    """
    if reg.training_class.seat_limit and _seats_held(reg) >= reg.training_class.seat_limit:
        raise DomainError(FULL)
    qs = TrainingClass.objects
    if settings.JXJY_SEAT_LOCK:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('lock_timeout', %s, true)", [f"{settings.JXJY_SEAT_LOCK_TIMEOUT_MS}ms"]
                )
        qs = qs.select_for_update()
    try:
        c = qs.get(pk=reg.training_class_id)
    except OperationalError:
        raise SeatsBusy(BUSY) from None
    if c.seat_limit:
        taken = _seats_held(reg)
        after_seat_count()
        if taken >= c.seat_limit:
            raise DomainError(FULL)


def _seats_held(reg: Registration) -> int:
    """Seats held in the registration's class by others."""
    return (
        Registration.objects.filter(training_class_id=reg.training_class_id, status__in=SEAT_HOLDING)
        .exclude(pk=reg.pk)
        .count()
    )


def after_seat_count() -> None:
    """A seam for the concurrency tests, which widen the race here to prove the lock closes it."""


def submit_registration(reg: Registration, *, actor: User) -> Registration:
    try:
        return engine.perform(reg, "submit", actor=actor)
    except OperationalError:
        # SQLite answers "database is locked" when its single writer slot stays busy too long.
        raise SeatsBusy(BUSY) from None
