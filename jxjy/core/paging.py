"""Paging of long lists without counting every row."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from .inputs import MAX_PAGE, bounded_int

# Nobody pages past this many rows; a search narrows the list instead.
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP rows: counting all of 500,000 certificates costs more than showing a page.

    Past the cap the pager says "超过 10000 条" and offers the pages up to it.
    """

    cap = COUNT_CAP

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.cap + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap


def page_of(qs, request, per_page: int):
    return CappedPaginator(qs, per_page).get_page(bounded_int(request.GET, "page", default=1, high=MAX_PAGE))
