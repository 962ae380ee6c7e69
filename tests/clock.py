"""The suite's clock: no test reads the real date.

Every test starts at the run's instant (an ordinary working day unless `JXJY_TEST_NOW` names another;
`JXJY_TEST_NOW=system` takes the system clock once, when the run starts) and time ticks on from there.
A test that cares about the date says so:

* `@pytest.mark.now("2027-12-31 23:50")` — this test starts at that instant (Asia/Shanghai unless an
  offset is given);
* `@pytest.mark.date_sweep` — this test runs at each instant of `SWEEP`: the turn of a year in
  Asia/Shanghai while UTC is still in the old one, 28 and 29 February of a leap year, an ordinary day
  (`@pytest.mark.date_sweep("year-end", "leap-day")` picks some of them).

The `clock` fixture is the time-machine traveller, for tests that move time on (`clock.shift(...)`),
which the live server's thread sees too. Python child processes follow the same clock: they import
`tests/clock_site/sitecustomize.py`, which travels to the instant in `JXJY_TEST_CLOCK`.
"""

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
ORDINARY_DAY = "2026-06-15 10:00"  # a Monday: mid-year, mid-month, working hours
SWEEP = {
    "year-end": "2027-12-31 23:50",  # the last minutes of a year in Ürümqi's official time
    "new-year": "2028-01-01 00:20",  # already 2028 in Asia/Shanghai, still 2027 in UTC
    "feb-28": "2028-02-28 12:00",
    "leap-day": "2028-02-29 12:00",
    "ordinary": ORDINARY_DAY,
}
CHILD_ENV = "JXJY_TEST_CLOCK"
CHILD_SITE = Path(__file__).resolve().parent / "clock_site"


def parse(text: str) -> dt.datetime:
    """An aware instant from 'YYYY-MM-DD HH:MM[:SS][+HH:MM]'; without an offset, in Asia/Shanghai."""
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=SHANGHAI)


def run_instant() -> dt.datetime:
    text = os.environ.get("JXJY_TEST_NOW", ORDINARY_DAY)
    if text == "system":
        return dt.datetime.now(SHANGHAI)
    return parse(text)


def share_with_children(instant: dt.datetime) -> None:
    """Python child processes started from now on begin at `instant` (and tick on)."""
    os.environ[CHILD_ENV] = instant.isoformat()
    paths = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    if str(CHILD_SITE) not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join(p for p in [str(CHILD_SITE), *paths] if p)
