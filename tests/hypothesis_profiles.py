"""Hypothesis profiles. "ci": the same examples on every run (derandomized, no example database), and a
failure prints the blob that replays it (@reproduce_failure). "dev", the default: random examples, and the
failing ones kept in Hypothesis's local example database (.hypothesis/, which ignores itself in git) and
tried first on the next run.

CI=true selects "ci"; otherwise HYPOTHESIS_PROFILE names the profile, else "dev". conftest.py imports this
module, so the profile is loaded before any test module builds its settings(...): a settings object takes
what it does not set itself from the profile loaded when it is built.
"""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, print_blob=True, deadline=None)
settings.register_profile("dev")


def profile_name(environ=os.environ) -> str:
    if environ.get("CI") == "true":
        return "ci"
    return environ.get("HYPOTHESIS_PROFILE") or "dev"


settings.load_profile(profile_name())
