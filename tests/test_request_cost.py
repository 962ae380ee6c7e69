"""What a signed-in page costs besides its own content: the session read (not written: tests/test_sessions.py),
the account with its organisation in one query, the second factor and password age without more, the menu
without any, and the unread count from the cache. The numbers are pinned; a change that adds a query to
every page must change them here, on purpose."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo import factories as f
from jxjy.certificates.services import Facts, issue_many
from jxjy.core import clock
from jxjy.core.models import RuleSetting
from jxjy.notify.inbox import unread_count
from jxjy.notify.models import Notification

pytestmark = pytest.mark.django_db

# 我的主页: session, the user with their learner record (one query), the year's ledger lines and the saved
# rules of its summary (read once per request: jxjy/hours asks for 每年应完成学时 and 专业科目学时比例 twice),
# the registrations waiting on the learner, the open classes (those of their 专业 first, one query), the
# certificates of the last 90 days. 我的证书: session, user, list.
LEARNER_PAGES = [("我的主页", "core:home", 7), ("我的证书", "certificates:mine", 3)]


def add_certificates(learner, k: int) -> None:
    hr = f.hr_region()
    start = learner.certificates.count()
    issue_many([
        Facts(source_key=f"cost:{learner.pk}:{n}", learner=learner, kind="public", year=clock.today().year,
              hours=Decimal(8), class_name="公需课", base=None, base_name="", scope="", issuer=hr,
              source_label="在线学习平台")
        for n in range(start, start + k)
    ])  # fmt: skip


def add_messages(user, k: int, *, read: bool = False) -> None:
    Notification.objects.bulk_create(
        Notification(recipient=user, title=f"消息{n}", read_at=clock.now() if read else None) for n in range(k)
    )


def queries_of(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in queries.captured_queries]


def badge(page: str) -> str:
    start = page.index('class="inbox-link"')
    return page[start : page.index("</a>", start)]


@pytest.mark.parametrize(("name", "url", "queries"), LEARNER_PAGES, ids=[p[0] for p in LEARNER_PAGES])
def test_a_learner_page_costs_a_pinned_number_of_queries(
    client_for, learner_user, name, url, queries, django_assert_max_num_queries
):
    add_certificates(learner_user.learner, 10)
    add_messages(learner_user, 10)
    client = client_for(learner_user)
    client.get(reverse(url))  # the first page after the login counts the messages
    with django_assert_max_num_queries(queries):
        assert client.get(reverse(url)).status_code == 200


@pytest.mark.parametrize(("name", "url", "queries"), LEARNER_PAGES, ids=[p[0] for p in LEARNER_PAGES])
def test_the_cost_does_not_grow_with_messages_or_certificates(client_for, learner_user, name, url, queries):
    client = client_for(learner_user)
    add_certificates(learner_user.learner, 10)
    add_messages(learner_user, 10)
    client.get(reverse(url))
    ten = queries_of(client, reverse(url))
    add_certificates(learner_user.learner, 90)
    add_messages(learner_user, 90)
    client.get(reverse(url))  # the new messages are counted once
    hundred = queries_of(client, reverse(url))
    assert (len(ten), len(hundred)) == (queries, queries)
    page = client.get(reverse(url)).content.decode()
    # 100 messages, and one 电子证书已签发 for each of the two batches of certificates.
    assert '<span class="badge">102</span>' in badge(page)


def test_a_staff_page_reads_the_account_its_organisation_and_the_password_policy_once(client_for, base_user):
    RuleSetting.objects.create(key="JXJY_PASSWORD_MAX_AGE_DAYS", value="60")
    client = client_for(base_user)
    client.get(reverse("filings:list"))
    sql = queries_of(client, reverse("filings:list"))
    assert sum('FROM "accounts_user"' in q for q in sql) == 1
    assert not [q for q in sql if q.startswith('SELECT "accounts_organisation"')]  # joined to the user
    assert sum('"core_rulesetting"' in q for q in sql) == 1  # the gate and the menu share it
    assert not [q for q in sql if '"review_notification"' in q]  # the unread count is kept
    page = client.get(reverse("filings:list")).content.decode()
    assert base_user.organisation.name in page


def test_a_page_reads_the_saved_rules_once_and_the_next_page_sees_a_change(client_for, learner_user):
    client = client_for(learner_user)
    client.get(reverse("core:home"))
    sql = queries_of(client, reverse("core:home"))
    assert sum('"core_rulesetting"' in q for q in sql) == 1  # four rule() calls
    assert "不少于 90 学时" in client.get(reverse("hours:ledger")).content.decode()

    RuleSetting.objects.create(key="JXJY_YEARLY_HOURS", value="72")
    assert "不少于 72 学时" in client.get(reverse("hours:ledger")).content.decode()


# ---- the unread count is kept, and forgotten whenever the messages change ----


def test_the_unread_count_follows_every_change_of_the_messages(client_for, learner_user, base_user):
    client = client_for(learner_user)
    home = reverse("core:home")
    assert "badge" not in badge(client.get(home).content.decode())
    add_messages(learner_user, 3)  # bulk_create, as the review engine sends them
    assert '<span class="badge">3</span>' in badge(client.get(home).content.decode())
    note = Notification.objects.create(recipient=learner_user, title="一条")
    assert '<span class="badge">4</span>' in badge(client.get(home).content.decode())
    client.post(reverse("review:open_notification", args=[note.pk]))  # save()
    assert '<span class="badge">3</span>' in badge(client.get(home).content.decode())
    Notification.objects.filter(recipient=learner_user, read_at__isnull=True).first().delete()
    assert '<span class="badge">2</span>' in badge(client.get(home).content.decode())
    client.post(reverse("review:mark_all_read"))  # update()
    assert "badge" not in badge(client.get(home).content.decode())
    add_messages(base_user, 2)  # someone else's
    assert "badge" not in badge(client.get(home).content.decode())
    assert unread_count(base_user) == 2


def test_a_kept_count_of_another_account_with_the_same_key_is_not_shown(learner_user):
    """A primary key used again (a restored database) names another account: its kept number is not read."""
    add_messages(learner_user, 2)
    cache.set(f"inbox-unread:{learner_user.pk}", ((0.0, 0.0), 7), 60)
    assert unread_count(learner_user) == 2


def test_a_count_kept_while_a_message_is_written_is_forgotten_at_the_commit(
    learner_user, django_capture_on_commit_callbacks
):
    key = f"inbox-unread:{learner_user.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        add_messages(learner_user, 1)
        unread_count(learner_user)  # a page counting before the commit (which may see the old number) …
        stamp, _ = cache.get(key)
        cache.set(key, (stamp, 0), 60)  # … keeps the old number
    assert unread_count(learner_user) == 1
