"""Every data table says what it holds and which cells head its rows and columns (WCAG 2.1 AA, 1.3.1).

Each page of the role × URL matrix (tests/test_url_matrix.py) that answers 200 with HTML, as each role: every
<table> has a non-empty <caption> (or is a layout table, role="presentation"), and every <th> has
scope="col" (a column's head, in <thead>) or scope="row" (a row's label, as in the label/value `.sheet-view`).

The Django admin's own screens (/admin/…) are Django's templates, not the project's: they are left out.
"""

import pytest

from . import test_url_matrix as matrix
from .html_helpers import page
from .test_url_matrix import ROLES, URLS, client_as, url_for

world = matrix.world  # the matrix's fixture: its world of one of everything

NOT_OURS = ("/admin/",)  # Django's admin templates
SCOPES = {"col", "row"}


def offenders(path: str, response) -> list[str]:
    root = page(response)
    found = []
    for table in root.find_all(lambda n: n.tag == "table"):
        if table.attrs.get("role") == "presentation":
            continue
        captions = [c for c in table.children if not isinstance(c, str) and c.tag == "caption"]
        if not captions or not captions[0].text():
            found.append(f"{path}: table without caption (class {table.attrs.get('class', '')!r})")
        headers = table.find_all(lambda n: n.tag == "th")
        unscoped = [th.text()[:12] for th in headers if th.attrs.get("scope") not in SCOPES]
        if unscoped:
            found.append(f"{path}: th without scope ({'、'.join(unscoped)})")
    return found


def test_the_check_sees_a_missing_caption_and_scope():
    class Page:
        content = (
            b"<table><thead><tr><th>a</th></tr></thead></table><table role='presentation'><tr><td>x</td></tr></table>"
        )

    assert offenders("/x/", Page()) == ["/x/: table without caption (class '')", "/x/: th without scope (a)"]


@pytest.mark.django_db
def test_every_table_has_a_caption_and_every_th_a_scope(request, world):
    bad, pages = set(), 0
    for role in ROLES:
        client = client_as(request, role)
        for route in URLS:
            url = url_for(route, world)
            if url.startswith(NOT_OURS):
                continue
            response = client.get(url)
            if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
                continue
            pages += 1
            bad.update(offenders(url, response))
    assert pages > 50, f"only {pages} pages rendered: is the matrix's world still built?"
    assert not bad, "\n".join(sorted(bad))
