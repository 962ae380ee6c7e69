"""The demo's history is made on the days it would have happened: the whole process travels back (time-machine),
so every clock the moves read (jxjy.core.clock, Django's, the signing and PDF libraries') agrees."""

import datetime as dt

import time_machine

from jxjy.core import clock


def days_ago(days: int) -> time_machine.travel:
    """Run the block `days` days before now, the time ticking on inside it."""
    return time_machine.travel(clock.now() - dt.timedelta(days=days), tick=True)
