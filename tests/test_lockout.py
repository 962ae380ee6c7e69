"""Login throttling: five failures lock the account (whatever the address), identically for unknown
accounts, without storing 身份证号 in plain text; one address is rate-limited separately."""

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.urls import reverse

from jxjy.audit.models import AuditEntry

from . import factories as f

LOGIN = "accounts:login"


def attempt(client, username, password, ip="10.1.1.1"):
    return client.post(reverse(LOGIN), {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def test_five_failures_lock_the_account_even_with_the_right_password(client, learner_user):
    for n in range(4):
        response = attempt(client, "650102199001011239", "wrong", ip=f"10.0.0.{n}")
        assert "账号或密码错误" in response.content.decode()
    fifth = attempt(client, "650102199001011239", "wrong", ip="10.0.0.5")
    assert fifth.status_code == 429 and "账号已被锁定30分钟" in fifth.content.decode()
    locked = attempt(client, "13899110001", f.PASSWORD, ip="10.9.9.9")  # the mobile, another address
    assert locked.status_code == 429 and "账号已被锁定30分钟" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_unknown_account_and_wrong_password_answer_alike(client, learner_user):
    unknown = attempt(client, "650102199001011212", "wrong").content.decode()
    wrong = attempt(client, "650102199001011239", "wrong").content.decode()
    assert "账号或密码错误，请重新输入。" in unknown and "账号或密码错误，请重新输入。" in wrong
    for _ in range(5):
        last = attempt(client, "650102199001011212", "wrong")
    assert last.status_code == 429  # an unknown account locks exactly like a real one


def test_lockout_tables_and_audit_hold_no_plain_id(client, learner_user):
    for _ in range(3):
        attempt(client, "650102199001011239", "wrong")
    usernames = list(AccessAttempt.objects.values_list("username", flat=True))
    assert usernames and not any("650102" in u for u in usernames)
    entries = AuditEntry.objects.filter(action="登录失败")
    assert entries.count() == 3 and "650102" not in str(list(entries.values_list("detail", flat=True)))


def test_success_resets_the_count(client, base_user):
    for _ in range(4):
        attempt(client, "jd_sl", "wrong")
    assert attempt(client, "jd_sl", f.PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, "jd_sl", "wrong")
    assert attempt(client, "jd_sl", f.PASSWORD).status_code == 302


def test_one_address_is_rate_limited(client, base_user, settings):
    settings.JXJY_LOGIN_RATE_PER_IP = "3/m"
    codes = [attempt(client, f"nobody{n}", "x", ip="10.7.7.7").status_code for n in range(4)]
    assert codes == [200, 200, 200, 429]
    assert attempt(client, "jd_sl", f.PASSWORD, ip="10.8.8.8").status_code == 302  # other offices unaffected
