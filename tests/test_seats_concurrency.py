# ruff: noqa: S310 - the requests go to the live test server on loopback
"""A class limited to 20 seats and 100 learners pressing 提交 at the same moment, against a live server.

Exactly 20 hold seats, the other 80 are told 报名人数已满, and nobody gets a 5xx. The control run
switches the lock off (a test-only setting) with the same widened race, and overbooks: the race
is real, and the lock is what closes it.
"""

import contextlib
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils.crypto import get_random_string

from demo import factories as f
from jxjy.trainings import services
from jxjy.trainings.models import Registration
from jxjy.trainings.models import RegistrationStatus as R

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency is tested on PostgreSQL"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
SEATS, LEARNERS, PARALLEL = 20, 100, 50


@pytest.fixture
def crowd(db, base, base_user):
    """A 20-seat class and 100 learners, each with a saved registration and a logged-in session."""
    c = f.published_class(f.approved_filing(base, base_user), base_user, seat_limit=SEATS)
    specialty_id, level_id = f.scope_of(c)
    people = []
    for n in range(LEARNERS):
        learner = f.learner(n)
        reg = services.start_registration(
            learner=learner, training_class=c, specialty_id=specialty_id, level_id=level_id,
            details={"work_unit": "单位", "current_title": "工程师", "year": c.years[0]}, package_course_ids=[],
        )  # fmt: skip
        client = Client()
        client.force_login(learner.user)
        people.append((reg, client.cookies["sessionid"].value))
    return c, people


def _submit_all(live_server, people):
    """Everyone presses 提交 at once; returns each response's status code and the messages cookie it set."""
    barrier = threading.Barrier(PARALLEL)

    def press(person):
        reg, session = person
        token = get_random_string(32)
        request = urllib.request.Request(
            live_server.url + reverse("trainings:registration_submit", args=[reg.pk]),
            data=b"",
            method="POST",
            headers={"Cookie": f"sessionid={session}; csrftoken={token}", "X-CSRFToken": token},
        )
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=10)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as e:
            response = e
        kept = [c.split(";")[0] for c in response.headers.get_all("Set-Cookie") or [] if c.startswith("messages=")]
        return response.status, "; ".join(kept)

    with ThreadPoolExecutor(PARALLEL) as pool:
        return list(pool.map(press, people))


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _message_shown(live_server, reg, session, kept: str) -> str:
    """The page the answer redirects to, with the cookies a browser would send: the session, the message."""
    request = urllib.request.Request(
        live_server.url + reverse("trainings:registration_detail", args=[reg.pk]),
        headers={"Cookie": f"sessionid={session}; {kept}"},
    )
    return urllib.request.urlopen(request, timeout=30).read().decode()


@pytest.fixture
def widened_race(monkeypatch):
    monkeypatch.setattr(services, "after_seat_count", lambda: time.sleep(0.05))


def test_twenty_seats_hundred_learners_exactly_twenty_accepted(live_server, crowd, widened_race):
    c, people = crowd
    answers = _submit_all(live_server, people)
    assert not [code for code, _ in answers if code >= 500]
    assert Registration.objects.filter(training_class=c, status=R.SUBMITTED).count() == SEATS
    refused = [(reg, s, kept) for (reg, s), (_, kept) in zip(people, answers, strict=True)
               if Registration.objects.get(pk=reg.pk).status == R.DRAFT]  # fmt: skip
    assert len(refused) == LEARNERS - SEATS
    for reg, session, kept in refused[:10]:
        assert "报名人数已满" in _message_shown(live_server, reg, session, kept)


def test_control_without_the_lock_overbooks(live_server, crowd, widened_race, settings):
    settings.JXJY_SEAT_LOCK = False
    c, people = crowd
    _submit_all(live_server, people)
    assert Registration.objects.filter(training_class=c, status=R.SUBMITTED).count() > SEATS


def test_a_lock_not_had_in_time_is_a_friendly_busy_answer(crowd, settings):
    """Someone holds the class's row lock; a submission gives up after the timeout, without a 500."""
    settings.JXJY_SEAT_LOCK_TIMEOUT_MS = 200
    c, people = crowd
    reg, _ = people[0]
    holding, release = threading.Event(), threading.Event()

    def hold_lock():
        from django.db import connections, transaction

        with transaction.atomic():
            type(c).objects.select_for_update().get(pk=c.pk)
            holding.set()
            release.wait(10)
        connections.close_all()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    holding.wait(10)
    try:
        with pytest.raises(services.SeatsBusy, match="系统繁忙，请稍后再试"):
            services.submit_registration(reg, actor=reg.learner.user)
    finally:
        release.set()
        holder.join()
    reg.refresh_from_db()
    assert reg.status == R.DRAFT
