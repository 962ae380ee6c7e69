"""Each role's home page shows what waits for it and where it stands."""

from django.urls import reverse

from jxjy.core.identity import hours_text
from jxjy.review import engine


def test_hours_text():
    from decimal import Decimal

    assert [hours_text(Decimal(x)) for x in ("40.0", "40.5", "4E+1", "0")] == ["40", "40.5", "40", "0"]


def test_department_home_counts_what_waits(client_for, department_user, filing, base_user):
    engine.perform(filing, "submit", actor=base_user)
    page = client_for(department_user).get(reverse("core:home")).content.decode()
    assert "培训前备案待审核" in page and '<span class="stat-value">1</span>' in page


def test_learner_home_shows_this_years_hours(client_for, learner_user):
    page = client_for(learner_user).get(reverse("core:home")).content.decode()
    assert "我的主页" in page and "年度学时" in page and "0 / 90" in page


def test_base_home_counts_filings(client_for, base_user, filing):
    page = client_for(base_user).get(reverse("core:home")).content.decode()
    assert "培训前备案" in page and "正在报名的培训班" in page and "学员报名待审核" in page
