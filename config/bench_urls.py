"""The site's URLs plus the baseline of bench/rush.py; used only by config.settings.bench."""

from django.urls import path

from jxjy.portal.bench_views import baseline_insert

from .urls import urlpatterns as site_urlpatterns

urlpatterns = [*site_urlpatterns, path("bench/baseline/", baseline_insert, name="bench_baseline")]
