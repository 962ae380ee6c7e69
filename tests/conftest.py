"""The suite's clock (every test starts at its instant: tests/clock.py), the demo loaded once per run, and the
shared role fixtures: a regional base and a prefecture base under one department, that department, another
department with its own base (the outsider), the HR reviewers, and a learner."""

import datetime as dt
import shutil

import pytest
import time_machine
from django.conf import settings
from django.utils import translation

from demo import factories as f
from jxjy.accounts.models import Organisation, Role
from jxjy.accounts.services import register_learner

from . import clock as test_clock
from . import (
    demo_snapshot,
    hypothesis_profiles,  # noqa: F401 - registers and loads the profile
)
from .account_helpers import VerifiedClient

_RUN_INSTANT = test_clock.run_instant()
_run_travel = time_machine.travel(_RUN_INSTANT, tick=True)


def pytest_configure(config):
    # From the first import of a test module on, nothing sees the real date (module constants included).
    _run_travel.start()
    test_clock.share_with_children(_RUN_INSTANT)
    config.addinivalue_line("markers", "now(instant): the test starts at this instant (Asia/Shanghai by default)")
    config.addinivalue_line("markers", "date_sweep(*names): the test runs at each (or each named) instant of SWEEP")


def pytest_unconfigure(config):
    _run_travel.stop()


def pytest_generate_tests(metafunc):
    marker = metafunc.definition.get_closest_marker("date_sweep")
    if marker:
        names = marker.args or list(test_clock.SWEEP)
        metafunc.parametrize("clock", [test_clock.SWEEP[n] for n in names], ids=names, indirect=True)


@pytest.fixture(autouse=True)
def clock(request):
    """Each test starts at its instant (see tests/clock.py); the traveller lets it move time on."""
    marker = request.node.get_closest_marker("now")
    if marker:
        instant = test_clock.parse(marker.args[0])
    elif hasattr(request, "param"):
        instant = test_clock.parse(request.param)
    else:
        instant = _RUN_INSTANT
    with time_machine.travel(instant, tick=True) as traveller:
        test_clock.share_with_children(instant)
        yield traveller


@pytest.fixture(autouse=True)
def _platform_language():
    """Each test starts in 简体中文: a request in Uyghur leaves its language active on the test's thread."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def client():
    """pytest-django's client, whose force_login also passes the second factor (2FA roles)."""
    return VerifiedClient()


@pytest.fixture(scope="session")
def demo_snapshot_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once per run (tests/demo_snapshot.py); `demo` fixtures copy it. It is loaded a few minutes
    before the run's instant, on the same day: every row it makes is older than what a test then makes, as it
    would be on a server where the demo was loaded before anyone signed in."""
    with django_db_blocker.unblock(), time_machine.travel(_RUN_INSTANT - dt.timedelta(minutes=5), tick=True):
        return demo_snapshot.take(tmp_path_factory.mktemp("demo-media"))


@pytest.fixture(autouse=True)
def sms_sent():
    """What the test SMS backend sent during this test, newest last (like mail.outbox for e-mail)."""
    from jxjy.notify import backends

    backends.sent.clear()
    return backends.sent


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture
def department(db):
    return f.DepartmentFactory(name="自治区水利厅")


@pytest.fixture
def base(department):
    return f.BaseFactory(name="新疆水利水电继续教育基地", level=Organisation.Level.REGIONAL, department=department)


@pytest.fixture
def prefecture_base(department):
    return f.BaseFactory(name="乌鲁木齐市水利继续教育基地", level=Organisation.Level.PREFECTURE, department=department)


@pytest.fixture
def other_department(db):
    return f.DepartmentFactory(name="自治区林业和草原局")


@pytest.fixture
def other_base(other_department):
    return f.BaseFactory(name="新疆林业继续教育基地", department=other_department)


@pytest.fixture
def base_user(base):
    return f.UserFactory(username="jd_sl", role=Role.BASE, organisation=base)


@pytest.fixture
def prefecture_base_user(prefecture_base):
    return f.UserFactory(username="jd_wlmq", role=Role.BASE, organisation=prefecture_base)


@pytest.fixture
def other_base_user(other_base):
    return f.UserFactory(username="jd_ly", role=Role.BASE, organisation=other_base)


@pytest.fixture
def department_user(department):
    return f.UserFactory(username="slt", role=Role.DEPARTMENT, organisation=department)


@pytest.fixture
def other_department_user(other_department):
    return f.UserFactory(username="lcj", role=Role.DEPARTMENT, organisation=other_department)


@pytest.fixture
def hr_region_user(db):
    return f.UserFactory(username="rst_zjc", role=Role.HR_REGION, organisation=f.hr_region())


@pytest.fixture
def hr_prefecture_user(db):
    return f.UserFactory(username="wlmq_rsj", role=Role.HR_PREFECTURE, organisation=f.hr_prefecture("乌鲁木齐市"))


@pytest.fixture
def other_hr_prefecture_user(db):
    return f.UserFactory(username="ks_rsj", role=Role.HR_PREFECTURE, organisation=f.hr_prefecture("喀什地区"))


@pytest.fixture
def learner_user(db):
    return register_learner(
        name="张三", id_number="650102199001011239", mobile="13899110001", work_unit="测试单位", password=f.PASSWORD
    )


@pytest.fixture
def filing(base, base_user):
    """A complete draft of the regional base, ready to 保存 and 提交."""
    return f.complete_filing(base, base_user)


@pytest.fixture
def client_for(client, db):
    """Log a named user in: `client_for(base_user)` returns a logged-in test client."""

    def login(user):
        client.force_login(user)
        return client

    return login


def pytest_collection_modifyitems(config, items):
    # Browser tests run last: they are the slowest and need the others' confidence first.
    items.sort(key=lambda item: "browser" in item.keywords)


@pytest.fixture
def sysadmin_user(db):
    from jxjy.accounts.models import Organisation

    ops = Organisation.objects.create(name="平台运维中心", kind="admin")
    return f.UserFactory(username="admin", role=Role.SYSADMIN, organisation=ops, is_staff=True)


@pytest.fixture
def auditor_user(sysadmin_user):
    return f.UserFactory(username="auditor", role=Role.AUDITOR, organisation=sysadmin_user.organisation)


@pytest.fixture
def secadmin_user(sysadmin_user):
    return f.UserFactory(username="secadmin", role=Role.SECADMIN, organisation=sysadmin_user.organisation)
