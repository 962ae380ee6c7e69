"""Signing in past the second factor: test clients, codes from a device's secret."""

import time

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def device_of(user) -> TOTPDevice:
    """The user's confirmed authenticator, enrolled now if there is none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="测试身份验证器", confirmed=True)


def code(device: TOTPDevice, *, steps: int = 0) -> str:
    """The code the authenticator shows now (or `steps` time steps from now)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=steps):06d}"


def fresh_code(device: TOTPDevice) -> str:
    """A code not yet used on the device: the next step's if this step's was (waits when even that was)."""
    device.refresh_from_db()
    now_t = int((time.time() - device.t0) // device.step)
    if device.last_t >= now_t + 1:
        time.sleep(device.step - (time.time() - device.t0) % device.step + 0.1)
        return fresh_code(device)
    return code(device, steps=1 if device.last_t >= now_t else 0)


def pass_second_factor(client: Client, user) -> None:
    """Mark the client's session as verified by the user's authenticator, as the 二次验证 page does."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device_of(user).persistent_id
    session.save()


class VerifiedClient(Client):
    """force_login also passes the second factor where the role needs one; tests of the gate itself
    log in through the pages (POST to the login view), which this does not touch."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        if user.needs_second_factor:
            pass_second_factor(self, user)
