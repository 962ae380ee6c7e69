"""三员分立: the 系统管理员 (accounts, organisations, catalogue, rules), the 安全管理员 (roles, unlocking,
security policy) and the 审计管理员 (the audit trail, read-only) can each do only their own job."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo import factories as f
from jxjy.accounts.models import Organisation, Role, User
from jxjy.audit.models import AuditEntry
from jxjy.core import clock
from jxjy.core.models import RuleSetting

from .account_helpers import device_of
from .html_helpers import alerts, errors_next_to, page
from .lockout_helpers import PASSED, captcha_test_mode  # noqa: F401 - a fixture
from .test_dual_control import link_mailed_to

ADMINS = ["sysadmin_user", "secadmin_user", "auditor_user"]


def admin_errors_next_to(response, name: str) -> list[str]:
    """The admin site's messages in the row of field `name` (its markup differs from the site's)."""
    rows = page(response).find_all(lambda n: f"field-{name}" in n.classes)
    assert rows, f"no admin row for {name!r}"
    return [li.text() for li in rows[0].find_all(lambda n: n.tag == "li" and "errorlist" in n.parent.classes)]


@pytest.fixture
def admins(request, db):
    return {name: request.getfixturevalue(name) for name in ADMINS}


@pytest.fixture
def target(department):
    user = f.UserFactory(username="slt_2", role=Role.DEPARTMENT, organisation=department)
    TOTPDevice.objects.create(user=user, name="x", confirmed=True)
    return user


def _state(target):
    target.refresh_from_db()
    devices = TOTPDevice.objects.count()
    return (target.role, target.is_active, target.password, User.objects.count(), RuleSetting.objects.count(), devices)


# (what, owner, method, url(target), data)
SCREENS = [
    ("系统管理首页", "sysadmin_user", "get", lambda t: reverse("admin:index"), None),
    ("账号列表", "sysadmin_user", "get", lambda t: reverse("admin:accounts_user_changelist"), None),
    ("新建账号", "sysadmin_user", "post", lambda t: reverse("admin:accounts_user_add"),
     {"username": "new_one", "full_name": "新账号", "email": "n@example.org", "organisation": "DEPT", "role": ""}),
    ("停用账号", "sysadmin_user", "post", lambda t: reverse("admin:accounts_user_disable", args=[t.pk]), {}),
    ("规则设置", "sysadmin_user", "post", lambda t: reverse("admin:core_rulesetting_add"),
     {"key": "JXJY_FILING_LEAD_DAYS", "value": "20"}),
    ("培训范围目录", "sysadmin_user", "get", lambda t: reverse("admin:catalog_series_changelist"), None),
    ("账号与角色", "secadmin_user", "get", lambda t: reverse("accounts:security_users"), None),
    ("变更角色", "secadmin_user", "post", lambda t: reverse("accounts:security_role", args=[t.pk]),
     {"role": "hr_region"}),
    ("解锁账号", "secadmin_user", "post", lambda t: reverse("accounts:security_unlock", args=[t.pk]), {}),
    ("重置身份验证器", "secadmin_user", "post", lambda t: reverse("accounts:security_otp_reset", args=[t.pk]), {}),
    ("重置密码", "secadmin_user", "post", lambda t: reverse("accounts:security_password_reset", args=[t.pk]), {}),
    ("安全策略", "secadmin_user", "post", lambda t: reverse("accounts:security_policy"),
     {"JXJY_PASSWORD_MAX_AGE_DAYS": "60"}),
    ("审计日志", "auditor_user", "get", lambda t: reverse("core:audit_log"), None),
    ("导出审计日志", "auditor_user", "post", lambda t: reverse("core:audit_export"), {}),
]  # fmt: skip


def _refused(response) -> bool:
    if response.status_code == 403:
        return True
    # The admin site answers a signed-in user without permission with its login page, which is ours.
    return response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("who", ADMINS)
@pytest.mark.parametrize(("what", "owner", "method", "url", "data"), SCREENS, ids=[s[0] for s in SCREENS])
def test_each_administrator_does_only_their_own_job(client_for, admins, target, department, who, what, owner, method,
                                                    url, data):  # fmt: skip
    client = client_for(admins[who])
    before = _state(target)
    if data and data.get("organisation") == "DEPT":
        data = {**data, "organisation": department.pk}
    response = client.post(url(target), data) if method == "post" else client.get(url(target))
    if who == owner:
        assert response.status_code in (200, 302) and not _refused(response), (what, response.status_code)
    else:
        assert _refused(response), (what, who, response.status_code)
        assert _state(target) == before, f"{who} changed something through {what}"


def test_the_sysadmin_cannot_change_a_role_through_the_account_form(client_for, sysadmin_user, target, department):
    client_for(sysadmin_user).post(
        reverse("admin:accounts_user_change", args=[target.pk]),
        {"username": target.username, "full_name": "改名", "organisation": department.pk, "role": "sysadmin"},
    )
    target.refresh_from_db()
    assert target.full_name == "改名" and target.role == Role.DEPARTMENT


def test_the_sysadmin_cannot_open_an_administrator_account(client_for, sysadmin_user):
    response = client_for(sysadmin_user).post(
        reverse("admin:accounts_user_add"),
        {"username": "aud2", "full_name": "审计二", "organisation": sysadmin_user.organisation.pk, "role": "auditor"},
    )
    assert "选择一个有效的选项。 auditor 不在可用的选项中。" in admin_errors_next_to(response, "role")
    assert not User.objects.filter(username="aud2").exists()


def test_the_sysadmin_does_not_see_the_security_policy_among_the_rules(client_for, sysadmin_user):
    RuleSetting.objects.create(key="JXJY_PASSWORD_MAX_AGE_DAYS", value="60")
    page = client_for(sysadmin_user).get(reverse("admin:core_rulesetting_changelist")).content.decode()
    assert "工作人员密码有效期" not in page
    add = client_for(sysadmin_user).get(reverse("admin:core_rulesetting_add")).content.decode()
    assert "JXJY_PASSWORD_MAX_AGE_DAYS" not in add


# ---- 安全管理员 ----


def test_secadmin_grants_a_reviewing_role_and_the_change_is_audited(client_for, secadmin_user, department):
    waiting = f.UserFactory(username="slt_new", role="", organisation=department)
    response = client_for(secadmin_user).post(
        reverse("accounts:security_role", args=[waiting.pk]), {"role": "department"}, follow=True
    )
    assert "已将 slt_new 的角色变更为“主管部门审核员”。" in alerts(response)
    waiting.refresh_from_db()
    assert waiting.role == Role.DEPARTMENT and not waiting.is_staff
    entry = AuditEntry.objects.get(action="change_role")
    assert (entry.actor, entry.object_id, entry.state_after) == (secadmin_user, str(waiting.pk), "主管部门审核员")


@pytest.mark.parametrize(
    ("who", "role", "message"),
    [
        ("target", "sysadmin", "“系统管理员”须属于平台运维单位，该账号属于其他类型的单位。"),
        ("secadmin_user", "auditor", "不能变更自己的角色。"),
        ("learner_user", "base", None),  # learners are not on this screen at all
    ],
)
def test_role_changes_that_do_not_fit_are_refused_next_to_the_field(client_for, secadmin_user, request, who, role,
                                                                     message):  # fmt: skip
    user = request.getfixturevalue(who)
    before = user.role
    response = client_for(secadmin_user).post(reverse("accounts:security_role", args=[user.pk]), {"role": role})
    if message is None:
        assert response.status_code == 404
    else:
        assert message in errors_next_to(response, "role")
    user.refresh_from_db()
    assert user.role == before and not AuditEntry.objects.filter(action="change_role").exists()


@pytest.mark.usefixtures("captcha_test_mode")
def test_secadmin_unlocks_a_locked_account(client, client_for, secadmin_user, base_user):
    cache.clear()
    for _ in range(5):  # past the 图形验证码 asked for after the third
        client.post(reverse("accounts:login"), {"username": "jd_sl", "password": "wrong", **PASSED})
    locked = client.post(reverse("accounts:login"), {"username": "jd_sl", "password": f.PASSWORD, **PASSED})
    assert locked.status_code == 429
    security = client_for(secadmin_user)
    assert "已锁定" in security.get(reverse("accounts:security_users")).content.decode()
    response = security.post(reverse("accounts:security_unlock", args=[base_user.pk]), follow=True)
    assert "账号 jd_sl 已解锁。" in alerts(response)
    assert AuditEntry.objects.filter(action="unlock_account", actor=secadmin_user, object_id=str(base_user.pk)).exists()
    security.logout()
    assert client.post(reverse("accounts:login"), {"username": "jd_sl", "password": f.PASSWORD}).status_code == 302


@pytest.mark.usefixtures("captcha_test_mode")
def test_a_lock_that_has_cooled_off_is_not_shown_and_its_holder_logs_in(client, client_for, secadmin_user, base_user):
    cache.clear()
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "jd_sl", "password": "wrong", **PASSED})
    security = client_for(secadmin_user)
    assert "已锁定" in security.get(reverse("accounts:security_users")).content.decode()
    AccessAttempt.objects.update(attempt_time=clock.now() - dt.timedelta(minutes=31))  # AXES_COOLOFF_TIME: 30
    assert "已锁定" not in security.get(reverse("accounts:security_users")).content.decode()
    assert client.post(reverse("accounts:login"), {"username": "jd_sl", "password": f.PASSWORD}).status_code == 302


def test_secadmin_resets_a_forgotten_staff_password_by_a_link_to_the_holder(client, client_for, secadmin_user,
                                                                            base_user):  # fmt: skip
    """Staff do not recover by SMS: the 安全管理员's reset e-mails the holder a one-time link; nobody sees it."""
    security = client_for(secadmin_user)
    assert "重置密码" in security.get(reverse("accounts:security_users")).content.decode()
    response = security.post(reverse("accounts:security_password_reset", args=[base_user.pk]), follow=True)
    assert "已重置 jd_sl 的密码，设置密码的链接已发送至 jd****@example.org。" in alerts(response)
    assert not User.objects.get(pk=base_user.pk).has_usable_password()
    link = link_mailed_to(base_user)
    assert link not in response.content.decode()
    client.post(link, {"new_password1": "Shuili@2031x", "new_password2": "Shuili@2031x"})
    assert client.post(reverse("accounts:login"), {"username": "jd_sl", "password": "Shuili@2031x"}).status_code == 302
    assert AuditEntry.objects.filter(action="reset_password", actor=secadmin_user, object_id=str(base_user.pk)).exists()


