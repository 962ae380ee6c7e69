"""Sessions: a new key at login, an absolute maximum, and disabled accounts signed out at once."""

import time

from django.urls import reverse

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
