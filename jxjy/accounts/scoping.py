"""The part of the region each HR office oversees, as a filter on a base (DESIGN §2)."""

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


def hr_documents(user: User, *, base: str = "base", purpose: str = "purpose") -> Q | None:
    """What an HR office reviews: its bases' documents, and for 人社厅 every 学时认定 (guide §五.3)."""
    scope = hr_scope(user, base)
    if scope is None:
        return None
    recognition = Q(**{purpose: "recognition"})
    return scope | recognition if user.role == Role.HR_REGION else scope & ~recognition
