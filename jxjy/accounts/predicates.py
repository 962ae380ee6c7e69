"""Who may use what: one predicate per question, asked alike by views, services, the menu and the templates.

Predicates are `rules` predicates (composable with & | ~, no queries). The screens' permissions are named
(`jxjy.core.permissions.require(user, "filings.use")`, `{% test_rule "filings.use" user as ok %}`), each with
the words a refused user reads on the 403 page; apps below this one ask them by name, never importing it.
"""

import rules
from django.utils.translation import gettext_lazy

from jxjy.core import permissions

from .models import ADMIN_ROLES, REVIEWER_ROLES, Role


def has_role(*roles: str) -> rules.Predicate:
    """Signed in, active, and holding one of `roles`."""

    def check(user) -> bool:
        return bool(user.is_authenticated and user.is_active and user.role in roles)

    return rules.Predicate(check, name=f"has_role({', '.join(roles)})")


is_base = has_role(Role.BASE)
is_learner = has_role(Role.LEARNER)
is_department = has_role(Role.DEPARTMENT)
is_hr_region = has_role(Role.HR_REGION)
is_hr_prefecture = has_role(Role.HR_PREFECTURE)
is_hr = has_role(Role.HR_REGION, Role.HR_PREFECTURE)
is_reviewer = has_role(*REVIEWER_ROLES)  # 主管部门 and 人社: the review screens of every document kind
is_sysadmin = has_role(Role.SYSADMIN)
is_secadmin = has_role(Role.SECADMIN)
is_auditor = has_role(Role.AUDITOR)
is_admin = has_role(*ADMIN_ROLES)  # 三员
holds_certificates = has_role(Role.BASE, Role.HR_REGION, Role.HR_PREFECTURE)  # 电子证书 of their classes
has_downloads = holds_certificates | is_auditor  # 我的下载任务

# The screens' permissions: name -> (predicate, what a refused user reads).
PERMISSIONS: dict[str, tuple[rules.Predicate, str]] = {
    "filings.use": (is_base, gettext_lazy("只有继续教育基地可以进行此操作。")),
    "completions.use": (is_base, gettext_lazy("只有继续教育基地可以办理培训后备案。")),
    "trainings.manage": (is_base, gettext_lazy("您的账号无权使用该功能。")),
    "trainings.register": (is_learner, gettext_lazy("您的账号无权使用该功能。")),
    "hours.ledger": (is_learner, gettext_lazy("您的账号无权使用该功能。")),
    "review.use": (is_reviewer, gettext_lazy("只有审核单位可以进行此操作。")),
    "accounts.decide_appeals": (is_hr_region, gettext_lazy("只有自治区人社厅专技处可以处理身份申诉。")),
    "accounts.admin_requests": (is_admin, gettext_lazy("只有系统管理员、安全管理员和审计管理员可以查看双人审批。")),
    "accounts.security": (is_secadmin, gettext_lazy("只有安全管理员可以使用安全管理。")),
    "audit.view_log": (is_auditor, gettext_lazy("只有审计管理员可以查看审计日志。")),
    "certificates.list": (holds_certificates, gettext_lazy("您的账号无权使用该功能。")),
    "certificates.mine": (is_learner, gettext_lazy("您的账号无权使用该功能。")),
    "stats.prefecture": (is_hr_prefecture, gettext_lazy("您的账号无权使用该功能。")),  # 统计分析 of one 地州 only
}
for _name, (_predicate, _refusal) in PERMISSIONS.items():
    permissions.declare(_name, _predicate, _refusal)
