"""学时档案: yearly totals by kind, and the 达标 rule at its boundaries."""

import datetime as dt
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from jxjy.hours.models import Credit
from jxjy.hours.services import ledger, required_hours

from . import factories as f


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


def test_ledger_page_and_proof(client_for, db):
    learner = f.learner(902)
    credit(learner, 2025, "professional", 60)
    credit(learner, 2025, "public", 30)
    credit(learner, 2024, "public", 12)
    client = client_for(learner.user)
    page = client.get(reverse("hours:ledger")).content.decode()
    assert "2025年度" in page and "达标" in page and "2024年度" in page and "未达标" in page
    response = client.get(reverse("hours:proof", args=[2025]))
    assert response["Content-Type"] == "application/pdf"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True)
        assert "2025年度继续教育学时证明" in text.stdout.decode() and "达标" in text.stdout.decode()


def test_only_learners_have_a_ledger(client_for, base_user):
    assert client_for(base_user).get(reverse("hours:ledger")).status_code == 403
