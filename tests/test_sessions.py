"""Sessions: the idle timeout, a new key at login, an absolute maximum, and disabled accounts or changed
roles signed out at once."""

import datetime as dt
import time

from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jxjy.accounts.models import Role
from jxjy.accounts.services import change_role, disable_account
from jxjy.core.middleware import LOGIN_AT

from . import factories as f


def login(client, username):
    response = client.post(reverse("accounts:login"), {"username": username, "password": f.PASSWORD})
    assert response.status_code == 302
    return client


def test_login_gives_a_new_session_key(client, base_user):
    client.get(reverse("accounts:login"))
    client.session.save()
    before = client.session.session_key
    login(client, "jd_sl")
    assert client.session.session_key != before


def test_session_ends_after_the_absolute_maximum(client, base_user, settings):
    settings.JXJY_SESSION_MAX_HOURS = 12
    login(client, "jd_sl")
    assert client.get(reverse("filings:list")).status_code == 200
    session = client.session
    session[LOGIN_AT] = time.time() - 12 * 3600 - 1
    session.save()
    response = client.get(reverse("filings:list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert client.get(reverse("filings:list")).status_code == 302


def test_disabling_an_account_ends_its_sessions(client, base_user):
    login(client, "jd_sl")
    base_user.is_active = False
    base_user.save()
    response = client.get(reverse("filings:list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_logout_ends_the_session(client, base_user):
    login(client, "jd_sl")
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("filings:list")).status_code == 302


def test_a_session_lasts_the_idle_timeout_from_each_request(client, base_user, settings):
    login(client, "jd_sl")
    assert settings.SESSION_COOKIE_AGE == settings.JXJY_SESSION_IDLE_MINUTES * 60 == 30 * 60
    client.get(reverse("filings:list"))
    session = Session.objects.get(session_key=client.session.session_key)
    remaining = (session.expire_date - timezone.now()).total_seconds()
    assert 30 * 60 - 60 < remaining <= 30 * 60


def test_an_idle_session_has_ended(client, base_user):
    login(client, "jd_sl")
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get(reverse("filings:list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_disabling_deletes_the_accounts_sessions(client, base_user, sysadmin_user):
    login(client, "jd_sl")
    other = Client()
    login(other, "jd_sl")
    disable_account(base_user, actor=sysadmin_user)
    keys = [client.session.session_key, other.session.session_key]
    assert not Session.objects.filter(session_key__in=keys).exists()


def test_a_role_change_ends_the_accounts_sessions(client_for, auditor_user, secadmin_user):
    client = client_for(auditor_user)
    assert client.get(reverse("core:audit_log")).status_code == 200
    change_role(auditor_user, role=Role.SYSADMIN, actor=secadmin_user)
    response = client.get(reverse("core:audit_log"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
