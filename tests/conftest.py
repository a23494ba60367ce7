"""Shared test set-up: a scratch learner folder, and Debian's chromium for every browser test."""
import os
from pathlib import Path

import pytest

from course.browser import launch_options


@pytest.fixture(scope="session", autouse=True)
def never_the_real_learner_folder(tmp_path_factory):
    """Every test, and every server or kernel a test starts, writes to a scratch folder.

    Set for the whole process so subprocesses inherit it; tests that need their
    own folder set STEADY_GROUND_HOME themselves.
    """
    before = os.environ.get("STEADY_GROUND_HOME")
    os.environ["STEADY_GROUND_HOME"] = str(tmp_path_factory.mktemp("session-learner-home"))
    yield
    if before is None:
        os.environ.pop("STEADY_GROUND_HOME", None)
    else:
        os.environ["STEADY_GROUND_HOME"] = before


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright hook: launch Debian's chromium when it is there (course/browser.py)."""
    return launch_options(browser_type_launch_args)



SHARED_SERVER_FIXTURES = ("voila_url", "server_home", "learner_store")
"""tests/apps/conftest.py's session-wide course server and what reads its learner folder."""


def worker_group(nodeid: str, root: Path) -> str:
    """Which tests must run in the same worker under `pytest -n N` (make test), from a test's id.

    Every file that uses the session's course server goes to one worker, so the server starts
    once; the book's tests share one strict build; any other file runs whole in one worker, so
    its module fixtures (often a server of its own) start once, and a notebook's nbval cells
    stay together and in order.
    """
    path = nodeid.split("::")[0]
    if path.startswith("tests/book/"):
        return "book"
    if path.startswith("tests/") and path.endswith(".py"):
        try:
            source = (root / path).read_text(encoding="utf-8")
        except OSError:
            return path
        if any(name in source for name in SHARED_SERVER_FIXTURES):
            return "course-server"
    return path


def pytest_xdist_make_scheduler(config, log):
    """pytest-xdist: hand out whole groups (worker_group), in the order of the command line (make test names
    the longest groups first)."""
    from xdist.scheduler import LoadScopeScheduling

    root = config.rootpath

    class ByGroup(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return worker_group(nodeid, root)

    return ByGroup(config, log)
