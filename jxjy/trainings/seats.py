"""Seats of a limited class and its waiting list (候补), always under the class's row lock (DESIGN §4.3).

Who holds a seat is `models.seat_holding`: submitted, approved, or returned before the class's
退回再次提交截止时间. A seat is given, freed or handed on only while the class row is locked, and
counts are read inside that lock, never earlier. The waiting list is first come, first served: a
freed seat goes to the first in line (候补递补) in the transaction that freed it.

A returned registration's deadline can pass with nobody acting. That seat is freed lazily: every
move that counts seats under the lock first hands free seats to the line, and `promote_waiting`
(the command of the same name, run periodically) sweeps the classes where nobody moved.
"""

from django.conf import settings
from django.db import OperationalError, connection
from django.db.models import Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.core import clock
from jxjy.core.errors import DomainError
from jxjy.notify import outbox
from jxjy.review import engine
from jxjy.review.workflows import Action

from .models import Registration, TrainingClass, seat_holding
from .models import RegistrationStatus as R

BUSY = gettext_lazy("当前报名人数较多，系统繁忙，请稍后再试。")
# The actor of a promotion: the platform, not a person (its audit entries name no user).
PROMOTER = engine.SystemActor(gettext_lazy("系统（候补递补）"))
PROMOTION_OPINION = gettext_lazy("系统（候补递补）：有名额空出，按候补先后顺序自动递补。")


class SeatsBusy(DomainError):
    """The class's lock could not be had in time; the learner should simply try again."""


def lock_class(class_id: int) -> TrainingClass:
    """The class row, locked until the transaction ends; a lock not had in time is SeatsBusy."""
    qs = TrainingClass.objects
    if settings.JXJY_SEAT_LOCK:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('lock_timeout', %s, true)", [f"{settings.JXJY_SEAT_LOCK_TIMEOUT_MS}ms"]
                )
        qs = qs.select_for_update()
    try:
        return qs.get(pk=class_id)
    except OperationalError:
        raise SeatsBusy(BUSY) from None


def holders(class_id: int) -> QuerySet[Registration]:
    """The registrations holding a seat of the class now."""
    return Registration.objects.filter(seat_holding(clock.now()), training_class_id=class_id)


def waiting(class_id: int) -> QuerySet[Registration]:
    """The class's waiting list, first in line first."""
    return Registration.objects.filter(training_class_id=class_id, status=R.WAITING).order_by("queue_seq")


def seats_free(c: TrainingClass) -> int | None:
    """Seats left (None: the class has no limit). Exact only under the class's lock."""
    if not c.seat_limit:
        return None
    return max(c.seat_limit - holders(c.pk).count(), 0)


def next_queue_seq(class_id: int) -> int:
    """The number of the next to join the line; called under the class's lock."""
    last = Registration.objects.filter(training_class_id=class_id, queue_seq__isnull=False).order_by("-queue_seq")
    return (last.values_list("queue_seq", flat=True).first() or 0) + 1


def with_waiting_place(qs: QuerySet[Registration]) -> QuerySet[Registration]:
    """Add `waiting_place` (候补第 N 位: earlier rows still waiting + 1); meaningful for waiting rows only."""
    earlier = (
        Registration.objects.filter(
            training_class_id=OuterRef("training_class_id"), status=R.WAITING, queue_seq__lt=OuterRef("queue_seq")
        )
        .order_by()
        .values("training_class_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(waiting_place=Coalesce(Subquery(earlier), Value(0)) + 1)


def set_waiting_places(regs: list[Registration]) -> None:
    """`waiting_place` as with_waiting_place gives it, on a list already read: one query, and only if one waits."""
    waiting = [r.pk for r in regs if r.status == R.WAITING]
    places = {}
    if waiting:
        places = dict(
            with_waiting_place(Registration.objects.filter(pk__in=waiting)).values_list("pk", "waiting_place")
        )
    for r in regs:
        r.waiting_place = places.get(r.pk)


def waiting_place(reg: Registration) -> int | None:
    """候补第 N 位 of a waiting registration (None if it is not waiting)."""
    if reg.status != R.WAITING:
        return None
    return waiting(reg.training_class_id).filter(queue_seq__lt=reg.queue_seq).count() + 1


def promote_waiting(c: TrainingClass) -> list[Registration]:
    """Give every free seat to the first in line; the caller holds the class's lock (`c` is that row).

    The first in line is read without locking it, then moved by the engine, which locks its row: one
    that left the line meanwhile is refused by the engine (no longer 候补中), and the next one is taken.
    Leaving the line takes no class lock, so this order (class, then the waiting row) cannot deadlock.
    """
    promoted: list[Registration] = []
    passed: set[int] = set()
    while c.seat_limit == 0 or seats_free(c):
        first = waiting(c.pk).exclude(pk__in=passed).first()
        if first is None:
            break
        passed.add(first.pk)
        try:
            engine.perform(first, Action.PROMOTE, actor=PROMOTER, opinion=PROMOTION_OPINION)
        except DomainError:
            continue
        _tell_promoted(first)
        promoted.append(first)
    return promoted


def fill_seats(class_id: int) -> list[Registration]:
    """Lock the class and hand its free seats to the line (in the caller's transaction)."""
    return promote_waiting(lock_class(class_id))


def _tell_promoted(reg: Registration) -> None:
    name = reg.training_class.class_name
    outbox.tell(
        [reg.learner.user],
        title=(_("候补递补成功：%(name)s") % {"name": name}),
        body=(
            _("有名额空出，您在「%(name)s」的候补报名已自动递补为“待审核”，请等待培训机构（基地）审核。")
            % {"name": name}
        ),
        url=reg.get_absolute_url(),
        event="waiting_promoted",
    )
