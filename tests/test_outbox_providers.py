"""The real providers, against local stand-ins: 腾讯云短信 through its official SDK to a fake endpoint that checks
the signed request and answers like the service, and SMTP to a server the test starts."""

import email
import hashlib
import hmac
import json
import socket
import threading
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from jxjy.accounts import sms_texts
from jxjy.notify import checks, delivery, events
from jxjy.notify.models import Outbox, OutboxStatus
from jxjy.notify.outbox import send_email, send_sms, tell

pytestmark = pytest.mark.django_db

SECRET_ID, SECRET_KEY = "AKIDtest0000000000000000000000000000", "test-secret-key"
APP_ID, SIGN = "1400000000", "新疆继续教育"
TEMPLATES = {
    "registration_approved": "2000001",
    "registration_returned": "2000002",
    "waiting_promoted": "2000003",
    "certificate_issued": "2000004",
    "hours_recognised": "2000005",
    # The account pages' notices (codes at 注册 and 忘记密码 …), each its own template.
    **{event: str(3000001 + n) for n, event in enumerate(events.DIRECT)},
}
OK = {"SendStatusSet": [{"SerialNo": "2645:1", "PhoneNumber": "+8613899110001", "Fee": 1, "SessionContext": "",
                         "Code": "Ok", "Message": "send success", "IsoCode": "CN"}]}  # fmt: skip
DAILY_LIMIT = {"SendStatusSet": [{"SerialNo": "", "PhoneNumber": "+8613899110001", "Fee": 0, "SessionContext": "",
                                  "Code": "LimitExceeded.PhoneNumberDailyLimit",
                                  "Message": "the number of sms messages sent from a single mobile number every "
                                             "day exceeds the upper limit", "IsoCode": "CN"}]}  # fmt: skip
INTERNAL = {"Error": {"Code": "InternalError.Timeout", "Message": "request timed out"}}


