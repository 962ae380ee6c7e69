"""账号管理 by the 系统管理员 in the admin, in Chinese: open an account (the holder sets the password through a
link e-mailed to them), 停用 (its sessions end), 启用. Nobody here reads or types a password."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from demo import factories as f
from jxjy.accounts.models import Role, User
from jxjy.audit.models import AuditEntry

from .html_helpers import alerts, page
from .test_dual_control import link_mailed_to
from .test_three_admins import admin_errors_next_to


def password_login(username, password):
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    return client, response


@pytest.fixture
def admin_client(client_for, sysadmin_user):
    return client_for(sysadmin_user)


def test_account_page_has_the_explicit_buttons_in_chinese(admin_client, base_user):
    html = admin_client.get(reverse("admin:accounts_user_change", args=[base_user.pk])).content.decode()
    for label in ("停用账号", "所属单位", "电子邮箱", "下次登录须修改密码", "密码修改时间"):
        assert label in html
    assert "重置密码" not in html  # the 安全管理员's, by a link to the holder


def test_opening_an_account_mails_the_holder_a_link_and_shows_no_password(admin_client, sysadmin_user, base):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {"username": "jd_sl_3", "full_name": "王芳", "email": "wangfang@example.org", "organisation": base.pk,
         "role": "base"},
    )  # fmt: skip
    assert "设置密码的链接已发送至本人邮箱 wa****@example.org" in page(response).text()
    user = User.objects.get(username="jd_sl_3")
    assert user.role == Role.BASE and not user.has_usable_password()
    entry = AuditEntry.objects.get(action="create_account")
    assert (entry.actor, entry.object_id) == (sysadmin_user, str(user.pk))

    client = Client()
    client.post(link_mailed_to(user), {"new_password1": "Shuili@2031x", "new_password2": "Shuili@2031x"})
    client, response = password_login("jd_sl_3", "Shuili@2031x")
    assert response.status_code == 302
    assert client.get(reverse("filings:list")).status_code == 200


def test_an_account_needs_an_email_for_its_link(admin_client, base):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {"username": "jd_sl_4", "full_name": "王芳", "organisation": base.pk, "role": "base"},
    )
    assert admin_errors_next_to(response, "email")
    assert not User.objects.filter(username="jd_sl_4").exists()


def test_an_account_whose_role_does_not_fit_its_organisation_is_not_opened(admin_client, department):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {"username": "x1", "full_name": "某人", "organisation": department.pk, "role": "base"},
    )
    assert "“基地工作人员”须属于继续教育基地。" in admin_errors_next_to(response, "organisation")
    assert not User.objects.filter(username="x1").exists()


def test_disable_needs_a_post(admin_client, base_user):
    for name in ("admin:accounts_user_disable", "admin:accounts_user_enable"):
        assert admin_client.get(reverse(name, args=[base_user.pk])).status_code == 403
    base_user.refresh_from_db()
    assert base_user.is_active and base_user.check_password(f.PASSWORD)


def test_nobody_types_another_persons_password(admin_client, base_user):
    response = admin_client.get(reverse("admin:auth_user_password_change", args=[base_user.pk]))
    assert response.status_code == 403


def test_disabling_ends_the_sessions_and_enabling_restores_the_login(admin_client, sysadmin_user, base_user):
    user_client, _ = password_login("jd_sl", f.PASSWORD)
    response = admin_client.post(reverse("admin:accounts_user_disable", args=[base_user.pk]), follow=True)
    assert "账号 jd_sl 已停用，其登录会话已结束。" in [m.message for m in response.context["messages"]]
    base_user.refresh_from_db()
    assert not base_user.is_active
    assert user_client.get(reverse("filings:list")).status_code == 302
    assert not Session.objects.filter(session_key=user_client.session.session_key).exists()
    assert password_login("jd_sl", f.PASSWORD)[1].status_code == 200  # refused
    admin_client.post(reverse("admin:accounts_user_enable", args=[base_user.pk]))
    assert password_login("jd_sl", f.PASSWORD)[1].status_code == 302
    actions = list(AuditEntry.objects.filter(object_id=str(base_user.pk)).values_list("action", flat=True))
    assert "disable_account" in actions and "enable_account" in actions


def test_the_sysadmin_cannot_disable_themselves(admin_client, sysadmin_user):
    response = admin_client.post(reverse("admin:accounts_user_disable", args=[sysadmin_user.pk]), follow=True)
    assert "不能对自己的账号提出申请。" in [m.message for m in response.context["messages"]]
    sysadmin_user.refresh_from_db()
    assert sysadmin_user.is_active


def test_no_one_deletes_an_account(admin_client, base_user):
    admin_client.post(reverse("admin:accounts_user_delete", args=[base_user.pk]), {"post": "yes"})
    assert User.objects.filter(pk=base_user.pk).exists()


def test_the_messages_show_on_the_site_pages_too(admin_client, base_user):
    # Messages live in the session: an admin message must not break the site's alert boxes.
    admin_client.post(reverse("admin:accounts_user_enable", args=[base_user.pk]))
    assert "账号 jd_sl 已启用。" in alerts(admin_client.get(reverse("core:home")))


def test_the_admin_header_uses_the_sites_password_change_and_audited_logout(admin_client, sysadmin_user):
    response = admin_client.get(reverse("admin:password_change"))
    assert response.status_code == 302 and response.url == reverse("accounts:password_change")
    admin_client.post(reverse("admin:logout"))
    assert "_auth_user_id" not in admin_client.session
    assert AuditEntry.objects.filter(action="logout", actor=sysadmin_user).exists()


def test_a_learner_account_gets_no_organisation(admin_client, learner_user, base):
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[learner_user.pk]),
        {"username": learner_user.username, "full_name": "张三", "organisation": base.pk},
    )
    assert "学员账号不属于任何单位。" in admin_errors_next_to(response, "organisation")
    learner_user.refresh_from_db()
    assert learner_user.organisation is None


def test_the_new_account_form_asks_for_no_password(admin_client):
    html = admin_client.get(reverse("admin:accounts_user_add")).content.decode()
    assert "所属单位" in html and "待安全管理员授权（主管部门、人社部门和平台运维单位的账号）" in html
    assert 'name="password1"' not in html and 'name="password2"' not in html
