"""Business rules of 培训信息 and 学员报名: saving, publishing, registering, and seats."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django.db import OperationalError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from jxjy.accounts.models import Learner, Organisation, User
from jxjy.accounts.predicates import is_base
from jxjy.audit import trail as audit
from jxjy.core import clock
from jxjy.core.errors import DomainError, NotEditable
from jxjy.filings.models import PreFiling
from jxjy.filings.models import PreFilingStatus as FS
from jxjy.review import engine
from jxjy.review.workflows import Action

from . import seats
from .audit_actions import TrainingAction
from .models import ClassStatus, Registration, TrainingClass
from .models import RegistrationStatus as R
from .seats import BUSY, SeatsBusy
from .selectors import registrations_visible_to

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FULL = gettext_lazy("报名人数已满")
SEATS_LEFT = gettext_lazy("该培训班尚有剩余名额，请直接提交报名。")


class SeatsRefusal(DomainError):
    """A move refused for the seats it found under the lock. `owed`: some were free for the line, and the
    refusal's rollback took their promotion back; the caller hands them on in a transaction of its own."""

    def __init__(self, message: "StrOrPromise", *, owed: bool = False):
        super().__init__(message)
        self.owed = owed


class ClassFull(SeatsRefusal):
    """No seat is left."""

    def __init__(self, message: "StrOrPromise" = FULL, *, owed: bool = False):
        super().__init__(message, owed=owed)


class SeatsLeft(SeatsRefusal):
    """加入候补 on a class that still has a seat: the learner simply submits."""


# ---- 培训信息 ----


def approved_filings_for(base: Organisation) -> QuerySet[PreFiling]:
    return PreFiling.objects.filter(base=base, status=FS.APPROVED).order_by("-year", "-id")


def class_errors(c: TrainingClass) -> dict[str, list[str]]:
    """The rules a class must satisfy to be submitted; field name -> messages."""
    errors: dict[str, list[str]] = {}
    if c.pre_filing.status != FS.APPROVED or c.pre_filing.base_id != c.base_id:
        errors["pre_filing"] = [gettext("只能选择本基地审核通过的培训前备案")]
    if not (c.reg_start < c.reg_end):
        errors.setdefault("reg_end", []).append(gettext("报名结束时间须晚于报名开始时间"))
    if not (c.reg_end < c.resubmit_deadline):
        errors.setdefault("resubmit_deadline", []).append(gettext("退回再次提交截止时间须晚于报名结束时间"))
    if not c.years:
        errors["years"] = [gettext("请选择年度范围")]
    if c.pk and not c.specialties.exists():
        errors["specialties"] = [gettext("请选择培训专业")]
    if c.pk and c.has_package and not c.package_courses.exists():
        errors["package"] = [gettext("选择课程包时请至少添加一门课程")]
    return errors


def raise_if_class_invalid(c: TrainingClass) -> None:
    errors = class_errors(c)
    if errors:
        raise DomainError(gettext("培训信息填写有误，请按提示修改。"), errors=errors)


def new_class(*, actor: User) -> TrainingClass:
    """An unsaved 培训信息 of the actor's base, a draft (新增培训信息)."""
    base = cast(Organisation, actor.organisation)  # a base's account belongs to its base
    return engine.begin(TrainingClass(base=base, created_by=actor))


def save_class(c: TrainingClass, *, actor: User, apply_changes: Callable[[TrainingClass], object]) -> TrainingClass:
    """确定: write the form (apply_changes writes the instance, specialties and package courses)."""
    if not is_base(actor) or (c.pk and c.base_id != actor.organisation_id):
        raise DomainError(gettext("只有本基地可以编辑培训信息。"))
    with transaction.atomic():
        if c.pk:
            locked = TrainingClass.objects.select_for_update().get(pk=c.pk)
            if not locked.is_editable:
                raise NotEditable(gettext("该培训信息已提交，当前不可修改。"))
        is_new = c.pk is None
        apply_changes(c)
        raise_if_class_invalid(c)
        audit.record(actor=actor, action=TrainingAction.CREATE_CLASS if is_new else TrainingAction.SAVE_CLASS, obj=c)
        if not is_new:
            # A raised 限制报名人数 (or a later deadline …) may free seats: the line gets them now, under the lock.
            seats.promote_waiting(c)
    return c


def set_published(c: TrainingClass, *, actor: User, published: bool) -> TrainingClass:
    """开启 / 关闭: only an approved class of the actor's own base can be opened."""
    with transaction.atomic():
        c = TrainingClass.objects.select_for_update().get(pk=c.pk)
        if c.base_id != actor.organisation_id or not is_base(actor):
            raise DomainError(gettext("只有本基地可以开启或关闭报名。"))
        if published and c.status != ClassStatus.APPROVED:
            raise DomainError(gettext("培训信息审核通过后才能开启报名。"))
        c.is_published = published
        c.save(update_fields=["is_published"])
        audit.record(
            actor=actor,
            action=TrainingAction.OPEN_REGISTRATION if published else TrainingAction.CLOSE_REGISTRATION,
            obj=c,
        )
    return c


