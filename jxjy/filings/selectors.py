"""Who may see which 培训前备案: one scoped queryset, used by every view (DESIGN §2)."""

from django.db.models import Exists, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from jxjy.accounts.models import Role, User
from jxjy.accounts.scoping import hr_documents
from jxjy.audit import trail as audit

from .models import PreFiling
from .models import PreFilingStatus as S


def _reached_hr() -> Exists:
    return Exists(audit.entries_of_outer(PreFiling).filter(state_after=S.HR_REVIEW))


def pre_filings_visible_to(user: User) -> QuerySet[PreFiling]:
    """A base sees its own; a department its bases' submitted ones; HR those forwarded to it."""
    qs = PreFiling.objects.select_related("base", "holder")
    if not user.is_authenticated or not user.is_active or user.organisation_id is None:
        return qs.none()
    org = user.organisation
    if user.role == Role.BASE:
        return qs.filter(base=org)
    if user.role == Role.DEPARTMENT:
        return qs.filter(base__department=org, submitted_at__isnull=False).exclude(purpose="recognition")
    if user.role in (Role.HR_REGION, Role.HR_PREFECTURE):
        return qs.filter(hr_documents(user), _reached_hr())
    return qs.none()


def access_pre_filing(user: User, pk: int) -> PreFiling:
    """The filing, or 404 whether it is missing or outside the user's scope."""
    try:
        return pre_filings_visible_to(user).get(pk=pk)
    except PreFiling.DoesNotExist:
        raise Http404(_("未找到该备案。")) from None
