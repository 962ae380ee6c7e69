"""The demo data (manage.py load_demo) in a test's database, for tests about what demo users see."""

from pathlib import Path

import pytest

from . import demo_snapshot


@pytest.fixture
def demo(db, demo_snapshot_once, settings):
    demo_snapshot.restore(demo_snapshot_once, Path(settings.MEDIA_ROOT))
