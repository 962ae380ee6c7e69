"""Who sees which 培训信息 and 学员报名 (DESIGN §2): scoped querysets, used by every view."""

from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from jxjy.accounts.models import Role, User
from jxjy.accounts.scoping import hr_documents
from jxjy.core import clock
from jxjy.core.lookups import get_or_404

from .models import Registration, TrainingClass, seat_holding


def classes_visible_to(user: User) -> QuerySet[TrainingClass]:
    """A base its own classes; HR the submitted classes whose filing it reviews."""
    qs = TrainingClass.objects.select_related("base", "pre_filing", "holder")
    if not user.is_authenticated or user.organisation_id is None:
        return qs.none()
    org = user.organisation
    if user.role == Role.BASE:
        return qs.filter(base=org)
    scope = hr_documents(user, purpose="pre_filing__purpose")
    return qs.filter(scope, submitted_at__isnull=False) if scope is not None else qs.none()


def with_seats_taken(qs: QuerySet[TrainingClass]) -> QuerySet[TrainingClass]:
    """Add `taken`, the seats held, for screens that show it (counting for every class in a list is costly)."""
    held = seat_holding(clock.now(), path="registrations__", class_path="")
    return qs.annotate(taken=Count("registrations", filter=held))


def registrations_visible_to(user: User) -> QuerySet[Registration]:
    """A learner their own; a base the submitted registrations for its classes."""
    qs = Registration.objects.select_related("training_class__pre_filing", "training_class__base", "learner",
                                             "specialty__series", "level")  # fmt: skip
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.LEARNER:
        return qs.filter(learner__user=user)
    if user.role == Role.BASE:
        return qs.filter(training_class__base_id=user.organisation_id, submitted_at__isnull=False)
    return qs.none()


def learners_shown_to(user: User) -> QuerySet[Any] | None:
    """显示完整 (accounts.personal_data): a base, the learners who submitted a registration to one of its classes;
    人社, those registered in a class it reviews."""
    if user.role == Role.BASE:
        return registrations_visible_to(user).values("learner_id")
    if user.role in (Role.HR_REGION, Role.HR_PREFECTURE):
        registered = Registration.objects.filter(
            training_class__in=classes_visible_to(user).values("pk"), submitted_at__isnull=False
        )
        return registered.values("learner_id")
    return None


def access_training_class(user: User, pk: int) -> TrainingClass:
    """The class, or 404 whether it is missing or outside the user's scope."""
    found: TrainingClass = get_or_404(classes_visible_to(user), pk, _("培训信息"))
    return found


def access_registration(user: User, pk: int) -> Registration:
    """The registration, or 404 whether it is missing or outside the user's scope; with the learner's account,
    which its workflow names as the owner (whose buttons a page shows)."""
    found: Registration = get_or_404(registrations_visible_to(user).select_related("learner__user"), pk, _("报名"))
    return found
