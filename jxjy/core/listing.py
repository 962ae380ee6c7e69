"""The document lists' search (年份 and 关键字, shared with the reviewers' lists), and the owner's lists (a base's
培训前备案, 学时认定, 培训信息, 培训后备案): that search, a 状态 filter, one order, one pager."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from .inputs import YEARS, bounded_int
from .paging import page_of

PER_PAGE = 20
ORDERS = {"newest": gettext_lazy("最新在前"), "oldest": gettext_lazy("最早在前")}


def searched(
    qs: QuerySet[Any], q: Mapping[str, Any], *, keyword_fields: Sequence[str], year_field: str
) -> QuerySet[Any]:
    """`qs` narrowed by 年份 (`year`, in `year_field`) and by 关键字 (`keyword`, in any of `keyword_fields`)."""
    if (year := bounded_int(q, "year", low=YEARS[0], high=YEARS[1])) is not None:
        qs = qs.filter(**{year_field: year})
    if keyword := q.get("keyword", "").strip():
        match = Q()
        for name in keyword_fields:
            match |= Q(**{f"{name}__icontains": keyword})
        qs = qs.filter(match)
    return qs


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
    qs = searched(qs, q, keyword_fields=keyword_fields, year_field=year_field)
    if (status := q.get("status", "")) in dict(statuses):
        qs = qs.filter(status=status)
    sign = "" if q.get("order") == "oldest" else "-"
    qs = qs.order_by(f"{sign}{date_field}", f"{sign}pk")
    return {"page": page_of(qs, request, PER_PAGE), "query": q, "statuses": statuses, "orders": ORDERS}
