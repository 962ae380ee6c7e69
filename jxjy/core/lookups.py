"""Fetching one row of a scoped queryset: outside the user's scope it does not exist for them (404)."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _


def get_or_404(qs: QuerySet, pk: int, what: str):
    try:
        return qs.get(pk=pk)
    except qs.model.DoesNotExist:
        raise Http404(_("未找到该%(what)s。") % {"what": what}) from None
