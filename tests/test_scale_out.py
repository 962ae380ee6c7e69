# ruff: noqa: S310 - the requests go to the application servers this test starts on loopback
"""Two application servers (gunicorn, production settings, two workers each) on one PostgreSQL and one
Redis: a login on A is a login on B, a file uploaded through A downloads through B, a draft autosaved
on A is restored on B, and learners submitting at once through both never get more than the seats."""

import contextlib
import http.cookies
import json
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from demo import factories as f
from jxjy.attachments.models import Attachment, AttachmentKind
from jxjy.filings.models import PreFiling, PreFilingStatus
from jxjy.trainings import services as trainings
from jxjy.trainings.models import Registration
from jxjy.trainings.models import RegistrationStatus as R

from .service_helpers import PROD_SECRET_KEY, ROOT, on_postgresql, prod_env, redis_client

pytestmark = [on_postgresql, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "Scale@2026out"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One person's browser: cookies kept across whichever server answers, as behind a load balancer."""

    def __init__(self):
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(self, base: str, path: str, *, data: bytes | None = None, headers: dict | None = None):
        headers = {
            # As nginx passes it on: the site is https, so Django also checks the Origin of every POST.
            "X-Forwarded-Proto": "https",
            "Origin": "https://" + base.removeprefix("http://"),
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **(headers or {}),
        }
        if data is not None and "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        req = urllib.request.Request(base + path, data=data, headers=headers, method="GET" if data is None else "POST")
        try:
            response = self.opener.open(req, timeout=60)
        except urllib.error.HTTPError as e:
            response = e
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, response.read()

    def post_form(self, base: str, path: str, fields: dict):
        body = urllib.parse.urlencode(fields).encode()
        return self.request(base, path, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"})

    def login(self, base: str, username: str, password: str = PASSWORD) -> None:
        self.request(base, reverse("accounts:login"))  # the CSRF cookie
        status, headers, _ = self.post_form(
            base, reverse("accounts:login"), {"username": username, "password": password}
        )
        assert status == 302 and reverse("accounts:login") not in headers["Location"], "login failed"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    env = prod_env(STATIC_ROOT=root)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    return root


@pytest.fixture(scope="module")
def servers(django_db_setup, static_root, tmp_path_factory):
    """Servers A and B, started once for this module's tests, with their own attachment folder."""
    redis = redis_client()
    logs = tmp_path_factory.mktemp("servers")
    env = prod_env(
        MEDIA_ROOT=logs / "media", STATIC_ROOT=static_root, SECURE_SSL_REDIRECT="0", WEB_CONCURRENCY=2,
        JXJY_ACCESS_LOG="",
    )  # fmt: skip
    procs, urls = [], []
    for name in "AB":
        port = _free_port()
        log = open(logs / f"server-{name}.log", "wb")  # noqa: SIM115 - closed below
        cmd = [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
        procs.append((subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT), log))
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url, name in zip(urls, "AB", strict=True):
            _wait_until_up(url, logs / f"server-{name}.log")
        yield urls
    finally:
        for proc, log in procs:
            proc.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(20)
            proc.kill()
            log.close()
        redis.flushdb()


@pytest.fixture(autouse=True)
def _servers_key(settings):
    """This process signs sessions with the servers' key, as a third machine of the site would."""
    settings.SECRET_KEY = PROD_SECRET_KEY


def _wait_until_up(url: str, log) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if urllib.request.urlopen(url + reverse("accounts:login"), timeout=5).status == 200:
                return
        time.sleep(0.3)
    pytest.fail(f"server {url} did not start:\n{log.read_text()[-3000:]}")


@pytest.fixture
def staff(settings, base_user):
    """The base's account with a password the servers' hasher can check (the test settings use MD5)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    base_user.set_password(PASSWORD)
    base_user.save()
    return base_user


def test_a_login_on_a_holds_on_b_and_a_logout_on_b_ends_it_on_a(servers, staff):
    a, b = servers
    browser = Browser()
    browser.login(a, staff.username)
    status, _, body = browser.request(b, reverse("filings:list"))
    assert status == 200 and staff.organisation.name in body.decode()
    assert redis_client_keys(), "sessions and rate limits are kept in Redis"
    assert browser.post_form(b, reverse("accounts:logout"), {})[0] == 302
    status, headers, _ = browser.request(a, reverse("filings:list"))
    assert status == 302 and reverse("accounts:login") in headers["Location"]


def redis_client_keys() -> list[bytes]:
    import redis

    from .service_helpers import REDIS_URL

    return redis.Redis.from_url(REDIS_URL).keys("jxjy:*")


def _multipart(field: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
            f"Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def test_a_file_uploaded_through_a_downloads_through_b(servers, staff, base):
    a, b = servers
    filing = f.complete_filing(base, staff)
    PreFiling.objects.filter(pk=filing.pk).update(status=PreFilingStatus.DEPT_APPROVED, submitted_at=timezone.now())
    browser = Browser()
    browser.login(a, staff.username)
    content = f.PDF + b"%scale-out test\n"
    body, content_type = _multipart("stamped_form", "申报表.pdf", content)
    status, _, _ = browser.request(
        a, reverse("filings:upload_stamped", args=[filing.pk]), data=body, headers={"Content-Type": content_type}
    )
    assert status == 302
    attachment = Attachment.objects.get(object_id=filing.pk, kind=AttachmentKind.STAMPED_FORM)
    status, headers, downloaded = browser.request(b, reverse("filings:attachment", args=[attachment.pk]))
    assert status == 200 and downloaded == content and "attachment" in headers["Content-Disposition"]


def test_a_draft_autosaved_on_a_is_restored_on_b(servers, staff):
    a, b = servers
    browser = Browser()
    browser.login(a, staff.username)
    payload = json.dumps({"key": "prefiling:new", "pairs": [["class_name", "跨服务器自动保存的培训班"]]}).encode()
    status, _, body = browser.request(
        a, reverse("core:autosave"), data=payload, headers={"Content-Type": "application/json"}
    )
    assert status == 200 and json.loads(body)["ok"]
    status, _, page = browser.request(b, reverse("filings:new"))
    page = page.decode()
    assert status == 200 and "已为您恢复上次未保存的内容" in page
    assert "跨服务器自动保存的培训班" in page or "\\u8de8\\u670d\\u52a1" in page


SEATS, LEARNERS = 3, 10


def test_learners_submitting_through_both_servers_never_exceed_the_seats(servers, base, base_user):
    a, b = servers
    c = f.published_class(f.approved_filing(base, base_user), base_user, seat_limit=SEATS)
    specialty_id, level_id = f.scope_of(c)
    people = []
    for n in range(LEARNERS):
        learner = f.learner(900 + n)
        reg = trainings.start_registration(
            learner=learner, training_class=c, specialty_id=specialty_id, level_id=level_id,
            details={"work_unit": "单位", "current_title": "工程师", "year": c.years[0]}, package_course_ids=[],
        )  # fmt: skip
        client = Client()
        client.force_login(learner.user)  # a session in the shared database, signed with the servers' key
        browser = Browser()
        browser.cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": uuid.uuid4().hex}
        people.append((reg, browser, (a, b)[n % 2]))

    barrier = threading.Barrier(LEARNERS)

    def press(person):
        reg, browser, server = person
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=10)
        return browser.request(server, reverse("trainings:registration_submit", args=[reg.pk]), data=b"x=1")[0]

    with ThreadPoolExecutor(LEARNERS) as pool:
        codes = list(pool.map(press, people))
    assert codes == [302] * LEARNERS
    submitted = Registration.objects.filter(training_class=c, status=R.SUBMITTED)
    assert submitted.count() == SEATS
    refused = [(reg, browser, server) for reg, browser, server in people if not submitted.filter(pk=reg.pk).exists()]
    assert len(refused) == LEARNERS - SEATS
    reg, browser, server = refused[0]
    assert (
        "报名人数已满" in browser.request(server, reverse("trainings:registration_detail", args=[reg.pk]))[2].decode()
    )
