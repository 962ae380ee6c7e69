"""The left menu, by role, with the guide's names. Only screens that exist are listed."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from jxjy.accounts import dual_control
from jxjy.accounts.models import AppealStatus, IdentityAppeal, Organisation
from jxjy.accounts.predicates import (
    has_downloads,
    holds_certificates,
    is_admin,
    is_auditor,
    is_base,
    is_hr,
    is_hr_region,
    is_learner,
    is_secadmin,
    is_sysadmin,
)
from jxjy.review.registry import DocumentKind, get_kind, reviewed_by


@dataclass
class MenuItem:
    label: str
    url: str = ""
    children: list["MenuItem"] = field(default_factory=list)
    badge: int = 0


def pre_filing_menu_label(base: Organisation) -> str:
    """国家级基地培训前备案 / 自治区级基地培训前备案 / 地州级基地培训前备案, by the base's level."""
    return _("%(get_level_display)s基地培训前备案") % {"get_level_display": base.get_level_display()}


def review_menu(user, kind: DocumentKind, *more: DocumentKind) -> MenuItem:
    """A reviewer's group: 待审核 with the number waiting, and 已审核; then, for each further kind of the same
    menu group (`more`: 学时上报 under 「学时认定审核」), its own 「<label>待审核」 and 「<label>已审核」."""
    children = []
    for k, prefix in [(kind, ""), *((m, m.label) for m in more)]:
        children += [
            MenuItem(
                (_("%(prefix)s待审核") % {"prefix": prefix}),
                reverse("review:waiting", args=[k.slug]),
                badge=k.waiting_for(user).count(),
            ),
            MenuItem((_("%(prefix)s已审核") % {"prefix": prefix}), reverse("review:done", args=[k.slug])),
        ]
    return MenuItem(kind.review_menu_label, children=children)


def review_menus(user, kinds: list[DocumentKind]) -> list[MenuItem]:
    """One group per menu label, where its first kind is declared: kinds sharing a label share its group."""
    groups: dict[str, list[DocumentKind]] = {}
    for kind in kinds:
        groups.setdefault(kind.review_menu_label, []).append(kind)
    return [review_menu(user, *group) for group in groups.values()]


def pending_appeals() -> int:
    """身份申诉 waiting for the 人社厅专技处."""
    return IdentityAppeal.objects.filter(status=AppealStatus.SUBMITTED).count()


def menu_for(user) -> list[MenuItem]:
    if not user.is_authenticated:
        return []
    home = MenuItem(_("我的主页") if is_learner(user) else _("首页"), reverse("core:home"))
    return [
        home,
        *_base_items(user),
        *_learner_items(user),
        *_reviewer_items(user),
        *_certificate_items(user),
        *_admin_items(user),
    ]


def _base_items(user) -> list[MenuItem]:
    """The base's 培训前备案, 培训后备案 and 继续教育管理."""
    if not is_base(user) or not user.organisation_id:
        return []
    items = [
        MenuItem(pre_filing_menu_label(user.organisation), reverse("filings:list")),
        MenuItem(_("培训后备案"), reverse("completions:list")),
    ]
    waiting = get_kind("registration").waiting_for(user).count()
    items.append(
        MenuItem(
            _("继续教育管理"),
            children=[
                MenuItem(_("培训信息管理"), reverse("trainings:class_list")),
                MenuItem(_("学员报名审核"), reverse("trainings:registration_review"), badge=waiting),
            ],
        )
    )
    return items


def _learner_items(user) -> list[MenuItem]:
    if not is_learner(user):
        return []
    return [
        MenuItem(_("继续教育报名"), children=[MenuItem(_("继续教育专业课"), reverse("trainings:my_registrations"))]),
        MenuItem(
            _("电子证书"),
            children=[
                MenuItem(_("我的证书"), reverse("certificates:mine")),
                MenuItem(_("学时档案"), reverse("hours:ledger")),
            ],
        ),
        MenuItem(_("消息设置"), reverse("notify:settings")),  # SMS and e-mail besides 站内消息
    ]


def _reviewer_items(user) -> list[MenuItem]:
    """The reviews of departments and HR bureaus (every kind their role reviews), with 身份申诉 and 统计分析."""
    items = review_menus(user, reviewed_by(user.role))
    if is_hr_region(user):
        items.append(MenuItem(_("身份申诉"), reverse("accounts:appeal_list"), badge=pending_appeals()))
    if is_hr(user):
        items.append(MenuItem(_("统计分析"), reverse("stats:index")))
    return items


def _certificate_items(user) -> list[MenuItem]:
    """电子证书 of bases and HR bureaus, 我的下载任务, and 证书查验 for everyone."""
    items = []
    if holds_certificates(user):
        recognitions = [MenuItem(_("学时认定"), reverse("filings:recognitions"))] if is_base(user) else []
        items.append(
            MenuItem(
                _("电子证书"),
                children=[
                    MenuItem(_("公需课电子证书"), reverse("certificates:list", args=["public"])),
                    MenuItem(_("专业课电子证书"), reverse("certificates:list", args=["professional"])),
                    *recognitions,
                ],
            )
        )
    if has_downloads(user):
        items.append(MenuItem(_("我的下载任务"), reverse("jobs:list")))  # zips and exports made in the background
    items.append(MenuItem(_("证书查验"), reverse("certificates:verify")))
    return items


def _admin_items(user) -> list[MenuItem]:
    """The three administrators' screens and 双人审批."""
    items = []
    if is_auditor(user):
        items.append(MenuItem(_("审计日志"), reverse("core:audit_log")))
    if is_sysadmin(user):
        items.append(MenuItem(_("系统管理"), reverse("sysadmin:index")))  # the site's screens; /admin/ is in no menu
    if is_secadmin(user):
        items.append(
            MenuItem(
                _("安全管理"),
                children=[
                    MenuItem(_("账号与角色"), reverse("accounts:security_users")),
                    MenuItem(_("安全策略"), reverse("accounts:security_policy")),
                ],
            )
        )
    if is_admin(user):
        waiting = dual_control.waiting_for(user).count()
        items.append(MenuItem(_("双人审批"), reverse("accounts:admin_requests"), badge=waiting))
    return items
