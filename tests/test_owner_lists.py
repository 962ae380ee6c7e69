"""A base's own lists and the inbox: search, status and year filters, order, paging and the count."""

import re

from django.urls import reverse

from jxjy.filings import services as filings
from jxjy.filings.models import PreFilingStatus as S
from jxjy.notify.models import Notification


def _filings(base_user, n: int) -> list:
    made = []
    for i in range(n):
        filing = filings.new_pre_filing(actor=base_user)
        filing.class_name = f"水利培训班{i:02d}" if i % 2 else f"电力培训班{i:02d}"
        filing.save()
        made.append(filing)
    return made


def _names(html: str) -> list[str]:
    return re.findall(r"<td>((?:水利|电力)培训班\d\d)</td>", html)


def test_the_bases_filings_are_paged_with_their_count_newest_first(client_for, base_user):
    _filings(base_user, 23)
    client = client_for(base_user)
    first = client.get(reverse("filings:list")).content.decode()
    assert len(_names(first)) == 20 and "共 23 条" in first and "第 1 / 2 页" in first
    assert _names(first)[0] == "电力培训班22"  # the newest
    second = client.get(reverse("filings:list"), {"page": 2}).content.decode()
    assert len(_names(second)) == 3
    oldest = client.get(reverse("filings:list"), {"order": "oldest"}).content.decode()
    assert _names(oldest)[0] == "电力培训班00"


def test_the_bases_filings_are_searched_by_name_status_and_year(client_for, base_user):
    made = _filings(base_user, 6)
    client = client_for(base_user)
    found = client.get(reverse("filings:list"), {"keyword": "水利"}).content.decode()
    assert sorted(_names(found)) == ["水利培训班01", "水利培训班03", "水利培训班05"] and "共 3 条" in found
    drafts = client.get(reverse("filings:list"), {"status": S.DRAFT, "year": made[0].year}).content.decode()
    assert len(_names(drafts)) == 6
    assert _names(client.get(reverse("filings:list"), {"status": S.APPROVED}).content.decode()) == []
    assert _names(client.get(reverse("filings:list"), {"year": made[0].year - 1}).content.decode()) == []
    bad = client.get(reverse("filings:list"), {"year": "二〇二六"})
    assert bad.status_code == 400 and re.search(r"[\u4e00-\u9fff]", bad.content.decode())


def test_every_base_list_has_the_search_and_the_count(client_for, base_user):
    client = client_for(base_user)
    for name in ("filings:list", "filings:recognitions", "trainings:class_list", "completions:list"):
        html = client.get(reverse(name)).content.decode()
        assert 'role="search"' in html and "共 0 条" in html, name


def test_the_inbox_has_a_pager(client_for, base_user):
    Notification.objects.bulk_create(Notification(recipient=base_user, title=f"消息{i}") for i in range(25))
    client = client_for(base_user)
    first = client.get(reverse("review:inbox")).content.decode()
    assert "第 1 / 2 页" in first and "共 25 条" in first
    assert client.get(reverse("review:inbox"), {"page": 2}).content.decode().count("消息") >= 5
