"""Login throttling (django-axes): five failures lock the account, not the office's shared address.

The key is a keyed hash, so that learners' 身份证号 and mobiles never stand in the lockout tables in
plain text, and one person's 身份证号 and mobile count against the same account.
"""

import hashlib
import hmac

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from jxjy.audit import trail as audit
from jxjy.audit.models import Outcome

from .backends import find_user
from .models import User


def lockout_key(request, credentials) -> str:
    login = ((credentials or {}).get("username") or "").strip()
    user = find_user(login) if login else None
    return key_for_user(user) if user else _keyed(f"login:{login.upper()}")


def key_for_user(user) -> str:
    """The lockout key of an account, whichever of its login names was typed."""
    return _keyed(f"user:{user.pk}")


def _keyed(canonical: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), canonical.encode(), hashlib.sha256).hexdigest()
    return f"k:{digest[:40]}"


def _account_tried(credentials) -> User | None:
    login = ((credentials or {}).get("username") or "").strip()
    return find_user(login) if login else None


# The account that was tried stands as the entry's person, so that the 审计管理员 finds attempts on an
# account under its name; the typed login itself is kept only as the keyed hash.
@receiver(user_login_failed)
def record_failed_login(sender, credentials, request=None, **kwargs):
    audit.record(
        actor=_account_tried(credentials),
        action="登录失败",
        outcome=Outcome.FAILURE,
        detail={"登录标识": lockout_key(request, credentials)},
    )


@receiver(user_locked_out)
def record_lockout(sender, request, username, ip_address=None, **kwargs):
    credentials = getattr(request, "axes_credentials", None)
    audit.record(
        actor=_account_tried(credentials), action="账号锁定", outcome=Outcome.FAILURE, detail={"登录标识": username}
    )
