"""The platform's one clock: every rule, timestamp and "this year" reads the time here.

`now()` is the aware current instant and `today()` the date in Asia/Shanghai (TIME_ZONE), so that
"this year" turns over at midnight in Ürümqi's official time, not at midnight UTC. The demo loader
builds its history with `rewound(days)`: inside the block the platform's time (timestamps, windows,
rules) is that many days earlier, for this thread or task only; nothing is patched.
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import models
from django.utils import timezone

_offset: ContextVar[dt.timedelta] = ContextVar("clock_offset", default=dt.timedelta(0))


def now() -> dt.datetime:
    return timezone.now() - _offset.get()  # noqa: TID251 - the one place that reads Django's clock


def today() -> dt.date:
    return timezone.localdate(now())


def this_year() -> int:
    return today().year


@contextmanager
def rewound(days: int) -> Iterator[None]:
    """Run the block as if it were `days` days ago."""
    token = _offset.set(_offset.get() + dt.timedelta(days=days))
    try:
        yield
    finally:
        _offset.reset(token)


class CreatedAtField(models.DateTimeField):
    """The time the row was made, from the platform's clock (Django's auto_now_add reads its own)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", now)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)


class UpdatedAtField(models.DateTimeField):
    """The time the row was last saved, from the platform's clock (like auto_now, not on update())."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", now)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = now()
        setattr(model_instance, self.attname, value)
        return value
