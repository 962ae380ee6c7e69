"""The part of the region each HR office oversees (DESIGN §2): as a filter on a base, and the office a base's
documents go to."""

from django.db.models import Q

from .models import Organisation, Role, User


def hr_scope(user: User, base: str = "base") -> Q | None:
    """人社厅: national- and regional-level bases; a 地州人社局: its prefecture's prefecture-level bases."""
    if user.role == Role.HR_REGION:
        return Q(**{f"{base}__level__in": [Organisation.Level.NATIONAL, Organisation.Level.REGIONAL]})
    if user.role == Role.HR_PREFECTURE and user.organisation_id:
        prefecture_id = user.organisation.prefecture_id
        return Q(**{f"{base}__level": Organisation.Level.PREFECTURE, f"{base}__prefecture_id": prefecture_id})
    return None


def hr_reviewer(filing) -> Organisation:
    """The HR office that reviews a 培训前备案 and what follows from it (its class, its 培训后备案): national- and
    regional-level bases go to 人社厅, prefecture-level ones to their own bureau; 学时认定 always goes to
    人社厅专技处 (guide §五.3)."""
    base = filing.base
    if base.level == Organisation.Level.PREFECTURE and filing.purpose != "recognition":
        return Organisation.objects.get(kind=Organisation.Kind.HR_PREFECTURE, prefecture_id=base.prefecture_id)
    return Organisation.objects.get(kind=Organisation.Kind.HR_REGION)


def hr_documents(user: User, *, base: str = "base", purpose: str = "purpose") -> Q | None:
    """What an HR office reviews: its bases' documents, and for 人社厅 every 学时认定 (guide §五.3)."""
    scope = hr_scope(user, base)
    if scope is None:
        return None
    recognition = Q(**{purpose: "recognition"})
    return scope | recognition if user.role == Role.HR_REGION else scope & ~recognition
