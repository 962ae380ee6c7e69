"""The demo data (manage.py load_demo) in a test's database, for tests about what demo users see."""

import pytest

from jxjy.core.demo import load_demo
from jxjy.filings.demo import SAMPLE_PDF


@pytest.fixture
def demo(db, monkeypatch, django_capture_on_commit_callbacks):
    # The demo generates a 申报表 PDF per reviewed filing; its font subsetting is tested elsewhere.
    monkeypatch.setattr("jxjy.filings.application_form.render_application_form", lambda filing: SAMPLE_PDF)
    with django_capture_on_commit_callbacks(execute=True):  # the messages are sent once a move commits
        load_demo()
