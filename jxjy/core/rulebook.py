"""The business rules (DESIGN §6): each rule's label, type and bounds, and reading a typed value.

`rules.rule` reads a rule's value in force; the model (RuleSetting) validates what is saved with `parse`.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Rule:
    label: str
    kind: type
    minimum: float
    maximum: float
    help: str
    # Security policy belongs to the 安全管理员, business rules to the 系统管理员 (三员分立).
    security: bool = False


RULES = {
    "JXJY_FILING_LEAD_DAYS": Rule(
        gettext_lazy("培训前备案提前天数"), int, 0, 365, gettext_lazy("培训前备案须在开班前至少多少天提交")
    ),
    "JXJY_COMPLETION_FILING_DAYS": Rule(
        gettext_lazy("培训后备案期限（天）"), int, 1, 365, gettext_lazy("培训结束后多少天内办理培训后备案")
    ),
    "JXJY_YEARLY_HOURS": Rule(
        gettext_lazy("每年应完成学时"), int, 1, 1000, gettext_lazy("专业技术人员每年应完成的继续教育学时")
    ),
    "JXJY_PROFESSIONAL_SHARE": Rule(
        gettext_lazy("专业科目学时比例"), float, 0, 1, gettext_lazy("专业科目学时应占年度学时的比例，如 0.6667")
    ),
    "JXJY_PASSWORD_MAX_AGE_DAYS": Rule(
        gettext_lazy("工作人员密码有效期（天）"),
        int,
        1,
        365,
        gettext_lazy("工作人员的密码超过多少天须修改"),
        security=True,
    ),
}
BUSINESS_RULES = {k: r for k, r in RULES.items() if not r.security}
SECURITY_RULES = {k: r for k, r in RULES.items() if r.security}


def parse(key: str, text: str):
    """The typed value of `text` for rule `key`, or ValidationError in Chinese."""
    rule_ = RULES[key]
    try:
        value = rule_.kind(text.strip())
    except (TypeError, ValueError):
        raise ValidationError(
            (_("%(label)s应为整数。") if rule_.kind is int else _("%(label)s应为数字。")) % {"label": rule_.label}
        ) from None
    if not rule_.minimum <= value <= rule_.maximum:
        raise ValidationError(
            _("%(label)s应在%(minimum)s到%(maximum)s之间。")
            % {"label": rule_.label, "minimum": format(rule_.minimum, "g"), "maximum": format(rule_.maximum, "g")}
        )
    return value
