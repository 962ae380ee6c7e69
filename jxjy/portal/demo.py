"""Demo data for `make run`: organisations, the demo accounts and learners. Safe to run again."""

import datetime as dt
import secrets

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from jxjy.accounts import appeals, dual_control, recovery
from jxjy.accounts.demo_credentials import DEMO_PASSWORD, DEMO_TOTP_KEY, LEARNERS
from jxjy.accounts.models import (
    AdminRequest,
    AppealInvite,
    IdentityAppeal,
    Learner,
    Organisation,
    Prefecture,
    Role,
    User,
)
from jxjy.accounts.seed import HR_REGION_NAME, prefecture_bureau_name
from jxjy.accounts.services import register_learner
from jxjy.completions.demo import load_history, load_recognised
from jxjy.core import clock
from jxjy.filings.demo import load_pre_filings, load_recognitions
from jxjy.trainings.demo import load_trainings

from .demo_jobs import load_jobs

DEPARTMENTS = ["自治区水利厅", "自治区林业和草原局"]
BASES = [
    # (user, base name, level, prefecture, department)
    ("jd_sl", "新疆水利水电继续教育基地", Organisation.Level.REGIONAL, "乌鲁木齐市", "自治区水利厅"),
    ("jd_wlmq", "乌鲁木齐市水利继续教育基地", Organisation.Level.PREFECTURE, "乌鲁木齐市", "自治区水利厅"),
]


def _staff(username: str, full_name: str, role: str, org: Organisation) -> User:
    # The admin screens are the 系统管理员's; Django lets only is_staff users in.
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "role": role,
            "organisation": org,
            "full_name": full_name,
            "is_staff": role == Role.SYSADMIN,
            "email": f"{username}@example.org",  # where a 设置密码 link would go
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    if user.needs_second_factor and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="演示身份验证器", key=DEMO_TOTP_KEY, confirmed=True)
    return user


@transaction.atomic
def load_demo() -> None:
    ops, _ = Organisation.objects.get_or_create(name="自治区专业技术人员管理平台运维中心", defaults={"kind": "admin"})
    sysadmin = _staff("admin", "系统管理员", Role.SYSADMIN, ops)
    auditor = _staff("auditor", "审计管理员", Role.AUDITOR, ops)
    secadmin = _staff("secadmin", "安全管理员", Role.SECADMIN, ops)
    rst = _staff("rst_zjc", "专技处审核员", Role.HR_REGION, Organisation.objects.get(name=HR_REGION_NAME))
    wlmq = _staff(
        "wlmq_rsj",
        "乌鲁木齐市人社局审核员",
        Role.HR_PREFECTURE,
        Organisation.objects.get(name=prefecture_bureau_name("乌鲁木齐市")),
    )
    departments = _departments()
    slt = _staff("slt", "水利厅审核员", Role.DEPARTMENT, departments["自治区水利厅"])
    base_users = _base_users(departments)
    _learners()
    load_pre_filings(base_user=base_users["jd_sl"], department_user=slt, hr_user=rst, topic="水利（水电）")
    load_pre_filings(base_user=base_users["jd_wlmq"], department_user=slt, hr_user=wlmq, topic="乌鲁木齐市水利")
    load_trainings(bases=base_users, hr_users={"jd_sl": rst, "jd_wlmq": wlmq}, password=DEMO_PASSWORD)
    load_history(sl=base_users["jd_sl"], wlmq=base_users["jd_wlmq"], slt=slt, rst=rst, wlmq_rsj=wlmq)
    load_recognitions(base_user=base_users["jd_sl"], hr_user=rst, topic="水利")
    load_recognitions(base_user=base_users["jd_wlmq"], hr_user=rst, topic="乌鲁木齐市水利")
    load_recognised(sl=base_users["jd_sl"], rst=rst)
    load_jobs(hr_users=[rst, wlmq], auditor=auditor, base_users=list(base_users.values()))
    load_appeal()
    load_admin_requests(ops, sysadmin=sysadmin, secadmin=secadmin, auditor=auditor)


def _departments() -> dict[str, Organisation]:
    departments = {}
    for name in DEPARTMENTS:
        departments[name], _ = Organisation.objects.get_or_create(name=name, defaults={"kind": "department"})
    return departments


def _base_users(departments: dict[str, Organisation]) -> dict[str, User]:
    """The bases of BASES and a 工作人员 account of each, by username."""
    base_users = {}
    for username, name, level, prefecture, department in BASES:
        base, _ = Organisation.objects.get_or_create(
            name=name,
            defaults={
                "kind": "base",
                "level": level,
                "prefecture": Prefecture.objects.get(name=prefecture),
                "department": departments[department],
            },
        )
        base_users[username] = _staff(username, f"{name}工作人员", Role.BASE, base)
    return base_users


def _learners() -> None:
    for name, id_number, mobile, unit in LEARNERS:
        if not Learner.objects.by_id_number(id_number).exists():
            register_learner(name=name, id_number=id_number, mobile=mobile, work_unit=unit, password=DEMO_PASSWORD)


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