def tc3_signature(headers, body: bytes) -> str:
    """What the service computes from the request (API 3.0 TC3-HMAC-SHA256) and compares with the signature."""
    date = headers["Authorization"].split("Credential=")[1].split("/")[1]
    canonical = "\n".join(["POST", "/", "", f"content-type:{headers['Content-Type']}\nhost:{headers['Host']}\n",
                           "content-type;host", hashlib.sha256(body).hexdigest()])  # fmt: skip
    to_sign = "\n".join(["TC3-HMAC-SHA256", headers["X-TC-Timestamp"], f"{date}/sms/tc3_request",
                         hashlib.sha256(canonical.encode()).hexdigest()])  # fmt: skip
    key = ("TC3" + SECRET_KEY).encode()
    for part in (date, "sms", "tc3_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


class FakeTencentSms:
    """sms.tencentcloudapi.com on a local port: checks each request, answers with the next prepared answer."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                auth = self.headers["Authorization"]
                problems = []
                if self.headers["X-TC-Action"] != "SendSms" or self.headers["X-TC-Version"] != "2021-01-11":
                    problems.append("action")
                if not auth.startswith(f"TC3-HMAC-SHA256 Credential={SECRET_ID}/"):
                    problems.append("credential")
                if not auth.endswith(f"Signature={tc3_signature(self.headers, body)}"):
                    problems.append("signature")
                fake.requests.append({"problems": problems, "region": self.headers["X-TC-Region"],
                                      "body": json.loads(body)})  # fmt: skip
                answer = {"Error": {"Code": "AuthFailure.SignatureFailure", "Message": "签名错误"}}
                if not problems:
                    answer = fake.answers.pop(0)
                payload = json.dumps({"Response": {**answer, "RequestId": "req-1"}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)


@pytest.fixture
def tencent(settings, monkeypatch):
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    fake = FakeTencentSms()
    fake.thread.start()
    settings.JXJY_SMS_BACKEND = "jxjy.notify.backends.TencentSms"
    settings.JXJY_TENCENT_SMS = {
        "secret_id": SECRET_ID, "secret_key": SECRET_KEY, "app_id": APP_ID, "sign_name": SIGN,
        "region": "ap-guangzhou", "endpoint": fake.endpoint, "protocol": "http", "timeout": 5, "templates": TEMPLATES,
    }  # fmt: skip
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


def test_an_sms_goes_to_tencent_as_its_events_template_with_parameters(tencent, learner_user):
    tencent.answers.append(OK)
    tell([learner_user], title="学员报名「张三 · 水利班」：通过", event="registration_approved", params=["水利班"])
    assert delivery.deliver_due() == 1
    [request] = tencent.requests
    assert request["problems"] == [] and request["region"] == "ap-guangzhou"
    assert request["body"] == {
        "PhoneNumberSet": ["+8613899110001"], "SmsSdkAppId": APP_ID, "SignName": SIGN,
        "TemplateId": "2000001", "TemplateParamSet": ["水利班"],
    }  # fmt: skip
    assert Outbox.objects.get().status == OutboxStatus.SENT


def test_a_verification_code_goes_as_its_own_template_with_the_code_as_parameter(tencent):
    tencent.answers.append(OK)
    sms_texts.CODE_RESET.send("13899110001", code="274910")
    assert delivery.deliver_due() == 1
    [request] = tencent.requests
    assert request["body"]["TemplateId"] == TEMPLATES["sms_code_reset"]
    assert request["body"]["TemplateParamSet"] == ["274910"]


def test_every_account_notice_has_its_own_event():
    assert len({n.event for n in sms_texts.NOTICES}) == len(sms_texts.NOTICES)
    assert {n.event for n in sms_texts.NOTICES} <= set(events.sms_events())


def test_an_error_code_from_tencent_is_retried_then_sent(tencent, clock):
    tencent.answers += [DAILY_LIMIT, INTERNAL, OK]
    row = send_sms("13899110001", "您报名的水利班已审核通过", event="registration_approved", params=["水利班"])
    assert delivery.deliver_due() == 0
    row.refresh_from_db()
    assert row.status == OutboxStatus.PENDING and row.attempts == 1
    assert row.last_error.startswith("LimitExceeded.PhoneNumberDailyLimit")
    clock.shift(delivery.backoff(1))
    assert delivery.deliver_due() == 0
    row.refresh_from_db()
    assert row.last_error.startswith("InternalError.Timeout") and row.attempts == 2
    clock.shift(delivery.backoff(2))
    assert delivery.deliver_due() == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.SENT, 3, "")
    assert len(tencent.requests) == 3 and all(r["problems"] == [] for r in tencent.requests)


def test_a_wrong_secret_key_is_refused_by_the_service_and_retried(tencent, settings):
    settings.JXJY_TENCENT_SMS = {**settings.JXJY_TENCENT_SMS, "secret_key": "wrong"}
    row = send_sms("13899110001", "您报名的水利班已审核通过", event="registration_approved", params=["水利班"])
    delivery.deliver_due()
    row.refresh_from_db()
    assert tencent.requests[0]["problems"] == ["signature"]
    assert row.status == OutboxStatus.PENDING and row.last_error.startswith("AuthFailure.SignatureFailure")


def test_an_event_without_a_template_is_not_sent(tencent):
    row = send_sms("13899110001", "验证码 123456", event="unknown_event")
    delivery.deliver_due()
    row.refresh_from_db()
    assert tencent.requests == []
    assert "未配置事件「unknown_event」的短信模板" in row.last_error


def test_the_deploy_check_names_what_tencent_lacks(settings):
    settings.JXJY_SMS_BACKEND = "jxjy.notify.backends.TencentSms"
    settings.JXJY_TENCENT_SMS = {"secret_id": "x", "secret_key": "", "app_id": "1", "sign_name": "s",
                                 "templates": {"registration_approved": "1"}}  # fmt: skip
    messages = [m.msg for m in checks.sms_provider_configured()]
    assert "腾讯云短信缺少配置：请设置环境变量 JXJY_TENCENT_SMS_SECRET_KEY。" in messages
    assert any("certificate_issued" in m and "registration_approved" not in m for m in messages)
    settings.JXJY_TENCENT_SMS = {"secret_id": "x", "secret_key": "k", "app_id": "1", "sign_name": "s",
                                 "templates": TEMPLATES}  # fmt: skip
    assert checks.sms_provider_configured() == []


class Inbox:
    """An SMTP server's handler: keeps each message, or answers a temporary failure."""

    def __init__(self):
        self.messages: list[tuple[list[str], email.message.Message]] = []
        self.refuse = False

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "451 4.3.0 mailbox temporarily unavailable"
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.original_content)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield inbox
    controller.stop()


def subject_of(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def test_an_email_is_delivered_through_smtp(smtp, settings):
    settings.DEFAULT_FROM_EMAIL = "继续教育系统 <noreply@jxjy.example.cn>"
    send_email("zhangsan@example.com", "学员报名：通过", "您的报名已审核通过。", event="registration_approved")
    assert delivery.deliver_due() == 1
    [(to, message)] = smtp.messages
    assert to == ["zhangsan@example.com"]
    assert subject_of(message) == "学员报名：通过"
    assert "您的报名已审核通过。" in message.get_payload(decode=True).decode(message.get_content_charset())
    assert "noreply@jxjy.example.cn" in message["From"]


def test_an_smtp_refusal_is_retried_and_the_address_is_not_kept_in_the_error(smtp, clock):
    smtp.refuse = True
    row = send_email("zhangsan@example.com", "学员报名：通过", "您的报名已审核通过。", event="registration_approved")
    assert delivery.deliver_due() == 0
    row.refresh_from_db()
    assert row.status == OutboxStatus.PENDING and "451" in row.last_error
    assert "zhangsan@example.com" not in row.last_error
    smtp.refuse = False
    clock.shift(delivery.backoff(1))
    assert delivery.deliver_due() == 1
    assert len(smtp.messages) == 1
