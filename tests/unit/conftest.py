"""Unit tests: a fresh learner folder for each test, the store and the couples gate on it, Hypothesis's settings.

The one place for these: test files use the fixtures and the profile below
instead of their own copies.
"""
import os
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, settings

from course.gate import CouplesGate, page_gate
from course.store import Store

# Store writes take a variable time (no deadline); property tests share the test's store
# (function-scoped fixtures) on purpose: every example must leave it usable.
settings.register_profile("steady-ground", max_examples=40, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture])
settings.register_profile("thorough", settings.get_profile("steady-ground"), max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "steady-ground"))


@pytest.fixture(autouse=True)
def steady_ground_home(tmp_path, monkeypatch):
    """Point STEADY_GROUND_HOME at a fresh temporary folder for every test."""
    monkeypatch.setenv("STEADY_GROUND_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def store(steady_ground_home):
    """The learner's store in this test's folder (not created on disk until something is saved)."""
    opened = Store()
    yield opened
    opened.close()


@pytest.fixture
def gate(steady_ground_home):
    """The page's couples gate for this test's folder: the one widgets use when given no ``gate=``."""
    return page_gate()


class Clock:
    """A clock tests move by hand; starts on a Thursday evening, in UTC."""

    def __init__(self):
        self.now = datetime(2026, 11, 26, 19, 0, tzinfo=UTC)

    def __call__(self):
        return self.now

    def later(self, **kw):
        self.now += timedelta(**kw)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def new_page(clock):
    """A new page (kernel) on the same device: its own gate, the device's store, a shared clock."""
    return lambda: CouplesGate(now=clock)


def rendered_landing(template, base_url: str = "/", hub: bool = False, workshop: bool = False) -> str:
    """The landing page as Voila serves it from a written template folder (tree.html over page.html), for
    `course start` or, with ``hub``/``workshop``, a person's course on a hub, a workshop or the hub's room."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(template)), autoescape=True)
    return env.get_template("tree.html").render(base_url=base_url, sg_hub=hub, sg_workshop=workshop)