@pytest.mark.parametrize("who", ["sysadmin_user", "auditor_user"])
def test_secadmin_alone_cannot_reset_another_administrators_password(client_for, secadmin_user, request, who):
    target = request.getfixturevalue(who)
    before = User.objects.get(pk=target.pk).password
    reset = reverse("accounts:security_password_reset", args=[target.pk])
    response = client_for(secadmin_user).post(reset, follow=True)
    assert any("已提交双人审批申请" in a for a in alerts(response))
    assert User.objects.get(pk=target.pk).password == before


@pytest.mark.parametrize(("who", "status"), [("secadmin_user", 200), ("learner_user", 404)])
def test_secadmin_cannot_reset_their_own_or_a_learners_password(client_for, secadmin_user, request, who, status):
    target = request.getfixturevalue(who)
    before = User.objects.get(pk=target.pk).password
    reset = reverse("accounts:security_password_reset", args=[target.pk])
    response = client_for(secadmin_user).post(reset, follow=True)
    assert response.status_code == status
    assert User.objects.get(pk=target.pk).password == before


def test_only_the_secadmin_resets_staff_passwords(client_for, sysadmin_user, base_user):
    response = client_for(sysadmin_user).post(reverse("accounts:security_password_reset", args=[base_user.pk]))
    assert response.status_code == 403


