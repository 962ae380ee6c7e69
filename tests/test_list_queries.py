"""Every main list and search costs the same number of queries for one row as for many (no N+1).

The numbers are pinned: a change that adds a query per page must change them here, on purpose.
bench/lists.py measures the same pages at region scale.
"""

from dataclasses import dataclass
from decimal import Decimal
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from demo import factories as f
from jxjy.audit import trail as audit
from jxjy.certificates.services import Facts, issue_many
from jxjy.completions.models import CompletionFiling
from jxjy.filings.models import PreFiling
from jxjy.review import engine
from jxjy.trainings.models import Registration

# The tests take their users and rows by name (request.getfixturevalue): declare the database up front.
pytestmark = pytest.mark.django_db

numbers = count(700)


def waiting_filings(request, k: int, *, at_hr: bool) -> None:
    """`k` filings of the regional base waiting for its department, or for 人社厅."""
    base, base_user = request.getfixturevalue("base"), request.getfixturevalue("base_user")
    holder = f.hr_region() if at_hr else request.getfixturevalue("department")
    for _ in range(k):
        filing = f.complete_filing(base, base_user)
        PreFiling.objects.filter(pk=filing.pk).update(
            status="hr_review" if at_hr else "dept_review", holder=holder, submitted_at=timezone.now()
        )
        if at_hr:  # HR sees a filing once it has reached HR
            audit.record(actor=base_user, action="submit", obj=filing, state_after="hr_review")


def classes(request, k: int, **overrides) -> list:
    base, base_user = request.getfixturevalue("base"), request.getfixturevalue("base_user")
    return [f.published_class(f.approved_filing(base, base_user), base_user, **overrides) for _ in range(k)]


def waiting_completions(request, k: int) -> None:
    base_user = request.getfixturevalue("base_user")
    for c in classes(request, k):
        CompletionFiling.objects.create(base=c.base, training_class=c, created_by=base_user, status="hr_review",
                                        holder=f.hr_region(), name="结业备案", year=c.years[0],
                                        submitted_at=timezone.now())  # fmt: skip


def submitted_registrations(request, k: int) -> list[Registration]:
    c = request.getfixturevalue("open_class")
    specialty_id, level_id = f.scope_of(c)
    regs = []
    for _ in range(k):
        person = f.learner(next(numbers))
        regs.append(Registration.objects.create(
            learner=person, training_class=c, specialty_id=specialty_id, level_id=level_id, status="submitted",
            holder=c.base, submitted_at=timezone.now(), name=person.name, work_unit="测试单位",
            current_title="工程师", year=c.years[0],
        ))  # fmt: skip
    return regs


def certificates(request, k: int, *, learner=None) -> None:
    base = request.getfixturevalue("base")
    issue_many([
        Facts(source_key=f"q:{next(numbers)}", learner=learner or r.learner, kind="professional",
              year=timezone.localdate().year, hours=Decimal(40), class_name="水利培训班", base=base,
              base_name=base.name, scope="", issuer=f.hr_region(), source_label="培训后备案", registration=r)
        for r in submitted_registrations(request, k)
    ])  # fmt: skip


def ledger_lines(request, k: int) -> None:
    certificates(request, k, learner=request.getfixturevalue("learner_user").learner)


def learner_home_rows(request, k: int) -> None:
    """For 我的主页: `k` more returned registrations, open classes of the learner's specialty, and certificates."""
    learner, base_user = request.getfixturevalue("learner_user").learner, request.getfixturevalue("base_user")
    filing = f.approved_filing(request.getfixturevalue("base"), base_user)
    for _ in range(k):
        c = f.published_class(filing, base_user)
        specialty_id, level_id = f.scope_of(c)
        Registration.objects.create(
            learner=learner, training_class=c, specialty_id=specialty_id, level_id=level_id, status="returned",
            name=learner.name, work_unit="测试单位", current_title="工程师", year=c.years[0],
        )  # fmt: skip
        f.published_class(filing, base_user)
    ledger_lines(request, k)


def my_registration_rows(request, k: int) -> None:
    """For 继续教育专业课: `k` more registrations of the learner, returned with an opinion or on a waiting list."""
    user, base_user = request.getfixturevalue("learner_user"), request.getfixturevalue("base_user")
    filing = f.approved_filing(request.getfixturevalue("base"), base_user)
    for n in range(k):
        c = f.published_class(filing, base_user)
        specialty_id, level_id = f.scope_of(c)
        reg = Registration.objects.create(
            learner=user.learner, training_class=c, specialty_id=specialty_id, level_id=level_id, status="draft",
            name=user.learner.name, work_unit="测试单位", current_title="工程师", year=c.years[0],
        )  # fmt: skip
        if n % 2 == 0:  # the first one waits: its place costs the page's one query more
            Registration.objects.filter(pk=reg.pk).update(status="waiting", queue_seq=1)
        else:
            engine.perform(reg, "submit", actor=user)
            engine.perform(reg, "return", actor=base_user, opinion="请补充工作单位")


@dataclass
class Case:
    name: str
    user: str
    url: str
    add: object  # add(request, k): k more rows in the list
    queries: int


