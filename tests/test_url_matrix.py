"""Role × URL: every URL pattern of the project, GET as each role, answers as the table says; a pattern
missing from the table fails. No GET writes to the database (bar the session and the audit rows of
downloads and exports), and every URL refuses a POST without a CSRF token.

To add a URL: add one line to URLS — its route as Django prints it, how to fill its parameters from the
world (tests/url_matrix_world.py), and its status for each role (`expect(default, role=status, …)`).
An admin model is one line too: `**admin_model("app/model", sysadmin=…)`.
"""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from demo.routes import project_routes

from .account_helpers import VerifiedClient
from .url_matrix_world import build_world, path_of

ROLES = ("anonymous", "base", "department", "hr_region", "hr_prefecture", "learner", "sysadmin", "secadmin", "auditor")


def expect(default: int, **by_role: int) -> dict[str, int]:
    unknown = set(by_role) - set(ROLES)
    assert not unknown, unknown
    return {role: by_role.get(role, default) for role in ROLES}


def staff(default: int = 403, **by_role: int) -> dict[str, int]:
    """Signed-in users get `default` unless named; the anonymous are sent to log in."""
    return expect(default, anonymous=302, **by_role)


# The admin sends the anonymous to log in and refuses every other account but the 系统管理员's.
def admin_model(app_model: str, **sysadmin) -> dict:
    """The six routes the admin gives a registered model, with the 系统管理员's answers."""
    answers = {"changelist": 200, "add": 200, "history": 200, "delete": 403, "change": 200, "redirect": 302}
    answers.update(sysadmin)
    obj = lambda w: {"object_id": w.admin_objects[app_model]}  # noqa: E731
    routes = {
        "changelist": (f"admin/{app_model}/", None),
        "add": (f"admin/{app_model}/add/", None),
        "history": (f"admin/{app_model}/<path:object_id>/history/", obj),
        "delete": (f"admin/{app_model}/<path:object_id>/delete/", obj),
        "change": (f"admin/{app_model}/<path:object_id>/change/", obj),
        "redirect": (f"admin/{app_model}/<path:object_id>/", obj),
    }
    return {route: (args, staff(403, sysadmin=answers[kind])) for kind, (route, args) in routes.items()}


def ADMIN(sysadmin: int) -> dict[str, int]:
    return staff(403, sysadmin=sysadmin)


# What each parameterised URL is pointed at (see build_world).
FILING = lambda w: {"pk": w.filing.pk}  # noqa: E731 - one line each reads as a table
FILING_ATTACHMENT = lambda w: {"pk": w.attachment.pk}  # noqa: E731
RECOGNITION = lambda w: {"pk": w.recognition.pk}  # noqa: E731
NOTIFICATION = lambda w: {"pk": w.notification.pk}  # noqa: E731
REVIEW_LIST = lambda w: {"slug": "prefiling"}  # noqa: E731
REVIEW_ACT = lambda w: {"slug": "prefiling", "pk": w.filing.pk, "action": "approve"}  # noqa: E731
CLASS = lambda w: {"pk": w.training_class.pk}  # noqa: E731
REGISTER_CLASS = lambda w: {"class_pk": w.training_class.pk}  # noqa: E731
REGISTRATION = lambda w: {"pk": w.registration.pk}  # noqa: E731
COMPLETION = lambda w: {"pk": w.completion.pk}  # noqa: E731
SCORE = lambda w: {"pk": w.completion.pk, "score_id": w.score.pk}  # noqa: E731
COMPLETION_ATTACHMENT = lambda w: {"pk": w.completion.pk, "attachment_id": w.completion_attachment.pk}  # noqa: E731
CERTIFICATE = lambda w: {"pk": w.certificate.pk}  # noqa: E731
CERT_KIND = lambda w: {"kind": "professional"}  # noqa: E731
CLASS_ID = lambda w: {"class_id": w.training_class.pk}  # noqa: E731
CERT_CODE = lambda w: {"code": w.certificate.code}  # noqa: E731
YEAR = lambda w: {"year": w.year}  # noqa: E731
VIEW_ON_SITE = lambda w: {"content_type_id": w.admin_objects["content_type"], "object_id": w.filing.base_id}  # noqa: E731
LEARNER_FIELD = lambda w: {"pk": w.admin_objects["accounts/learner"], "field": "id_number"}  # noqa: E731
ADMIN_USER_ID = lambda w: {"id": w.admin_objects["accounts/user"]}  # noqa: E731
USER_PK = lambda w: {"pk": w.admin_objects["accounts/user"]}  # noqa: E731
JOB = lambda w: {"pk": w.job.pk}  # noqa: E731
API_DOCUMENT = lambda w: {"kind": "prefiling", "id": w.filing.pk}  # noqa: E731
API_CODE = lambda w: {"code": w.certificate.code}  # noqa: E731
API_UNKNOWN = {"_path": "/api/nothing"}
AUDIT_DOCUMENT = lambda w: {"slug": "prefiling", "pk": w.filing.pk}  # noqa: E731
APPEAL = lambda w: {"pk": w.appeal.pk}  # noqa: E731
APPEAL_ACT = lambda w: {"pk": w.appeal.pk, "action": "approve"}  # noqa: E731
ORGANISATION_PK = lambda w: {"pk": w.admin_objects["accounts/organisation"]}  # noqa: E731
CATALOG_LEVEL = lambda w: {"kind": "level", "pk": w.admin_objects["catalog/level"]}  # noqa: E731
CATALOG_SERIES = lambda w: {"kind": "series", "pk": w.admin_objects["catalog/series"]}  # noqa: E731
TOKEN_PK = lambda w: {"pk": w.admin_objects["api/apitoken"]}  # noqa: E731
TWO_FACTOR_ROLES = ("hr_region", "hr_prefecture", "sysadmin", "secadmin", "auditor")

