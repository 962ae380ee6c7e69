"""Who may see a learner's full 身份证号 and 手机号 (everyone else sees masks), and the audited 显示完整.

Full values, one at a time and each reveal audited, for those whose work needs them:
* the learner: their own;
* a base (学员报名审核, 成绩导入): the learners who submitted a registration to one of its classes;
* 人社厅 and 地州人社局 (培训后备案审核, 证书查询): the learners registered in a class they review, or
  holding a certificate they can see.
主管部门, the 系统管理员, 安全管理员 and 审计管理员 see masks only.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.audit import trail as audit
from jxjy.core.identity import mask_id_number, mask_mobile

from .audit_actions import AccountAction
from .models import Learner, Role, User

# The values that can be revealed, with their label and mask.
FIELDS = {"id_number": (gettext_lazy("身份证号"), mask_id_number), "mobile": (gettext_lazy("手机号"), mask_mobile)}
REVEAL_ROLES = frozenset({Role.LEARNER, Role.BASE, Role.HR_REGION, Role.HR_PREFECTURE})
REVEAL_ACTION = AccountAction.REVEAL_PERSONAL_DATA
# The apps that show learners to staff say whose values each user may reveal (in their AppConfig.ready): a
# function of the user giving those learners' primary keys (a values queryset), or None for none of theirs.
REVEALABLE: list[Callable[[User], QuerySet | None]] = []


def register_revealable(learners_shown_to: Callable[[User], QuerySet | None]) -> None:
    REVEALABLE.append(learners_shown_to)


def may_reveal(user: User) -> bool:
    """Whether the user's role ever sees full values (which learners' is `learners_revealable_to`)."""
    return bool(user.is_authenticated and user.role in REVEAL_ROLES)


def learners_revealable_to(user: User) -> QuerySet[Learner]:
    if not may_reveal(user):
        return Learner.objects.none()
    if user.role == Role.LEARNER:
        return Learner.objects.filter(user=user)
    shown = [qs for qs in (learners_shown_to(user) for learners_shown_to in REVEALABLE) if qs is not None]
    if not shown:
        return Learner.objects.none()
    condition = Q()
    for qs in shown:
        condition |= Q(pk__in=qs)
    return Learner.objects.filter(condition)


@transaction.atomic
def reveal(learner: Learner, *, actor: User, field: str) -> str:
    """显示完整: the learner's full value of `field`, for a permitted user, with an audit entry."""
    if field not in FIELDS:
        raise ValueError(field)
    if not learners_revealable_to(actor).filter(pk=learner.pk).exists():
        raise PermissionDenied(_("您的账号无权查看该学员的完整个人信息。"))
    audit.record(actor=actor, action=REVEAL_ACTION, obj=learner, detail={"字段": FIELDS[field][0]})
    return getattr(learner, field)
