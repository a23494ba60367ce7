"""Failure tests: kill -9, concurrency, fuzzing, hostile pages, a short soak.

`make test` runs them at a size that fits its time budget; `make test-deep`
(SG_DEEP=1) runs the same tests longer and with more examples. Every test here
must fail when the protection it checks is removed.
"""
import os

import pytest
from hypothesis import HealthCheck, settings

DEEP = os.environ.get("SG_DEEP") == "1"
"""True under `make test-deep`: more rounds, more examples, longer runs."""


def size(quick: int, deep: int) -> int:
    """How many rounds (or seconds, or examples) a test runs: `quick` in make test, `deep` in make test-deep."""
    return deep if DEEP else quick


FUZZ = settings(max_examples=size(100, 1000), deadline=None, derandomize=not DEEP,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
"""Decorate every Hypothesis test here with ``@FUZZ`` (not a global profile: tests/unit loads its own).
No deadline: store writes take a variable time. Examples share the test's store on purpose: every example
must leave it usable. make test draws the same examples every run, so a red CI run is this change's doing;
make test-deep draws new ones each time, to find what is still unknown (then add it as a plain test)."""


@pytest.fixture(autouse=True)
def steady_ground_home(tmp_path, monkeypatch):
    """Point STEADY_GROUND_HOME at a fresh temporary folder for every test."""
    monkeypatch.setenv("STEADY_GROUND_HOME", str(tmp_path))
    return tmp_path