URLS: dict = {
    # route: (parameters from the world, {role: status of a GET})
    "": (None, expect(200)),  # the public front door for visitors, each user's home once signed in
    "guide/": (None, expect(200)),  # 操作指南 for learners, public
    "drafts/autosave/": (None, expect(405)),
    "attachments/staged/": (None, expect(405)),  # a file picked on a form: POST only
    "attachments/staged/<int:pk>/remove/": ({"pk": 1}, expect(405)),
    "session/keepalive/": (None, expect(405)),
    "healthz/live": (None, expect(200)),  # the load balancer's probes: no login
    "healthz/ready": (None, expect(200)),  # no task worker here: reported, but not required by default
    "audit/": (None, staff(403, auditor=200)),
    "audit/export/": (None, staff(405)),  # starts a job: POST only
    # A document an entry is about, read-only for the 审计管理员.
    "audit/document/<slug:slug>/<int:pk>/": (AUDIT_DOCUMENT, staff(403, auditor=200)),
    "accounts/login/": (None, expect(302, anonymous=200)),
    # The login form's 图形验证码 (django-simple-captcha): a picture only while its challenge exists (410 after), no
    # sound and no double-size picture, a new challenge only for the login page's script (X-Requested-With).
    r"captcha/image/(?P<key>\w+)/$": ({"_path": f"/captcha/image/{'0' * 40}/"}, expect(410)),
    r"captcha/image/(?P<key>\w+)@2/$": ({"_path": f"/captcha/image/{'0' * 40}@2/"}, expect(404)),
    r"captcha/audio/(?P<key>\w+).wav$": ({"_path": f"/captcha/audio/{'0' * 40}.wav"}, expect(404)),
    r"captcha/refresh/$": ({"_path": "/captcha/refresh/"}, expect(404)),
    "accounts/logout/": (None, expect(405)),
    "accounts/language/": (None, expect(405)),  # the language switch: POST only, for everyone
    "accounts/signup/": (None, expect(200)),
    # 注册 ② and 忘记密码 ②: without a code asked for in this session, back to step ①.
    "accounts/signup/details/": (None, expect(302)),
    "accounts/signup/resend/": (None, expect(405)),
    "accounts/password/forgot/": (None, expect(200)),
    "accounts/password/forgot/reset/": (None, expect(302)),
    "accounts/password/forgot/resend/": (None, expect(405)),
    "accounts/appeal/<str:token>/": ({"token": "no-such-link"}, expect(404)),  # the SMS link's one-time token
    "accounts/appeal/<str:token>/code/": ({"token": "no-such-link"}, expect(405)),
    # 身份申诉: decided by the 人社厅专技处 only.
    "accounts/appeals/": (None, staff(403, hr_region=200)),
    "accounts/appeals/<int:pk>/": (APPEAL, staff(403, hr_region=200)),
    "accounts/appeals/<int:pk>/<slug:action>/": (APPEAL_ACT, staff(405)),
    # Past the second factor already (or a role without one): back to the home page.
    "accounts/otp/setup/": (None, staff(302)),
    "accounts/otp/verify/": (None, staff(302)),
    "accounts/password/": (None, staff(200)),
    # 安全管理员: roles, unlocking, authenticators and the security policy.
    "accounts/security/users/": (None, staff(403, secadmin=200)),
    "accounts/security/users/<int:pk>/role/": (USER_PK, staff(403, secadmin=200)),
    "accounts/security/users/<int:pk>/unlock/": (USER_PK, expect(405)),
    "accounts/security/users/<int:pk>/otp-reset/": (USER_PK, expect(405)),
    "accounts/security/users/<int:pk>/password-reset/": (USER_PK, expect(405)),
    "accounts/security/policy/": (None, staff(403, secadmin=200)),
    "accounts/security/requests/": (None, staff(403, sysadmin=200, secadmin=200, auditor=200)),
    "accounts/security/requests/<int:pk>/<slug:decision>/": (lambda w: {"pk": 1, "decision": "approve"}, expect(405)),
    # A link that is not (or no longer) good answers 404 with the page saying so, to everyone.
    "accounts/password/set/<str:uidb64>/<str:token>/": (lambda w: {"uidb64": "MQ", "token": "x-y"}, expect(404)),
    # 下载任务: only the person who started the job sees it (the 人社厅 reviewer here).
    "jobs/": (None, staff(200)),
    "jobs/<int:pk>/": (JOB, staff(404, hr_region=200)),
    "jobs/<int:pk>/status/": (JOB, staff(404, hr_region=200)),
    "jobs/<int:pk>/download/": (JOB, staff(404, hr_region=200)),
    "jobs/<int:pk>/regenerate/": (JOB, staff(405)),  # 重新生成 is a POST
    # 开放接口: token only — a signed-in session counts for nothing, so every role answers alike.
    "api/openapi.json": (None, expect(200)),
    "api/docs/": (None, expect(200)),
    "api/v1/certificates/verify": (None, expect(400)),  # no number or code given
    "api/v1/certificates/verify/<str:code>": (API_CODE, expect(200)),
    "api/v1/certificates/verify/file": (None, expect(405)),  # POST a PDF
    "api/v1/hours/query": (None, expect(401)),
    "api/v1/completions/import": (None, expect(401)),
    "api/v1/documents": (None, expect(401)),
    "api/v1/documents/<str:kind>/<int:id>": (API_DOCUMENT, expect(401)),
    "api/^[\\s\\S]*$": (API_UNKNOWN, expect(404)),
    "accounts/learners/<int:pk>/reveal/<str:field>/": (LEARNER_FIELD, staff(405)),  # 显示完整 is a POST
    "filings/pre/": (None, staff(403, base=200)),
    "filings/pre/new/": (None, staff(403, base=200)),
    "filings/pre/new/submit/": (None, staff(405)),
    "filings/pre/<int:pk>/": (FILING, staff(404, base=200)),
    "filings/pre/<int:pk>/edit/": (FILING, staff(404, base=200)),
    "filings/pre/<int:pk>/submit/": (FILING, staff(405)),
    "filings/pre/<int:pk>/delete/": (FILING, staff(405)),
    "filings/pre/<int:pk>/form/generate/": (FILING, staff(405)),
    "filings/pre/<int:pk>/form/download/": (FILING, staff(404)),  # a draft has no generated form
    "filings/pre/<int:pk>/stamped/": (FILING, staff(405)),
    "filings/pre/<int:pk>/forward/": (FILING, staff(405)),
    "filings/attachments/<int:pk>/": (FILING_ATTACHMENT, staff(404, base=200)),
    "filings/recognition/": (None, staff(403, base=200)),
    "filings/recognition/new/": (None, staff(403, base=200)),
    "filings/recognition/new/submit/": (None, staff(405)),
    "filings/recognition/<int:pk>/edit/": (RECOGNITION, staff(403, base=200)),
    "filings/recognition/<int:pk>/submit/": (RECOGNITION, staff(405)),
    "review/messages/": (None, staff(200)),
    "review/messages/read-all/": (None, staff(405)),
    "review/messages/<int:pk>/open/": (NOTIFICATION, staff(405)),
    "review/<slug:slug>/waiting/": (REVIEW_LIST, staff(403, department=200, hr_region=200, hr_prefecture=200)),
    "review/<slug:slug>/done/": (REVIEW_LIST, staff(403, department=200, hr_region=200, hr_prefecture=200)),
    "review/<slug:slug>/<int:pk>/<slug:action>/": (REVIEW_ACT, staff(405)),
    "trainings/classes/": (None, staff(403, base=200)),
    "trainings/classes/new/": (None, staff(403, base=200)),
    "trainings/classes/<int:pk>/": (CLASS, staff(404, base=200, hr_region=200)),
    "trainings/classes/<int:pk>/edit/": (CLASS, staff(403, base=302)),  # approved: back to its page
    "trainings/classes/<int:pk>/open/": (CLASS, staff(405)),
    "trainings/classes/<int:pk>/close/": (CLASS, staff(405)),
    "trainings/registrations/review/": (None, staff(403, base=200)),
    "trainings/registrations/review/approve/": (None, staff(405)),
    "trainings/my/": (None, staff(403, learner=200)),
    "trainings/register/": (None, staff(403, learner=200)),
    "trainings/register/classes/": (None, staff(403, learner=302)),  # no specialty picked yet
    "trainings/register/classes/<int:class_pk>/": (REGISTER_CLASS, staff(403, learner=302)),
    "trainings/registrations/<int:pk>/": (REGISTRATION, staff(404, base=200, learner=200)),
    "trainings/registrations/<int:pk>/edit/": (REGISTRATION, staff(403, learner=302)),  # approved: not editable
    "trainings/registrations/<int:pk>/submit/": (REGISTRATION, staff(405)),
    "trainings/registrations/<int:pk>/wait/": (REGISTRATION, staff(405)),
    "trainings/registrations/<int:pk>/withdraw/": (REGISTRATION, staff(405)),
    "trainings/registrations/<int:pk>/delete/": (REGISTRATION, staff(405)),
    "completions/": (None, staff(403, base=200)),
    "completions/new/": (None, staff(403, base=200)),
    "completions/<int:pk>/": (COMPLETION, staff(404, base=200, hr_region=200)),
    "completions/<int:pk>/details/": (COMPLETION, staff(403, base=302)),  # approved: wizard closed
    "completions/<int:pk>/scores/": (COMPLETION, staff(403, base=302)),
    "completions/<int:pk>/scores/template/": (COMPLETION, staff(403, base=200)),
    "completions/<int:pk>/scores/<int:score_id>/": (SCORE, staff(405)),
    "completions/<int:pk>/attachments/": (COMPLETION, staff(403, base=302)),
    "completions/<int:pk>/submit/": (COMPLETION, staff(405)),
    "completions/<int:pk>/attachments/<int:attachment_id>/": (
        COMPLETION_ATTACHMENT,
        staff(404, base=200, hr_region=200),
    ),
    "certificates/mine/": (None, staff(403, learner=200)),
    "certificates/list/<slug:kind>/": (CERT_KIND, staff(403, base=200, hr_region=200, hr_prefecture=200)),
    "certificates/<int:pk>/pdf/": (CERTIFICATE, staff(404, base=200, hr_region=200, learner=200)),
    "certificates/<int:pk>/revoke/": (CERTIFICATE, staff(405)),
    "certificates/<int:pk>/reissue/": (CERTIFICATE, staff(405)),
    "certificates/class/<int:class_id>/zip/": (CLASS_ID, staff(405)),  # starts a job: POST only
    "certificates/verify/": (None, expect(200)),
    "certificates/v/<str:code>/": (CERT_CODE, expect(200)),
    "hours/": (None, staff(403, learner=200)),
    "notify/settings/": (None, staff(403, learner=200)),  # 消息设置: learners only
    "hours/<int:year>/proof/": (YEAR, staff(403, learner=200)),
    "stats/": (None, staff(403, hr_region=200, hr_prefecture=200)),
    "stats/export/": (None, staff(405)),
    # 系统管理 (the site's own screens, jxjy/sysadmin): the 系统管理员's only; its buttons are POSTs.
    "sysadmin/": (None, staff(403, sysadmin=200)),
    "sysadmin/organisations/": (None, staff(403, sysadmin=200)),
    "sysadmin/organisations/new/": (None, staff(403, sysadmin=200)),
    "sysadmin/organisations/<int:pk>/edit/": (ORGANISATION_PK, staff(403, sysadmin=200)),
    "sysadmin/accounts/": (None, staff(403, sysadmin=200)),
    "sysadmin/accounts/new/": (None, staff(403, sysadmin=200)),
    "sysadmin/accounts/<int:pk>/": (USER_PK, staff(403, sysadmin=200)),
    "sysadmin/accounts/<int:pk>/edit/": (USER_PK, staff(403, sysadmin=200)),
    "sysadmin/accounts/<int:pk>/disable/": (USER_PK, expect(405)),
    "sysadmin/accounts/<int:pk>/enable/": (USER_PK, expect(405)),
    "sysadmin/catalog/": (None, staff(403, sysadmin=200)),
    "sysadmin/catalog/<slug:kind>/new/": ({"kind": "specialty"}, staff(403, sysadmin=200)),
    "sysadmin/catalog/<slug:kind>/<int:pk>/edit/": (CATALOG_LEVEL, staff(403, sysadmin=200)),
    "sysadmin/catalog/<slug:kind>/<int:pk>/disable/": (CATALOG_SERIES, expect(405)),
    "sysadmin/catalog/<slug:kind>/<int:pk>/enable/": (CATALOG_SERIES, expect(405)),
    "sysadmin/rules/": (None, staff(403, sysadmin=200)),
    "sysadmin/rules/<slug:key>/": ({"key": "JXJY_FILING_LEAD_DAYS"}, staff(403, sysadmin=200)),
    "sysadmin/rules/<slug:key>/reset/": ({"key": "JXJY_FILING_LEAD_DAYS"}, expect(405)),
    "sysadmin/tokens/": (None, staff(403, sysadmin=200)),
    "sysadmin/tokens/new/": (None, staff(403, sysadmin=200)),
    "sysadmin/tokens/<int:pk>/revoke/": (TOKEN_PK, expect(405)),
    # 系统管理 (Django admin): only the 系统管理员 gets in; everyone else is sent to its login page.
    "admin/": (None, ADMIN(200)),
    "admin/login/": (None, staff(403, sysadmin=302)),  # the site's own login page, with its throttling
    "admin/logout/": (None, ADMIN(405)),
    "admin/password_change/": (None, ADMIN(302)),  # the site's own 修改密码
    "admin/password_change/done/": (None, ADMIN(200)),
    "admin/autocomplete/": (None, ADMIN(403)),
    "admin/jsi18n/": (None, ADMIN(200)),
    "admin/r/<path:content_type_id>/<path:object_id>/": (VIEW_ON_SITE, ADMIN(404)),
    "admin/^(?P<app_label>auth|accounts|core|catalog|api)/$": ({"_path": "/admin/accounts/"}, ADMIN(200)),
    "admin/(?P<url>.*)$": ({"_path": "/admin/nothing/"}, ADMIN(404)),
    "admin/accounts/user/<id>/password/": (ADMIN_USER_ID, ADMIN(403)),  # nobody types another's password
    "admin/accounts/user/<int:pk>/disable/": (USER_PK, ADMIN(403)),  # buttons: POST only
    "admin/accounts/user/<int:pk>/enable/": (USER_PK, ADMIN(403)),
    **admin_model("api/apitoken"),
    **admin_model("auth/group", changelist=403, add=403, history=403, change=403),  # Django's, not granted
    **admin_model("accounts/prefecture"),
    **admin_model("accounts/organisation"),
    **admin_model("accounts/user"),
    **admin_model("accounts/learner"),
    **admin_model("core/rulesetting", delete=200),  # deleting a rule restores its default
    **admin_model("catalog/series"),
    **admin_model("catalog/specialty"),
    **admin_model("catalog/level"),
}


