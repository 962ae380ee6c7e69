"""三员分立 by construction: no single administrator can become a reviewer, or change another administrator's
account alone; no administrator ever learns a staff member's password."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo import factories as f
from jxjy.accounts.models import AdminRequest, Role, User
from jxjy.audit.models import AuditEntry
from jxjy.notify.models import Channel, Outbox

from .account_helpers import VerifiedClient
from .html_helpers import alerts, errors_next_to, page


def link_mailed_to(user) -> str:
    """The path of the newest 设置密码 link e-mailed to `user`."""
    mail = Outbox.objects.filter(channel=Channel.EMAIL, recipient=user, event="staff_set_password").last()
    assert mail is not None, f"no link was e-mailed to {user.email}"
    link = re.search(r"https?://[^/\s]+(/\S*password/set/\S+/)", mail.body)
    assert link, mail.body
    return link.group(1)


def told(response) -> list[str]:
    """The messages the user was shown (the site's pages and the admin's alike)."""
    return [str(m) for m in get_messages(response.wsgi_request)]


def buttons(response) -> list[str]:
    return [b.text().strip() for b in page(response).find_all(lambda n: n.tag == "button")]


def admin_add(client, **data):
    return client.post(reverse("admin:accounts_user_add"), {"full_name": "新同事", "email": "x@example.org", **data})


def state(user) -> tuple:
    user.refresh_from_db()
    return user.role, user.is_active, user.password, TOTPDevice.objects.filter(user=user).count()


# ---- the 系统管理员 cannot make a reviewer ----


@pytest.mark.parametrize("role", [Role.DEPARTMENT, Role.HR_REGION, Role.HR_PREFECTURE, Role.SECADMIN])
def test_the_sysadmin_cannot_open_a_reviewing_or_administrative_account(client_for, sysadmin_user, department, role):
    response = admin_add(client_for(sysadmin_user), username="rev2", organisation=department.pk, role=role)
    assert response.status_code == 200
    assert not User.objects.filter(username="rev2").exists()


def test_a_department_account_opens_without_a_role_and_without_a_usable_password(
    client, client_for, sysadmin_user, secadmin_user, department
):
    response = admin_add(client_for(sysadmin_user), username="slt_3", organisation=department.pk, role="")
    assert "设置密码的链接已发送至" in page(response).text()
    user = User.objects.get(username="slt_3")
    assert user.role == "" and not user.has_usable_password()
    assert f.PASSWORD not in response.content.decode()
    # Only the 安全管理员 makes it a reviewer.
    security = client_for(secadmin_user)
    security.post(reverse("accounts:security_role", args=[user.pk]), {"role": Role.DEPARTMENT})
    assert User.objects.get(pk=user.pk).role == Role.DEPARTMENT


def test_the_holder_sets_the_password_through_the_link_once(client, sysadmin_user, client_for, base):
    admin_add(client_for(sysadmin_user), username="jd_new", organisation=base.pk, role=Role.BASE, email="jd@x.org")
    user = User.objects.get(username="jd_new")
    link = link_mailed_to(user)
    assert "设置密码" in client.get(link).content.decode()
    short = client.post(link, {"new_password1": "abc", "new_password2": "abc"})
    assert errors_next_to(short, "new_password1") and not User.objects.get(pk=user.pk).has_usable_password()
    response = client.post(link, {"new_password1": "Xq7#vLm2pR9!", "new_password2": "Xq7#vLm2pR9!"}, follow=True)
    assert "账号 jd_new 的密码已设置，请登录。" in alerts(response)
    assert User.objects.get(pk=user.pk).check_password("Xq7#vLm2pR9!")
    again = client.post(link, {"new_password1": "Other#Pass99", "new_password2": "Other#Pass99"})
    assert again.status_code == 404 and User.objects.get(pk=user.pk).check_password("Xq7#vLm2pR9!")
    assert AuditEntry.objects.filter(action="set_password", actor=user).exists()


def test_the_sysadmin_has_no_password_reset_and_the_secadmins_reset_mails_the_holder(
    client_for, sysadmin_user, secadmin_user, hr_region_user
):
    before = state(hr_region_user)
    refused = client_for(sysadmin_user).post(reverse("accounts:security_password_reset", args=[hr_region_user.pk]))
    assert refused.status_code == 403 and state(hr_region_user) == before
    old_session = VerifiedClient()
    old_session.force_login(hr_region_user)
    response = client_for(secadmin_user).post(
        reverse("accounts:security_password_reset", args=[hr_region_user.pk]), follow=True
    )
    assert any("设置密码的链接已发送至" in a for a in alerts(response))
    hr_region_user.refresh_from_db()
    assert not hr_region_user.has_usable_password() and link_mailed_to(hr_region_user)
    assert old_session.get(reverse("review:inbox")).status_code == 302  # every session of the account ended


# ---- one administrator alone cannot change another's account ----

ALONE = [
    ("sysadmin_user", "停用", lambda t: reverse("admin:accounts_user_disable", args=[t.pk]), {}),
    ("secadmin_user", "重置密码", lambda t: reverse("accounts:security_password_reset", args=[t.pk]), {}),
    ("secadmin_user", "重置身份验证器", lambda t: reverse("accounts:security_otp_reset", args=[t.pk]), {}),
    ("secadmin_user", "授予管理角色", lambda t: reverse("accounts:security_role", args=[t.pk]), {"role": "secadmin"}),
]


@pytest.mark.parametrize(("asker", "what", "url", "data"), ALONE, ids=[a[1] for a in ALONE])
def test_one_administrator_alone_only_asks(client_for, request, auditor_user, asker, what, url, data):
    TOTPDevice.objects.create(user=auditor_user, name="x", confirmed=True)
    before = state(auditor_user)
    response = client_for(request.getfixturevalue(asker)).post(url(auditor_user), data, follow=True)
    assert any("已提交双人审批申请" in m for m in told(response)), (what, told(response))
    assert state(auditor_user) == before
    assert AdminRequest.objects.get().status == AdminRequest.Status.PENDING


def test_another_administrator_approves_and_the_change_is_made_and_logged(
    client_for, sysadmin_user, secadmin_user, auditor_user
):
    security = client_for(secadmin_user)
    security.post(reverse("accounts:security_role", args=[auditor_user.pk]), {"role": Role.SECADMIN})
    req = AdminRequest.objects.get()
    decide = reverse("accounts:admin_request_decide", args=[req.pk, "approve"])
    # Neither the asker nor the account's holder may approve.
    for alone in (security, client_for(auditor_user)):
        refused = alone.post(decide, follow=True)
        assert "申请人本人和被申请账号的本人不能审批该申请，须由另一名管理员审批。" in alerts(refused)
        assert User.objects.get(pk=auditor_user.pk).role == Role.AUDITOR
    sysadmin = client_for(sysadmin_user)
    assert "双人审批" in page(sysadmin.get(reverse("core:home"))).text()
    listing = sysadmin.get(reverse("accounts:admin_requests"))
    assert "变更角色为“安全管理员”" in page(listing).text() and "批准" in buttons(listing)
    done = sysadmin.post(decide, follow=True)
    assert any(a.startswith("已批准") for a in alerts(done))
    assert User.objects.get(pk=auditor_user.pk).role == Role.SECADMIN
    req.refresh_from_db()
    assert (req.status, req.decided_by) == (AdminRequest.Status.APPROVED, sysadmin_user)
    actions = set(AuditEntry.objects.filter(object_id=str(auditor_user.pk)).values_list("action", flat=True))
    assert {"ask_second_admin", "approve_admin_request", "change_role"} <= actions
    assert "该申请已批准，不能再次审批。" in alerts(sysadmin.post(decide, follow=True))


def test_a_rejected_request_changes_nothing(client_for, sysadmin_user, secadmin_user, auditor_user):
    client_for(sysadmin_user).post(reverse("admin:accounts_user_disable", args=[secadmin_user.pk]))
    req = AdminRequest.objects.get()
    client_for(auditor_user).post(reverse("accounts:admin_request_decide", args=[req.pk, "reject"]))
    req.refresh_from_db()
    assert req.status == AdminRequest.Status.REJECTED and User.objects.get(pk=secadmin_user.pk).is_active
    assert AuditEntry.objects.filter(action="reject_admin_request", actor=auditor_user).exists()


def test_no_administrator_changes_their_own_role(client_for, secadmin_user):
    response = client_for(secadmin_user).post(
        reverse("accounts:security_role", args=[secadmin_user.pk]), {"role": Role.AUDITOR}
    )
    assert errors_next_to(response, "role")
    assert User.objects.get(pk=secadmin_user.pk).role == Role.SECADMIN and not AdminRequest.objects.exists()


def test_the_sysadmin_cannot_rename_another_administrator(client_for, sysadmin_user, auditor_user):
    client_for(sysadmin_user).post(
        reverse("admin:accounts_user_change", args=[auditor_user.pk]),
        {"username": "renamed", "full_name": "改名", "email": "a@b.org", "organisation": auditor_user.organisation_id},
    )
    auditor_user.refresh_from_db()
    assert auditor_user.username != "renamed" and auditor_user.full_name != "改名"


def test_the_auditor_sees_every_request_but_decides_only_others(client_for, sysadmin_user, secadmin_user, auditor_user):
    client_for(sysadmin_user).post(reverse("admin:accounts_user_disable", args=[auditor_user.pk]))
    listing = client_for(auditor_user).get(reverse("accounts:admin_requests"))
    assert "停用账号：" in page(listing).text() and "批准" not in buttons(listing)
    assert "批准" in buttons(client_for(secadmin_user).get(reverse("accounts:admin_requests")))


@pytest.mark.parametrize("who", ["base_user", "hr_region_user", "learner_user"])
def test_only_the_three_administrators_open_the_requests(client_for, request, who):
    response = client_for(request.getfixturevalue(who)).get(reverse("accounts:admin_requests"))
    assert response.status_code == 403
