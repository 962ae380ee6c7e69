"""Login throttling: five failures lock the pair (account, address), so that nobody elsewhere can lock an account
out, the 安全管理员's included; after three failures for the account or from the address the form asks for a
图形验证码, checked before any password. Unknown accounts answer and lock alike, the lockout tables hold no
身份证号, and one address is rate-limited as well."""

import datetime as dt
import re

import pytest
from axes.models import AccessAttempt
from captcha.models import CaptchaStore
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo import factories as f
from jxjy.accounts import lockout
from jxjy.audit.models import AuditEntry
from jxjy.core import clock

from .account_helpers import code, device_of
from .html_helpers import errors_next_to, page
from .lockout_helpers import PASSED, captcha_test_mode  # noqa: F401 - a fixture
from .test_redis_outage import redis_down  # noqa: F401 - a fixture

LOGIN = "accounts:login"
ID, MOBILE = "650102199001011239", "13899110001"
LOCKED = "登录该账号已暂停30分钟"


def attempt(client, username, password, ip="10.1.1.1", **extra):
    data = {"username": username, "password": password, **extra}
    return client.post(reverse(LOGIN), data, REMOTE_ADDR=ip)


def fail(client, username, times, ip="10.1.1.1"):
    """`times` wrong passwords, passing the 图形验证码 once it is asked for; the last answer."""
    for _ in range(times):
        response = attempt(client, username, "wrong", ip=ip, **PASSED)
    return response


def has_captcha(response) -> bool:
    return 'name="captcha_1"' in response.content.decode()


def failures(user) -> int:
    rows = AccessAttempt.objects.filter(username=lockout.key_for_user(user))
    return sum(rows.values_list("failures_since_start", flat=True))


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


# ---- the pair (account, address) ----


@pytest.mark.usefixtures("captcha_test_mode")
def test_five_failures_lock_the_pair_even_with_the_right_password(client, learner_user):
    fifth = fail(client, ID, 5, ip="10.0.0.1")
    assert fifth.status_code == 429 and LOCKED in fifth.content.decode()
    locked = attempt(client, MOBILE, f.PASSWORD, ip="10.0.0.1", **PASSED)  # the mobile names the same account
    assert locked.status_code == 429 and LOCKED in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.usefixtures("captcha_test_mode")
def test_the_pair_lock_locks_that_pair_only(client, base_user, learner_user):
    fail(client, "jd_sl", 5, ip="10.0.0.1")
    assert attempt(client, "jd_sl", f.PASSWORD, ip="10.0.0.1", **PASSED).status_code == 429
    assert attempt(client, ID, f.PASSWORD, ip="10.0.0.1", **PASSED).status_code == 302  # another account, same address
    client.logout()
    assert attempt(client, "jd_sl", f.PASSWORD, ip="10.0.0.2", **PASSED).status_code == 302  # same account elsewhere


@pytest.mark.usefixtures("captcha_test_mode")
def test_failures_spread_over_addresses_lock_nothing(client, learner_user):
    for n in range(8):
        assert attempt(client, ID, "wrong", ip=f"10.0.0.{n}", **PASSED).status_code == 200
    assert attempt(client, ID, f.PASSWORD, ip="10.0.0.99", **PASSED).status_code == 302


@pytest.mark.usefixtures("captcha_test_mode")
def test_an_attacker_elsewhere_cannot_lock_the_secadmin_out(client, secadmin_user):
    device = device_of(secadmin_user)
    attacker = client.__class__()
    assert fail(attacker, "secadmin", 5, ip="10.6.6.6").status_code == 429
    assert attempt(attacker, "secadmin", f.PASSWORD, ip="10.6.6.6", **PASSED).status_code == 429  # their own pair
    # The 安全管理员, at their own desk: the 图形验证码 (the account has failures), then the password and the code.
    asked = attempt(client, "secadmin", f.PASSWORD, ip="10.2.2.2")
    assert asked.status_code == 200 and errors_next_to(asked, "captcha_1") == ["请输入图形验证码。"]
    assert attempt(client, "secadmin", f.PASSWORD, ip="10.2.2.2", **PASSED).status_code == 302
    assert client.get(reverse("accounts:security_users")).url.startswith(reverse("accounts:otp_verify"))
    verify = client.post(reverse("accounts:otp_verify"), {"token": code(device)}, REMOTE_ADDR="10.2.2.2")
    assert verify.status_code == 302 and "otp_device_id" in client.session
    assert client.get(reverse("accounts:security_users"), REMOTE_ADDR="10.2.2.2").status_code == 200


