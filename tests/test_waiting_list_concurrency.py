# ruff: noqa: S310 - the requests go to the live test server on loopback
"""候补 under load, against a live server on PostgreSQL: 200 learners press 加入候补 on a 20-seat class at
the same moment, then 30 撤回 (seat holders and learners in line) and 30 new 加入候补 arrive at once.

The seats never exceed the limit, every freed seat goes to the first in line, nobody is skipped, and
the line's order is the order in which the learners joined (as the audit trail recorded it). The race
is widened where the next place in line is numbered, to show the class's lock is what keeps it right.
"""

import contextlib
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils.crypto import get_random_string

from demo import factories as f
from jxjy.audit import trail as audit
from jxjy.trainings import seats, services
from jxjy.trainings.models import Registration
from jxjy.trainings.models import RegistrationStatus as R

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency is tested on PostgreSQL"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
SEATS, LEARNERS, LATECOMERS, PARALLEL = 20, 200, 30, 50


def _saved(c, n: int):
    """Learner n with a saved registration for `c` and a logged-in session."""
    learner = f.learner(n)
    specialty_id, level_id = f.scope_of(c)
    reg = services.start_registration(
        learner=learner, training_class=c, specialty_id=specialty_id, level_id=level_id,
        details={"work_unit": "单位", "current_title": "工程师", "year": c.years[0]}, package_course_ids=[],
    )  # fmt: skip
    client = Client()
    client.force_login(learner.user)
    return reg, client.cookies["sessionid"].value


@pytest.fixture
def crowd(db, base, base_user):
    c = f.published_class(f.approved_filing(base, base_user), base_user, seat_limit=SEATS)
    with transaction.atomic():  # one commit for the whole crowd, not one per row
        people = [_saved(c, n) for n in range(LEARNERS)]
        latecomers = [_saved(c, n) for n in range(LEARNERS, LEARNERS + LATECOMERS)]
    return c, people, latecomers


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _press_all(live_server, presses, parallel=PARALLEL):
    """Each (url name, registration, session) is POSTed at once; returns the status codes."""
    barrier = threading.Barrier(parallel)

    def press(item):
        name, reg, session = item
        token = get_random_string(32)
        request = urllib.request.Request(
            live_server.url + reverse(f"trainings:{name}", args=[reg.pk]),
            data=b"",
            method="POST",
            headers={"Cookie": f"sessionid={session}; csrftoken={token}", "X-CSRFToken": token},
        )
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=10)
        try:
            return urllib.request.build_opener(NoRedirect).open(request, timeout=60).status
        except urllib.error.HTTPError as e:
            return e.code

    with ThreadPoolExecutor(parallel) as pool:
        return list(pool.map(press, presses))


def _line(c):
    """Every registration that ever joined the line, in the line's order."""
    return list(Registration.objects.filter(training_class=c, queue_seq__isnull=False).order_by("queue_seq"))


def _joined_order(regs) -> list[int]:
    """The registrations' pks in the order the audit trail recorded their 加入候补."""
    seq = {r.pk: audit.entries_for(r).get(action="wait").seq for r in regs}
    return sorted(seq, key=seq.get)


@pytest.fixture
def widened_race(monkeypatch):
    monkeypatch.setattr(services, "after_seat_count", lambda: time.sleep(0.005))


def test_waiting_list_under_load_is_first_come_first_served(live_server, crowd, widened_race):
    c, people, latecomers = crowd
    started = time.monotonic()

    # 200 learners press 加入候补 at once: 20 get the seats (a class with a seat takes it as 提交), 180 queue.
    codes = _press_all(live_server, [("registration_wait", reg, s) for reg, s in people])
    assert not [code for code in codes if code >= 500]
    assert seats.holders(c.pk).count() == SEATS
    line = _line(c)
    assert len(line) == LEARNERS - SEATS and all(r.status == R.WAITING for r in line)
    assert [r.queue_seq for r in line] == list(range(1, len(line) + 1))
    assert [r.pk for r in line] == _joined_order(line)

    # At once: 15 seat holders and 15 learners in line (from where promotion reaches) withdraw, 30 more join.
    holders = [p for p in people if Registration.objects.get(pk=p[0].pk).status == R.SUBMITTED][:15]
    by_pk = {reg.pk: (reg, s) for reg, s in people}
    leavers = [by_pk[r.pk] for r in line[1:30:2]]
    presses = [("registration_withdraw", reg, s) for reg, s in holders + leavers]
    presses += [("registration_wait", reg, s) for reg, s in latecomers]
    codes = _press_all(live_server, presses, parallel=len(presses))
    assert not [code for code in codes if code >= 500]

    withdrawn = {reg.pk for reg, _ in holders + leavers}
    assert set(Registration.objects.filter(pk__in=withdrawn).values_list("status", flat=True)) == {R.WITHDRAWN}
    assert seats.holders(c.pk).count() == SEATS  # never more, and none left free while learners wait
    line = [r for r in _line(c) if r.status != R.WITHDRAWN]
    promoted = [r for r in line if r.status == R.SUBMITTED]
    still_waiting = [r for r in line if r.status == R.WAITING]
    assert len(promoted) + len(still_waiting) == len(line)
    # Nobody skipped: the promoted are exactly the front of the line that remains.
    assert line[: len(promoted)] == promoted and len(promoted) >= len(holders)
    assert len(promoted) == SEATS - (SEATS - len(holders))  # every freed seat went to the line
    # The latecomers joined behind everyone already waiting, and the whole line is in the order of joining.
    late = {reg.pk for reg, _ in latecomers}
    assert {r.pk for r in still_waiting[-LATECOMERS:]} == late
    everyone = _line(c)
    assert [r.pk for r in everyone] == _joined_order(everyone)
    assert [r.queue_seq for r in everyone] == list(range(1, len(everyone) + 1))
    promotions = sum(audit.entries_for(r).filter(action="promote").count() for r in everyone)
    assert promotions >= len(promoted)
    assert time.monotonic() - started < 60
