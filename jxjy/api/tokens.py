"""Creating, revoking and checking API tokens. The secret is shown once; only its SHA-256 is stored."""

import datetime as dt
import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from jxjy.accounts.models import Organisation, Role, User
from jxjy.audit import trail as audit
from jxjy.core import clock
from jxjy.core.errors import DomainError

from .audit_actions import ApiAction
from .models import ApiToken, Scope

K = Organisation.Kind
# Which organisations may hold which scope: title-review systems are run by HR and the departments,
# online platforms import, a base reads its own documents.
SCOPES_BY_KIND = {
    K.HR_REGION: {Scope.HOURS_READ},
    K.HR_PREFECTURE: {Scope.HOURS_READ},
    K.DEPARTMENT: {Scope.HOURS_READ},
    K.PLATFORM: {Scope.COMPLETIONS_IMPORT},
    K.BASE: {Scope.DOCUMENTS_READ},
}
PREFIX = "jxjy_"
# Refresh last_used_at at most this often, so that busy clients do not write on every call.
LAST_USED_GRANULARITY = dt.timedelta(minutes=1)


def digest(secret: str) -> str:
    # The secret carries 256 random bits: a fast hash is enough, nothing is left to guess.
    return hashlib.sha256(secret.encode()).hexdigest()


def check_scopes(organisation: Organisation, scopes: list[str]) -> list[str]:
    """The scopes, in a stable order, or DomainError if one does not fit the organisation's kind."""
    if not scopes:
        raise DomainError(_("请至少选择一项权限范围。"), field="scopes")
    allowed = SCOPES_BY_KIND.get(organisation.kind, set())
    wrong = [s for s in scopes if s not in allowed]
    if wrong:
        raise DomainError(
            (
                _("%(get_kind_display)s不能使用权限范围：%(join)s。")
                % {"get_kind_display": organisation.get_kind_display(), "join": "、".join(wrong)}
            ),
            field="scopes",
        )
    return sorted(set(scopes))


@transaction.atomic
def create_token(
    *, organisation: Organisation, name: str, scopes: list[str], expires_at: dt.datetime, actor: User
) -> tuple[ApiToken, str]:
    """新建令牌 (系统管理员): returns the token and its secret, which is never shown again."""
    if actor.role != Role.SYSADMIN:
        raise DomainError(_("只有系统管理员可以创建接口令牌。"))
    if not organisation.is_active:
        raise DomainError(_("该单位已停用。"), field="organisation")
    if expires_at <= clock.now():
        raise DomainError(_("有效期应晚于当前时间。"), field="expires_at")
    scopes = check_scopes(organisation, scopes)
    prefix = secrets.token_hex(4)
    secret = f"{PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        organisation=organisation,
        name=name.strip()[:100],
        prefix=prefix,
        key_hash=digest(secret),
        scopes=scopes,
        expires_at=expires_at,
        created_by=actor,
    )
    audit.record(
        actor=actor, action=ApiAction.CREATE_TOKEN, obj=token, detail={"单位": organisation.name, "权限": scopes}
    )
    return token, secret


@transaction.atomic
def revoke_token(token: ApiToken, *, actor: User) -> ApiToken:
    """撤销令牌 (系统管理员): it stops working at once and stays listed."""
    if actor.role != Role.SYSADMIN:
        raise DomainError(_("只有系统管理员可以撤销接口令牌。"))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise DomainError(_("该令牌已撤销。"))
    token.revoked_at, token.revoked_by = clock.now(), actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(actor=actor, action=ApiAction.REVOKE_TOKEN, obj=token, detail={"单位": token.organisation.name})
    return token


def authenticate(secret: str) -> ApiToken | None:
    """The usable token with this secret, or None (unknown, wrong, expired, revoked, or its unit disabled)."""
    parts = secret.split("_")
    if len(parts) < 3 or not secret.startswith(PREFIX):
        return None
    token = ApiToken.objects.select_related("organisation").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.key_hash, digest(secret)) or not token.is_usable:
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
