"""The rush benchmark's baseline endpoint exists only in the benchmark's own settings."""

import pytest
from django.test import override_settings

from jxjy.notify.models import Notification

pytestmark = pytest.mark.django_db


def test_the_baseline_endpoint_is_absent_by_default(client_for, learner_user, settings):
    assert settings.ROOT_URLCONF == "config.urls"
    assert client_for(learner_user).post("/bench/baseline/").status_code == 404
    assert not Notification.objects.exists()


@override_settings(ROOT_URLCONF="config.bench_urls")
def test_the_benchmark_settings_route_the_baseline_to_one_insert(client_for, learner_user):
    assert client_for(learner_user).post("/bench/baseline/").status_code == 200
    assert Notification.objects.filter(recipient=learner_user).count() == 1
