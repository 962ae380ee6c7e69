"""The left menu, by role, with the guide's names. Only screens that exist are listed."""

from dataclasses import dataclass, field

from django.urls import reverse

from jxjy.accounts import dual_control
from jxjy.accounts.models import ADMIN_ROLES, AppealStatus, IdentityAppeal, Organisation, Role
from jxjy.review.registry import get_kind


@dataclass
class MenuItem:
    label: str
    url: str = ""
    children: list["MenuItem"] = field(default_factory=list)
    badge: int = 0


def pre_filing_menu_label(base: Organisation) -> str:
    """国家级基地培训前备案 / 自治区级基地培训前备案 / 地州级基地培训前备案, by the base's level."""
    return f"{base.get_level_display()}基地培训前备案"


def review_menu(user, slug: str, label: str) -> MenuItem:
    """A reviewer's group: 待审核 with the number waiting, and 已审核."""
    kind = get_kind(slug)
    return MenuItem(
        label,
        children=[
            MenuItem("待审核", reverse("review:waiting", args=[slug]), badge=kind.waiting_for(user).count()),
            MenuItem("已审核", reverse("review:done", args=[slug])),
        ],
    )


def pending_appeals() -> int:
    """身份申诉 waiting for the 人社厅专技处."""
    return IdentityAppeal.objects.filter(status=AppealStatus.SUBMITTED).count()


def menu_for(user) -> list[MenuItem]:
    if not user.is_authenticated:
        return []
    home = MenuItem("我的主页" if user.role == Role.LEARNER else "首页", reverse("core:home"))
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
    if user.role != Role.BASE or not user.organisation_id:
        return []
    items = [
        MenuItem(pre_filing_menu_label(user.organisation), reverse("filings:list")),
        MenuItem("培训后备案", reverse("completions:list")),
    ]
    waiting = get_kind("registration").waiting_for(user).count()
    items.append(
        MenuItem(
            "继续教育管理",
            children=[
                MenuItem("培训信息管理", reverse("trainings:class_list")),
                MenuItem("学员报名审核", reverse("trainings:registration_review"), badge=waiting),
            ],
        )
    )
    return items


def _learner_items(user) -> list[MenuItem]:
    if user.role != Role.LEARNER:
        return []
    return [
        MenuItem("继续教育报名", children=[MenuItem("继续教育专业课", reverse("trainings:my_registrations"))]),
        MenuItem(
            "电子证书",
            children=[
                MenuItem("我的证书", reverse("certificates:mine")),
                MenuItem("学时档案", reverse("hours:ledger")),
            ],
        ),
        MenuItem("消息设置", reverse("notify:settings")),  # SMS and e-mail besides 站内消息
    ]


def _reviewer_items(user) -> list[MenuItem]:
    """The reviews of departments and HR bureaus, with 身份申诉 and 统计分析."""
    items = []
    if user.role in (Role.DEPARTMENT, Role.HR_REGION, Role.HR_PREFECTURE):
        items.append(review_menu(user, "prefiling", "培训前备案审核"))
    if user.role == Role.HR_REGION:
        items.append(review_menu(user, "recognition", "学时认定审核"))
        items.append(MenuItem("身份申诉", reverse("accounts:appeal_list"), badge=pending_appeals()))
    if user.role in (Role.HR_REGION, Role.HR_PREFECTURE):
        items.append(review_menu(user, "training", "培训信息审核"))
        items.append(review_menu(user, "completion", "培训后备案审核"))
        items.append(MenuItem("统计分析", reverse("stats:index")))
    return items


def _certificate_items(user) -> list[MenuItem]:
    """电子证书 of bases and HR bureaus, 我的下载任务, and 证书查验 for everyone."""
    items = []
    if user.role in (Role.BASE, Role.HR_REGION, Role.HR_PREFECTURE):
        recognitions = [MenuItem("学时认定", reverse("filings:recognitions"))] if user.role == Role.BASE else []
        items.append(
            MenuItem(
                "电子证书",
                children=[
                    MenuItem("公需课电子证书", reverse("certificates:list", args=["public"])),
                    MenuItem("专业课电子证书", reverse("certificates:list", args=["professional"])),
                    *recognitions,
                ],
            )
        )
    if user.role in (Role.BASE, Role.HR_REGION, Role.HR_PREFECTURE, Role.AUDITOR):
        items.append(MenuItem("我的下载任务", reverse("jobs:list")))  # zips and exports made in the background
    items.append(MenuItem("证书查验", reverse("certificates:verify")))
    return items


def _admin_items(user) -> list[MenuItem]:
    """The three administrators' screens and 双人审批."""
    items = []
    if user.role == Role.AUDITOR:
        items.append(MenuItem("审计日志", reverse("core:audit_log")))
    if user.role == Role.SYSADMIN:
        items.append(MenuItem("系统管理", reverse("admin:index")))
    if user.role == Role.SECADMIN:
        items.append(
            MenuItem(
                "安全管理",
                children=[
                    MenuItem("账号与角色", reverse("accounts:security_users")),
                    MenuItem("安全策略", reverse("accounts:security_policy")),
                ],
            )
        )
    if user.role in ADMIN_ROLES:
        waiting = dual_control.waiting_for(user).count()
        items.append(MenuItem("双人审批", reverse("accounts:admin_requests"), badge=waiting))
    return items
