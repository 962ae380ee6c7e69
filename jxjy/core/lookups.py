"""Fetching one row of a scoped queryset: outside the user's scope it does not exist for them (404)."""

from django.db.models import QuerySet
from django.http import Http404


def get_or_404(qs: QuerySet, pk: int, what: str):
    try:
        return qs.get(pk=pk)
    except qs.model.DoesNotExist:
        raise Http404(f"未找到该{what}。") from None
