"""The demo's organisations and accounts: the three administrators, the reviewers, the bases' staff and the
learners, with a 身份申诉 and two 双人审批 requests. Each made only if it is missing."""

import datetime as dt
import secrets

from django_otp.plugins.otp_totp.models import TOTPDevice

from jxjy.accounts import appeals, dual_control, recovery
from jxjy.accounts.demo_credentials import DEMO_PASSWORD, DEMO_TOTP_KEY, LEARNERS
from jxjy.accounts.models import AdminRequest, AppealInvite, IdentityAppeal, Learner, Organisation, Role, User
from jxjy.core import clock

from . import factories as f

OPS = "自治区专业技术人员管理平台运维中心"
DEPARTMENTS = ["自治区水利厅", "自治区林业和草原局"]
BASES = [
    # (user, base name, level, prefecture, department)
    ("jd_sl", "新疆水利水电继续教育基地", Organisation.Level.REGIONAL, "乌鲁木齐市", "自治区水利厅"),
    ("jd_wlmq", "乌鲁木齐市水利继续教育基地", Organisation.Level.PREFECTURE, "乌鲁木齐市", "自治区水利厅"),
]


def staff(username: str, full_name: str, role: str, org: Organisation) -> User:
    """The account, made with the demo password unless it exists; a second factor where the role needs one."""
    user = User.objects.filter(username=username).first()
    if user is None:
        # The admin screens are the 系统管理员's; Django lets only is_staff users in.
        user = f.UserFactory(
            username=username, full_name=full_name, role=role, organisation=org, is_staff=role == Role.SYSADMIN,
            password=DEMO_PASSWORD,
        )  # fmt: skip
    if user.needs_second_factor and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="演示身份验证器", key=DEMO_TOTP_KEY, confirmed=True)
    return user


def ops() -> Organisation:
    org, _ = Organisation.objects.get_or_create(name=OPS, defaults={"kind": Organisation.Kind.ADMIN})
    return org


def departments() -> dict[str, Organisation]:
    return {
        name: Organisation.objects.filter(name=name).first() or f.DepartmentFactory(name=name) for name in DEPARTMENTS
    }


def base_users(departments: dict[str, Organisation]) -> dict[str, User]:
    """The bases of BASES and a 工作人员 account of each, by username."""
    users = {}
    for username, name, level, prefecture, department in BASES:
        base = Organisation.objects.filter(name=name).first() or f.BaseFactory(
            name=name, level=level, prefecture=f.prefecture(prefecture), department=departments[department]
        )
        users[username] = staff(username, f"{name}工作人员", Role.BASE, base)
    return users


def learners() -> None:
    for name, id_number, mobile, unit in LEARNERS:
        if not Learner.objects.by_id_number(id_number).exists():
            f.registered_learner(name, id_number, mobile, work_unit=unit, password=DEMO_PASSWORD)


def load_admin_requests(ops: Organisation, *, sysadmin: User, secadmin: User, auditor: User) -> None:
    """双人审批: a rejected request of the 系统管理员's, and one of the 安全管理员's waiting for the others."""
    if AdminRequest.objects.exists():
        return
    asked = dual_control.ask(AdminRequest.Kind.DISABLE, auditor, actor=sysadmin)
    dual_control.reject(asked, actor=secadmin)
    newcomer, _ = User.objects.get_or_create(
        username="ops_li", defaults={"organisation": ops, "full_name": "李运维", "email": "ops_li@example.org"}
    )
    newcomer.set_unusable_password()  # sets it through the link e-mailed to them
    newcomer.save(update_fields=["password"])
    dual_control.ask(AdminRequest.Kind.GRANT_ROLE, newcomer, actor=secadmin, role=Role.AUDITOR)


def load_appeal() -> None:
    """Someone tried to register 李四's 身份证号 with their own mobile and says it is theirs: a 身份申诉 waits
    for the 人社厅 (as filed from the SMS link, whose code checks are the accounts tests' business)."""
    if IdentityAppeal.objects.exists():
        return
    id_number = LEARNERS[1][1]
    account = Learner.objects.by_id_number(id_number).get().user
    invite = AppealInvite.objects.create(
        token_hash=recovery.invite_token_hash(secrets.token_urlsafe(24)), account=account, id_number=id_number,
        name="李思", mobile="13999120003", work_unit="昌吉州水利局", expires_at=clock.now() + dt.timedelta(days=7),
    )  # fmt: skip
    appeals.lodge(invite, reason="该身份证号为本人所有，本人从未注册过本平台，请核实。身份证正反面可到专技处现场核验。")
