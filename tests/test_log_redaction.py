"""Log output carries no full 身份证号, mobile, password or token, whatever a log call or a request puts in."""

import io
import logging

import pytest
from django.urls import reverse

from demo import factories as f
from jxjy.core.log_filters import RedactPersonalData, redact

ID, MOBILE = "650102199001011239", "13899110001"


@pytest.mark.parametrize(
    ("text", "shown", "hidden"),
    [
        (f"login {ID} failed", "6501**********1239", ID),
        ("id=65010219900101005x;", "6501**********005x", "65010219900101005"),
        (f"mobile +86 {MOBILE}", "138****0001", MOBILE),
        ("tel:+8613899110001", "138****0001", "8613899110001"),
        ("password=Secret@2026&next=/", "password=***", "Secret@2026"),
        ('{"token": "abc123def", "x": 1}', '"token": "***"', "abc123def"),
        ("Authorization: Bearer-xyz", "Authorization: ***", "Bearer-xyz"),
    ],
)
def test_redact_masks_ids_mobiles_and_secrets(text, shown, hidden):
    out = redact(text)
    assert shown in out and hidden not in out


def test_redact_leaves_other_numbers_alone():
    for text in ("证书 2026-ZY-000001", "order 12345678901234567890", "pk=1389911000"):
        assert redact(text) == text


@pytest.fixture
def log_output():
    """What the configured handlers write, captured."""
    handlers = [
        h
        for name in ("", "django.server")
        for h in logging.getLogger(name).handlers
        if any(isinstance(x, RedactPersonalData) for x in h.filters)
    ]
    assert len(handlers) == 2, "the LOGGING setting puts the personal-data filter on both handlers"
    stream = io.StringIO()
    old = [h.setStream(stream) for h in handlers]
    yield stream
    for h, s in zip(handlers, old, strict=True):
        h.setStream(s)


def test_log_lines_carry_no_full_id_mobile_or_password(client, learner_user, log_output, settings):
    logging.getLogger("jxjy.test").warning("学员 %s 手机 %s 登录失败 password=%s", ID, MOBILE, f.PASSWORD)
    logging.getLogger("django.server").info('"GET /certificates/?id_number=%s HTTP/1.1" 200 512', ID)
    try:
        raise ValueError(f"cannot handle {ID}")
    except ValueError:
        logging.getLogger("django.request").exception("Internal Server Error: /x/")
    for _ in range(settings.AXES_FAILURE_LIMIT):  # axes logs every failure and the lockout
        client.post(reverse("accounts:login"), {"username": ID, "password": "Wrong@2026"})
    output = log_output.getvalue()
    assert "6501**********1239" in output and "138****0001" in output and "ValueError" in output
    for secret in (ID, MOBILE, f.PASSWORD, "Wrong@2026"):
        assert secret not in output


def test_a_broken_log_call_still_logs_masked(log_output):
    logging.getLogger("jxjy.test").warning("学员 %s %s", ID)  # one argument short
    assert "6501**********1239" in log_output.getvalue() and ID not in log_output.getvalue()
