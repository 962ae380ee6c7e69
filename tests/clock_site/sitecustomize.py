"""Imported by every Python process the tests start (their PYTHONPATH names this folder): the process
begins at the test's instant and its time ticks on, as in the test that started it."""

import os

if os.environ.get("JXJY_TEST_CLOCK"):
    import datetime as dt

    import time_machine

    time_machine.travel(dt.datetime.fromisoformat(os.environ["JXJY_TEST_CLOCK"]), tick=True).start()
