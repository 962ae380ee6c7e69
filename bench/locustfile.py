"""The mixed load of bench/morning.py --mixed: learners, bases and HR reviewers reading their pages at once.

Started by bench/morning.py (locust, headless), which seeds the accounts and names them in the JSON file
MORNING_ACCOUNTS: {"password": …, "learners": [身份证号 or 手机号 …], "bases": [user name …],
"hr": [[user name, TOTP key in hex] …]}. Each simulated person signs in through the login page once (an HR
reviewer also passes 二次验证 with the code of its authenticator), then opens pages with a pause of
MORNING_PAUSE seconds (default 0.5–2) between them, as a person reads them. The statistics count from the
moment all MORNING_USERS have signed in, for MORNING_SECONDS:

* 学员: 我的主页, 我的证书, 学时档案, 继续教育专业课 (my registrations);
* 基地: 学员报名审核 (待审核 and 全部), its 我的主页;
* 人社厅: 培训前备案 / 培训信息 / 培训后备案 待审核, 专业课电子证书, 统计分析, its 我的主页.

The cookies are kept here, not by the HTTP library: the production settings mark them Secure, and the
library would not send Secure cookies over the plain http of loopback (in production nginx ends TLS).
Every request carries X-Real-IP, as nginx sets it, one address per simulated person.
"""

import hashlib
import hmac
import itertools
import json
import os
import re
import struct
import time
from pathlib import Path

import gevent
from locust import HttpUser, between, task

ACCOUNTS = json.loads(Path(os.environ["MORNING_ACCOUNTS"]).read_text()) if os.environ.get("MORNING_ACCOUNTS") else {}
PASSWORD = ACCOUNTS.get("password", "")
LEARNERS = itertools.cycle(ACCOUNTS.get("learners") or ["-"])
BASES = itertools.cycle(ACCOUNTS.get("bases") or ["-"])
HR = iter(ACCOUNTS.get("hr") or [])  # one account each: a TOTP code is accepted once per 30 s per device
ADDRESSES = (f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}" for n in itertools.count(1 << 20))
PAUSE = [float(x) for x in os.environ.get("MORNING_PAUSE", "0.5,2").split(",")]
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The statistics start once all MORNING_USERS have signed in (a sign-in costs far more than a page, so pages
# measured while others still sign in would measure the sign-ins); MORNING_SECONDS later the run ends.
USERS = int(os.environ.get("MORNING_USERS", 0))
SECONDS = float(os.environ.get("MORNING_SECONDS", 60))
signed_in = 0


def one_more_signed_in(environment) -> None:
    global signed_in
    signed_in += 1
    if signed_in == USERS:
        environment.stats.reset_all()
        print(f"all {USERS} signed in at {time.time():.3f}; measuring for {SECONDS:g} s", flush=True)
        gevent.spawn_later(SECONDS, environment.runner.quit)


def totp(key_hex: str, at: float | None = None) -> str:
    """RFC 6238 (SHA-1, 30 s, 6 digits), as django-otp's TOTPDevice checks it."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


class Person(HttpUser):
    abstract = True
    wait_time = between(*PAUSE)
    who = ""

    def on_start(self):
        self.cookies: dict[str, str] = {}
        self.address = next(ADDRESSES)
        self.sign_in()
        one_more_signed_in(self.environment)

    def send(self, method: str, path: str, name: str, data: dict | None = None, expect: int = 200):
        """One request with this person's cookies; a failure unless the status is `expect` (no redirect is
        followed: a page that sends the person to the login page has failed)."""
        headers = {"X-Real-IP": self.address, "Accept-Language": "zh-CN,zh;q=0.9"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["Origin"] = self.host
            headers["Referer"] = self.host + path
        with self.client.request(
            method, path, data=data, headers=headers, name=f"{self.who} {name}", allow_redirects=False,
            catch_response=True,
        ) as response:  # fmt: skip
            self.cookies.update({c.name: c.value for c in response.cookies})
            if response.status_code != expect:
                response.failure(f"HTTP {response.status_code}, expected {expect}")
            return response

    def page(self, path: str, name: str) -> None:
        self.send("GET", path, name)

    def log_in(self, username: str) -> None:
        form = self.send("GET", "/accounts/login/", "登录页")
        token = CSRF_RE.search(form.text)
        data = {"csrfmiddlewaretoken": token[1] if token else "", "username": username, "password": PASSWORD,
                "next": ""}  # fmt: skip
        self.send("POST", "/accounts/login/", "登录", data, expect=302)

    def sign_in(self) -> None:
        raise NotImplementedError


class Learner(Person):
    who = "学员"

    def sign_in(self):
        self.log_in(next(LEARNERS))

    @task(3)
    def home(self):
        self.page("/", "我的主页")

    @task(2)
    def certificates(self):
        self.page("/certificates/mine/", "我的证书")

    @task(2)
    def hours(self):
        self.page("/hours/", "学时档案")

    @task(1)
    def registrations(self):
        self.page("/trainings/my/", "继续教育专业课")


class Base(Person):
    who = "基地"
    fixed_count = int(os.environ.get("MORNING_BASE_USERS", 2))

    def sign_in(self):
        self.log_in(next(BASES))

    @task(3)
    def waiting(self):
        self.page("/trainings/registrations/review/", "学员报名审核（待审核）")

    @task(1)
    def everything(self):
        self.page("/trainings/registrations/review/?status=", "学员报名审核（全部）")

    @task(1)
    def home(self):
        self.page("/", "我的主页")


class Reviewer(Person):
    who = "人社厅"
    fixed_count = int(os.environ.get("MORNING_HR_USERS", 2))

    def sign_in(self):
        username, key = next(HR)
        self.log_in(username)
        form = self.send("GET", "/accounts/otp/verify/?next=/", "二次验证页")
        token = CSRF_RE.search(form.text)
        data = {"csrfmiddlewaretoken": token[1] if token else "", "token": totp(key), "next": "/"}
        self.send("POST", "/accounts/otp/verify/", "二次验证", data, expect=302)

    @task(2)
    def prefilings(self):
        self.page("/review/prefiling/waiting/", "培训前备案待审核")

    @task(2)
    def trainings(self):
        self.page("/review/training/waiting/", "培训信息待审核")

    @task(1)
    def completions(self):
        self.page("/review/completion/waiting/", "培训后备案待审核")

    @task(2)
    def certificates(self):
        self.page("/certificates/list/professional/", "专业课电子证书")

    @task(1)
    def stats(self):
        self.page("/stats/", "统计分析")

    @task(1)
    def home(self):
        self.page("/", "我的主页")