@pytest.mark.usefixtures("captcha_test_mode")
def test_the_address_is_remote_addr_never_the_clients_own_header(client, base_user):
    for n in range(5):
        last = client.post(
            reverse(LOGIN), {"username": "jd_sl", "password": "wrong", **PASSED},
            REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}", HTTP_X_REAL_IP=f"198.51.100.{n}",
        )  # fmt: skip
    assert last.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.0.0.1"}


# ---- the 图形验证码 ----


def test_the_captcha_appears_after_three_failures_for_the_account(client, base_user):
    for _ in range(2):
        assert not has_captcha(attempt(client, "jd_sl", "wrong", ip="10.0.0.1"))
    third = attempt(client, "jd_sl", "wrong", ip="10.0.0.1")
    assert "账号或密码错误" in third.content.decode() and has_captcha(third)
    # From anywhere: the account has failed three times.
    elsewhere = attempt(client, "jd_sl", f.PASSWORD, ip="10.9.9.9")
    assert elsewhere.status_code == 200 and errors_next_to(elsewhere, "captcha_1") == ["请输入图形验证码。"]
    assert "_auth_user_id" not in client.session and failures(base_user) == 3  # no password was tried


def test_the_captcha_appears_after_three_failures_from_the_address(client, base_user):
    for n in range(3):
        attempt(client, f"nobody{n}", "wrong", ip="10.4.4.4")
    assert has_captcha(client.get(reverse(LOGIN), REMOTE_ADDR="10.4.4.4"))
    assert not has_captcha(client.get(reverse(LOGIN), REMOTE_ADDR="10.5.5.5"))
    assert errors_next_to(attempt(client, "jd_sl", f.PASSWORD, ip="10.4.4.4"), "captcha_1") == ["请输入图形验证码。"]


def test_a_wrong_captcha_is_refused_next_to_its_field_and_tries_no_password(client, base_user):
    fail(client, "jd_sl", 3)  # CAPTCHA_TEST_MODE is off: the real check
    form = client.get(reverse(LOGIN), REMOTE_ADDR="10.1.1.1")
    key = page(form).find_all(lambda n: n.attrs.get("name") == "captcha_0")[0].attrs["value"]
    logged_failures = AuditEntry.objects.filter(action="login_failed").count()
    wrong = attempt(client, "jd_sl", f.PASSWORD, captcha_0=key, captcha_1="wrong")
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    assert errors_next_to(wrong, "captcha_1") == ["图形验证码错误，请重新输入（不区分大小写）。"]
    assert AuditEntry.objects.filter(action="login_failed").count() == logged_failures and failures(base_user) == 3
    assert not CaptchaStore.objects.filter(hashkey=key).exists()  # one try per picture
    assert attempt(client, "jd_sl", f.PASSWORD, captcha_0=key, captcha_1="wrong").status_code == 200


def test_the_right_captcha_and_password_log_in(client, base_user):
    fail(client, "jd_sl", 3)
    form = client.get(reverse(LOGIN), REMOTE_ADDR="10.1.1.1")
    key = page(form).find_all(lambda n: n.attrs.get("name") == "captcha_0")[0].attrs["value"]
    answer = CaptchaStore.objects.get(hashkey=key).response.upper()  # any case
    assert attempt(client, "jd_sl", f.PASSWORD, captcha_0=key, captcha_1=answer).status_code == 302


def test_the_captcha_picture_is_served_by_the_site_under_its_policy(client, base_user):
    fail(client, "jd_sl", 3)
    form = client.get(reverse(LOGIN), REMOTE_ADDR="10.1.1.1")
    src = re.search(r'<img src="([^"]+)" alt="图形验证码" class="captcha">', form.content.decode()).group(1)
    assert src.startswith("/captcha/image/")  # this site's own address: img-src 'self'
    assert "img-src 'self'" in form["Content-Security-Policy"] and "/static/js/captcha.js" in form.content.decode()
    picture = client.get(src)
    assert picture.status_code == 200 and picture["Content-Type"] == "image/png"
    assert picture.content.startswith(b"\x89PNG")


