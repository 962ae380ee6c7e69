"""The platform's clock: "today" and "this year" are Ürümqi's official time (Asia/Shanghai), not UTC's.

The date-swept tests derive their years and dates from jxjy.core.clock; this pins the clock itself."""

import datetime as dt

import pytest

from jxjy.core import clock

from . import clock as test_clock


@pytest.mark.date_sweep
def test_today_and_this_year_are_the_date_in_asia_shanghai():
    local = clock.now().astimezone(test_clock.SHANGHAI)
    assert (clock.today(), clock.this_year()) == (local.date(), local.year)


@pytest.mark.now("2028-01-01 00:20")
def test_at_0020_on_1_january_it_is_already_the_new_year():
    assert clock.now().astimezone(dt.UTC).date() == dt.date(2027, 12, 31)  # still the old year in UTC
    assert (clock.today(), clock.this_year()) == (dt.date(2028, 1, 1), 2028)


@pytest.mark.now("2028-01-01 00:20")
def test_rewound_moves_the_date_back_across_the_year():
    with clock.rewound(1):
        assert (clock.today(), clock.this_year()) == (dt.date(2027, 12, 31), 2027)
    assert clock.today() == dt.date(2028, 1, 1)
