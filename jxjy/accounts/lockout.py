"""Login throttling (django-axes): five failures lock the account, not the office's shared address.

The key is a keyed hash, so that learners' 身份证号 and mobiles never stand in the lockout tables in
plain text, and one person's 身份证号 and mobile count against the same account.
"""

import hashlib
import hmac

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from jxjy.core import audit

from .backends import find_user


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


@receiver(user_login_failed)
def record_failed_login(sender, credentials, request=None, **kwargs):
    audit.record(actor=None, action="登录失败", detail={"登录标识": lockout_key(request, credentials)})