def test_the_captcha_and_the_lock_work_while_redis_is_away(client, base_user, redis_down):  # noqa: F811
    fail(client, "jd_sl", 3)
    form = client.get(reverse(LOGIN), REMOTE_ADDR="10.1.1.1")
    key = page(form).find_all(lambda n: n.attrs.get("name") == "captcha_0")[0].attrs["value"]
    wrong = attempt(client, "jd_sl", f.PASSWORD, captcha_0=key, captcha_1="wrong")
    assert errors_next_to(wrong, "captcha_1") == ["图形验证码错误，请重新输入（不区分大小写）。"]
    key = page(wrong).find_all(lambda n: n.attrs.get("name") == "captcha_0")[0].attrs["value"]
    answer = CaptchaStore.objects.get(hashkey=key).response
    assert attempt(client, "jd_sl", f.PASSWORD, captcha_0=key, captcha_1=answer).status_code == 302


def test_without_failures_the_login_asks_for_no_captcha(client, base_user):
    assert not has_captcha(client.get(reverse(LOGIN)))
    assert attempt(client, "jd_sl", f.PASSWORD).status_code == 302  # the README's login: account and password


@pytest.mark.usefixtures("captcha_test_mode")
def test_a_success_resets_the_pairs_count_and_the_captcha(client, learner_user):
    fail(client, ID, 4)
    assert attempt(client, ID, f.PASSWORD, **PASSED).status_code == 302
    client.logout()
    assert not has_captcha(attempt(client, ID, "wrong"))  # the learner's count went with the success
    assert failures(learner_user) == 1


def test_a_login_after_no_failure_reads_the_attempts_once(client, base_user):
    """The login form's count of recent failures also answers axes' lock check, clean-up and reset."""
    with CaptureQueriesContext(connection) as queries:
        assert attempt(client, "jd_sl", f.PASSWORD).status_code == 302
    assert sum('"axes_accessattempt"' in q["sql"] for q in queries.captured_queries) == 1


def test_a_learners_login_looks_the_account_up_once(client, learner_user):
    """By 身份证号 or 手机号, the lockout's key, the password check and the sign-in share one look-up: axes names the
    account by its user name afterwards, which is no login name of a learner's."""
    for login in (ID, MOBILE):
        with CaptureQueriesContext(connection) as queries:
            assert attempt(client, login, f.PASSWORD).status_code == 302
        sql = [q["sql"] for q in queries.captured_queries]
        assert sum('FROM "accounts_learner"' in q for q in sql) == 1
        assert not [q for q in sql if 'FROM "accounts_user"' in q and '"accounts_user"."username" =' in q]
        client.logout()


def test_a_limit_of_one_failure_locks_at_the_first(client, learner_user, settings):
    """The count the login form read before the failure is not taken for axes' count after it."""
    settings.AXES_FAILURE_LIMIT = 1
    assert LOCKED in attempt(client, ID, "wrong").content.decode()
    assert attempt(client, ID, f.PASSWORD, **PASSED).status_code == 429


def test_expired_challenges_are_pruned(client, base_user):
    fail(client, "jd_sl", 3)  # the page shown after the third shows the first picture
    client.get(reverse(LOGIN), REMOTE_ADDR="10.1.1.1")
    shown = list(CaptchaStore.objects.order_by("pk"))
    assert len(shown) == 2
    CaptchaStore.objects.filter(pk=shown[0].pk).update(expiration=clock.now() - dt.timedelta(minutes=1))
    assert lockout.prune_captchas() == 1 and list(CaptchaStore.objects.all()) == shown[1:]


# ---- as before ----


@pytest.mark.usefixtures("captcha_test_mode")
def test_unknown_account_and_wrong_password_answer_alike(client, learner_user):
    unknown = attempt(client, "650102199001011212", "wrong").content.decode()
    wrong = attempt(client, ID, "wrong", ip="10.1.1.2").content.decode()
    assert "账号或密码错误，请重新输入。" in unknown and "账号或密码错误，请重新输入。" in wrong
    assert fail(client, "650102199001011212", 4).status_code == 429  # an unknown account locks exactly like a real one


def test_lockout_tables_and_audit_hold_no_plain_id(client, learner_user):
    for _ in range(3):
        attempt(client, ID, "wrong")
    usernames = list(AccessAttempt.objects.values_list("username", flat=True))
    assert usernames and not any("650102" in u for u in usernames)
    entries = AuditEntry.objects.filter(action="login_failed")
    assert entries.count() == 3 and "650102" not in str(list(entries.values_list("detail", flat=True)))


def test_one_address_is_rate_limited(client, base_user, settings):
    settings.JXJY_LOGIN_RATE_PER_IP = "3/m"
    codes = [attempt(client, f"nobody{n}", "x", ip="10.7.7.7").status_code for n in range(4)]
    assert codes == [200, 200, 200, 429]
    assert attempt(client, "jd_sl", f.PASSWORD, ip="10.8.8.8").status_code == 302  # other offices unaffected
