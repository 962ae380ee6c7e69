"""Security headers every page sends, and no caching of signed-in pages."""

from django.urls import reverse


def test_content_security_policy(client, db):
    csp = client.get(reverse("accounts:login"))["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "script-src 'self'"):
        assert directive in csp


def test_nosniff_frame_and_referrer_headers(client, db):
    response = client.get(reverse("accounts:login"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_signed_in_pages_are_not_stored(client_for, learner_user):
    response = client_for(learner_user).get(reverse("trainings:my_registrations"))
    assert "no-store" in response["Cache-Control"]


def test_public_pages_may_be_cached(client, db):
    assert "no-store" not in client.get(reverse("certificates:verify")).get("Cache-Control", "")
