"""Where an SMS goes: chosen by JXJY_SMS_BACKEND (a dotted path). E-mail uses Django's EMAIL_BACKEND.

An SMS backend has one method, `send(mobile, text, *, event, params)`: `text` is the whole message (what the
console, a file and the tests show), `event` and `params` are what a provider's template is sent
(events.EXTERNAL). It raises SmsError (or anything else) when the message did not go; the row is tried again.
Numbers and addresses never reach a log line or a file whole.
"""

import copy
import json
import logging
import uuid
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core.mail.backends import console
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.sms.v20210111 import models as sms_models
from tencentcloud.sms.v20210111.sms_client import SmsClient

from jxjy.core import clock
from jxjy.core.identity import mask_mobile

logger = logging.getLogger("jxjy.notify")

# What the locmem backend sent, newest last: the tests read the codes from here (like django.core.mail.outbox).
sent: list[dict] = []


class SmsError(Exception):
    """The provider refused or could not be reached; the row is tried again later."""


def mask_email(address: str) -> str:
    """zhangsan@example.com → zh****@example.com (the domain stays: it says which provider refused)."""
    name, at, domain = (address or "").partition("@")
    return f"{name[:2]}****{at}{domain}" if at else mask_mobile(address)


class LocmemSms:
    def send(self, mobile: str, text: str, *, event: str = "", params: Sequence[str] = ()) -> None:
        sent.append({"mobile": mobile, "text": text, "event": event, "params": list(params)})


class ConsoleSms:
    def send(self, mobile: str, text: str, *, event: str = "", params: Sequence[str] = ()) -> None:
        logger.warning("短信 → %s：%s", mask_mobile(mobile), text)


class FileSms:
    """Development: each SMS is a small JSON file in JXJY_SMS_FILE_DIR (the number masked)."""

    def send(self, mobile: str, text: str, *, event: str = "", params: Sequence[str] = ()) -> None:
        folder = Path(settings.JXJY_SMS_FILE_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{clock.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.json"
        message = {"mobile": mask_mobile(mobile), "event": event, "params": list(params), "text": text}
        (folder / name).write_text(json.dumps(message, ensure_ascii=False, indent=1), encoding="utf-8")


class TencentSms:
    """腾讯云短信 through its official SDK (API 2021-01-11 SendSms): one approved template per event."""

    def __init__(self) -> None:
        self.config = settings.JXJY_TENCENT_SMS
        profile = HttpProfile(
            endpoint=self.config["endpoint"],
            protocol=self.config["protocol"],
            reqTimeout=self.config["timeout"],
        )
        self.client = SmsClient(
            credential.Credential(self.config["secret_id"], self.config["secret_key"]),
            self.config["region"],
            ClientProfile(httpProfile=profile),
        )

    def send(self, mobile: str, text: str, *, event: str = "", params: Sequence[str] = ()) -> None:
        template = self.config["templates"].get(event)
        if not template:
            raise SmsError(_("未配置事件「%(event)s」的短信模板（JXJY_TENCENT_SMS_TEMPLATES）。") % {"event": event})
        request = sms_models.SendSmsRequest()
        request.PhoneNumberSet = [f"+86{mobile}"]
        request.SmsSdkAppId = self.config["app_id"]
        request.SignName = self.config["sign_name"]
        request.TemplateId = template
        request.TemplateParamSet = [str(p) for p in params]
        try:
            response = self.client.SendSms(request)
        except TencentCloudSDKException as exc:
            raise SmsError(f"{exc.get_code()}：{exc.get_message()}") from exc
        status = (response.SendStatusSet or [None])[0]
        if status is None or status.Code != "Ok":
            code = getattr(status, "Code", None) or _("无发送结果")
            raise SmsError(f"{code}：{getattr(status, 'Message', '')}")


class ConsoleEmailBackend(console.EmailBackend):
    """Development e-mail on the console, with the recipients' addresses masked."""

    def write_message(self, message):
        masked = copy.copy(message)
        masked.to = [mask_email(a) for a in message.to]
        masked.cc = [mask_email(a) for a in message.cc]
        masked.bcc = [mask_email(a) for a in message.bcc]
        masked.extra_headers = {k: v for k, v in message.extra_headers.items() if k.lower() not in ("to", "cc")}
        super().write_message(masked)


def sms_backend():
    return import_string(settings.JXJY_SMS_BACKEND)()
