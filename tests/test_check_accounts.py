"""No active superuser and no demo credentials in production data: `manage.py check_accounts` fails under
the production settings, and `check --deploy --database default` reports the same."""

import pytest
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo import factories as f
from jxjy.accounts.checks import unsafe_accounts
from jxjy.accounts.demo_credentials import DEMO_PASSWORD, DEMO_TOTP_KEY


@pytest.fixture
def production(settings):
    settings.JXJY_PRODUCTION = True


def test_clean_data_passes(production, base_user, sysadmin_user):
    call_command("check_accounts")
    assert unsafe_accounts() == []


def test_an_active_superuser_fails_in_production(production, db):
    f.UserFactory(username="root", is_superuser=True)
    with pytest.raises(CommandError):
        call_command("check_accounts")
    assert unsafe_accounts() == ["超级用户 root：不应存在启用的超级用户"]


def test_a_disabled_superuser_is_allowed(production, db):
    f.UserFactory(username="root", is_superuser=True, is_active=False)
    call_command("check_accounts")


def test_a_staff_account_with_the_demo_password_fails(production, base_user):
    base_user.set_password(DEMO_PASSWORD)
    base_user.save()
    with pytest.raises(CommandError):
        call_command("check_accounts")
    assert unsafe_accounts() == ["账号 jd_sl：使用演示密码"]


def test_a_demo_authenticator_secret_fails(production, hr_region_user):
    TOTPDevice.objects.create(user=hr_region_user, name="x", key=DEMO_TOTP_KEY, confirmed=True)
    assert unsafe_accounts() == ["账号 rst_zjc：身份验证器使用演示密钥"]


def test_outside_production_it_only_reports(db, capsys):
    f.UserFactory(username="root", is_superuser=True)
    call_command("check_accounts")
    assert "超级用户 root" in capsys.readouterr().err
    with pytest.raises(CommandError):
        call_command("check_accounts", "--strict")


def test_the_deploy_check_reports_with_the_database(db):
    f.UserFactory(username="root", is_superuser=True)
    errors = [e for e in run_checks(include_deployment_checks=True, databases=["default"]) if e.id == "jxjy.E001"]
    assert [e.msg for e in errors] == ["超级用户 root：不应存在启用的超级用户"]
    assert not [e for e in run_checks(include_deployment_checks=True) if e.id == "jxjy.E001"]