# ---- the tests ----


@pytest.fixture
def world(base, base_user, department_user, hr_region_user, learner_user, sysadmin_user):
    cache.clear()
    return build_world(
        base=base, base_user=base_user, department_user=department_user, hr_region_user=hr_region_user,
        learner_user=learner_user, sysadmin_user=sysadmin_user,
    )  # fmt: skip


def client_as(request, role: str, **kwargs) -> VerifiedClient:
    """A client signed in as `role`, past the second factor where the role has one."""
    client = VerifiedClient(**kwargs)
    if role == "anonymous":
        return client
    client.force_login(request.getfixturevalue(f"{role}_user"))
    return client


def url_for(route: str, world) -> str:
    args, _ = URLS[route]
    return path_of(route, args(world) if callable(args) else args or {})


# Writes a GET may cause: the session it renews, and the audit rows of a download or an export.
ALLOWED_WRITES = ('"django_session"', '"core_auditentry"', '"core_auditchainhead"')


def writes_of(queries) -> list[str]:
    sql = [q["sql"] for q in queries]
    changing = [s for s in sql if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "REPLACE"))]
    return [s for s in changing if not any(table in s.split(" WHERE ")[0] for table in ALLOWED_WRITES)]


def test_every_url_pattern_is_in_the_table():
    routes = {route for route, _ in project_routes()}
    assert sorted(routes - set(URLS)) == [], "URL patterns missing from URLS"
    assert sorted(set(URLS) - routes) == [], "URLS lists patterns that no longer exist"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_table_says_and_no_get_writes(request, world, role):
    client = client_as(request, role)
    wrong, writes = [], []
    for route, (_, expected) in URLS.items():
        url = url_for(route, world)
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url).status_code
        if status != expected[role]:
            wrong.append(f"{route!r} ({url}): {status}, expected {expected[role]}")
        writes += [f"{url}: {sql[:120]}" for sql in writes_of(queries)]
    assert wrong == [], "\n".join(wrong)
    assert writes == [], "\n".join(writes)


