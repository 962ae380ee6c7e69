"""Password rules: 8 characters, 3 of 4 classes, not common, not like the user's details, not one of the
last five; staff passwords expire; hashes are Argon2id, and an older PBKDF2 hash is rehashed at its login."""

import datetime as dt

import argon2
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from config.settings import base as base_settings
from demo import factories as f
from jxjy.accounts.models import PasswordHistory, User
from jxjy.accounts.passwords import password_expired
from jxjy.accounts.services import change_password
from jxjy.audit.models import AuditEntry
from jxjy.core import clock
from jxjy.core.models import RuleSetting
from jxjy.filings.models import PreFiling

from .html_helpers import errors_next_to
from .recovery_helpers import last_code


@pytest.mark.parametrize("password", ["Qx7mWpaz", "qx7mwpaz!", "ABCDEFG1!", "Demo@2026", "水利Abc12345"])
def test_accepted(password, db):
    validate_password(password)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("abcdefgh", "3类"),  # one class
        ("abcdefg1", "3类"),  # two classes
        ("Ab1!", "8"),  # too short
        ("Password1", "常见"),  # on the common list
        ("12345678", "数字"),
    ],
)
def test_refused_with_a_chinese_message(password, message, db):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert any(message in m for m in refused.value.messages), refused.value.messages


def test_signup_shows_the_rule_next_to_the_password(client, db):
    client.post("/accounts/signup/", {"mobile": "13899110009"})
    response = client.post(
        "/accounts/signup/details/",
        {"code": last_code("13899110009"), "name": "王小明", "id_number": "650102199001011239", "work_unit": "单位",
         "password1": "abcdefgh", "password2": "abcdefgh"},
    )  # fmt: skip
    assert "密码须至少包含小写字母、大写字母、数字、符号中的3类。" in response.content.decode()


# ---- history and expiry (staff passwords last JXJY_PASSWORD_MAX_AGE_DAYS days; the last 5 are refused) ----

REUSED = "新密码不能与最近5次使用过的密码相同。"


def set_passwords(user, *passwords):
    for p in passwords:
        change_password(user, new_password=p)


def test_the_last_five_passwords_cannot_be_chosen_again(base_user):
    history = [f"Shuili@202{n}x" for n in range(5)]
    set_passwords(base_user, *history)  # the factory's password is now the sixth most recent
    for old in history:
        with pytest.raises(ValidationError) as refused:
            validate_password(old, user=base_user)
        assert refused.value.messages == [REUSED]
    validate_password(f.PASSWORD, user=base_user)  # six back: allowed again
    assert PasswordHistory.objects.filter(user=base_user).count() == 5  # no more hashes kept than needed


def test_history_keeps_hashes_not_passwords(base_user):
    set_passwords(base_user, "Shuili@2031x")
    stored = list(PasswordHistory.objects.filter(user=base_user).values_list("password", flat=True))
    assert stored and not any("Shuili@2031x" in h for h in stored)
    assert stored[0] == User.objects.get(pk=base_user.pk).password


def change_page(client, old, new, new2=None):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new2 or new},
    )


def test_change_page_refuses_a_recent_password_next_to_the_field(client_for, base_user):
    client = client_for(base_user)
    response = change_page(client, f.PASSWORD, f.PASSWORD)
    assert REUSED in errors_next_to(response, "new_password2")
    assert User.objects.get(pk=base_user.pk).check_password(f.PASSWORD)
    assert not AuditEntry.objects.filter(action="change_password").exists()


def test_change_page_refuses_a_wrong_old_password_in_chinese(client_for, base_user):
    response = change_page(client_for(base_user), "Wrong@2026x", "Shuili@2031x")
    assert "原密码不正确，请重新输入。" in errors_next_to(response, "old_password")
    assert User.objects.get(pk=base_user.pk).check_password(f.PASSWORD)


def age_password(user, days, **more):
    User.objects.filter(pk=user.pk).update(password_changed_at=clock.now() - dt.timedelta(days=days, **more))


@pytest.mark.date_sweep
@pytest.mark.parametrize(("minutes", "expired"), [(-1, False), (1, True)])
def test_a_staff_password_expires_90_days_after_it_was_set(base_user, minutes, expired):
    """A minute either side of 90 days (back across the year, or across 29 February)."""
    age_password(base_user, 90, minutes=minutes)
    assert password_expired(User.objects.get(pk=base_user.pk)) is expired


@pytest.mark.date_sweep
def test_a_password_set_now_expires_after_the_limit_across_the_year(client_for, base_user, clock):
    """Set at each instant of the sweep (23:50 on 31 December included), asked for again only after 90 days."""
    change_password(base_user, new_password="Shuili@2031x")
    clock.shift(dt.timedelta(days=90, minutes=-2))
    assert client_for(User.objects.get(pk=base_user.pk)).get(reverse("filings:list")).status_code == 200
    clock.shift(dt.timedelta(minutes=4))
    response = client_for(User.objects.get(pk=base_user.pk)).get(reverse("filings:list"))
    assert response.url.startswith(reverse("accounts:password_change"))


