"""规则设置: the 系统管理员 changes a rule in the admin; the system follows it at once."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from jxjy.audit.models import AuditEntry
from jxjy.core import clock
from jxjy.core.models import RuleSetting
from jxjy.core.rules import rule
from jxjy.filings.services import completeness_errors
from jxjy.hours.services import required_hours


def test_defaults_come_from_the_settings(db, settings):
    settings.JXJY_FILING_LEAD_DAYS = 15
    assert rule("JXJY_FILING_LEAD_DAYS") == 15


@pytest.mark.date_sweep
def test_sysadmin_changes_a_rule_and_the_filing_check_follows(client_for, sysadmin_user, filing):
    filing.start_date = clock.today() + dt.timedelta(days=20)
    filing.end_date = filing.start_date + dt.timedelta(days=2)
    filing.save()
    assert "start_date" not in completeness_errors(filing)
    response = client_for(sysadmin_user).post(
        "/admin/core/rulesetting/add/", {"key": "JXJY_FILING_LEAD_DAYS", "value": "30"}
    )
    assert response.status_code == 302
    assert rule("JXJY_FILING_LEAD_DAYS") == 30
    earliest = f"{clock.today() + dt.timedelta(days=30):%Y-%m-%d}"
    assert completeness_errors(filing)["start_date"] == [f"须在开班前30日提交备案，开班开始时间不能早于{earliest}"]
    assert AuditEntry.objects.filter(action="change_rule_setting", actor=sysadmin_user).exists()


def test_yearly_hours_follow_the_rule(db):
    RuleSetting.objects.create(key="JXJY_YEARLY_HOURS", value="72")
    RuleSetting.objects.create(key="JXJY_PROFESSIONAL_SHARE", value="0.5")
    assert required_hours() == (72, 36)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [("JXJY_YEARLY_HOURS", "九十", "应为整数"), ("JXJY_PROFESSIONAL_SHARE", "1.5", "应在0到1之间")],
)
def test_invalid_values_are_refused_in_chinese(client_for, sysadmin_user, key, value, message):
    response = client_for(sysadmin_user).post("/admin/core/rulesetting/add/", {"key": key, "value": value})
    assert message in response.content.decode()
    assert not RuleSetting.objects.exists()


def test_model_validation(db):
    with pytest.raises(ValidationError):
        RuleSetting(key="JXJY_FILING_LEAD_DAYS", value="-1").full_clean()


def test_only_the_sysadmin_edits_rules(client_for, auditor_user, base_user):
    for user in (auditor_user, base_user):
        response = client_for(user).post("/admin/core/rulesetting/add/", {"key": "JXJY_YEARLY_HOURS", "value": "1"})
        assert response.status_code == 403
    assert not RuleSetting.objects.exists()