def seats_taken(c: TrainingClass) -> int:
    return seats.holders(c.pk).count()


# ---- 学员报名 ----


def open_classes_for(*, specialty_id: int, level_id: int, at: dt.datetime | None = None) -> QuerySet[TrainingClass]:
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
    *, learner: Learner, training_class: TrainingClass, specialty_id: int, level_id: int, details: dict[str, Any],
    package_course_ids: list[int],
) -> Registration:  # fmt: skip
    """保存: create the learner's registration for a class open now (one active per class)."""
    if not training_class.is_open():
        raise DomainError(gettext("该培训班当前未开放报名。"))
    if not training_class.specialties.filter(specialty_id=specialty_id, level_id=level_id).exists():
        raise DomainError(gettext("该培训班不包含所选的报名专业。"))
    with transaction.atomic():
        active = Registration.objects.filter(learner=learner, training_class=training_class).exclude(status=R.WITHDRAWN)
        if active.exists():
            raise DomainError(gettext("您已报名该培训班，请勿重复报名。"))
        reg = engine.begin(Registration(
            learner=learner, training_class=training_class, specialty_id=specialty_id, level_id=level_id,
            name=learner.name, **details,
        ))  # fmt: skip
        _check_details(reg)
        reg.save()
        if package_course_ids:  # a new registration has none to replace
            reg.package_courses.set(training_class.package_courses.filter(pk__in=package_course_ids))
        audit.record(actor=learner.user, action=TrainingAction.SAVE_REGISTRATION, obj=reg)
    return reg


def update_registration(
    reg: Registration, *, actor: User, details: dict[str, Any], package_course_ids: list[int]
) -> None:
    """修改 a saved or returned registration."""
    with transaction.atomic():
        reg = Registration.objects.select_for_update().get(pk=reg.pk)
        if reg.learner.user_id != actor.pk:
            raise DomainError(gettext("您无权修改该报名。"))
        if not reg.is_editable:
            raise NotEditable(gettext("该报名已提交，当前不可修改。"))
        for name, value in details.items():
            setattr(reg, name, value)
        _check_details(reg)
        reg.save()
        reg.package_courses.set(reg.training_class.package_courses.filter(pk__in=package_course_ids))
        audit.record(actor=actor, action=TrainingAction.CHANGE_REGISTRATION, obj=reg)


def _check_details(reg: Registration) -> None:
    if reg.year not in reg.training_class.years:
        raise DomainError(gettext("参训年度须在培训班的年度范围内。"), field="year")


def _raise_if_past_deadline(c: TrainingClass) -> None:
    if clock.now() > c.resubmit_deadline:
        deadline = timezone.localtime(c.resubmit_deadline)
        raise DomainError(
            gettext("已超过退回再次提交截止时间（%(deadline)s），不能再次提交。")
            % {"deadline": format(deadline, "%Y-%m-%d %H:%M")}
        )


def check_registration_submit(reg: Registration) -> None:
    """The guard of 提交: the window (or the resubmission deadline), then a seat under the class's lock."""
    c = reg.training_class
    if reg.status == R.RETURNED:
        _raise_if_past_deadline(c)
    elif not c.is_open(clock.now()):
        raise DomainError(gettext("该培训班当前未开放报名。"))
    reserve_seat(reg)


def reserve_seat(reg: Registration) -> None:
    """Lock the class row and recount inside the lock, the way pretix guards a quota.

    Never count from a number read earlier: two learners submitting at the same second must see
    each other. A lock that cannot be had within a few seconds is a friendly "busy" answer.
    A class already full refuses before the lock: when a popular class opens, most learners
    arrive after the last seat went, and they need not queue for the lock only to hear so.
    Every seat is still given only under the lock, and the waiting list comes first: seats found
    free under the lock (a returned registration's deadline passed) go to the line before anyone new.
    A returned registration resubmitted before its deadline kept its seat: it is never refused for one.
    """
    if reg.status == R.RETURNED:
        # Under the lock, so that the deadline cannot pass between this check and a promotion into the seat.
        _raise_if_past_deadline(seats.lock_class(reg.training_class_id))
        return
    if reg.training_class.seat_limit and _seats_held(reg) >= reg.training_class.seat_limit:
        raise ClassFull()
    c = seats.lock_class(reg.training_class_id)
    if not c.seat_limit:
        return  # no limit, and so nobody waiting: setting the limit to 0 promoted the whole line
    taken = _seats_held(reg)
    owed = False
    if taken < c.seat_limit and seats.waiting(c.pk).exists():
        owed = bool(seats.promote_waiting(c))
        taken = _seats_held(reg)
    after_seat_count()
    if taken >= c.seat_limit:
        raise ClassFull(owed=owed)


def _seats_held(reg: Registration) -> int:
    """Seats held in the registration's class by others."""
    return seats.holders(reg.training_class_id).exclude(pk=reg.pk).count()