@pytest.mark.parametrize("role", ["anonymous", "base", "sysadmin"])
def test_every_url_refuses_a_post_without_a_csrf_token(request, world, role):
    client = client_as(request, role, enforce_csrf_checks=True)
    accepted = []
    for route in URLS:
        url = url_for(route, world)
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, {"action": "submit"})
        # The open API takes no session at all (tests/api): its POSTs need a token, not a CSRF token; the
        # public check of a certificate file needs neither, and refuses a POST without a file.
        token_only = route.startswith("api/") and response.status_code in (401, 405)
        token_only |= route == "api/v1/certificates/verify/file" and response.status_code == 400
        # (403_csrf.html: the site's own page for a refused form.)
        refused = response.status_code == 403 and "页面已过期，未能提交" in response.content.decode()
        if not token_only and not refused:
            accepted.append(f"{url}: {response.status_code}")
        accepted += [f"{url} wrote: {sql[:120]}" for sql in writes_of(queries)]
    assert accepted == [], "\n".join(accepted)


def test_the_write_check_sees_a_write_and_lets_bookkeeping_pass(world):
    from django.utils import timezone

    from jxjy.audit import trail as audit
    from jxjy.notify.models import Notification

    with CaptureQueriesContext(connection) as queries:
        Notification.objects.filter(pk=world.notification.pk).update(read_at=timezone.now())
        audit.record(actor=None, action="download_certificate")
    (write,) = writes_of(queries)
    assert "review_notification" in write


