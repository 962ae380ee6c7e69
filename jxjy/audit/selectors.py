"""The trail as the 审计日志 page and its export filter it."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from . import actions
from .models import AuditEntry

FILTERS = ("start", "end", "person", "organisation", "action", "object")


def _parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def filter_errors(params: Mapping[str, Any]) -> dict[str, str]:
    """What is wrong with the 时间 filters, by field: an unreadable date, or an end before the start."""
    errors = {}
    for name, words in (("start", gettext("开始日期")), ("end", gettext("结束日期"))):
        if params.get(name) and _parse_date(params[name]) is None:
            errors[name] = gettext("%(words)s格式不正确，请按“年-月-日”选择日期。") % {"words": words}
    start, end = _parse_date(params.get("start", "")), _parse_date(params.get("end", ""))
    if start and end and end < start:
        errors["end"] = gettext("结束日期不能早于开始日期。")
    return errors


def filtered(params: Mapping[str, Any]) -> QuerySet[AuditEntry]:
    """The trail filtered by 时间 (from/to), 操作人, 单位, 操作 (its words) and 对象 (type and number)."""
    qs = AuditEntry.objects.select_related("actor", "organisation").order_by("-seq")
    tz = timezone.get_current_timezone()
    if start := _parse_date(params.get("start", "")):
        qs = qs.filter(created_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz))
    if end := _parse_date(params.get("end", "")):
        qs = qs.filter(created_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    if person := params.get("person", "").strip():
        qs = qs.filter(Q(actor__username__icontains=person) | Q(actor__full_name__icontains=person))
    if org := params.get("organisation", "").strip():
        qs = qs.filter(organisation__name__icontains=org)
    if action := params.get("action", "").strip():
        qs = qs.filter(actions.shown_as(action))
    if obj := params.get("object", "").strip():
        kind, _, number = obj.partition(":")
        qs = qs.filter(object_type__icontains=kind)
        if number:
            qs = qs.filter(object_id=number)
    return qs


def action_labels() -> list[str]:
    """The words of every action in the trail, in order: what the 操作 filter offers."""
    recorded = AuditEntry.objects.values_list("object_type", "action").distinct()
    return sorted({actions.label(code, object_type) for object_type, code in recorded})