def after_seat_count() -> None:
    """A seam for the concurrency tests, which widen the race here to prove the lock closes it."""


def submit_registration(reg: Registration, *, actor: User) -> Registration:
    """提交: the seat is taken under the class's lock (see reserve_seat)."""
    return _move(reg, Action.SUBMIT, actor=actor)


@dataclass
class BatchOutcome:
    passed: int = 0
    refused: list[str] = field(default_factory=list)  # 「姓名：why」 for each one not passed


def approve_registrations(ids: list[int], *, actor: User) -> BatchOutcome:
    """批量通过: each of the base's submitted registrations among `ids` is its own move (its transaction, audit
    entry and messages), so that one refused — its class closed meanwhile — leaves the others passed."""
    outcome = BatchOutcome()
    for reg in registrations_visible_to(actor).filter(pk__in=ids, status=R.SUBMITTED):
        try:
            engine.perform(reg, Action.APPROVE, actor=actor)
            outcome.passed += 1
        except DomainError as e:
            outcome.refused.append(f"{reg.name}：{e.message}")
    return outcome


def _move(reg: Registration, action: str, *, actor: User) -> Registration:
    try:
        return engine.perform(reg, action, actor=actor)
    except SeatsRefusal as e:
        if e.owed:
            _hand_on_free_seats(reg.training_class_id)
        raise
    except OperationalError:
        # SQLite answers "database is locked" when its single writer slot stays busy too long.
        raise SeatsBusy(BUSY) from None


def _hand_on_free_seats(class_id: int) -> None:
    """The seats the refused move found free for the line, given again in a transaction of their own."""
    with transaction.atomic():
        seats.fill_seats(class_id)


# ---- 候补 (the waiting list) ----


def check_join_waiting(reg: Registration) -> None:
    """The guard of 加入候补: the class is open and full; the place is the next number, under the lock."""
    c = reg.training_class
    if not c.is_open(clock.now()):
        raise DomainError(gettext("该培训班当前未开放报名。"))
    locked = seats.lock_class(c.pk)
    owed = bool(seats.promote_waiting(locked))  # seats a passed deadline freed go to those already in line
    if not locked.seat_limit or seats.seats_free(locked):
        raise SeatsLeft(SEATS_LEFT, owed=owed)
    reg.queue_seq = seats.next_queue_seq(c.pk)
    after_seat_count()
    Registration.objects.filter(pk=reg.pk).update(queue_seq=reg.queue_seq)


def join_waiting_list(reg: Registration, *, actor: User) -> Registration:
    """加入候补: at the back of the class's line; a class that has a seat after all takes it as 提交."""
    for _ in range(3):  # a seat can free and go again between two tries; three are plenty
        try:
            return _move(reg, Action.WAIT, actor=actor)
        except SeatsLeft:
            pass
        try:
            return submit_registration(reg, actor=actor)
        except ClassFull:
            continue
    raise SeatsBusy(BUSY)


def withdraw_registration(reg: Registration, *, actor: User) -> Registration:
    """撤回: leave the waiting list, or give up a seat (which goes to the first in line at once)."""
    reg.refresh_from_db(fields=["status"])
    if reg.status == R.WAITING:
        try:
            return engine.perform(reg, Action.LEAVE_WAITING, actor=actor)
        except engine.ReviewPermissionDenied:
            raise
        except DomainError:
            pass  # promoted between reading its state and the move: withdraw the seat instead
    return engine.perform(reg, Action.WITHDRAW, actor=actor)


def seat_freed(reg: Registration) -> None:
    """The effect of 撤回 of a seat: in the same transaction, under the class's lock, the line moves up."""
    seats.fill_seats(reg.training_class_id)


def delete_draft(reg: Registration, *, actor: User) -> None:
    """删除 a saved registration that was never submitted (it never held a seat): gone, with an audit entry."""
    with transaction.atomic():
        reg = Registration.objects.select_for_update().select_related("learner").get(pk=reg.pk)
        if reg.learner.user_id != actor.pk:
            raise DomainError(gettext("您无权删除该报名。"))
        if reg.status != R.DRAFT:
            raise DomainError(
                gettext("该报名当前状态为「%(get_status_display)s」，只有已保存未提交的报名可以删除。")
                % {"get_status_display": reg.get_status_display()}
            )
        audit.record(
            actor=actor, action=TrainingAction.DELETE_REGISTRATION, obj=reg, state_before=R.DRAFT,
            detail={"培训班": reg.training_class_id, "姓名": reg.name},
        )  # fmt: skip
        reg.package_courses.clear()
        reg.delete()


def promote_all_waiting() -> int:
    """The periodic sweep: in each class with a line, hand on the seats a passed deadline freed."""
    promoted = 0
    class_ids = Registration.objects.filter(status=R.WAITING).values_list("training_class_id", flat=True).distinct()
    for class_id in list(class_ids):
        with transaction.atomic():
            promoted += len(seats.fill_seats(class_id))
    return promoted