@pytest.mark.date_sweep
def test_an_expired_staff_password_allows_only_the_change_page(client_for, base_user, filing):
    age_password(base_user, 91)
    client = client_for(base_user)
    for url in (reverse("core:home"), reverse("filings:list"), reverse("filings:detail", args=[filing.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:password_change"))
    deleted = client.post(reverse("filings:delete", args=[filing.pk]))
    assert deleted.url.startswith(reverse("accounts:password_change"))
    assert PreFiling.objects.filter(pk=filing.pk).exists()
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "您的密码已超过90天未修改，请设置新密码后继续使用。" in page

    response = change_page(client, f.PASSWORD, "Shuili@2031x")
    assert response.status_code == 302
    assert client.get(reverse("filings:list")).status_code == 200  # the same session goes on
    assert AuditEntry.objects.filter(action="change_password", actor=base_user, object_id=str(base_user.pk)).exists()


@pytest.mark.date_sweep
def test_a_password_younger_than_the_limit_is_not_asked_for(client_for, base_user):
    age_password(base_user, 89)
    assert client_for(base_user).get(reverse("filings:list")).status_code == 200


@pytest.mark.date_sweep
def test_learners_passwords_do_not_expire(client_for, learner_user):
    age_password(learner_user, 400)
    assert client_for(learner_user).get(reverse("core:home")).status_code == 200


@pytest.mark.date_sweep
def test_the_limit_follows_the_security_policy(client_for, base_user):
    RuleSetting.objects.create(key="JXJY_PASSWORD_MAX_AGE_DAYS", value="30")
    age_password(base_user, 31)
    assert client_for(base_user).get(reverse("filings:list")).url.startswith(reverse("accounts:password_change"))


def test_logout_stays_possible_with_an_expired_password(client_for, base_user):
    age_password(base_user, 91)
    client = client_for(base_user)
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


def test_a_learner_cannot_change_to_a_password_holding_the_mobile(client_for, learner_user):
    response = change_page(client_for(learner_user), f.PASSWORD, "Pw@13899110001")
    assert "密码不能包含身份证号或手机号。" in errors_next_to(response, "new_password2")
    assert User.objects.get(pk=learner_user.pk).check_password(f.PASSWORD)


def test_a_learner_changes_the_password_through_the_same_page(client_for, learner_user):
    client = client_for(learner_user)
    assert "修改密码" in client.get(reverse("core:home")).content.decode()
    assert change_page(client, f.PASSWORD, "Shuili@2031x").status_code == 302
    assert User.objects.get(pk=learner_user.pk).check_password("Shuili@2031x")


# ---- hashing: Argon2id first, PBKDF2 hashes still accepted and rehashed (config/settings/base.py) ----


@pytest.fixture
def production_hashers(settings):
    """The production list; the suite itself hashes with MD5 (config/settings/test.py), for speed."""
    settings.PASSWORD_HASHERS = base_settings.PASSWORD_HASHERS


ARGON2ID = "argon2$argon2id$v=19$m=7168,t=5,p=1$"


def test_a_new_password_is_hashed_with_argon2id(production_hashers, db):
    encoded = make_password("Shuili@2031x")
    assert encoded.startswith(ARGON2ID)
    assert check_password("Shuili@2031x", encoded) and not check_password("Shuili@2031y", encoded)


@pytest.mark.parametrize("who", ["staff", "learner"])
def test_an_old_pbkdf2_hash_logs_in_through_the_login_page_and_is_rehashed(
    production_hashers, client, base_user, learner_user, who
):
    user, login = (base_user, "jd_sl") if who == "staff" else (learner_user, "650102199001011239")
    # A PBKDF2 hash as stored before Argon2id (few iterations, to keep the test fast: the algorithm decides).
    hasher = PBKDF2PasswordHasher()
    User.objects.filter(pk=user.pk).update(password=hasher.encode(f.PASSWORD, hasher.salt(), iterations=1000))
    before = User.objects.get(pk=user.pk)
    history = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True))

    response = client.post(reverse("accounts:login"), {"username": login, "password": f.PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    after = User.objects.get(pk=user.pk)
    assert after.password.startswith(ARGON2ID) and after.check_password(f.PASSWORD)
    # A rehash is no password change: the expiry clock and the history stay as they were.
    assert after.password_changed_at == before.password_changed_at
    assert list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)) == history

    client.post(reverse("accounts:logout"))
    response = client.post(reverse("accounts:login"), {"username": login, "password": f.PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).password == after.password  # the Argon2id hash is kept as it is


def test_an_argon2id_hash_with_the_earlier_parameters_is_rehashed_at_login(production_hashers, client, base_user):
    earlier = argon2.PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1).hash(f.PASSWORD)
    User.objects.filter(pk=base_user.pk).update(password="argon2" + earlier)

    response = client.post(reverse("accounts:login"), {"username": "jd_sl", "password": f.PASSWORD})
    assert response.status_code == 302
    after = User.objects.get(pk=base_user.pk).password
    assert after.startswith(ARGON2ID) and check_password(f.PASSWORD, after)


def test_a_wrong_password_does_not_rehash_an_old_hash(production_hashers, client, base_user):
    hasher = PBKDF2PasswordHasher()
    old = hasher.encode(f.PASSWORD, hasher.salt(), iterations=1000)
    User.objects.filter(pk=base_user.pk).update(password=old)
    response = client.post(reverse("accounts:login"), {"username": "jd_sl", "password": "Wrong@2026x"})
    assert response.status_code == 200
    assert User.objects.get(pk=base_user.pk).password == old


def test_every_password_rule_answers_in_chinese(db):
    """Django's zh_Hans catalogue lacks some of its own rules' wording: none of it may reach a user in English."""
    import re

    from django.contrib.auth import password_validation

    user = f.UserFactory(username="zhangsanfeng", full_name="张三丰")
    messages = []
    for password in ["Ab1!", "12345678", "password", "zhangsanfeng"]:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as e:
            messages += e.messages
    texts = messages + password_validation.password_validators_help_texts()
    assert len(messages) >= 4 and all(re.search(r"[\u4e00-\u9fff]", t) for t in texts)
    assert not [t for t in texts if re.search(r"[A-Za-z]{4,}", t)], texts
