"""The owner's lists (a base's 培训前备案, 学时认定, 培训信息, 培训后备案): one search, one order, one pager."""

from collections.abc import Sequence
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from .inputs import YEARS, bounded_int
from .paging import page_of

PER_PAGE = 20
ORDERS = {"newest": "最新在前", "oldest": "最早在前"}


def owner_list(
    request: HttpRequest,
    qs: QuerySet[Any],
    *,
    keyword_fields: Sequence[str],
    statuses: Sequence[tuple[str, str]],
    year_field: str = "year",
    date_field: str = "created_at",
) -> dict[str, Any]:
    """关键字, 年份 and 状态 searches over `qs`, newest (or oldest) first, a page at a time: the list's
    context (page, query, statuses, orders) for templates/core/_owner_search.html and the pager."""
    q = request.GET
    if (year := bounded_int(q, "year", low=YEARS[0], high=YEARS[1])) is not None:
        qs = qs.filter(**{year_field: year})
    if keyword := q.get("keyword", "").strip():
        match = Q()
        for name in keyword_fields:
            match |= Q(**{f"{name}__icontains": keyword})
        qs = qs.filter(match)
    if (status := q.get("status", "")) in dict(statuses):
        qs = qs.filter(status=status)
    sign = "" if q.get("order") == "oldest" else "-"
    qs = qs.order_by(f"{sign}{date_field}", f"{sign}pk")
    return {"page": page_of(qs, request, PER_PAGE), "query": q, "statuses": statuses, "orders": ORDERS}
