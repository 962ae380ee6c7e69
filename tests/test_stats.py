"""统计: each figure equals a direct count of the rows it claims to count, in the user's scope, on any day of
the year (the region's tests run at each instant of the date sweep; the demo is loaded on an ordinary day)."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from demo import factories as f
from jxjy.accounts.models import Organisation
from jxjy.certificates.models import Certificate
from jxjy.certificates.services import Facts, issue_many
from jxjy.core import clock
from jxjy.filings.models import PreFiling
from jxjy.hours.models import Credit
from jxjy.stats import services
from jxjy.stats.totals import rebuild as rebuild_totals
from jxjy.trainings.models import Registration, TrainingClass

from .demo_helpers import demo  # noqa: F401 - the fixture
from .job_helpers import job_file


@pytest.fixture
def region(db, department, hr_region_user):
    """Two bases in 乌鲁木齐 (regional and prefecture level) and one in 喀什, each with a class that ended two
    days ago, approved learners and certificates for some of them; plus a draft filing and a returned
    registration. Everything counts in the 年度 of those classes (`year`), which on the first days of
    January is last year."""
    kashgar = f.BaseFactory(name="喀什继续教育基地", level=Organisation.Level.PREFECTURE,
                            prefecture=f.prefecture("喀什地区"), department=department)  # fmt: skip
    bases = [
        f.BaseFactory(name="自治区级基地", level=Organisation.Level.REGIONAL, department=department),
        f.BaseFactory(name="乌鲁木齐地州级基地", level=Organisation.Level.PREFECTURE, department=department),
        kashgar,
    ]
    for n, base in enumerate(bases, start=1):
        user = f.UserFactory(role="base", organisation=base)
        c = f.finished_class(base, user, learners=n + 1)
        f.complete_filing(base, user, class_name="草稿不计入")
        f.approved_filing(base, user, class_name="学时认定", purpose="recognition", planned_count=20,
                          start_date=c.pre_filing.start_date)  # fmt: skip
        regs = list(Registration.objects.filter(training_class=c))
        Registration.objects.filter(pk=regs[0].pk).update(status="returned")
        issue_many([
            Facts(source_key=f"t:{r.pk}", learner=r.learner, kind="professional", year=r.year,
                  hours=Decimal(30 + n), class_name="班", base=base, base_name=base.name, scope="",
                  issuer=hr_region_user.organisation, source_label="培训后备案", registration=r)
            for r in regs[1:]
        ])  # fmt: skip
    # The factories set filings, classes and registrations to 审核通过 directly, as a data load would (the
    # services keep the totals themselves: tests/test_stats_summary.py): count them as a deployment does.
    rebuild_totals()
    return bases


@pytest.fixture
def year(region) -> int:
    (year,) = set(TrainingClass.objects.filter(base__in=region).values_list("years_start", flat=True))
    return year


def direct(bases, year):
    """The same figures counted straight from the tables, without the stats module."""
    certs = Certificate.objects.filter(base__in=bases, status="valid", year=year)
    return {
        "filings": PreFiling.objects.filter(base__in=bases, status="approved", year=year, purpose="filing").count(),
        "recognitions": PreFiling.objects.filter(
            base__in=bases, status="approved", year=year, purpose="recognition"
        ).count(),
        "classes": TrainingClass.objects.filter(base__in=bases, status="approved", pre_filing__year=year).count(),
        "registrations": Registration.objects.filter(
            training_class__base__in=bases, status="approved", year=year
        ).count(),
        "certificates": certs.count(),
        "hours": sum((c.hours for c in certs), Decimal(0)),
    }


@pytest.mark.date_sweep
def test_region_overview_equals_direct_counts(region, year, hr_region_user):
    assert services.overview(hr_region_user, year) == direct(region, year)
    assert services.overview(hr_region_user, year)["certificates"] == 1 + 2 + 3
    assert services.overview(hr_region_user, year)["recognitions"] == 3  # and not among the 培训前备案


@pytest.mark.date_sweep
def test_prefecture_bureau_sees_its_prefecture_only(region, year, hr_prefecture_user):
    urumqi = [b for b in region if b.prefecture.name == "乌鲁木齐市"]
    assert services.overview(hr_prefecture_user, year) == direct(urumqi, year)
    assert [r.label for r in services.by_prefecture(hr_prefecture_user, year)] == ["乌鲁木齐市"]


@pytest.mark.date_sweep
def test_breakdowns_add_up_to_the_overview(region, year, hr_region_user):
    overview = services.overview(hr_region_user, year)
    for rows in (services.by_prefecture(hr_region_user, year), services.by_level(hr_region_user, year)):
        for metric, _ in services.METRICS:
            assert sum(r.values[metric] for r in rows) == overview[metric]
    kashgar = next(r for r in services.by_prefecture(hr_region_user, year) if r.label == "喀什地区")
    assert kashgar.values["certificates"] == 3 and kashgar.values["hours"] == 99


@pytest.mark.date_sweep
def test_met_share(region, year, hr_region_user, settings):
    settings.JXJY_YEARLY_HOURS, settings.JXJY_PROFESSIONAL_SHARE = 32, 0.5
    met, learners = services.met_share(hr_region_user, year)
    expected_learners = Credit.objects.filter(year=year).values("learner").distinct().count()
    assert (met, learners) == (5, expected_learners)  # 31 hours are short of 32; 32 and 33 reach it


@pytest.mark.date_sweep
def test_page_and_export(client_for, region, year, hr_region_user):
    client = client_for(hr_region_user)
    page = client.get(reverse("stats:index"), {"year": year}).content.decode()
    assert "按地州" in page and "喀什地区" in page and "达标率" in page
    wb = openpyxl.load_workbook(io.BytesIO(job_file(client, client.post(reverse("stats:export") + f"?year={year}"))))
    assert wb.sheetnames == ["总体情况", "按地州", "按基地级别", "按系列(学员报名专业)", "学时达标情况"]
    overview = {row[0]: row[1] for row in wb["总体情况"].iter_rows(min_row=2, values_only=True)}
    assert overview["有效电子证书"] == 6


@pytest.mark.parametrize("who", ["base_user", "department_user", "learner_user"])
def test_only_hr_sees_statistics(db, request, client_for, who):
    assert client_for(request.getfixturevalue(who)).get(reverse("stats:index")).status_code == 403


def counted_by_hand(bases) -> dict:
    """The overview's figures on the demo data, by walking the rows in Python rather than asking the database."""
    year = clock.this_year()
    ids = {b.pk for b in bases}
    filings = [p for p in PreFiling.objects.filter(status="approved") if p.base_id in ids and p.year == year]
    classes = TrainingClass.objects.filter(status="approved").select_related("pre_filing")
    registrations = Registration.objects.filter(status="approved").select_related("training_class")
    certs = [c for c in Certificate.objects.filter(status="valid") if c.base_id in ids and c.year == year]
    credits = [c for c in Credit.objects.filter(is_void=False).select_related("certificate") if c.year == year]
    return {
        "filings": sum(1 for p in filings if p.purpose == "filing"),
        "recognitions": sum(1 for p in filings if p.purpose == "recognition"),
        "classes": sum(1 for c in classes if c.base_id in ids and c.pre_filing.year == year),
        "registrations": sum(1 for r in registrations if r.training_class.base_id in ids and r.year == year),
        "certificates": len(certs),
        "hours": sum((c.hours for c in credits if c.certificate and c.certificate.base_id in ids), Decimal(0)),
    }


