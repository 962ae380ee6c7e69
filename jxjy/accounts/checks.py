"""No active superuser and no demo credentials in production data (三员分立, 等保 §8.1.4.1).

`manage.py check_accounts` lists what it finds and fails under the production settings;
`manage.py check --deploy --database default` runs the same as a system check.
"""

from django.conf import settings
from django.core import checks
from django.db import DatabaseError
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from .demo_credentials import DEMO_PASSWORD, DEMO_TOTP_KEY, LEARNERS
from .models import Role, User


def unsafe_accounts() -> list[str]:
    """Each active superuser, each account with a known demo password, each demo authenticator secret."""
    found = [
        (_("超级用户 %(username)s：不应存在启用的超级用户") % {"username": u.username})
        for u in _active().filter(is_superuser=True)
    ]
    # Hashing is slow on purpose, so every staff account is tried, and of the learners only the demo's.
    candidates = _active().exclude(role=Role.LEARNER) | _active().filter(username__in=[row[1] for row in LEARNERS])
    for user in candidates.distinct().order_by("username"):
        if user.check_password(DEMO_PASSWORD):
            found.append(_("账号 %(username)s：使用演示密码") % {"username": user.username})
    for device in TOTPDevice.objects.filter(key=DEMO_TOTP_KEY, user__is_active=True).select_related("user"):
        found.append(_("账号 %(username)s：身份验证器使用演示密钥") % {"username": device.user.username})
    return found


def _active():
    return User.objects.filter(is_active=True)


def is_production() -> bool:
    return getattr(settings, "JXJY_PRODUCTION", False)


@checks.register(checks.Tags.security, deploy=True)
def check_no_demo_accounts(app_configs=None, databases=None, **kwargs):
    if not databases:  # needs the database: `check --deploy --database default`
        return []
    try:
        found = unsafe_accounts()
    except DatabaseError:
        return []
    return [checks.Error(item, hint=_("停用该账号或修改其密码与身份验证器。"), id="jxjy.E001") for item in found]
