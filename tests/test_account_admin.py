"""账号管理 by the 系统管理员 in the admin, in Chinese: open an account (temporary password), 停用 (its
sessions end), 启用, 重置密码 (a temporary password that must be changed at the next login)."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from jxjy.accounts.models import Role, User
from jxjy.core.models import AuditEntry

from . import factories as f
from .html_helpers import alerts, page
from .test_three_admins import admin_errors_next_to


def temporary_password(response) -> str:
    found = page(response).find_all(lambda n: "temporary-password" in n.classes)
    assert len(found) == 1
    return found[0].text()


def password_login(username, password):
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    return client, response


@pytest.fixture
def admin_client(client_for, sysadmin_user):
    return client_for(sysadmin_user)


def test_account_page_has_the_explicit_buttons_in_chinese(admin_client, base_user):
    html = admin_client.get(reverse("admin:accounts_user_change", args=[base_user.pk])).content.decode()
    for label in ("重置密码", "停用账号", "所属单位", "下次登录须修改密码", "密码修改时间"):
        assert label in html


def test_opening_an_account_gives_a_temporary_password_to_change_at_first_login(admin_client, sysadmin_user, base):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {"username": "jd_sl_3", "full_name": "王芳", "organisation": base.pk, "role": "base"},
    )
    password = temporary_password(response)
    user = User.objects.get(username="jd_sl_3")
    assert user.role == Role.BASE and user.must_change_password and user.check_password(password)
    entry = AuditEntry.objects.get(action="新建账号")
    assert (entry.actor, entry.object_id) == (sysadmin_user, str(user.pk))
    assert password not in str(entry.detail)

    client, _ = password_login("jd_sl_3", password)
    response = client.get(reverse("filings:list"))
    assert response.url.startswith(reverse("accounts:password_change"))
    assert "您正在使用管理员重置的临时密码" in client.get(reverse("accounts:password_change")).content.decode()
    client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": "Shuili@2031x", "new_password2": "Shuili@2031x"},
    )
    assert client.get(reverse("filings:list")).status_code == 200
    user.refresh_from_db()
    assert not user.must_change_password


def test_an_account_whose_role_does_not_fit_its_organisation_is_not_opened(admin_client, department):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {"username": "x1", "full_name": "某人", "organisation": department.pk, "role": "base"},
    )
    assert "“基地工作人员”须属于继续教育基地。" in admin_errors_next_to(response, "organisation")
    assert not User.objects.filter(username="x1").exists()


def test_reset_password_ends_sessions_and_must_be_changed(admin_client, sysadmin_user, base_user):
    old_client, _ = password_login("jd_sl", f.PASSWORD)
    response = admin_client.post(reverse("admin:accounts_user_reset", args=[base_user.pk]))
    password = temporary_password(response)
    assert re.fullmatch(r"\S{12}", password)
    assert old_client.get(reverse("filings:list")).status_code == 302  # the old session is over
    assert password_login("jd_sl", f.PASSWORD)[1].status_code == 200  # the old password no longer works
    client, response = password_login("jd_sl", password)
    assert response.status_code == 302
    assert client.get(reverse("core:home")).url.startswith(reverse("accounts:password_change"))
    assert AuditEntry.objects.filter(action="重置密码", actor=sysadmin_user, object_id=str(base_user.pk)).exists()


def test_reset_and_disable_need_a_post(admin_client, base_user):
    for name in ("admin:accounts_user_reset", "admin:accounts_user_disable"):
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
    assert "停用账号" in actions and "启用账号" in actions


def test_the_sysadmin_cannot_disable_themselves(admin_client, sysadmin_user):
    response = admin_client.post(reverse("admin:accounts_user_disable", args=[sysadmin_user.pk]), follow=True)
    assert "不能停用自己的账号。" in [m.message for m in response.context["messages"]]
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
    assert AuditEntry.objects.filter(action="退出登录", actor=sysadmin_user).exists()


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
    assert "所属单位" in html and "待安全管理员授权（平台运维单位的账号）" in html
    assert 'name="password1"' not in html and 'name="password2"' not in html