@pytest.mark.parametrize("username", ["rst_zjc", "wlmq_rsj"])
@pytest.mark.usefixtures("demo")
def test_figures_on_the_demo_data_equal_counts_by_hand(username):
    from jxjy.accounts.models import User

    year = clock.this_year()
    user = User.objects.get(username=username)
    bases = Organisation.objects.filter(kind="base")
    if username == "wlmq_rsj":
        bases = bases.filter(prefecture=user.organisation.prefecture)
    expected = counted_by_hand(list(bases))
    assert services.overview(user, year) == expected
    assert all(expected[m] for m in ("filings", "recognitions", "classes", "registrations", "certificates"))
    for rows in (services.by_prefecture(user, year), services.by_level(user, year)):
        assert {m: sum(r.values[m] for r in rows) for m, _ in services.METRICS} == expected
    series = services.by_series(user, year)  # every demo registration is in 工程系列
    assert [r.label for r in series] == ["工程系列"]
    assert series[0].values == {m: expected[m] for m in services.SERIES_PATH}
    regional = next(r for r in services.by_level(user, year) if r.label == "自治区级")
    assert regional.values == counted_by_hand([Organisation.objects.get(name="新疆水利水电继续教育基地")])


@pytest.mark.usefixtures("demo")
def test_met_share_on_the_demo_data(settings):
    from jxjy.accounts.models import User

    year = clock.this_year()
    totals: dict = {}
    for c in Credit.objects.filter(year=year, is_void=False):
        kinds = totals.setdefault(c.learner_id, {"public": Decimal(0), "professional": Decimal(0)})
        kinds[c.subject_kind] += c.hours
    settings.JXJY_YEARLY_HOURS, settings.JXJY_PROFESSIONAL_SHARE = 60, 0.5
    met = sum(1 for k in totals.values() if k["public"] + k["professional"] >= 60 and k["professional"] >= 30)
    assert services.met_share(User.objects.get(username="rst_zjc"), year) == (met, len(totals))
    assert 0 < met < len(totals)  # the demo has learners on both sides of the line


@pytest.mark.date_sweep
def test_figures_are_always_fresh_and_the_page_says_when_they_were_counted(client_for, region, year,
                                                                           hr_region_user):  # fmt: skip
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jxjy.certificates.services import revoke
    from jxjy.stats.tables import tables_for

    with CaptureQueriesContext(connection) as queries:
        tables_for(hr_region_user, year)  # the tables read the totals, none of the facts' tables
    facts = ("certificates_certificate", "hours_credit", "trainings_", "filings_prefiling")
    assert queries.captured_queries and not [q for q in queries if any(t in q["sql"] for t in facts)]
    first = client_for(hr_region_user).get(reverse("stats:index"), {"year": year}).content.decode()
    assert "统计时间" in first
    revoke(Certificate.objects.filter(base__in=region).first(), actor=hr_region_user, reason="信息有误")
    again = client_for(hr_region_user).get(reverse("stats:index"), {"year": year}).content.decode()
    assert "有效电子证书" in again
    assert services.overview(hr_region_user, year) == direct(region, year)
    assert services.overview(hr_region_user, year)["certificates"] == 5
