"""Second factor (TOTP through django-otp): enrolment with a QR code, verification after the password.

django-otp keeps the verified device in the session (`user.is_verified()`), refuses a code at or
before the last accepted time step (no replay) and waits 1, 2, 4 … seconds after each wrong code.
"""

from base64 import b32encode

import django_otp
import segno
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from jxjy.audit import trail as audit
from jxjy.audit.models import Outcome
from jxjy.core import clock
from jxjy.core.errors import DomainError

from .audit_actions import AccountAction

DEVICE_NAME = gettext_lazy("身份验证器")
WRONG_CODE = gettext_lazy("验证码不正确或已使用过，请输入身份验证器上的最新验证码。")


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The device being enrolled: one unconfirmed secret per user, kept until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret in Base32, in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URL as an SVG QR code in a data: URI (the CSP allows data: images, nothing inline)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5)


def seconds_to_wait(device: TOTPDevice) -> int:
    allowed, data = device.verify_is_allowed()
    if allowed or not data or "locked_until" not in data:
        return 0

    return max(1, int((data["locked_until"] - clock.now()).total_seconds() + 0.999))


def verify(request, device: TOTPDevice, token: str, *, enrolling: bool = False) -> None:
    """Check `token` on `device`; on success the session counts as verified (and gets a new key)."""
    user = request.user
    wait = seconds_to_wait(device)
    if wait:
        audit.record(
            actor=user,
            action=AccountAction.TWO_FACTOR_FAILED,
            detail={"原因": _("尝试过于频繁")},
            outcome=Outcome.FAILURE,
        )
        raise DomainError((_("验证码错误次数过多，请%(wait)s秒后再试。") % {"wait": wait}), field="token")
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        ok = device.verify_token((token or "").strip())
    if not ok:
        audit.record(
            actor=user,
            action=AccountAction.TWO_FACTOR_FAILED,
            detail={"原因": _("验证码不正确")},
            outcome=Outcome.FAILURE,
        )
        raise DomainError(WRONG_CODE, field="token")
    with transaction.atomic():
        if enrolling:
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            audit.record(actor=user, action=AccountAction.BIND_AUTHENTICATOR, obj=user)
        request.session.cycle_key()
        django_otp.login(request, device)
        audit.record(actor=user, action=AccountAction.TWO_FACTOR)