CASES = [
    # The 人社厅's menu counts the 身份申诉 waiting for it: one query on each of its pages; and the 学时上报
    # waiting in its 「学时认定审核」 group: one more.
    Case("培训前备案待审核（主管部门）", "department_user", "/review/prefiling/waiting/",
         lambda r, k: waiting_filings(r, k, at_hr=False), 6),
    Case("培训前备案待审核（人社厅）", "hr_region_user", "/review/prefiling/waiting/",
         lambda r, k: waiting_filings(r, k, at_hr=True), 12),
    Case("培训信息待审核（人社厅）", "hr_region_user", "/review/training/waiting/",
         lambda r, k: classes(r, k, status="hr_review", holder=f.hr_region()), 12),
    Case("培训信息已审核（人社厅）", "hr_region_user", "/review/training/done/", classes, 12),
    Case("培训后备案待审核（人社厅）", "hr_region_user", "/review/completion/waiting/", waiting_completions, 12),
    Case("学员报名审核（基地）", "base_user", "/trainings/registrations/review/", submitted_registrations, 7),
    Case("专业课电子证书（人社厅）", "hr_region_user", "/certificates/list/professional/", certificates, 12),
    Case("证书按姓名查询（基地）", "base_user", "/certificates/list/professional/?name=学员", certificates, 6),
    Case("学时档案（学员）", "learner_user", "/hours/", ledger_lines, 4),
    Case("我的主页（学员）", "learner_user", "/", learner_home_rows, 7),
    Case("继续教育专业课（学员）", "learner_user", "/trainings/my/", my_registration_rows, 4),
    Case("统计分析（人社厅）", "hr_region_user", "/stats/", certificates, 15),
]  # fmt: skip


@pytest.fixture
def open_class(base, base_user):
    return f.published_class(f.approved_filing(base, base_user), base_user)


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_list_queries_do_not_grow_with_its_rows(case, request, client):
    client.force_login(request.getfixturevalue(case.user))
    case.add(request, 1)
    client.get(case.url)  # the first page after login writes the session
    one = queries_of(client, case.url)
    case.add(request, 4)
    client.get(case.url)  # rows that sent the user messages make the next page count them again (review/inbox.py)
    five = queries_of(client, case.url)
    assert (one, five) == (case.queries, case.queries)


def test_a_list_counts_at_most_the_cap_and_says_so(client_for, hr_region_user, request, monkeypatch):
    from jxjy.core import paging

    monkeypatch.setattr(paging.CappedPaginator, "cap", 3)
    certificates(request, 5)
    page = client_for(hr_region_user).get("/certificates/list/professional/").content.decode()
    assert "超过 3 条" in page and "第 1 / 1 页" in page


def test_certificate_pages_keep_the_search_terms(client_for, hr_region_user, request):
    certificates(request, 31)
    page = client_for(hr_region_user).get("/certificates/list/professional/?name=学员").content.decode()
    assert "第 1 / 2 页，共 31 条" in page and "?name=%E5%AD%A6%E5%91%98&amp;page=2" in page


def test_certificate_name_search_matches_the_name_from_its_beginning(client_for, base_user, request):
    certificates(request, 1)
    client = client_for(base_user)
    cert_page = "/certificates/list/professional/"
    assert "-ZY-" in client.get(cert_page, {"name": "学员"}).content.decode()
    assert "-ZY-" not in client.get(cert_page, {"name": "员"}).content.decode()


def test_submitting_a_registration_reads_what_the_move_needs_with_the_locked_row(client, open_class, learner_user):
    """提交 is what thousands do at once when a class opens (bench/rush.py): its query count is pinned."""
    specialty_id, level_id = f.scope_of(open_class)
    reg = Registration.objects.create(
        learner=learner_user.learner, training_class=open_class, specialty_id=specialty_id, level_id=level_id,
        status="draft", name="张三", work_unit="测试单位", current_title="工程师", year=open_class.years[0],
    )  # fmt: skip
    client.force_login(learner_user)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        client.post(f"/trainings/registrations/{reg.pk}/submit/")
    reg.refresh_from_db()
    assert reg.status == "submitted"
    lock_timeout = connection.vendor == "postgresql"  # PostgreSQL sets how long to wait for the seat lock
    # Its messages are written in the move's own transaction (two queries: the base's users, the 站内消息), so
    # that a process dying after the commit loses none; the base, now holding it, is not looked up again as one
    # who saw it before. The audit entry takes no savepoint of its own inside the move's transaction.
    assert len(queries) == 14 + lock_timeout


def test_only_the_bases_own_screens_count_the_seats_taken(client_for, request, base_user, hr_region_user):
    """Counting registrations for every class in HR's lists cost 1.4 s at region scale."""
    regs = submitted_registrations(request, 2)
    c = regs[0].training_class
    with CaptureQueriesContext(connection) as queries:
        client_for(hr_region_user).get("/review/training/done/")
    assert not [q for q in queries.captured_queries if "trainings_registration" in q["sql"]]
    page = client_for(base_user)
    assert "<td>2/不限</td>" in page.get("/trainings/classes/").content.decode()
    assert "不限制（已报名 2）" in page.get(f"/trainings/classes/{c.pk}/").content.decode()