def test_secadmin_sets_the_password_lifetime(client_for, secadmin_user):
    client = client_for(secadmin_user)
    response = client.post(reverse("accounts:security_policy"), {"JXJY_PASSWORD_MAX_AGE_DAYS": "60"}, follow=True)
    assert "安全策略已保存。" in alerts(response)
    assert RuleSetting.objects.get(key="JXJY_PASSWORD_MAX_AGE_DAYS").value == "60"
    entry = AuditEntry.objects.get(action="change_security_policy")
    assert (entry.state_before, entry.state_after) == ("90", "60")


@pytest.mark.parametrize("value", ["0", "abc", "400"])
def test_an_out_of_range_policy_is_refused_next_to_the_field(client_for, secadmin_user, value):
    key = "JXJY_PASSWORD_MAX_AGE_DAYS"
    response = client_for(secadmin_user).post(reverse("accounts:security_policy"), {key: value})
    assert any("工作人员密码有效期（天）" in e for e in errors_next_to(response, key))
    assert not RuleSetting.objects.exists()


def test_secadmin_menu_has_only_security_screens(client_for, secadmin_user):
    page = client_for(secadmin_user).get(reverse("core:home")).content.decode()
    assert "账号与角色" in page and "安全策略" in page
    assert "系统管理" not in page and "审计日志" not in page


def test_a_granted_admin_org_account_starts_without_a_role(client_for, sysadmin_user):
    response = client_for(sysadmin_user).post(
        reverse("admin:accounts_user_add"),
        {
            "username": "ops2",
            "full_name": "运维二",
            "email": "ops2@example.org",
            "organisation": sysadmin_user.organisation.pk,
            "role": "",
        },
    )
    assert response.status_code == 200
    user = User.objects.get(username="ops2")
    assert user.role == "" and user.organisation.kind == Organisation.Kind.ADMIN


def test_secadmin_resets_a_lost_authenticator(client, client_for, secadmin_user, hr_region_user):
    device_of(hr_region_user)
    response = client_for(secadmin_user).post(
        reverse("accounts:security_otp_reset", args=[hr_region_user.pk]), follow=True
    )
    assert "已重置 rst_zjc 的身份验证器，该账号下次登录时须重新绑定。" in alerts(response)
    assert not TOTPDevice.objects.filter(user=hr_region_user).exists()
    assert AuditEntry.objects.filter(action="reset_authenticator", object_id=str(hr_region_user.pk)).exists()
    client.logout()
    client.post(reverse("accounts:login"), {"username": "rst_zjc", "password": f.PASSWORD})
    assert client.get(reverse("core:home")).url.startswith(reverse("accounts:otp_setup"))
