"""Getting past the login form's 图形验证码 in tests that need failed logins: django-simple-captcha's test mode,
in which the answer "PASSED" is accepted. Only tests that must pass the captcha use it (tests/test_lockout.py
checks the real one)."""

import captcha.conf.settings as captcha_settings
import pytest

PASSED = {"captcha_0": "test", "captcha_1": "PASSED"}


@pytest.fixture
def captcha_test_mode(settings, monkeypatch):
    """django-simple-captcha accepts "PASSED" (it reads its settings once, at import: set them there too)."""
    settings.CAPTCHA_TEST_MODE = True
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
