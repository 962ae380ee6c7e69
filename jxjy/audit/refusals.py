"""Refused attempts in the trail (outcome 失败): what was refused, to whom, from where — but bounded.

A refusal costs the refused nothing, so a flood of them must not fill the disk: each source (the signed-in
account, else the address) gets at most JXJY_AUDIT_REFUSALS_PER_MINUTE entries a minute, and all sources
together at most JXJY_AUDIT_REFUSALS_TOTAL_PER_MINUTE; the first refusal over a limit is recorded once as
审计记录限流, the rest of that minute are only counted. The counts live in the rate limits' cache; when it
is down the limit fails open (every refusal is recorded) and the request is never the worse for it.
"""

import logging

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils.translation import gettext as _

from jxjy.core.request_context import current_ip

from . import trail
from .models import AuditAction, AuditEntry, Outcome

WINDOW_SECONDS = 60
PREFIX = "jxjy-audit-refusals"
LIMITED_ACTION = AuditAction.REFUSALS_LIMITED
RECORDED = "_jxjy_audit_refusal_recorded"  # set on a request whose refusal is in the trail (or counted)
RECORD, NOTE_LIMIT, DROP = "record", "note_limit", "drop"

logger = logging.getLogger(__name__)


def source_of(user) -> str:
    """Whose refusals are counted together: the account when signed in, else the address."""
    pk = getattr(user, "pk", None)
    return f"user:{pk}" if pk else f"ip:{current_ip.get() or '-'}"


def _count(cache, key: str) -> int | None:
    """This minute's count under `key`, after counting one more; None when the cache cannot say."""
    try:
        cache.add(key, 0, timeout=WINDOW_SECONDS)
        return cache.incr(key)
    except Exception:  # the cache is down (or forgot the key): count nothing, refuse nothing
        return None


def admit(source: str) -> str:
    """RECORD this refusal, NOTE_LIMIT (the first over a limit), or DROP it (counted, not recorded)."""
    cache = caches[getattr(settings, "RATELIMIT_USE_CACHE", "default")]
    mine, everyone = _count(cache, f"{PREFIX}:{source}"), _count(cache, f"{PREFIX}:*")
    if mine is None or everyone is None:
        return RECORD  # fail open
    limit, total = settings.JXJY_AUDIT_REFUSALS_PER_MINUTE, settings.JXJY_AUDIT_REFUSALS_TOTAL_PER_MINUTE
    if mine <= limit and everyone <= total:
        return RECORD
    return NOTE_LIMIT if mine == limit + 1 or everyone == total + 1 else DROP


def record_refusal(request, *, action: str, status: int | None = None, reason: str = "", obj=None, detail=None):
    """One 失败 entry for a refused attempt by `request`'s user (or address), within the limits; never raises."""
    user = getattr(request, "user", None)
    setattr(request, RECORDED, True)
    verdict = admit(source_of(user))
    if verdict == DROP:
        return None
    facts = {"请求": f"{request.method} {request.path[:200]}"}
    if status is not None:
        facts["状态码"] = status
    if reason:
        facts["原因"] = reason[:200]
    if verdict == NOTE_LIMIT:
        action, obj = LIMITED_ACTION, None
        facts["说明"] = _("一分钟内被拒绝的尝试超过上限，其余不再逐条记录")
    return _record(user, action=action, obj=obj, detail={**facts, **(detail or {})})


def _record(user, *, action: str, obj, detail: dict) -> AuditEntry | None:
    try:
        with transaction.atomic():  # a savepoint: a refusal that cannot be recorded leaves the request's work alone
            return trail.record(actor=user, action=action, obj=obj, detail=detail, outcome=Outcome.FAILURE)
    except Exception:  # the refusal is answered all the same; the failure to record it is logged
        logger.exception("未能记录被拒绝的尝试（%s）", action)
        return None
