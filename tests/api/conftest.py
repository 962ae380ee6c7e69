"""API test fixtures: rate limits reset, an online platform, and one token per scope."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from jxjy.accounts.models import Organisation
from jxjy.api import tokens


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # rate-limit counters live in the cache
    yield
    cache.clear()


@pytest.fixture
def platform(db):
    return Organisation.objects.create(name="新疆专技人员在线学习平台", kind=Organisation.Kind.PLATFORM)


def new_token(organisation, scopes, actor, days: int = 30) -> str:
    _, secret = tokens.create_token(
        organisation=organisation, name="测试系统", scopes=scopes,
        expires_at=timezone.now() + dt.timedelta(days=days), actor=actor,
    )  # fmt: skip
    return secret


@pytest.fixture
def hours_token(hr_region_user, sysadmin_user):
    return new_token(hr_region_user.organisation, ["hours:read"], sysadmin_user)


@pytest.fixture
def import_token(platform, sysadmin_user):
    return new_token(platform, ["completions:import"], sysadmin_user)


@pytest.fixture
def documents_token(base, sysadmin_user):
    return new_token(base, ["documents:read"], sysadmin_user)


@pytest.fixture
def api(db):
    """`api(secret)`: a client that sends `Authorization: Bearer <secret>` (or no header without one)."""

    def client(secret: str | None = None) -> Client:
        return Client(headers={"Authorization": f"Bearer {secret}"} if secret else {})

    return client
