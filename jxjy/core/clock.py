"""The platform's one clock: every rule, timestamp and "this year" reads the time here.

`now()` is the aware current instant and `today()` the date in Asia/Shanghai (TIME_ZONE), so that
"this year" turns over at midnight in Ürümqi's official time, not at midnight UTC. The tests and the
demo's history move it with time-machine, never by patching this module.
"""

import datetime as dt
from typing import Any

from django.db import models
from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()  # noqa: TID251 - the one place that reads Django's clock


def today() -> dt.date:
    return timezone.localdate(now())


def this_year() -> int:
    return today().year


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
