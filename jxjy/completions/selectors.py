"""Who sees which 培训后备案: the base its own, HR those submitted to it."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from jxjy.accounts.models import Role, User
from jxjy.accounts.scoping import hr_documents
from jxjy.core.lookups import get_or_404

from .models import CompletionFiling


def completions_visible_to(user: User) -> QuerySet[CompletionFiling]:
    qs = CompletionFiling.objects.select_related("base", "holder", "training_class__pre_filing")
    if not user.is_authenticated or user.organisation_id is None:
        return qs.none()
    org = user.organisation
    if user.role == Role.BASE:
        return qs.filter(base=org)
    scope = hr_documents(user, purpose="training_class__pre_filing__purpose")
    return qs.filter(scope, submitted_at__isnull=False) if scope is not None else qs.none()


def access_completion(user: User, pk: int) -> CompletionFiling:
    """The filing, or 404 whether it is missing or outside the user's scope."""
    found: CompletionFiling = get_or_404(completions_visible_to(user), pk, _("培训后备案"))
    return found
