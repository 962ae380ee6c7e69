"""The platform's clock: "today" and "this year" are Ürümqi's official time (Asia/Shanghai), not UTC's.

The date-swept tests derive their years and dates from jxjy.core.clock; this pins the clock itself."""

import datetime as dt
import subprocess
import sys

import pytest

from jxjy.core import clock
from jxjy.core.clock import today

from . import clock as test_clock


@pytest.mark.date_sweep
def test_today_and_this_year_are_the_date_in_asia_shanghai():
    local = clock.now().astimezone(test_clock.SHANGHAI)
    assert (clock.today(), clock.this_year()) == (local.date(), local.year)


@pytest.mark.now("2028-01-01 00:20")
def test_at_0020_on_1_january_it_is_already_the_new_year():
    assert clock.now().astimezone(dt.UTC).date() == dt.date(2027, 12, 31)  # still the old year in UTC
    assert (clock.today(), clock.this_year()) == (dt.date(2028, 1, 1), 2028)


@pytest.mark.now("2027-12-31 23:50")
def test_a_python_child_process_starts_at_the_tests_instant():
    """gunicorn, the task worker and manage.py started by a test see the test's time, not the machine's."""
    code = "import datetime as dt; print(dt.datetime.now(dt.UTC).isoformat())"
    child = dt.datetime.fromisoformat(subprocess.check_output([sys.executable, "-c", code], text=True).strip())
    assert dt.timedelta(0) <= child - test_clock.parse("2027-12-31 23:50") < dt.timedelta(minutes=1)


def test_the_clock_fixture_moves_time_for_the_platform(clock):  # the fixture shadows the module here
    before = today()
    clock.shift(dt.timedelta(days=7))
    assert today() - before == dt.timedelta(days=7)
