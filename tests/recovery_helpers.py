"""Reading what the SMS outbox holds, and walking 注册 and 忘记密码 through the pages."""

import re

from django.urls import reverse

from jxjy.core.identity import normalize_mobile
from jxjy.notify.models import Channel, Outbox

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def sms_to(mobile: str) -> list[str]:
    """The texts written to the outbox for `mobile`, oldest first (delivered or not)."""
    rows = Outbox.objects.filter(channel=Channel.SMS).order_by("pk")  # the address is encrypted: compared here
    return [row.body for row in rows if row.address == mobile]


def code_in(text: str) -> str:
    return re.search(r"验证码(\d{6})", text).group(1)


def last_code(mobile: str) -> str:
    return code_in(sms_to(mobile)[-1])


def page_text(response) -> str:
    """The page as the visitor gets it, without the CSRF token (different on every page)."""
    return CSRF.sub("", response.content.decode())


def answer(response) -> tuple:
    """What a visitor can tell from an answer: status, where it leads, the words of the page it ends on."""
    chain = [(url, status) for url, status in getattr(response, "redirect_chain", [])]
    return response.status_code, chain, page_text(response)


def start_signup(client, mobile: str, **kw):
    return client.post(reverse("accounts:signup"), {"mobile": mobile}, **kw)


def signup_details(**overrides) -> dict:
    data = {
        "name": "李娜",
        "id_number": "650102198803150025",
        "work_unit": "新疆水利水电勘测设计研究院",
        "password1": "Shuili@2026",
        "password2": "Shuili@2026",
    }
    data.update(overrides)
    return data


def sign_up(client, *, mobile: str = "13800138000", code: str | None = None, **overrides):
    """Both steps of 注册, with the code the SMS carried (unless `code` is given); follows the redirects."""
    start_signup(client, mobile, follow=True)  # step ② shown, as in a browser
    if code is None:
        code = last_code(normalize_mobile(mobile))
    return client.post(reverse("accounts:signup_details"), {"code": code, **signup_details(**overrides)}, follow=True)
