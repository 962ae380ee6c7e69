"""The home page's cards, by role: what waits for the user and where they stand."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Value
from django.urls import reverse
from django.utils.translation import gettext as _

from jxjy.accounts.predicates import is_base, is_learner, is_reviewer
from jxjy.core import clock
from jxjy.core.identity import hours_text
from jxjy.filings.selectors import pre_filings_visible_to
from jxjy.hours.services import year_summary
from jxjy.review.registry import get_kind, reviewed_by
from jxjy.trainings import seats
from jxjy.trainings.models import ClassSpecialty, ClassStatus, RegistrationStatus, TrainingClass
from jxjy.trainings.models import RegistrationStatus as R
from jxjy.trainings.selectors import classes_visible_to, registrations_visible_to


@dataclass
class Card:
    title: str
    value: str
    url: str = ""
    note: str = ""


def cards_for(user) -> list[Card]:

    if is_base(user):
        return _base_cards(user)
    if is_reviewer(user):
        return [
            Card(
                (_("%(label)s待审核") % {"label": k.label}),
                str(k.waiting_for(user).count()),
                reverse("review:waiting", args=[k.slug]),
            )
            for k in reviewed_by(user.role)
        ]
    if is_learner(user):
        return _learner_cards(user)
    return []


def _base_cards(user) -> list[Card]:

    def by_status(purpose: str) -> dict[str, int]:
        qs = pre_filings_visible_to(user).filter(purpose=purpose)
        return dict(qs.values_list("status").annotate(n=Count("id")).order_by())

    filings, recognitions = by_status("filing"), by_status("recognition")
    open_classes = [c for c in classes_visible_to(user).filter(is_published=True) if c.is_open()]
    return [
        Card(
            _("培训前备案"),
            str(sum(filings.values())),
            reverse("filings:list"),
            (
                _("其中已退回 %(returned)s 项、备案通过 %(approved)s 项")
                % {"returned": filings.get("returned", 0), "approved": filings.get("approved", 0)}
            ),
        ),
        Card(
            _("学时认定"),
            str(sum(recognitions.values())),
            reverse("filings:recognitions"),
            (
                _("其中待人社审核 %(hr_review)s 项、审核通过 %(approved)s 项")
                % {"hr_review": recognitions.get("hr_review", 0), "approved": recognitions.get("approved", 0)}
            ),
        ),
        Card(_("正在报名的培训班"), str(len(open_classes)), reverse("trainings:class_list")),
        Card(
            _("学员报名待审核"),
            str(get_kind("registration").waiting_for(user).count()),
            reverse("trainings:registration_review"),
        ),
    ]


@dataclass
class LearnerHome:
    """我的主页, in the order a learner acts on it (the operation guide's 我的主页)."""

    waiting: list  # registrations waiting on the learner: returned (with the deadline), drafts, 候补
    open_classes: list  # classes open for registration now, soonest closing first
    for_specialty: bool  # the classes are those of the learner's own 专业 (else: all open now)
    year: object  # this year's YearSummary: hours against the requirement
    recent_certificates: list  # issued in the last RECENT_DAYS days


OPEN_CLASSES_SHOWN = 5
RECENT_DAYS = 90


def learner_home(user) -> LearnerHome:
    """What waits on the learner, what is open for them, where their hours stand, what was issued lately."""

    learner = user.learner
    mine = _registrations_of(user)
    classes, for_specialty = _open_classes_for_learner(mine)
    since = clock.today() - dt.timedelta(days=RECENT_DAYS)
    return LearnerHome(
        waiting=_waiting_on_learner(mine),
        open_classes=classes,
        for_specialty=for_specialty,
        year=year_summary(learner, clock.this_year()),
        recent_certificates=list(
            learner.certificates.filter(issued_on__gte=since)
            .only("pk", "learner", "class_name", "kind", "number", "hours", "issued_on")  # what the list shows
            .order_by("-issued_on", "-id")[:5]
        ),
    )


# What 我的主页 uses of the learner's registrations: 待我处理 shows the class's name and dates; the open classes
# leave out the classes registered for and put the learner's 专业 first. (A narrow row is cheaper to build.)
MINE_SHOWN = ("pk", "status", "queue_seq", "specialty", "training_class__resubmit_deadline", "training_class__reg_end",
              "training_class__pre_filing__class_name")  # fmt: skip


def _registrations_of(user) -> list:
    """All the learner's registrations (a few a year): one query serves 待我处理 and the open classes."""
    mine = registrations_visible_to(user).select_related(None).select_related("training_class__pre_filing")
    return list(mine.only(*MINE_SHOWN))


def _waiting_on_learner(mine: list) -> list:
    """Returned before the class's 退回再次提交截止时间, saved and not submitted, and places on a waiting list."""

    now = clock.now()
    waiting = [
        r
        for r in mine
        if r.status in (R.DRAFT, R.WAITING) or (r.status == R.RETURNED and r.training_class.resubmit_deadline >= now)
    ]
    waiting.sort(key=lambda r: (r.training_class.resubmit_deadline, -r.pk))
    seats.set_waiting_places(waiting)
    return waiting


def _open_classes_for_learner(mine: list) -> tuple[list, bool]:
    """The classes open now for the 专业 the learner registered or earned hours in; with none, all open now.

    A learner has no specialty of their own: their registrations (and the certificates and hours that came of
    them) say which they train in. Classes they are already registered for are left out.
    """

    now = clock.now()
    taken = {r.training_class_id for r in mine if r.status != RegistrationStatus.WITHDRAWN}
    specialties = {r.specialty_id for r in mine}
    theirs = ClassSpecialty.objects.filter(training_class=OuterRef("pk"), specialty_id__in=specialties)
    # One query: the classes of their 专业 first; if the first rows hold none, there are none.
    # Open as TrainingClass.is_open says: published, approved, inside the registration window.
    first = list(
        TrainingClass.objects.filter(
            status=ClassStatus.APPROVED, is_published=True, reg_start__lte=now, reg_end__gte=now
        )
        .exclude(pk__in=taken)
        .annotate(of_theirs=Exists(theirs) if specialties else Value(False))
        .select_related("base", "pre_filing")
        .only("pk", "reg_end", "base__name", "pre_filing__class_name")  # what the list shows
        .order_by("-of_theirs", "reg_end", "id")[:OPEN_CLASSES_SHOWN]
    )
    matching = [c for c in first if c.of_theirs]
    return (matching, True) if matching else (first, False)


def _learner_cards(user) -> list[Card]:

    y = year_summary(user.learner, clock.this_year())
    waiting = registrations_visible_to(user).filter(status__in=["submitted", "returned", "draft"]).count()
    note = (
        _("达标")
        if y.met
        else (
            _("专业科目 %(hours_text)s / %(hours_text2)s")
            % {"hours_text": hours_text(y.professional), "hours_text2": hours_text(y.professional_required)}
        )
    )
    return [
        Card(
            (_("%(year)s年度学时") % {"year": y.year}),
            f"{hours_text(y.total)} / {hours_text(y.required)}",
            reverse("hours:ledger"),
            note,
        ),
        Card(_("办理中的报名"), str(waiting), reverse("trainings:my_registrations")),
        Card(_("我的证书"), str(user.learner.certificates.count()), reverse("certificates:mine")),
    ]
