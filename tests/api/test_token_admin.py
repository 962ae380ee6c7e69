"""接口令牌 in 系统管理: the 系统管理员 creates one (its secret shown once), sees when it was used, revokes it."""

from django.test import Client

from jxjy.api.models import ApiToken

ADD = "/admin/api/apitoken/add/"
LIST = "/admin/api/apitoken/"


def create(client, organisation, scopes):
    return client.post(ADD, {"organisation": organisation.pk, "name": "职称评审系统", "scopes": scopes,
                             "expires_at_0": "2030-01-01", "expires_at_1": "00:00:00"})  # fmt: skip


def secret_on(page) -> str:
    import re

    return re.search(r'<code id="api-secret">([^<]+)</code>', page.content.decode()).group(1)


def test_sysadmin_creates_a_token_and_sees_the_secret_once(client_for, sysadmin_user, hr_region_user):
    admin = client_for(sysadmin_user)
    page = create(admin, hr_region_user.organisation, ["hours:read"])
    assert page.status_code == 200 and "此页关闭后无法再次查看" in page.content.decode()
    secret = secret_on(page)
    token = ApiToken.objects.get()
    assert token.scopes == ["hours:read"] and token.created_by == sysadmin_user
    body = {"id_number": "650102199001011239", "name": "张三"}
    called = Client(headers={"Authorization": f"Bearer {secret}"})
    assert called.post("/api/v1/hours/query", body, content_type="application/json").status_code == 200
    detail = admin.get(f"{LIST}{token.pk}/change/").content.decode()
    assert secret not in detail and secret not in admin.get(LIST).content.decode()
    assert "最近使用时间" in detail


def test_scope_that_does_not_fit_the_unit_is_a_form_error(client_for, sysadmin_user, base):
    page = create(client_for(sysadmin_user), base, ["completions:import"])
    assert "继续教育基地不能使用权限范围：completions:import。" in page.content.decode()
    assert not ApiToken.objects.exists()


def test_sysadmin_revokes_from_the_list(client_for, sysadmin_user, hr_region_user):
    admin = client_for(sysadmin_user)
    secret = secret_on(create(admin, hr_region_user.organisation, ["hours:read"]))
    token = ApiToken.objects.get()
    admin.post(LIST, {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_by == sysadmin_user and token.state_label == "已撤销"
    called = Client(headers={"Authorization": f"Bearer {secret}"})
    assert called.get("/api/v1/documents").status_code == 401


def test_other_roles_cannot_reach_the_token_screens(client_for, auditor_user, base_user):
    for user in (auditor_user, base_user):
        assert client_for(user).get(LIST).status_code in (302, 403)
