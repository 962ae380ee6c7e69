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


def test_base_home_counts_recognitions_apart_from_filings(client_for, base, base_user, filing):
    from . import factories as f

    recognition = f.complete_filing(base, base_user, purpose="recognition", planned_count=30)
    engine.perform(recognition, "submit", actor=base_user)
    cards = {c.title: c for c in client_for(base_user).get(reverse("core:home")).context["cards"]}
    assert (cards["培训前备案"].value, cards["学时认定"].value) == ("1", "1")
    assert cards["学时认定"].note == "其中待人社审核 1 项、审核通过 0 项"


def test_regional_hr_home_counts_recognitions_waiting(client_for, base, base_user, hr_region_user):
    from . import factories as f

    engine.perform(f.complete_filing(base, base_user, purpose="recognition", planned_count=30), "submit",
                   actor=base_user)  # fmt: skip
    cards = {c.title: c.value for c in client_for(hr_region_user).get(reverse("core:home")).context["cards"]}
    assert cards["学时认定待审核"] == "1" and cards["培训前备案待审核"] == "0"
