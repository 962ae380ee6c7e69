"""设置密码 through a one-time link: how a staff member gets their first password, or a new one after a reset.

No administrator ever sees or chooses a staff member's password (三员分立): the account is opened with no
usable password, and a link is e-mailed to the holder's own address through the outbox. The link works once
(Django's token covers the password hash and the last login, so setting a password spends it) and expires after
PASSWORD_RESET_TIMEOUT.
"""

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from jxjy.audit import trail as audit
from jxjy.core.errors import DomainError
from jxjy.notify import outbox
from jxjy.notify.backends import mask_email

from .audit_actions import AccountAction
from .lockout import key_for_user
from .models import Role, User


class _SetPasswordTokens(PasswordResetTokenGenerator):
    key_salt = "jxjy.accounts.staff_access"


tokens = _SetPasswordTokens()


def link_for(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return settings.JXJY_SITE_URL + reverse("accounts:set_password", args=[uid, tokens.make_token(user)])


def send_link(user: User, *, actor: User, why: str) -> str:
    """E-mail the holder a link to set their password; the account has no usable password meanwhile.

    Returns the masked address for the administrator's confirmation ("已发送至 z***@example.org")."""
    if not user.email:
        raise DomainError(_("该账号未登记电子邮箱，无法发送设置密码的链接。请系统管理员先登记邮箱。"))
    with transaction.atomic():
        user.set_unusable_password()
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        hours = settings.PASSWORD_RESET_TIMEOUT // 3600
        text = _(
            "%(username)s，您好：%(why)s，请在 %(hours)s 小时内打开以下链接设置密码（仅可使用一次）：\n%(link_for)s\n"
            "如非本人账号，请忽略本邮件。"
        ) % {"username": user.full_name or user.username, "why": why, "hours": hours, "link_for": link_for(user)}
        outbox.send_email(user.email, _("设置继续教育系统登录密码"), text, event="staff_set_password", recipient=user)
        audit.record(actor=actor, action=AccountAction.SEND_PASSWORD_LINK, obj=user)
    return mask_email(user.email)


def user_for_link(uidb64: str, token: str) -> User | None:
    """The account a link belongs to, if the link is still good (not used, not expired, account active)."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).exclude(role=Role.LEARNER).first()
    return user if user is not None and tokens.check_token(user, token) else None


def set_password(user: User, password: str) -> None:
    """The holder's own password, through the link: the link is spent, a login lockout is cleared."""
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = False
        user.save()
        axes_reset(username=key_for_user(user))
        audit.record(actor=user, action=AccountAction.SET_PASSWORD, obj=user, detail={"方式": _("邮件链接")})
