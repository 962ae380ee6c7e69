"""Second factor (TOTP): enrolment with a QR code at first login, a code after every password login for
the administrators and HR reviewers; wrong and replayed codes fail, are audited and slow the next try."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo import factories as f
from jxjy.accounts.twofactor import secret_text
from jxjy.audit.models import AuditEntry

from .account_helpers import code, device_of
from .html_helpers import errors_next_to

SETUP = reverse("accounts:otp_setup")
VERIFY = reverse("accounts:otp_verify")


def password_login(client, username, password=f.PASSWORD):
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code == 302
    return client


def verified(client) -> bool:
    return "otp_device_id" in client.session


def test_first_login_shows_the_qr_code_and_nothing_else(client, hr_region_user):
    password_login(client, "rst_zjc")
    for url in (reverse("core:home"), reverse("review:waiting", args=["prefiling"]), reverse("stats:index")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(SETUP)
    page = client.get(SETUP).content.decode()
    assert "绑定身份验证器" in page and 'src="data:image/svg+xml' in page
    device = TOTPDevice.objects.get(user=hr_region_user)
    assert not device.confirmed
    assert secret_text(device) in page  # for typing in by hand
    assert client.get(SETUP).content.decode().count("身份验证器二维码") == 1
    assert TOTPDevice.objects.filter(user=hr_region_user).count() == 1  # reloading keeps the same secret


def test_enrolment_confirms_the_device_with_one_code(client, hr_region_user):
    password_login(client, "rst_zjc")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=hr_region_user)
    response = client.post(SETUP, {"token": code(device), "next": reverse("stats:index")})
    assert response.status_code == 302 and response.url == reverse("stats:index")
    device.refresh_from_db()
    assert device.confirmed and verified(client)
    assert client.get(reverse("stats:index")).status_code == 200
    assert AuditEntry.objects.filter(action="bind_authenticator", actor=hr_region_user).exists()


def test_enrolment_refuses_a_wrong_code_next_to_the_field(client, hr_region_user):
    password_login(client, "rst_zjc")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=hr_region_user)
    wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"token": wrong})
    assert "验证码不正确或已使用过，请输入身份验证器上的最新验证码。" in errors_next_to(response, "token")
    device.refresh_from_db()
    assert not device.confirmed and not verified(client)
    assert AuditEntry.objects.filter(action="two_factor_failed", actor=hr_region_user).count() == 1


def test_an_enrolled_user_is_asked_for_a_code_after_the_password(client, sysadmin_user):
    device = device_of(sysadmin_user)
    password_login(client, "admin")
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    assert client.get(SETUP).url.startswith(VERIFY)  # a password alone cannot enrol another device
    response = client.post(VERIFY, {"token": code(device), "next": reverse("admin:index")})
    assert response.url == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200
    assert AuditEntry.objects.filter(action="two_factor", actor=sysadmin_user).exists()


def test_a_replayed_code_fails(client, auditor_user):
    device = device_of(auditor_user)
    used = code(device)
    password_login(client, "auditor")
    client.post(VERIFY, {"token": used})
    assert verified(client)
    client.post(reverse("accounts:logout"))
    other = password_login(client, "auditor")
    response = other.post(VERIFY, {"token": used})
    assert "验证码不正确或已使用过，请输入身份验证器上的最新验证码。" in errors_next_to(response, "token")
    assert not verified(other)
    assert other.get(reverse("core:audit_log")).url.startswith(VERIFY)


def test_after_a_wrong_code_the_next_try_waits(client, hr_prefecture_user):
    device = device_of(hr_prefecture_user)
    password_login(client, "wlmq_rsj")
    client.post(VERIFY, {"token": "000000" if code(device) != "000000" else "111111"})
    response = client.post(VERIFY, {"token": code(device)})  # right, but too soon after the wrong one
    assert any("请" in e and "秒后再试" in e for e in errors_next_to(response, "token"))
    assert not verified(client)
    reasons = list(AuditEntry.objects.filter(action="two_factor_failed").values_list("detail", flat=True))
    assert reasons == [{"原因": "验证码不正确"}, {"原因": "尝试过于频繁"}]


def test_verification_gives_the_session_a_new_key(client, hr_region_user):
    device = device_of(hr_region_user)
    password_login(client, "rst_zjc")
    before = client.session.session_key
    client.post(VERIFY, {"token": code(device)})
    assert client.session.session_key != before and verified(client)


@pytest.mark.parametrize("role_user", ["base_user", "department_user", "learner_user"])
def test_other_roles_need_no_second_factor(db, client, role_user, request):
    user = request.getfixturevalue(role_user)
    password_login(client, user.learner.id_number if user.is_learner else user.username)
    assert client.get(reverse("core:home")).status_code == 200


@pytest.mark.parametrize("role_user", ["sysadmin_user", "secadmin_user", "auditor_user", "hr_prefecture_user"])
def test_every_second_factor_role_is_stopped_before_its_pages(db, client, role_user, request):
    user = request.getfixturevalue(role_user)
    password_login(client, user.username)
    assert client.get(reverse("core:home")).url.startswith(SETUP)


def test_the_admin_site_itself_requires_the_second_factor(sysadmin_user):
    request = RequestFactory().get("/admin/")
    request.user = sysadmin_user
    sysadmin_user.is_verified = lambda: False
    assert not admin.site.has_permission(request)
    sysadmin_user.is_verified = lambda: True
    assert admin.site.has_permission(request)


def test_the_admin_login_page_is_the_sites_login(client, db):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_autosave_answers_json_until_the_second_factor(client, hr_region_user):
    password_login(client, "rst_zjc")
    response = client.post(reverse("core:keepalive"))
    assert response.status_code == 403 and response.json()["ok"] is False


def test_before_the_second_factor_the_page_shows_no_menu_or_counts(client, hr_region_user, base, base_user):
    device_of(hr_region_user)
    password_login(client, "rst_zjc")
    page = client.get(VERIFY).content.decode()
    assert "二次验证" in page
    for hidden in ("培训前备案审核", "站内消息", "统计分析", "修改密码"):
        assert hidden not in page


def test_a_code_that_is_not_six_digits_is_refused_in_chinese(client, hr_region_user):
    device_of(hr_region_user)
    password_login(client, "rst_zjc")
    response = client.post(VERIFY, {"token": "12ab"})
    assert errors_next_to(response, "token") == ["请输入身份验证器上显示的6位数字。"]
