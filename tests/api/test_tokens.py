"""Token authentication: hashed secrets, scopes, expiry, revocation, disabled units, last use, errors as JSON."""

import datetime as dt

import pytest
from django.utils import timezone

from jxjy.accounts.models import Organisation
from jxjy.api import tokens
from jxjy.api.models import ApiToken
from jxjy.audit.models import AuditEntry
from jxjy.core.errors import DomainError

DOCS = "/api/v1/documents"


def test_secret_is_stored_only_as_a_hash(documents_token):
    token = ApiToken.objects.get()
    assert documents_token.startswith(f"jxjy_{token.prefix}_")
    assert documents_token not in {token.key_hash, token.prefix, token.name}
    assert token.key_hash == tokens.digest(documents_token)


def test_creating_a_token_is_audited(documents_token, sysadmin_user):
    entry = AuditEntry.objects.get(action="create_api_token")
    assert entry.actor == sysadmin_user and entry.detail["权限"] == ["documents:read"]


def test_valid_token_is_accepted_and_last_use_recorded(api, documents_token):
    assert ApiToken.objects.get().last_used_at is None
    assert api(documents_token).get(DOCS).status_code == 200
    assert ApiToken.objects.get().last_used_at is not None


def test_no_token_is_401_json_in_chinese(api, documents_token):
    r = api().get(DOCS)
    assert r.status_code == 401
    assert r.json()["code"] == "not_authenticated" and "令牌" in r.json()["message"]
    assert r["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer jxjy_nope_nope", "Bearer ", "Token abc", "Bearer jxjy_"])
def test_unknown_or_malformed_token_is_401(api, documents_token, header):
    from django.test import Client

    r = Client(headers={"Authorization": header}).get(DOCS)
    assert r.status_code == 401 and r.json()["code"] == "authentication_failed"


def test_wrong_secret_with_a_real_prefix_is_401(api, documents_token):
    assert api(documents_token[:-2] + "xx").get(DOCS).status_code == 401


def test_expired_token_is_401(api, documents_token):
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert api(documents_token).get(DOCS).status_code == 401


def test_revoked_token_is_401_at_once(api, documents_token, sysadmin_user):
    tokens.revoke_token(ApiToken.objects.get(), actor=sysadmin_user)
    assert api(documents_token).get(DOCS).status_code == 401
    assert AuditEntry.objects.filter(action="revoke_api_token").count() == 1


def test_token_of_a_disabled_unit_is_401(api, documents_token, base):
    Organisation.objects.filter(pk=base.pk).update(is_active=False)
    assert api(documents_token).get(DOCS).status_code == 401


def test_token_without_the_scope_is_403_naming_it(api, hours_token):
    r = api(hours_token).get(DOCS)
    assert r.status_code == 403
    assert r.json() == {"code": "permission_denied", "message": "该令牌没有此接口的权限范围（需要 documents:read）。"}


def test_scopes_must_fit_the_organisation_kind(base, platform, hr_region_user, sysadmin_user):
    later = timezone.now() + dt.timedelta(days=1)
    for org, scope in [(base, "completions:import"), (platform, "hours:read"), (hr_region_user.organisation,
                                                                                 "documents:read")]:  # fmt: skip
        with pytest.raises(DomainError, match="不能使用权限范围"):
            tokens.create_token(organisation=org, name="x", scopes=[scope], expires_at=later, actor=sysadmin_user)


def test_only_the_system_administrator_creates_or_revokes(base, base_user, documents_token):
    later = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(DomainError):
        tokens.create_token(organisation=base, name="x", scopes=["documents:read"], expires_at=later, actor=base_user)
    with pytest.raises(DomainError):
        tokens.revoke_token(ApiToken.objects.get(), actor=base_user)


def test_unknown_api_address_is_json_404(api):
    r = api().get("/api/v1/nothing-here")
    assert r.status_code == 404 and r.json()["code"] == "not_found"


def test_wrong_method_is_json_405(api, hours_token):
    r = api(hours_token).get("/api/v1/hours/query")
    assert r.status_code == 405 and r.json()["code"] == "method_not_allowed"


def test_unexpected_error_is_json_500(api, documents_token, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("jxjy.api.views.documents_of", boom)
    r = api(documents_token).get(DOCS)
    assert r.status_code == 500
    assert r.json() == {"code": "server_error", "message": "服务器内部错误，请稍后再试。"}


def test_each_token_is_rate_limited(api, documents_token, settings):
    settings.JXJY_API_RATE_PER_TOKEN = "2/m"
    client = api(documents_token)
    assert [client.get(DOCS).status_code for _ in range(3)] == [200, 200, 429]
    r = client.get(DOCS)
    assert r.json()["code"] == "throttled" and "秒后再试" in r.json()["message"] and int(r["Retry-After"]) > 0


def test_answers_are_not_cached(api, documents_token):
    assert api(documents_token).get(DOCS)["Cache-Control"] == "no-store, private"


def test_address_with_a_newline_is_json_404_too(api, documents_token):
    r = api(documents_token).get("/api/v1/documents/a%0Ab/x")
    assert r.status_code == 404 and r.json()["code"] == "not_found"


def test_a_signed_in_session_is_no_key_to_the_api(client_for, base_user, documents_token):
    """The API reads only tokens: a browser session (cookies) gets 401, so no page can call it for a user."""
    r = client_for(base_user).get(DOCS)
    assert r.status_code == 401 and r.json()["code"] == "not_authenticated"
