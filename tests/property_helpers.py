"""Hypothesis profiles for the suite (loaded by conftest.py).

``ci`` (the default, and what CI runs) gives each property the examples it asks for;
``dev`` (``IRP_HYPOTHESIS_PROFILE=dev``) caps every property at a few, for the edit-test
loop. Neither keeps a database of failing examples between runs, and ``ci`` draws its
examples from a seed fixed per test, so what a run tries depends on the code and the
test alone, not on what an earlier run happened to find or on chance.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

PROFILE = os.environ.get("IRP_HYPOTHESIS_PROFILE", "ci")
DEV_EXAMPLES = 5

_QUIET = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
# ``derandomize``: each property tries the same examples on every run and machine, so a
# run's outcome depends on the code alone (a counterexample found at random is written
# down as an explicit ``@example`` instead of turning up in one CI run out of eight).
settings.register_profile(
    "ci", deadline=None, database=None, derandomize=True, suppress_health_check=_QUIET
)
settings.register_profile(
    "dev", deadline=None, database=None, suppress_health_check=_QUIET, max_examples=DEV_EXAMPLES
)
settings.load_profile(PROFILE)


def examples(ci: int) -> int:
    """A property's example count: ``ci`` under the ci profile, at most a few under dev."""
    return ci if PROFILE == "ci" else min(ci, DEV_EXAMPLES)