# What Django or a server says when a project page is missing: never shown to a user here.
ENGLISH_DEFAULTS = ("Forbidden", "Not Found", "Server Error", "Bad Request", "Method Not Allowed")
CHINESE = re.compile(r"[\u4e00-\u9fff]")
NOT_PAGES = {"captcha/image/(?P<key>\\w+)/$"}  # the login form's 图形验证码 image, never opened as a page


def shown(client, url: str):
    """The page a browser ends on, following at most three redirects, and the number it followed."""
    response, hops = client.get(url), 0
    while response.status_code in (301, 302, 303, 307, 308) and hops < 3:
        response, hops = client.get(response["Location"]), hops + 1
    return response, hops


def unfriendly(response) -> bool:
    """An error answered with no Chinese words, or with a server's English default."""
    if response.status_code < 400 or response.get("Content-Type", "").startswith("application/json"):
        return False
    body = response.content.decode(errors="replace")
    return not CHINESE.search(body) or any(words in body for words in ENGLISH_DEFAULTS)


@pytest.mark.parametrize("role", ROLES)
def test_no_url_redirects_more_than_twice_and_every_refusal_is_a_chinese_page(request, world, role):
    client = client_as(request, role)
    bad = []
    for route in URLS:
        if route in NOT_PAGES:
            continue
        response, hops = shown(client, url_for(route, world))
        if hops > 2 or unfriendly(response):
            bad.append(f"{route!r}: {hops} redirects, then {response.status_code}")
    assert bad == [], "\n".join(bad)


@pytest.mark.parametrize("role", ["anonymous", "base", "hr_region", "learner"])
def test_a_missing_object_gets_a_chinese_page(request, world, role):
    client = client_as(request, role)
    bad = []
    for route, (args, _) in URLS.items():
        if not callable(args) or route in NOT_PAGES:
            continue
        missing = {name: 2**31 - 1 if isinstance(value, int) else value for name, value in args(world).items()}
        response, hops = shown(client, path_of(route, missing))
        if hops > 2 or unfriendly(response):
            bad.append(f"{route!r}: {hops} redirects, then {response.status_code}")
    assert bad == [], "\n".join(bad)
