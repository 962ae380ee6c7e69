"""学时档案: yearly totals by kind, and the 达标 rule at its boundaries."""

import datetime as dt
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from demo import factories as f
from jxjy.certificates import signing
from jxjy.core import clock
from jxjy.hours.models import Credit
from jxjy.hours.services import ledger, required_hours

from .html_helpers import page


def credit(learner, year, kind, hours, void=False):
    return Credit.objects.create(learner=learner, year=year, subject_kind=kind, hours=Decimal(str(hours)),
                                 title="测试培训", source="培训后备案", credited_on=dt.date(year, 6, 1),
                                 is_void=void)  # fmt: skip


def test_required_hours_follow_the_settings(db, settings):
    settings.JXJY_YEARLY_HOURS, settings.JXJY_PROFESSIONAL_SHARE = 90, 0.6667
    assert required_hours() == (Decimal(90), Decimal("60.0"))
    settings.JXJY_YEARLY_HOURS, settings.JXJY_PROFESSIONAL_SHARE = 72, 0.5
    assert required_hours() == (Decimal(72), Decimal("36.0"))


@pytest.mark.parametrize(
    ("professional", "public", "met"),
    [
        (60, 30, True),  # exactly the total and exactly two thirds
        (59.5, 30.5, False),  # total reached, 专业科目 half an hour short
        (60, 29.5, False),  # 专业科目 reached, total half an hour short
        (90, 0, True),
        (100, 0, True),
        (0, 90, False),
    ],
)
def test_met_rule_at_its_boundaries(db, professional, public, met):
    learner = f.learner(900)
    credit(learner, 2025, "professional", professional)
    credit(learner, 2025, "public", public)
    year = ledger(learner)[0]
    assert (year.professional, year.public, year.met) == (Decimal(str(professional)), Decimal(str(public)), met)


def test_void_credits_do_not_count_and_years_are_separate(db):
    learner = f.learner(901)
    credit(learner, 2025, "professional", 60)
    credit(learner, 2025, "public", 30)
    credit(learner, 2025, "professional", 40, void=True)
    credit(learner, 2024, "professional", 12)
    years = ledger(learner)
    assert [(y.year, y.total, y.met) for y in years] == [(2025, 90, True), (2024, 12, False)]


def met_this_year_not_last(n: int):
    """A learner with 90 hours this year (60 of them 专业科目: 达标) and 12 last year (未达标)."""
    this = clock.this_year()
    learner = f.learner(n)
    credit(learner, this, "professional", 60)
    credit(learner, this, "public", 30)
    credit(learner, this - 1, "public", 12)
    return learner


@pytest.mark.date_sweep
def test_ledger_page_and_proof(client_for, db):
    this = clock.this_year()
    learner = met_this_year_not_last(902)
    client = client_for(learner.user)
    years = page(client.get(reverse("hours:ledger"))).find_all(lambda n: "ledger-year" in n.classes)
    assert [(y.attrs["data-year"], y.find_all(lambda n: n.tag == "h3")[0].text()) for y in years] == [
        (str(this), f"{this}年度 达标"),
        (str(this - 1), f"{this - 1}年度 未达标"),
    ]
    response = client.get(reverse("hours:proof", args=[this]))
    assert response["Content-Type"] == "application/pdf"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True)
        text = text.stdout.decode()
        assert f"{this}年度继续教育学时证明" in text and "结论：达标" in text
        assert f"{clock.today():%Y年%m月%d日}" in text  # Ürümqi's date, not UTC's
    verdict = signing.verify(response.content)  # sealed by the platform, like a certificate
    assert verdict.valid and verdict.keywords == signing.document_keywords("hours-proof", str(this))


@pytest.mark.date_sweep
def test_home_shows_this_years_hours_in_asia_shanghai(client_for, db):
    """At 00:20 on 1 January the card is already the new year's (UTC is still in the old one)."""
    this = clock.this_year()
    learner = met_this_year_not_last(903)
    response = client_for(learner.user).get(reverse("core:home"))
    year = response.context["learner_home"].year
    assert (year.year, year.total, year.required, year.met) == (this, 90, 90, True)
    assert f"{this}年度学时 达标" in page(response).text()


def test_only_learners_have_a_ledger(client_for, base_user):
    assert client_for(base_user).get(reverse("hours:ledger")).status_code == 403
